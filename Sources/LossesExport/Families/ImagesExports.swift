import Losses

// The image losses' export bodies (include/losses.h, "Images: segmentation and reconstruction");
// their @_cdecl twins are generated from the header (Generated/Exports.swift). Every argument is
// checked before the first write.

func diceLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, c: Int64, d: Int64, smooth: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradPred: UnsafeMutablePointer<T>?,
    gradTarget: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("dice_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let c = try args.count(c, "c")
        let d = try args.count(d, "d")
        let perSample = try args.product(c, d, "a sample of pred")
        let elements = try args.product(n, perSample, "pred")
        let p = try args.input(pred, elements, "pred")
        let t = try args.input(target, elements, "target")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradPred, gradientName: "grad_pred", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradTarget, elements, "grad_target")
        try args.checkOverlaps()
        try ImagesParameters.checkSmooth(smooth)
        Images.diceLoss(pred: p, target: t, batch: n, channels: c, spatial: d, smooth: smooth, into: o)
    }
}

func reconstructionLossExport<T: LossFloat>(
    x: UnsafePointer<T>?, xHat: UnsafePointer<T>?, n: Int64, p: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradX: UnsafeMutablePointer<T>?, gradXHat: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("reconstruction_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let a = try args.input(x, n, "x")
        let b = try args.input(xHat, n, "x_hat")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradX, gradientName: "grad_x", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradXHat, n, "grad_x_hat")
        try args.checkOverlaps()
        try ImagesParameters.checkReconstructionP(p)
        Images.reconstructionLoss(x: a, xHat: b, p: p, into: o)
    }
}

func perceptualLossExport<T: LossFloat>(
    x: UnsafePointer<T>?, y: UnsafePointer<T>?, n: Int64, c: Int64, h: Int64, w: Int64, layerWeight: Double,
    styleWeight: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradX: UnsafeMutablePointer<T>?,
    gradY: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("perceptual_loss") { () throws(LossError) in
        var args = CallArguments()
        let shape = ImageShape(n: try args.count(n, "n"), c: try args.count(c, "c"), h: try args.count(h, "h"),
                               w: try args.count(w, "w"))
        let elements = try args.product(try args.product(shape.n, shape.c, "n × c"),
                                        try args.product(shape.h, shape.w, "h × w"), "x")
        try Images.checkFeatureMaps(shape)
        let p = try args.input(x, elements, "x")
        let q = try args.input(y, elements, "y")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: shape.n, out: out,
            gradient: gradX, gradientName: "grad_x", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradY, elements, "grad_y")
        try args.checkOverlaps()
        let weights = PerceptualWeights(layer: layerWeight, style: styleWeight)
        try weights.check()
        try Images.perceptualLoss(x: p, y: q, shape: shape, weights: weights, into: o)
    }
}

/// tversky_loss and focal_tversky_loss: one body, the Tversky kernel at `gamma` (1 for tversky_loss).
private func tverskyExport<T: LossFloat>(
    _ loss: StaticString, pred: UnsafePointer<T>?, target: UnsafePointer<Int64>?, n: Int64, c: Int64, d: Int64,
    alpha: Double, beta: Double, gamma: Double, eps: Double, ignoreIndex: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradPred: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported(loss) { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, d)
        let p = try args.input(pred, layout.elements, "pred")
        let y = try args.input(target, layout.samples, "target")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.batch, out: out,
            gradient: gradPred, gradientName: "grad_pred", gradOutput: gradOutput)
        try args.checkOverlaps()
        try TverskyParameters.check(alpha: alpha, beta: beta, gamma: gamma, eps: eps)
        try ClassTargets.check(y, classes: layout.classes, ignoreIndex: ignoreIndex)
        try Images.tverskyLoss(pred: p, target: y, batch: layout.batch, classes: layout.classes, spatial: layout.inner,
                               alpha: alpha, beta: beta, gamma: gamma, eps: eps, ignoreIndex: ignoreIndex, into: o)
    }
}

func tverskyLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<Int64>?, n: Int64, c: Int64, d: Int64, alpha: Double,
    beta: Double, eps: Double, ignoreIndex: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradPred: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    tverskyExport("tversky_loss", pred: pred, target: target, n: n, c: c, d: d, alpha: alpha, beta: beta, gamma: 1,
                  eps: eps, ignoreIndex: ignoreIndex, reduction: reduction, out: out, gradPred: gradPred,
                  gradOutput: gradOutput)
}

func focalTverskyLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<Int64>?, n: Int64, c: Int64, d: Int64, alpha: Double,
    beta: Double, gamma: Double, eps: Double, ignoreIndex: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradPred: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    tverskyExport("focal_tversky_loss", pred: pred, target: target, n: n, c: c, d: d, alpha: alpha, beta: beta,
                  gamma: gamma, eps: eps, ignoreIndex: ignoreIndex, reduction: reduction, out: out,
                  gradPred: gradPred, gradOutput: gradOutput)
}

func totalVariationExport<T: LossFloat>(
    img: UnsafePointer<T>?, n: Int64, h: Int64, w: Int64, mean: Int32, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradImg: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("total_variation") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n"), h = try args.count(h, "h"), w = try args.count(w, "w")
        let elements = try args.product(n, try args.product(h, w, "h × w"), "img")
        let x = try args.input(img, elements, "img")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradImg, gradientName: "grad_img", gradOutput: gradOutput)
        try args.checkOverlaps()
        let isMean = try flag(mean, "mean")
        Images.totalVariation(img: x, planes: n, height: h, width: w, mean: isMean, into: o)
    }
}

func lovaszHingeLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<Int64>?, n: Int64, d: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradPred: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("lovasz_hinge_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n"), d = try args.count(d, "d")
        let elements = try args.product(n, d, "pred")
        let p = try args.input(pred, elements, "pred")
        let y = try args.input(target, elements, "target")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradPred, gradientName: "grad_pred", gradOutput: gradOutput)
        try args.checkOverlaps()
        try LovaszParameters.checkBinary(y)
        try Images.lovaszHingeLoss(pred: p, target: y, batch: n, pixels: d, into: o)
    }
}

func lovaszSoftmaxLossExport<T: LossFloat>(
    pred: UnsafePointer<T>?, target: UnsafePointer<Int64>?, weight: UnsafePointer<T>?, n: Int64, c: Int64, d: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradPred: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("lovasz_softmax_loss") { () throws(LossError) in
        var args = CallArguments()
        let layout = try args.classLayout(n, c, d)
        try LovaszParameters.checkClasses(layout.classes)
        let p = try args.input(pred, layout.elements, "pred")
        let y = try args.input(target, layout.samples, "target")
        let w = try args.optionalInput(weight, layout.classes, "weight")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: layout.elements, samples: layout.batch, out: out,
            gradient: gradPred, gradientName: "grad_pred", gradOutput: gradOutput)
        try args.checkOverlaps()
        try ClassTargets.check(y, classes: layout.classes, ignoreIndex: nil)
        try Images.lovaszSoftmaxLoss(pred: p, target: y, weight: w, batch: layout.batch, classes: layout.classes,
                                     pixels: layout.inner, into: o)
    }
}
