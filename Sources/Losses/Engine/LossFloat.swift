import RealModule

/// The element types liblosses computes in: `Float` and `Double`.
///
/// Every kernel is written once against this protocol and specialised by the compiler for both.
public protocol LossFloat: Real, BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// The sum of `count` values in `Double`, in a fixed lane order (see Summation.swift).
    static func blockSum(_ p: UnsafePointer<Self>, _ count: Int) -> Double
}

extension Float: LossFloat {}
extension Double: LossFloat {}
