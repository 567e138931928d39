// The gradients with respect to the target (include/losses.h, "Gradients with respect to the
// target"; docs/regression.md and docs/classification.md): the Swift form of
// losses_<loss>_grad_target_*, for the losses whose target PyTorch differentiates. Each takes
// the loss's own arguments and returns ∂loss/∂target, shaped like the target, reduced as the
// loss; errors name the C entry (`"mse_loss_grad_target: ..."`).

/// ∂`mseLoss`/∂target: `-2·w·(input - target)`, reduced as the loss; exactly the negated input gradient.
public func mseLossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("mse_loss_grad_target", input, target, weight, reduction, gradOutput) {
        Regression.mseLossTargetGradient(input: $0, target: $1, weight: $2, reduction: reduction, gradOutput: $3, into: $4)
    }
}

/// ∂`l1Loss`/∂target: `-w·sign(input - target)`; exactly the negated input gradient.
public func l1LossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("l1_loss_grad_target", input, target, weight, reduction, gradOutput) {
        Regression.l1LossTargetGradient(input: $0, target: $1, weight: $2, reduction: reduction, gradOutput: $3, into: $4)
    }
}

/// ∂`huberLoss`/∂target: `-w·clamp(d, -delta, delta)`; exactly the negated input gradient.
public func huberLossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean, delta: Double = 1, weight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("huber_loss_grad_target", input, target, weight, reduction, gradOutput,
                                check: { _ throws(LossError) in try RegressionParameters.checkDelta(delta) }) {
        Regression.huberLossTargetGradient(input: $0, target: $1, weight: $2, delta: delta, reduction: reduction,
                                           gradOutput: $3, into: $4)
    }
}

/// ∂`smoothL1Loss`/∂target: `-clamp(d/beta, -1, 1)`; exactly the negated input gradient.
public func smoothL1LossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean, beta: Double = 1, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("smooth_l1_loss_grad_target", input, target, nil, reduction, gradOutput,
                                check: { _ throws(LossError) in try RegressionParameters.checkBeta(beta) }) {
        Regression.smoothL1LossTargetGradient(input: $0, target: $1, beta: beta, reduction: reduction,
                                              gradOutput: $3, into: $4)
    }
}

/// ∂`binaryCrossEntropy`/∂target: `-w·(max(log x, -100) - max(log(1 - x), -100))`, the derivative of
/// the value as computed (finite at x = 0 and 1). Inputs outside [0, 1] throw, as for the loss.
public func binaryCrossEntropyTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("binary_cross_entropy_grad_target", input, target, weight, reduction, gradOutput,
                                check: { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }) {
        Binary.binaryCrossEntropyTargetGradient(input: $0, weight: $2, reduction: reduction, gradOutput: $3, into: $4)
    }
}

/// ∂`binaryCrossEntropyWithLogits`/∂target: `w·(pw·softplus(-x) - softplus(x))`, `posWeight`
/// repeated along the last axis as for the loss.
public func binaryCrossEntropyWithLogitsTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    posWeight: (any ContiguousStorage<T>)? = nil, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    let repeats = posWeight?.count
    return try pointwiseTargetGradient(
        "binary_cross_entropy_with_logits_grad_target", input, target, weight, reduction, gradOutput,
        check: { x throws(LossError) in if let repeats { try BinaryParameters.checkRepeats(repeats, x.count) } }
    ) { x, _, w, go, gradient in
        posWeight.withBuffer { pw in
            Binary.binaryCrossEntropyWithLogitsTargetGradient(input: x, weight: w, posWeight: pw, reduction: reduction,
                                                              gradOutput: go, into: gradient)
        }
    }
}

/// ∂`crossEntropy(_:probabilities:)`/∂target: `(1 - ε)·w_c·(lse - z_c)` for every target, reduced
/// as the loss (`.mean` over the N·D samples).
public func crossEntropyTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, probabilities target: some ContiguousStorage<T>, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean, labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try namingErrors("cross_entropy_grad_target") { () throws(LossError) -> [T] in
        try requireCount("input", input.count, layout.elements, "the layout")
        try requireCount("target", target.count, layout.elements, "input")
        if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
        try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        return try withTargetGradientBuffers(input, target, weight, reduction, gradOutput, samples: layout.samples) {
            x, _, w, go, gradient in
            Classification.crossEntropyProbabilitiesTargetGradient(
                input: x, weight: w, layout: layout, labelSmoothing: labelSmoothing, reduction: reduction,
                gradOutput: go, into: gradient)
        }
    }
}

