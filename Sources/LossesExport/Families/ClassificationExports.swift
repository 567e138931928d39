import Losses

// The generic bodies of the class-index exports (include/losses.h, "Classification:
// class-index losses"): validate, convert, call. Their `@_cdecl` twins are generated from the
// header (Generated/Exports.swift).

/// input (n, c, d), target (n·d) labels, optional weight (c): the shape of every class-index
/// loss. `extra` validates and records any further buffer before overlaps are checked; labels
/// are checked last, just before the kernel runs.
@inline(__always)
func classIndexExport<T: LossFloat>(
    _ loss: StaticString,
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ c: Int64, _ d: Int64, ignoreIndex: Int64?, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?,
    extra: (inout CallArguments, ClassLayout) throws(LossError) -> Void = { _, _ in },
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<T>?, ClassLayout, LossOutputs<T>) -> Void
) -> Int32 {
    exported(loss) { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, d)
        let x = try args.input(input, layout.elements, "input")
        let y = try args.input(target, layout.samples, "target")
        let w = try args.optionalInput(weight, layout.classes, "weight")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try extra(&args, layout)
        try args.checkOverlaps()
        try ClassTargets.check(y, classes: layout.classes, ignoreIndex: ignoreIndex)
        run(x, y, w, layout, o)
    }
}

extension CallArguments {
    /// (n, c, d) with c >= 1 and n·c·d representable.
    func classLayout(_ n: Int64, _ c: Int64, _ d: Int64) throws(LossError) -> ClassLayout {
        let layout = ClassLayout(batch: try count(n, "n"), classes: try count(c, "c"), inner: try count(d, "d"))
        try ClassTargets.checkClasses(layout.classes)
        _ = try product(try product(layout.batch, layout.inner, "target"), layout.classes, "input")
        return layout
    }
}

func crossEntropyExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<Int64>?, weight: UnsafePointer<T>?,
    n: Int64, c: Int64, d: Int64, ignoreIndex: Int64, labelSmoothing: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    classIndexExport("cross_entropy", input, target, weight, n, c, d, ignoreIndex: ignoreIndex, reduction,
                     out, gradInput, gradOutput,
                     extra: { _, _ throws(LossError) in try ClassificationParameters.checkLabelSmoothing(labelSmoothing) }) {
        Classification.crossEntropy(input: $0, target: $1, weight: $2, layout: $3, ignoreIndex: ignoreIndex,
                                    labelSmoothing: labelSmoothing, into: $4)
    }
}

func crossEntropyProbsExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, c: Int64, d: Int64, labelSmoothing: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("cross_entropy") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, d)
        let x = try args.input(input, layout.elements, "input")
        let t = try args.input(target, layout.elements, "target")
        let w = try args.optionalInput(weight, layout.classes, "weight")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        Classification.crossEntropyProbabilities(input: x, target: t, weight: w, layout: layout,
                                                 labelSmoothing: labelSmoothing, into: o)
    }
}

func nllLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<Int64>?, weight: UnsafePointer<T>?,
    n: Int64, c: Int64, d: Int64, ignoreIndex: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    classIndexExport("nll_loss", input, target, weight, n, c, d, ignoreIndex: ignoreIndex, reduction,
                     out, gradInput, gradOutput) {
        Classification.nllLoss(input: $0, target: $1, weight: $2, layout: $3, ignoreIndex: ignoreIndex, into: $4)
    }
}

func focalLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<Int64>?, alpha: UnsafePointer<Double>?,
    n: Int64, c: Int64, d: Int64, alphaCount: Int64, gamma: Double, ignoreIndex: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    var alphaValues: UnsafeBufferPointer<Double>?
    return classIndexExport(
        "focal_loss", input, target, nil, n, c, d, ignoreIndex: ignoreIndex, reduction, out, gradInput, gradOutput,
        extra: { args, layout throws(LossError) in
            alphaValues = try args.optionalInput(alpha, try args.count(alphaCount, "alpha_count"), "alpha")
            try ClassificationParameters.checkFocalAlpha(alphaValues, classes: layout.classes)
            try BinaryParameters.checkGamma(gamma)
        }
    ) {
        Classification.focalLoss(input: $0, target: $1, alpha: alphaValues, layout: $3, gamma: gamma,
                                 ignoreIndex: ignoreIndex, into: $4)
    }
}

func multiMarginLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<Int64>?, weight: UnsafePointer<T>?,
    n: Int64, c: Int64, p: Int32, margin: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    classIndexExport("multi_margin_loss", input, target, weight, n, c, 1, ignoreIndex: nil, reduction,
                     out, gradInput, gradOutput,
                     extra: { _, _ throws(LossError) in try multiMarginParameters(p, margin) }) {
        Classification.multiMarginLoss(input: $0, target: $1, weight: $2, layout: $3, p: p, margin: margin, into: $4)
    }
}

func multiMarginParameters(_ p: Int32, _ margin: Double) throws(LossError) {
    try ClassificationParameters.checkMarginPower(p)
    try BinaryParameters.checkMargin(margin)
}

func linearCrossEntropyExport<T: LossFloat>(
    input: UnsafePointer<T>?, linearWeight: UnsafePointer<T>?, target: UnsafePointer<Int64>?,
    linearBias: UnsafePointer<T>?, weight: UnsafePointer<T>?, n: Int64, c: Int64, d: Int64, ignoreIndex: Int64,
    labelSmoothing: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?,
    gradLinearWeight: UnsafeMutablePointer<T>?, gradLinearBias: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("linear_cross_entropy") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n"), c = try args.count(c, "c"), d = try args.count(d, "d")
        try ClassificationParameters.checkLinearSizes(rows: n, classes: c, features: d)
        let x = try args.input(input, n &* d, "input")
        let w = try args.input(linearWeight, c &* d, "linear_weight")
        let y = try args.input(target, n, "target")
        let b = try args.optionalInput(linearBias, c, "linear_bias")
        let cw = try args.optionalInput(weight, c, "weight")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n &* d, samples: n, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradLinearWeight, c &* d, "grad_linear_weight")
        o.gradients.third = try args.optionalOutput(gradLinearBias, c, "grad_linear_bias")
        try args.checkOverlaps()
        try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        // The labels are checked by the loss itself, on the one copy it reads and uses.
        try LinearCrossEntropy.loss(input: x, linearWeight: w, target: y, linearBias: b, weight: cw, rows: n,
                                    classes: c, features: d, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing,
                                    into: o)
    }
}

func polyLossCrossEntropyExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, c: Int64, epsilon: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("poly_loss_cross_entropy") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, 1)
        let x = try args.input(input, layout.elements, "input")
        let t = try args.input(target, layout.elements, "target")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try ClassificationParameters.checkPolyEpsilon(epsilon)
        Classification.polyLossCrossEntropy(input: x, target: t, layout: layout, epsilon: epsilon, into: o)
    }
}
