import Losses

// The validation every elementwise loss export shares; the f32 and f64 twins of every loss
// go through it.

/// input, target, optional weight, all of `n` values: the shape of every pointwise loss.
@inline(__always)
func pointwise<T: LossFloat>(
    _ loss: StaticString,
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?,
    _ gradOutput: UnsafePointer<T>?,
    checkParameters: (UnsafeBufferPointer<T>) throws(LossError) -> Void = { _ in },
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?, LossOutputs<T>) -> Void
) -> Int32 {
    exported(loss) { () throws(LossError) in
        var args = CallArguments()
        let (n, x, y, w) = try args.pointwiseInputs(n, input, target, weight)
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try checkParameters(x)
        run(x, y, w, o)
    }
}

extension CallArguments {
    /// n, then input and target of n values and the optional weight: the inputs of every
    /// elementwise loss and of its target gradient, checked in that order.
    mutating func pointwiseInputs<T>(
        _ n: Int64, _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?
    ) throws(LossError) -> (Int, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?) {
        let n = try count(n, "n")
        return (n, try self.input(input, n, "input"), try self.input(target, n, "target"),
                try optionalInput(weight, n, "weight"))
    }
}
