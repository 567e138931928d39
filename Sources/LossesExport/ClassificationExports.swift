import Losses

// The C entry points of the class-index losses (include/losses.h, "Classification:
// class-index losses"): validate, convert, call.

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

@inline(__always)
func crossEntropyExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ ignoreIndex: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    classIndexExport("cross_entropy", input, target, weight, n, c, d, ignoreIndex: ignoreIndex, reduction,
                     out, gradInput, gradOutput,
                     extra: { _, _ throws(LossError) in try ClassificationParameters.checkLabelSmoothing(labelSmoothing) }) {
        Classification.crossEntropy(input: $0, target: $1, weight: $2, layout: $3, ignoreIndex: ignoreIndex,
                                    labelSmoothing: labelSmoothing, into: $4)
    }
}

@_cdecl("losses_cross_entropy_f32")
public func losses_cross_entropy_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ ignoreIndex: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    crossEntropyExport(input, target, weight, n, c, d, ignoreIndex, labelSmoothing, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_cross_entropy_f64")
public func losses_cross_entropy_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ ignoreIndex: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    crossEntropyExport(input, target, weight, n, c, d, ignoreIndex, labelSmoothing, reduction, out, gradInput, gradOutput)
}

@inline(__always)
func crossEntropyProbsExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
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

@_cdecl("losses_cross_entropy_probs_f32")
public func losses_cross_entropy_probs_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    crossEntropyProbsExport(input, target, weight, n, c, d, labelSmoothing, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_cross_entropy_probs_f64")
public func losses_cross_entropy_probs_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ labelSmoothing: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    crossEntropyProbsExport(input, target, weight, n, c, d, labelSmoothing, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_nll_loss_f32")
public func losses_nll_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ ignoreIndex: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    classIndexExport("nll_loss", input, target, weight, n, c, d, ignoreIndex: ignoreIndex, reduction,
                     out, gradInput, gradOutput) {
        Classification.nllLoss(input: $0, target: $1, weight: $2, layout: $3, ignoreIndex: ignoreIndex, into: $4)
    }
}

@_cdecl("losses_nll_loss_f64")
public func losses_nll_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ ignoreIndex: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    classIndexExport("nll_loss", input, target, weight, n, c, d, ignoreIndex: ignoreIndex, reduction,
                     out, gradInput, gradOutput) {
        Classification.nllLoss(input: $0, target: $1, weight: $2, layout: $3, ignoreIndex: ignoreIndex, into: $4)
    }
}

@inline(__always)
func focalExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<Int64>?, _ alpha: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ alphaCount: Int64, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?,
    _ gradOutput: UnsafePointer<T>?
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

@_cdecl("losses_focal_loss_f32")
public func losses_focal_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ alpha: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ alphaCount: Int64, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?,
    _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    focalExport(input, target, alpha, n, c, d, alphaCount, gamma, ignoreIndex, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_focal_loss_f64")
public func losses_focal_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ alpha: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ d: Int64, _ alphaCount: Int64, _ gamma: Double, _ ignoreIndex: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?,
    _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    focalExport(input, target, alpha, n, c, d, alphaCount, gamma, ignoreIndex, reduction, out, gradInput, gradOutput)
}

@inline(__always)
func multiMarginExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ c: Int64, _ p: Int32, _ margin: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    classIndexExport("multi_margin_loss", input, target, weight, n, c, 1, ignoreIndex: nil, reduction,
                     out, gradInput, gradOutput,
                     extra: { _, _ throws(LossError) in try multiMarginParameters(p, margin) }) {
        Classification.multiMarginLoss(input: $0, target: $1, weight: $2, layout: $3, p: p, margin: margin, into: $4)
    }
}

@_cdecl("losses_multi_margin_loss_f32")
public func losses_multi_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ c: Int64, _ p: Int32, _ margin: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    multiMarginExport(input, target, weight, n, c, p, margin, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_multi_margin_loss_f64")
public func losses_multi_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Int64>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ c: Int64, _ p: Int32, _ margin: Double, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    multiMarginExport(input, target, weight, n, c, p, margin, reduction, out, gradInput, gradOutput)
}

func multiMarginParameters(_ p: Int32, _ margin: Double) throws(LossError) {
    try ClassificationParameters.checkMarginPower(p)
    try BinaryParameters.checkMargin(margin)
}
