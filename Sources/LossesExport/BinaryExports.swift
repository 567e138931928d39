import Losses

// The C entry points of the binary and margin losses (include/losses.h, "Classification:
// binary and margin losses"): validate, convert, call.

@_cdecl("losses_binary_cross_entropy_f32")
public func losses_binary_cross_entropy_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("binary_cross_entropy", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }) {
        Binary.binaryCrossEntropy(input: $0, target: $1, weight: $2, into: $3)
    }
}

@_cdecl("losses_binary_cross_entropy_f64")
public func losses_binary_cross_entropy_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("binary_cross_entropy", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }) {
        Binary.binaryCrossEntropy(input: $0, target: $1, weight: $2, into: $3)
    }
}

@inline(__always)
func bceWithLogitsExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?,
    _ posWeight: UnsafePointer<T>?, _ n: Int64, _ posWeightCount: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("binary_cross_entropy_with_logits") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let x = try args.input(input, n, "input")
        let t = try args.input(target, n, "target")
        let w = try args.optionalInput(weight, n, "weight")
        let repeats = try args.count(posWeightCount, "pos_weight_count")
        let pw = try args.optionalInput(posWeight, repeats, "pos_weight")
        if pw != nil { try BinaryParameters.checkRepeats(repeats, n) }
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        Binary.binaryCrossEntropyWithLogits(input: x, target: t, weight: w, posWeight: pw, into: o)
    }
}

@_cdecl("losses_binary_cross_entropy_with_logits_f32")
public func losses_binary_cross_entropy_with_logits_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ posWeight: UnsafePointer<Float>?, _ n: Int64, _ posWeightCount: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Float>?, _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    bceWithLogitsExport(input, target, weight, posWeight, n, posWeightCount, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_binary_cross_entropy_with_logits_f64")
public func losses_binary_cross_entropy_with_logits_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ posWeight: UnsafePointer<Double>?, _ n: Int64, _ posWeightCount: Int64, _ reduction: Int32,
    _ out: UnsafeMutablePointer<Double>?, _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    bceWithLogitsExport(input, target, weight, posWeight, n, posWeightCount, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_sigmoid_focal_loss_f32")
public func losses_sigmoid_focal_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int64, _ alpha: Double, _ gamma: Double,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("sigmoid_focal_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try sigmoidFocalParameters(alpha, gamma) }) {
        Binary.sigmoidFocalLoss(input: $0, target: $1, alpha: alpha, gamma: gamma, into: $3)
    }
}

@_cdecl("losses_sigmoid_focal_loss_f64")
public func losses_sigmoid_focal_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int64, _ alpha: Double, _ gamma: Double,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("sigmoid_focal_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try sigmoidFocalParameters(alpha, gamma) }) {
        Binary.sigmoidFocalLoss(input: $0, target: $1, alpha: alpha, gamma: gamma, into: $3)
    }
}

func sigmoidFocalParameters(_ alpha: Double, _ gamma: Double) throws(LossError) {
    try BinaryParameters.checkFocalAlpha(alpha)
    try BinaryParameters.checkGamma(gamma)
}

/// A C `int32_t` flag: 0 or 1, refused otherwise rather than read as "non-zero is true".
func flag(_ value: Int32, _ name: StaticString) throws(LossError) -> Bool {
    guard value == 0 || value == 1 else { throw LossError(.invalidOption, "\(name) must be 0 or 1, got \(value)") }
    return value == 1
}

@inline(__always)
func hingeExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ n: Int64, _ margin: Double, _ squared: Int32,
    _ reduction: Int32, _ out: UnsafeMutablePointer<T>?, _ gradInput: UnsafeMutablePointer<T>?,
    _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    var isSquared = false
    return pointwise("hinge_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
                     checkParameters: { _ throws(LossError) in
                         try BinaryParameters.checkMargin(margin)
                         isSquared = try flag(squared, "squared")
                     }) {
        Binary.hingeLoss(input: $0, target: $1, margin: margin, squared: isSquared, into: $3)
    }
}

@_cdecl("losses_hinge_loss_f32")
public func losses_hinge_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int64, _ margin: Double, _ squared: Int32,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    hingeExport(input, target, n, margin, squared, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_hinge_loss_f64")
public func losses_hinge_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int64, _ margin: Double, _ squared: Int32,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    hingeExport(input, target, n, margin, squared, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_hinge_embedding_loss_f32")
public func losses_hinge_embedding_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int64, _ margin: Double,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("hinge_embedding_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try BinaryParameters.checkMargin(margin) }) {
        Binary.hingeEmbeddingLoss(input: $0, target: $1, margin: margin, into: $3)
    }
}

@_cdecl("losses_hinge_embedding_loss_f64")
public func losses_hinge_embedding_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int64, _ margin: Double,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("hinge_embedding_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try BinaryParameters.checkMargin(margin) }) {
        Binary.hingeEmbeddingLoss(input: $0, target: $1, margin: margin, into: $3)
    }
}

@_cdecl("losses_soft_margin_loss_f32")
public func losses_soft_margin_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("soft_margin_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.softMarginLoss(input: $0, target: $1, into: $3)
    }
}

@_cdecl("losses_soft_margin_loss_f64")
public func losses_soft_margin_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("soft_margin_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.softMarginLoss(input: $0, target: $1, into: $3)
    }
}

@_cdecl("losses_logistic_loss_f32")
public func losses_logistic_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ n: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("logistic_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.softMarginLoss(input: $0, target: $1, into: $3)
    }
}

@_cdecl("losses_logistic_loss_f64")
public func losses_logistic_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ n: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("logistic_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.softMarginLoss(input: $0, target: $1, into: $3)
    }
}
