import Losses

// The detection losses' export bodies (docs/detection.md): every argument checked through
// `CallArguments`, every box validated (finite, ordered), before the Swift kernel runs.

/// The shared body of the three box IoU losses.
func boxIoUExport<T: LossFloat>(
    _ name: StaticString, _ mode: BoxIoUMode, boxes1: UnsafePointer<T>?, boxes2: UnsafePointer<T>?, n: Int64,
    eps: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradBoxes1: UnsafeMutablePointer<T>?,
    gradBoxes2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported(name) { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let elements = try args.product(n, 4, "boxes1")
        let a = try args.input(boxes1, elements, "boxes1")
        let b = try args.input(boxes2, elements, "boxes2")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradBoxes1, gradientName: "grad_boxes1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradBoxes2, elements, "grad_boxes2")
        try args.checkOverlaps()
        try DetectionParameters.checkEps(eps)
        try DetectionParameters.checkBoxes(a, "boxes1")
        try DetectionParameters.checkBoxes(b, "boxes2")
        Detection.boxIoULoss(boxes1: a, boxes2: b, rows: n, mode: mode, eps: eps, into: o)
    }
}

func generalizedBoxIouLossExport<T: LossFloat>(
    boxes1: UnsafePointer<T>?, boxes2: UnsafePointer<T>?, n: Int64, eps: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradBoxes1: UnsafeMutablePointer<T>?, gradBoxes2: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    boxIoUExport("generalized_box_iou_loss", .generalized, boxes1: boxes1, boxes2: boxes2, n: n, eps: eps,
                 reduction: reduction, out: out, gradBoxes1: gradBoxes1, gradBoxes2: gradBoxes2, gradOutput: gradOutput)
}

func distanceBoxIouLossExport<T: LossFloat>(
    boxes1: UnsafePointer<T>?, boxes2: UnsafePointer<T>?, n: Int64, eps: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradBoxes1: UnsafeMutablePointer<T>?, gradBoxes2: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    boxIoUExport("distance_box_iou_loss", .distance, boxes1: boxes1, boxes2: boxes2, n: n, eps: eps,
                 reduction: reduction, out: out, gradBoxes1: gradBoxes1, gradBoxes2: gradBoxes2, gradOutput: gradOutput)
}

func completeBoxIouLossExport<T: LossFloat>(
    boxes1: UnsafePointer<T>?, boxes2: UnsafePointer<T>?, n: Int64, eps: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradBoxes1: UnsafeMutablePointer<T>?, gradBoxes2: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    boxIoUExport("complete_box_iou_loss", .complete, boxes1: boxes1, boxes2: boxes2, n: n, eps: eps,
                 reduction: reduction, out: out, gradBoxes1: gradBoxes1, gradBoxes2: gradBoxes2, gradOutput: gradOutput)
}

func iouLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?, n: Int64, lossType: Int32,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradPred: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("iou_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let elements = try args.product(n, 4, "pred")
        let p = try args.input(pred, elements, "pred")
        let t = try args.input(target, elements, "target")
        let w = try args.optionalInput(weight, n, "weight")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradPred, gradientName: "grad_pred", gradOutput: gradOutput)
        try args.checkOverlaps()
        let type = try DetectionParameters.iouLossType(lossType)
        try DetectionParameters.checkDistances(p, "pred")
        try DetectionParameters.checkDistances(t, "target")
        try DetectionParameters.checkWeights(w)
        Detection.iouLoss(pred: p, target: t, weight: w, rows: n, type: type, into: o)
    }
}

func sigmoidDrLossExport<T: LossFloat>(
    logits: UnsafePointer<T>?, targets: UnsafePointer<Int64>?, n: Int64, c: Int64, posLambda: Double,
    negLambda: Double, L: Double, tau: Double, margin: Double, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradLogits: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("sigmoid_dr_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let c = try args.count(c, "c")
        guard c >= 1 else { throw LossError(.invalidSize, "c must be >= 1, got \(c)") }
        let elements = try args.product(n, c, "logits")
        let x = try args.input(logits, elements, "logits")
        let t = try args.input(targets, n, "targets")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: 1, out: out,
            gradient: gradLogits, gradientName: "grad_logits", gradOutput: gradOutput)
        try args.checkOverlaps()
        let p = DRParameters(posLambda: posLambda, negLambda: negLambda, L: L, tau: tau, margin: margin)
        try DetectionParameters.checkDR(p)
        try DetectionParameters.checkDRTargets(t, classes: c)
        Detection.sigmoidDRLoss(logits: x, targets: t, rows: n, classes: c, parameters: p, into: o)
    }
}
