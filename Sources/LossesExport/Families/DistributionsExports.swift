import Losses

// The distribution losses' export bodies (include/losses.h, "Distributions: divergences and
// adversarial losses"); their @_cdecl twins are generated from the header. Every argument is
// checked before the first write.

/// kl_div's flags, refused outside 0 and 1, and batchmean only with the mean.
private func klDivFlags(_ logTarget: Int32, _ batchmean: Int32, _ reduction: Int32)
    throws(LossError) -> (logTarget: Bool, batchMean: Bool)
{
    let log = try DistributionsParameters.flag(logTarget, "log_target")
    let batch = try DistributionsParameters.flag(batchmean, "batchmean")
    try DistributionsParameters.checkBatchMean(batch, try Reduction.validated(reduction))
    return (log, batch)
}

func klDivExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, d: Int64, logTarget: Int32, batchmean: Int32,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("kl_div") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "input")
        let x = try args.input(input, elements, "input")
        let t = try args.input(target, elements, "target")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        let flags = try klDivFlags(logTarget, batchmean, reduction)
        Distributions.klDiv(input: x, target: t, rows: n, logTarget: flags.logTarget, batchMean: flags.batchMean, into: o)
    }
}

func klDivGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, d: Int64, logTarget: Int32, batchmean: Int32,
    reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("kl_div_grad_target") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "input")
        let x = try args.input(input, elements, "input")
        let t = try args.input(target, elements, "target")
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: elements, gradTarget: gradTarget, gradOutput: gradOutput)
        try args.checkOverlaps()
        let flags = try klDivFlags(logTarget, batchmean, reduction)
        Distributions.klDivTargetGradient(input: x, target: t, rows: n, logTarget: flags.logTarget,
                                          batchMean: flags.batchMean, reduction: o.reduction,
                                          gradOutput: o.gradOutput, into: o.gradient)
    }
}

/// kl_divergence and js_divergence: pk and qk (n, d), one value per row.
private func divergenceExport<T: LossFloat>(
    _ loss: StaticString, jensenShannon: Bool,
    _ pk: UnsafePointer<T>?, _ qk: UnsafePointer<T>?, _ n: Int64, _ d: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradPk: UnsafeMutablePointer<T>?, _ gradQk: UnsafeMutablePointer<T>?,
    _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported(loss) { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "pk")
        let p = try args.input(pk, elements, "pk")
        let q = try args.input(qk, elements, "qk")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradPk, gradientName: "grad_pk", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradQk, elements, "grad_qk")
        try args.checkOverlaps()
        Distributions.divergence(pk: p, qk: q, rows: n, width: d, jensenShannon: jensenShannon, into: o)
    }
}

func klDivergenceExport<T: LossFloat>(
    pk: UnsafePointer<T>?, qk: UnsafePointer<T>?, n: Int64, d: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradPk: UnsafeMutablePointer<T>?, gradQk: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    divergenceExport("kl_divergence", jensenShannon: false, pk, qk, n, d, reduction, out, gradPk, gradQk, gradOutput)
}

func jsDivergenceExport<T: LossFloat>(
    pk: UnsafePointer<T>?, qk: UnsafePointer<T>?, n: Int64, d: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradPk: UnsafeMutablePointer<T>?, gradQk: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    divergenceExport("js_divergence", jensenShannon: true, pk, qk, n, d, reduction, out, gradPk, gradQk, gradOutput)
}

func wganCriticLossExport<T: LossFloat>(
    realScores: UnsafePointer<T>?, fakeScores: UnsafePointer<T>?, n: Int64, m: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradRealScores: UnsafeMutablePointer<T>?,
    gradFakeScores: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("wgan_critic_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let m = try args.count(m, "m")
        let real = try args.input(realScores, n, "real_scores")
        let fake = try args.input(fakeScores, m, "fake_scores")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, samples: 1, out: out,
            gradient: gradRealScores, gradientName: "grad_real_scores", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradFakeScores, m, "grad_fake_scores")
        try args.checkOverlaps()
        Distributions.wganCriticLoss(real: real, fake: fake, into: o)
    }
}

func wganGeneratorLossExport<T: LossFloat>(
    fakeScores: UnsafePointer<T>?, n: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradFakeScores: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("wgan_generator_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let fake = try args.input(fakeScores, n, "fake_scores")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradFakeScores, gradientName: "grad_fake_scores", gradOutput: gradOutput)
        try args.checkOverlaps()
        Distributions.wganGeneratorLoss(fake: fake, into: o)
    }
}

func gradientPenaltyExport<T: LossFloat>(
    gradients: UnsafePointer<T>?, n: Int64, d: Int64, weight: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradGradients: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("gradient_penalty") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "gradients")
        let g = try args.input(gradients, elements, "gradients")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradGradients, gradientName: "grad_gradients", gradOutput: gradOutput)
        try args.checkOverlaps()
        try DistributionsParameters.checkPenaltyWeight(weight)
        Distributions.gradientPenalty(gradients: g, rows: n, width: d, weight: weight, into: o)
    }
}
