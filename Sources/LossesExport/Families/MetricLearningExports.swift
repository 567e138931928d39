import Losses

// The generic bodies of the metric-learning exports (include/losses.h, "Metric learning"):
// validate, convert, call. Their `@_cdecl` twins are generated from the header.

func marginRankingLossExport<T: LossFloat>(
    input1: UnsafePointer<T>?, input2: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, margin: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput1: UnsafeMutablePointer<T>?,
    gradInput2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("margin_ranking_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let x1 = try args.input(input1, n, "input1")
        let x2 = try args.input(input2, n, "input2")
        let y = try args.input(target, n, "target")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradInput1, gradientName: "grad_input1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradInput2, n, "grad_input2")
        try args.checkOverlaps()
        try MetricLearningParameters.checkMargin(margin)
        MetricLearning.marginRankingLoss(input1: x1, input2: x2, target: y, margin: margin, into: o)
    }
}
