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
        let n = try args.count(n, "n")
        let x = try args.input(input, n, "input")
        let y = try args.input(target, n, "target")
        let w = try args.optionalInput(weight, n, "weight")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try checkParameters(x)
        run(x, y, w, o)
    }
}
