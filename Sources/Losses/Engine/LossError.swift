/// Why a loss refused its arguments. Nothing is written to any output when one is thrown.
///
/// The kinds' raw values are the C ABI's status codes (`LOSSES_ERROR_*` in `losses.h`).
public struct LossError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Int32, Sendable {
        case nullPointer = 1
        case invalidSize = 2
        case shapeMismatch = 3
        case invalidOption = 4
        case invalidArgument = 5
        case labelOutOfRange = 6
        case overlap = 7
        case misaligned = 8
        case outOfMemory = 9
    }

    public var kind: Kind
    /// Names the argument and the expected versus the actual value.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
