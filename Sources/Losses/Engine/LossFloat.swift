import RealModule

/// The element types liblosses computes in: `Float` and `Double`.
///
/// Every kernel is written once against this protocol and specialised by the compiler for both.
public protocol LossFloat: Real, BinaryFloatingPoint, SIMDScalar, Codable, Sendable {}

extension Float: LossFloat {}
extension Double: LossFloat {}
