/// Why a loss refused its arguments. Nothing is written to any output when one is thrown.
///
/// The kinds' raw values are the C ABI's status codes (`LOSSES_ERROR_*` in `losses.h`). An error
/// thrown by a public function names that function's loss in ``loss``, by its C name, so that
/// its ``description`` reads as the C layer's `losses_last_error()` message does:
/// `"huber_loss: target has 1 elements, expected 2 (as input)"`.
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
    /// Names the argument and the expected versus the actual value; without the loss's name.
    public var message: String
    /// The C name of the loss that refused its arguments (`"huber_loss"`), or `nil` for an error
    /// that no single loss raised (`Reduction.validated`).
    public var loss: String?

    public init(_ kind: Kind, _ message: String, loss: String? = nil) {
        self.kind = kind
        self.message = message
        self.loss = loss
    }

    /// `"<loss>: <message>"`, or the message alone when no loss is named.
    public var description: String { loss.map { "\($0): \(message)" } ?? message }
}