/// ∂`polyLossCrossEntropy`/∂labels: `(lse - z_c) + ε·(1 - p_c)` for every label, reduced as the
/// loss (`.mean` over the N rows).
public func polyLossCrossEntropyTargetGradient<T: LossFloat>(
    _ logits: some ContiguousStorage<T>, labels: some ContiguousStorage<T>, classes: Int,
    epsilon: Double = 2.0, reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try namingErrors("poly_loss_cross_entropy_grad_target") { () throws(LossError) -> [T] in
        try ClassTargets.checkClasses(classes)
        guard logits.count % classes == 0 else {
            throw LossError(.shapeMismatch, "input has \(logits.count) values, not a whole number of rows of \(classes) classes")
        }
        let layout = ClassLayout(batch: logits.count / classes, classes: classes)
        try requireCount("target", labels.count, layout.elements, "input")
        try ClassificationParameters.checkPolyEpsilon(epsilon)
        return try withTargetGradientBuffers(logits, labels, nil, reduction, gradOutput, samples: layout.samples) {
            x, _, _, go, gradient in
            Classification.polyLossCrossEntropyTargetGradient(
                input: x, layout: layout, epsilon: epsilon, reduction: reduction, gradOutput: go, into: gradient)
        }
    }
}

/// An elementwise target gradient: counts, the loss's own checks, then the kernel.
func pointwiseTargetGradient<T: LossFloat>(
    _ loss: String, _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    _ weight: (any ContiguousStorage<T>)?, _ reduction: Reduction, _ gradOutput: (any ContiguousStorage<T>)?,
    check: (UnsafeBufferPointer<T>) throws(LossError) -> Void = { _ in },
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?, UnsafeBufferPointer<T>?,
            UnsafeMutableBufferPointer<T>) -> Void
) throws(LossError) -> [T] {
    try namingErrors(loss) { () throws(LossError) -> [T] in
        try requireCount("target", target.count, input.count, "input")
        if let weight { try requireCount("weight", weight.count, input.count, "input") }
        try input.withUnsafeBufferPointer { (x) throws(LossError) in try check(x) }
        return try withTargetGradientBuffers(input, target, weight, reduction, gradOutput, samples: input.count, run)
    }
}

/// Borrows the buffers, checks grad_output's count (one per sample for `.none`, else one) and
/// returns the gradient the kernel writes.
func withTargetGradientBuffers<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    _ weight: (any ContiguousStorage<T>)?, _ reduction: Reduction, _ gradOutput: (any ContiguousStorage<T>)?,
    samples: Int,
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?, UnsafeBufferPointer<T>?,
            UnsafeMutableBufferPointer<T>) -> Void
) throws(LossError) -> [T] {
    if let gradOutput {
        try requireCount("gradOutput", gradOutput.count, reduction == .none ? samples : 1,
                         reduction == .none ? "the unreduced loss" : "a reduced loss")
    }
    var gradient = [T](repeating: 0, count: target.count)
    input.withUnsafeBufferPointer { x in
        target.withUnsafeBufferPointer { y in
            weight.withBuffer { w in
                gradOutput.withBuffer { go in
                    gradient.withUnsafeMutableBufferPointer { g in run(x, y, w, go, g) }
                }
            }
        }
    }
    return gradient
}

/// ∂`poissonNLLLoss`/∂target: `-x` (`logInput`) or `-log(x + eps)`, plus `log t + 1/(2t)` where
/// `full` keeps Stirling's term (t > 1); 0 from the masked term where t <= 1 (PyTorch's autograd
/// gives NaN at t <= 0 there).
public func poissonNLLLossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, logInput: Bool = true,
    full: Bool = false, eps: Double = 1e-8, reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try pointwiseTargetGradient("poisson_nll_loss_grad_target", input, target, nil, reduction, gradOutput,
                                check: { _ throws(LossError) in try LikelihoodParameters.checkPoissonEps(eps) }) {
        Likelihood.poissonNLLLossTargetGradient(input: $0, target: $1, logInput: logInput, full: full, eps: eps,
                                               reduction: reduction, gradOutput: $3, into: $4)
    }
}

/// ∂`multilabelSoftMarginLoss`/∂target: `-(w_k/C)·x` for every target, reduced as the loss
/// (`.mean` over the N rows).
public func multilabelSoftMarginLossTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, classes: Int,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try namingErrors("multilabel_soft_margin_loss_grad_target") { () throws(LossError) -> [T] in
        let rows = try multilabelSoftMargin(input, target, classes: classes, weight: weight) { (call) throws(LossError) in
            try call.check().samples
        }
        return try withTargetGradientBuffers(input, target, weight, reduction, gradOutput, samples: rows) {
            x, _, w, go, gradient in
            Classification.multilabelSoftMarginLossTargetGradient(
                input: x, weight: w, rows: rows, classes: classes, reduction: reduction, gradOutput: go, into: gradient)
        }
    }
}
