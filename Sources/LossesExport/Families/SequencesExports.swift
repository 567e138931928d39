import Losses

// The sequence exports (docs/sequences.md): CTC. Every argument is checked through
// `CallArguments` (sizes, buffers, overlaps) and the parameters before the Swift function runs;
// the lengths and labels are read once, into the library's memory, and checked there. The
// targets' count follows from the lengths when they are concatenated (s = 0), so the lengths are
// read before the targets' buffer is recorded.

func ctcLossExport<T: LossFloat>(
    logProbs: UnsafePointer<T>?, targets: UnsafePointer<Int64>?, inputLengths: UnsafePointer<Int64>?,
    targetLengths: UnsafePointer<Int64>?, t: Int64, n: Int64, c: Int64, s: Int64, blank: Int64, zeroInfinity: Int32,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradLogProbs: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("ctc_loss") { () throws(LossError) in
        var args = CallArguments()
        let shape = CTCShape(t: try args.count(t, "t"), n: try args.count(n, "n"), c: try args.count(c, "c"),
                             s: try args.count(s, "s"))
        let elements = try args.product(try args.product(shape.t, shape.n, "t × n"), shape.c, "log_probs")
        _ = try args.product(shape.n, shape.s, "targets")
        let x = try args.input(logProbs, elements, "log_probs")
        let inputs = try args.input(inputLengths, shape.n, "input_lengths")
        let targetsLengths = try args.input(targetLengths, shape.n, "target_lengths")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: shape.n, out: out, gradient: gradLogProbs,
            gradientName: "grad_log_probs", gradOutput: gradOutput)
        let parameters = CTCParameters(blank: Int(clamping: blank), zeroInfinity: try flag(zeroInfinity, "zero_infinity"))
        try Sequences.check(parameters, classes: shape.c)
        let labels = try Sequences.CTCLabels(inputLengths: inputs, targetLengths: targetsLengths, shape: shape)
        let given = try args.input(targets, labels.targetCount, "targets")
        try args.checkOverlaps()
        try labels.read(targets: given, shape: shape, blank: parameters.blank)
        try Sequences.ctcLoss(logProbs: x, labels: labels, shape: shape, parameters: parameters, into: o)
    }
}
