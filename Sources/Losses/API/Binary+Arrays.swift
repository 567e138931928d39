// The Swift array API of the binary and margin losses (docs/classification.md). Arguments, defaults and
// semantics as the C header and the Python functions of the same names document them.

/// PyTorch's `binary_cross_entropy` of probabilities `input` in [0, 1] (checked), each log
/// clamped at -100; a weighted `.mean` is `mean(weight·ℓ)`.
public func binaryCrossEntropy<T: LossFloat>(
    _ input: [T], _ target: [T], weight: [T]? = nil, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, weight)
    try input.withUnsafeBufferPointer { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, weight) { Binary.binaryCrossEntropy(input: $0, target: $1, weight: $2, into: o) }
    }
}

/// PyTorch's `binary_cross_entropy_with_logits`, in a form that neither overflows nor cancels.
/// `posWeight` has the length of the last axis and repeats along it (its count must divide
/// the element count).
public func binaryCrossEntropyWithLogits<T: LossFloat>(
    _ input: [T], _ target: [T], weight: [T]? = nil, reduction: Reduction = .mean,
    posWeight: [T]? = nil, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, weight)
    if let posWeight { try BinaryParameters.checkRepeats(posWeight.count, input.count) }
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, weight) { x, t, w in
            posWeight.withBuffer { Binary.binaryCrossEntropyWithLogits(input: x, target: t, weight: w, posWeight: $0, into: o) }
        }
    }
}

/// torchvision's `sigmoid_focal_loss` (default reduction `.none`); finite gradients for every
/// γ >= 0. `alpha` in [0, 1], or -1 for no weighting.
public func sigmoidFocalLoss<T: LossFloat>(
    _ input: [T], _ target: [T], alpha: Double = 0.25, gamma: Double = 2, reduction: Reduction = .none,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try BinaryParameters.checkFocalAlpha(alpha)
    try BinaryParameters.checkGamma(gamma)
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, t, _ in Binary.sigmoidFocalLoss(input: x, target: t, alpha: alpha, gamma: gamma, into: o) }
    }
}

/// Binary hinge `max(0, margin - y·x)` for targets y in {-1, +1}, squared if asked.
public func hingeLoss<T: LossFloat>(
    _ input: [T], _ target: [T], margin: Double = 1, squared: Bool = false, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try BinaryParameters.checkMargin(margin)
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, y, _ in Binary.hingeLoss(input: x, target: y, margin: margin, squared: squared, into: o) }
    }
}

/// PyTorch's `hinge_embedding_loss`: `x` where y = 1, `max(0, margin - x)` where y = -1.
public func hingeEmbeddingLoss<T: LossFloat>(
    _ input: [T], _ target: [T], margin: Double = 1, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try BinaryParameters.checkMargin(margin)
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, y, _ in Binary.hingeEmbeddingLoss(input: x, target: y, margin: margin, into: o) }
    }
}

/// `log(1 + e^{-y·x})`, PyTorch's `soft_margin_loss` without its overflow.
public func softMarginLoss<T: LossFloat>(
    _ input: [T], _ target: [T], reduction: Reduction = .mean, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, y, _ in Binary.softMarginLoss(input: x, target: y, into: o) }
    }
}

/// The logistic loss `log(1 + e^{-y·x})` for scores and targets in {-1, +1}: the same values as
/// `softMarginLoss`, under the name the literature gives it (the sigmoid itself is not a loss).
public func logisticLoss<T: LossFloat>(
    _ input: [T], _ target: [T], reduction: Reduction = .mean, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try softMarginLoss(input, target, reduction: reduction, gradient: gradient, gradOutput: gradOutput)
}
