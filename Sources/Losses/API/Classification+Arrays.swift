// The Swift array API of the class-index losses (docs/classification.md). `input` is (N, C, D) row-major
// as `layout` describes; targets and unreduced losses are (N, D).

/// PyTorch's `cross_entropy` with class-index targets, `weight`, `ignoreIndex` and
/// `labelSmoothing`; a weighted `.mean` divides by the summed weights of the kept targets.
public func crossEntropy<T: LossFloat>(
    _ input: [T], _ target: [Int64], layout: ClassLayout, weight: [T]? = nil, ignoreIndex: Int64 = -100,
    reduction: Reduction = .mean, labelSmoothing: Double = 0, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
    try checkClassProblem(input, target, layout, weight, ignoreIndex: ignoreIndex)
    return try evaluate(elements: layout.elements, samples: layout.samples, reduction: reduction,
                        gradient: gradient, gradOutput: gradOutput) { o in
        withClassProblem(input, target, weight) {
            Classification.crossEntropy(input: $0, target: $1, weight: $2, layout: layout, ignoreIndex: ignoreIndex,
                                        labelSmoothing: labelSmoothing, into: o)
        }
    }
}

/// PyTorch's `cross_entropy` with probability targets shaped like the input; `.mean` divides by
/// the sample count.
public func crossEntropy<T: LossFloat>(
    _ input: [T], probabilities target: [T], layout: ClassLayout, weight: [T]? = nil,
    reduction: Reduction = .mean, labelSmoothing: Double = 0, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
    try ClassTargets.checkClasses(layout.classes)
    try requireCount("input", input.count, layout.elements, "N × C × D")
    try requireCount("target", target.count, layout.elements, "input")
    if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
    return try evaluate(elements: layout.elements, samples: layout.samples, reduction: reduction,
                        gradient: gradient, gradOutput: gradOutput) { o in
        withPair(input, target, weight) {
            Classification.crossEntropyProbabilities(input: $0, target: $1, weight: $2, layout: layout,
                                                     labelSmoothing: labelSmoothing, into: o)
        }
    }
}

/// PyTorch's `nll_loss` of log-probabilities.
public func nllLoss<T: LossFloat>(
    _ input: [T], _ target: [Int64], layout: ClassLayout, weight: [T]? = nil, ignoreIndex: Int64 = -100,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkClassProblem(input, target, layout, weight, ignoreIndex: ignoreIndex)
    return try evaluate(elements: layout.elements, samples: layout.samples, reduction: reduction,
                        gradient: gradient, gradOutput: gradOutput) { o in
        withClassProblem(input, target, weight) {
            Classification.nllLoss(input: $0, target: $1, weight: $2, layout: layout, ignoreIndex: ignoreIndex, into: o)
        }
    }
}

/// Softmax focal loss `-α_y·(1-p_y)^γ·log p_y` per sample (Lin et al. 2017); `alpha` absent,
/// one value, or one per class; `.mean` divides by the kept-sample count.
public func focalLoss<T: LossFloat>(
    _ input: [T], _ target: [Int64], layout: ClassLayout, gamma: Double = 2, alpha: [Double]? = nil,
    ignoreIndex: Int64 = -100, reduction: Reduction = .mean, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try BinaryParameters.checkGamma(gamma)
    try alpha.withBuffer { a throws(LossError) in try ClassificationParameters.checkFocalAlpha(a, classes: layout.classes) }
    try checkClassProblem(input, target, layout, nil, ignoreIndex: ignoreIndex)
    return try evaluate(elements: layout.elements, samples: layout.samples, reduction: reduction,
                        gradient: gradient, gradOutput: gradOutput) { o in
        withClassProblem(input, target, nil) { x, y, _ in
            alpha.withBuffer {
                Classification.focalLoss(input: x, target: y, alpha: $0, layout: layout, gamma: gamma,
                                         ignoreIndex: ignoreIndex, into: o)
            }
        }
    }
}

/// PyTorch's `multi_margin_loss` over (N, C) scores; `p` is 1 or 2.
public func multiMarginLoss<T: LossFloat>(
    _ input: [T], _ target: [Int64], classes: Int, p: Int32 = 1, margin: Double = 1, weight: [T]? = nil,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try ClassificationParameters.checkMarginPower(p)
    try BinaryParameters.checkMargin(margin)
    let layout = ClassLayout(batch: target.count, classes: classes)
    try checkClassProblem(input, target, layout, weight, ignoreIndex: nil)
    return try evaluate(elements: layout.elements, samples: layout.samples, reduction: reduction,
                        gradient: gradient, gradOutput: gradOutput) { o in
        withClassProblem(input, target, weight) {
            Classification.multiMarginLoss(input: $0, target: $1, weight: $2, layout: layout, p: p, margin: margin, into: o)
        }
    }
}

func checkClassProblem<T>(
    _ input: [T], _ target: [Int64], _ layout: ClassLayout, _ weight: [T]?, ignoreIndex: Int64?
) throws(LossError) {
    try ClassTargets.checkClasses(layout.classes)
    guard layout.batch >= 0, layout.inner >= 0 else { throw LossError(.invalidSize, "negative layout \(layout)") }
    let (perSample, o1) = layout.classes.multipliedReportingOverflow(by: layout.inner)
    let (elements, o2) = perSample.multipliedReportingOverflow(by: layout.batch)
    guard !o1, !o2 else { throw LossError(.invalidSize, "the layout \(layout) overflows") }
    try requireCount("input", input.count, elements, "N × C × D")
    try requireCount("target", target.count, layout.samples, "N × D")
    if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
    try target.withUnsafeBufferPointer { y throws(LossError) in
        try ClassTargets.check(y, classes: layout.classes, ignoreIndex: ignoreIndex)
    }
}

@inlinable
func withClassProblem<T, R>(
    _ input: [T], _ target: [Int64], _ weight: [T]?,
    _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<T>?) -> R
) -> R {
    input.withUnsafeBufferPointer { x in
        target.withUnsafeBufferPointer { y in weight.withBuffer { w in body(x, y, w) } }
    }
}
