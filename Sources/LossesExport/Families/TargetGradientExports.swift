import Losses

// The generic bodies of the target-gradient exports (include/losses.h, "Gradients with respect
// to the target"): the loss's own checks, then the Swift kernel. Their `@_cdecl` twins are
// generated from the header.

func mseLossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwiseTargetGradient("mse_loss_grad_target", input, target, weight, n, reduction, gradTarget, gradOutput) {
        Regression.mseLossTargetGradient(input: $0, target: $1, weight: $2, reduction: $3.reduction,
                                         gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

func l1LossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwiseTargetGradient("l1_loss_grad_target", input, target, weight, n, reduction, gradTarget, gradOutput) {
        Regression.l1LossTargetGradient(input: $0, target: $1, weight: $2, reduction: $3.reduction,
                                        gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

func huberLossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, delta: Double, reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwiseTargetGradient("huber_loss_grad_target", input, target, weight, n, reduction, gradTarget, gradOutput,
                            checkParameters: { _ throws(LossError) in try RegressionParameters.checkDelta(delta) }) {
        Regression.huberLossTargetGradient(input: $0, target: $1, weight: $2, delta: delta, reduction: $3.reduction,
                                           gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

func smoothL1LossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?,
    n: Int64, beta: Double, reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwiseTargetGradient("smooth_l1_loss_grad_target", input, target, nil, n, reduction, gradTarget, gradOutput,
                            checkParameters: { _ throws(LossError) in try RegressionParameters.checkBeta(beta) }) {
        Regression.smoothL1LossTargetGradient(input: $0, target: $1, beta: beta, reduction: $3.reduction,
                                              gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

func binaryCrossEntropyGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwiseTargetGradient("binary_cross_entropy_grad_target", input, target, weight, n, reduction, gradTarget,
                            gradOutput,
                            checkParameters: { x throws(LossError) in try BinaryParameters.checkProbabilities(x) }) {
        Binary.binaryCrossEntropyTargetGradient(input: $0, weight: $2, reduction: $3.reduction,
                                                gradOutput: $3.gradOutput, into: $3.gradient)
    }
}

func binaryCrossEntropyWithLogitsGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    posWeight: UnsafePointer<T>?, n: Int64, posWeightCount: Int64, reduction: Int32,
    gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("binary_cross_entropy_with_logits_grad_target") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let x = try args.input(input, n, "input")
        _ = try args.input(target, n, "target")
        let w = try args.optionalInput(weight, n, "weight")
        let repeats = try args.count(posWeightCount, "pos_weight_count")
        let pw = try args.optionalInput(posWeight, repeats, "pos_weight")
        if pw != nil { try BinaryParameters.checkRepeats(repeats, n) }
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: n, gradTarget: gradTarget, gradOutput: gradOutput)
        try args.checkOverlaps()
        Binary.binaryCrossEntropyWithLogitsTargetGradient(input: x, weight: w, posWeight: pw, reduction: o.reduction,
                                                          gradOutput: o.gradOutput, into: o.gradient)
    }
}

func crossEntropyProbsGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, c: Int64, d: Int64, labelSmoothing: Double, reduction: Int32,
    gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("cross_entropy_grad_target") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, d)
        let x = try args.input(input, layout.elements, "input")
        _ = try args.input(target, layout.elements, "target")
        let w = try args.optionalInput(weight, layout.classes, "weight")
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples,
            gradTarget: gradTarget, gradOutput: gradOutput)
        try args.checkOverlaps()
        try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        Classification.crossEntropyProbabilitiesTargetGradient(
            input: x, weight: w, layout: layout, labelSmoothing: labelSmoothing, reduction: o.reduction,
            gradOutput: o.gradOutput, into: o.gradient)
    }
}

func polyLossCrossEntropyGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, c: Int64, epsilon: Double, reduction: Int32,
    gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("poly_loss_cross_entropy_grad_target") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, 1)
        let x = try args.input(input, layout.elements, "input")
        _ = try args.input(target, layout.elements, "target")
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples,
            gradTarget: gradTarget, gradOutput: gradOutput)
        try args.checkOverlaps()
        try ClassificationParameters.checkPolyEpsilon(epsilon)
        Classification.polyLossCrossEntropyTargetGradient(
            input: x, layout: layout, epsilon: epsilon, reduction: o.reduction, gradOutput: o.gradOutput,
            into: o.gradient)
    }
}
