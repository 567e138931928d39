/// A loss value and, when asked for, its gradient with respect to the input.
public struct LossResult<T: LossFloat>: Sendable, Equatable {
    /// One value per element for `Reduction.none`, else a single value.
    public var value: [T]
    /// Shaped like the input; `nil` unless the gradient was requested.
    public var gradient: [T]?

    @inlinable
    public init(value: [T], gradient: [T]?) {
        self.value = value
        self.gradient = gradient
    }
}

/// Checks that `array` has `expected` elements.
@inlinable
func requireCount(_ name: String, _ actual: Int, _ expected: Int, _ reference: String) throws(LossError) {
    guard actual == expected else {
        throw LossError(.shapeMismatch,
                        "\(name) has \(actual) elements, expected \(expected) (as \(reference))")
    }
}

extension Optional {
    /// Calls `body` with a buffer over the array, or with `nil` when there is no array.
    @inlinable
    func withBuffer<T, R, E: Error>(
        _ body: (UnsafeBufferPointer<T>?) throws(E) -> R
    ) throws(E) -> R where Wrapped == [T] {
        switch self {
        case .some(let array): try array.withUnsafeBufferPointer { (b) throws(E) -> R in try body(b) }
        case .none: try body(nil)
        }
    }
}

/// Allocates the outputs of an array-API call, checks `gradOutput` against them, and runs the
/// kernel on validated buffers. The gradient has `elements` values; the unreduced loss has one
/// per sample (`samples`, the elements unless the loss reduces a class axis).
func evaluate<T: LossFloat>(
    elements n: Int, samples: Int? = nil, reduction: Reduction, gradient: Bool, gradOutput: [T]?,
    _ kernel: (LossOutputs<T>) -> Void
) throws(LossError) -> LossResult<T> {
    let outCount = reduction == .none ? samples ?? n : 1
    if let gradOutput {
        try requireCount("gradOutput", gradOutput.count, outCount,
                         reduction == .none ? "the unreduced loss" : "a reduced loss")
    }
    var value = [T](repeating: 0, count: outCount)
    var grad = [T](repeating: 0, count: gradient ? n : 0)
    value.withUnsafeMutableBufferPointer { out in
        grad.withUnsafeMutableBufferPointer { g in
            gradOutput.withBuffer { upstream in
                kernel(LossOutputs(reduction: reduction, out: out,
                                   gradient: gradient ? g : nil, gradOutput: upstream))
            }
        }
    }
    return LossResult(value: value, gradient: gradient ? grad : nil)
}
