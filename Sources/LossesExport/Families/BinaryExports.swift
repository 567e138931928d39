import Losses

// The generic bodies of the binary and margin exports (include/losses.h, "Classification:
// binary and margin losses"): validate, convert, call. Their `@_cdecl` twins are generated
// from the header (Generated/Exports.swift).

func binaryCrossEntropyWithLogitsExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    posWeight: UnsafePointer<T>?, n: Int64, posWeightCount: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
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

func sigmoidFocalParameters(_ alpha: Double, _ gamma: Double) throws(LossError) {
    try BinaryParameters.checkFocalAlpha(alpha)
    try BinaryParameters.checkGamma(gamma)
}

/// A C `int32_t` flag: 0 or 1, refused otherwise rather than read as "non-zero is true".
func flag(_ value: Int32, _ name: StaticString) throws(LossError) -> Bool {
    guard value == 0 || value == 1 else { throw LossError(.invalidOption, "\(name) must be 0 or 1, got \(value)") }
    return value == 1
}

func hingeLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, margin: Double, squared: Int32,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
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

func binaryCrossEntropyExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("binary_cross_entropy", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }) {
        Binary.binaryCrossEntropy(input: $0, target: $1, weight: $2, into: $3)
    }
}

func sigmoidFocalLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, alpha: Double, gamma: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("sigmoid_focal_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try sigmoidFocalParameters(alpha, gamma) }) {
        Binary.sigmoidFocalLoss(input: $0, target: $1, alpha: alpha, gamma: gamma, into: $3)
    }
}

func hingeEmbeddingLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, margin: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("hinge_embedding_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try BinaryParameters.checkMargin(margin) }) {
        Binary.hingeEmbeddingLoss(input: $0, target: $1, margin: margin, into: $3)
    }
}

/// `soft_margin_loss` and `logistic_loss`: one function under two names.
func softMarginLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?,
    name: StaticString = "soft_margin_loss"
) -> Int32 {
    pointwise(name, input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.softMarginLoss(input: $0, target: $1, into: $3)
    }
}

func logisticLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    softMarginLossExport(input: input, target: target, n: n, reduction: reduction, out: out, gradInput: gradInput,
                         gradOutput: gradOutput, name: "logistic_loss")
}

func sparsemaxLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("sparsemax_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Binary.sparsemaxLoss(input: $0, target: $1, into: $3)
    }
}
