import Losses

// The export bodies of the multi-label losses (include/losses.h, "Classification: class-index
// losses"): (n, c) scores with n·c targets. Every argument is checked before the first write.

func multilabelMarginLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<Int64>?, n: Int64, c: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("multilabel_margin_loss") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, 1)
        let x = try args.input(input, layout.elements, "input")
        let y = try args.input(target, layout.elements, "target")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try MultilabelTargets.check(y, classes: layout.classes)
        Classification.multilabelMarginLoss(input: x, target: y, rows: layout.batch, classes: layout.classes, into: o)
    }
}

/// input and target (n, c), optional weight (c): the shape of the soft margin loss and its target gradient.
private func softMarginInputs<T: LossFloat>(
    _ args: inout CallArguments, _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ weight: UnsafePointer<T>?,
    _ n: Int64, _ c: Int64
) throws(LossError) -> (ClassLayout, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?) {
    let layout = try args.classLayout(n, c, 1)
    return (layout, try args.input(input, layout.elements, "input"), try args.input(target, layout.elements, "target"),
            try args.optionalInput(weight, layout.classes, "weight"))
}

func multilabelSoftMarginLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?, n: Int64, c: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("multilabel_soft_margin_loss") { () throws(LossError) in
        var args = CallArguments()
        let (layout, x, t, w) = try softMarginInputs(&args, input, target, weight, n, c)
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        Classification.multilabelSoftMarginLoss(input: x, target: t, weight: w, rows: layout.batch,
                                                classes: layout.classes, into: o)
    }
}

func multilabelSoftMarginLossGradTargetExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?, n: Int64, c: Int64,
    reduction: Int32, gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("multilabel_soft_margin_loss_grad_target") { () throws(LossError) in
        var args = CallArguments()
        let (layout, x, _, w) = try softMarginInputs(&args, input, target, weight, n, c)
        let o: TargetGradientOutputs<T> = try args.targetGradientOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.samples, gradTarget: gradTarget,
            gradOutput: gradOutput)
        try args.checkOverlaps()
        Classification.multilabelSoftMarginLossTargetGradient(
            input: x, weight: w, rows: layout.batch, classes: layout.classes, reduction: o.reduction,
            gradOutput: o.gradOutput, into: o.gradient)
    }
}
