import Losses

// The export bodies of the negative log likelihoods (include/losses.h, "Regression losses"):
// poisson_nll_loss and its target gradient, gaussian_nll_loss. Every argument is checked before
// the first write; their @_cdecl twins are generated from the header.

/// poisson_nll_loss's parameters: the two flags, then eps.
private func poissonParameters(_ logInput: Int32, _ full: Int32, _ eps: Double) throws(LossError) -> (Bool, Bool) {
    let flags = (try DistributionsParameters.flag(logInput, "log_input"), try DistributionsParameters.flag(full, "full"))
    try LikelihoodParameters.checkPoissonEps(eps)
    return flags
}

func poissonNllLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, logInput: Int32, full: Int32, eps: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    var flags = (false, false)
    return pointwise("poisson_nll_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
                     checkParameters: { _ throws(LossError) in flags = try poissonParameters(logInput, full, eps) }) {
        Likelihood.poissonNLLLoss(input: $0, target: $1, logInput: flags.0, full: flags.1, eps: eps, into: $3)
    }
}

func poissonNllLossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, logInput: Int32, full: Int32, eps: Double,
    reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    var flags = (false, false)
    return pointwiseTargetGradient(
        "poisson_nll_loss_grad_target", input, target, nil, n, reduction, gradTarget, gradOutput,
        checkParameters: { _ throws(LossError) in flags = try poissonParameters(logInput, full, eps) }
    ) {
        Likelihood.poissonNLLLossTargetGradient(input: $0, target: $1, logInput: flags.0, full: flags.1, eps: eps,
                                               reduction: $3.reduction, gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

/// input, target (n, d) and var (n·d, or n with var_per_row); out, grad_input and grad_var.
func gaussianNllLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, `var` variance: UnsafePointer<T>?, n: Int64, d: Int64,
    varPerRow: Int32, full: Int32, eps: Double, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradVar: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("gaussian_nll_loss") { () throws(LossError) in
        var args = CallArguments()
        let rows = try args.count(n, "n")
        let width = try args.count(d, "d")
        let elements = try args.product(rows, width, "input")
        let perRow = try DistributionsParameters.flag(varPerRow, "var_per_row")
        let x = try args.input(input, elements, "input")
        let t = try args.input(target, elements, "target")
        let varianceCount = perRow ? rows : elements
        let v = try args.input(variance, varianceCount, "var")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradVar, varianceCount, "grad_var")
        try args.checkOverlaps()
        let isFull = try DistributionsParameters.flag(full, "full")
        try LikelihoodParameters.checkGaussianEps(eps)
        try LikelihoodParameters.checkVariances(v)
        Likelihood.gaussianNLLLoss(input: x, target: t, variance: v, width: width, perRow: perRow, full: isFull,
                                   eps: eps, into: o)
    }
}
