import Losses

// The outputs of a target-gradient export (losses_<loss>_grad_target_*): grad_target in place of
// the loss's out and grad_input, grad_output as the loss's.

/// What a target-gradient call writes and reads besides its inputs.
struct TargetGradientOutputs<T: LossFloat> {
    var reduction: Reduction
    var gradient: UnsafeMutableBufferPointer<T>
    var gradOutput: UnsafeBufferPointer<T>?
}

extension CallArguments {
    /// grad_target (required, `elements` values) and grad_output (one value per sample for
    /// `none`, else one; NULL means ones).
    mutating func targetGradientOutputs<T: LossFloat>(
        reduction raw: Int32, elements: Int, samples: Int? = nil,
        gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
    ) throws(LossError) -> TargetGradientOutputs<T> {
        let reduction = try Reduction.validated(raw)
        let upstreamCount = reduction == .none ? samples ?? elements : 1
        return TargetGradientOutputs(
            reduction: reduction,
            gradient: try output(gradTarget, elements, "grad_target"),
            gradOutput: try optionalInput(gradOutput, upstreamCount, "grad_output"))
    }
}

/// input, target, optional weight of `n` values each, and the target-gradient outputs: the
/// shape of every elementwise target gradient.
@inline(__always)
func pointwiseTargetGradient<T: LossFloat>(
    _ loss: StaticString,
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ reduction: Int32, _ gradTarget: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?,
    checkParameters: (UnsafeBufferPointer<T>) throws(LossError) -> Void = { _ in },
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?, TargetGradientOutputs<T>) -> Void
) -> Int32 {
    exported(loss) { () throws(LossError) in
        var args = CallArguments()
        let (n, x, y, w) = try args.pointwiseInputs(n, input, target, weight)
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: n, gradTarget: gradTarget, gradOutput: gradOutput)
        try args.checkOverlaps()
        try checkParameters(x)
        run(x, y, w, o)
    }
}
