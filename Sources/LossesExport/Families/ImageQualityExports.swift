import Losses

// The image-quality exports (docs/image_quality.md): every argument checked through
// `CallArguments` (sizes, buffers, overlaps, parameters) before the Swift function runs.

/// The checked shape and buffers of an image-quality call: x and y of n·c·h·w values, one value
/// per image, gradients shaped like x and y.
private func imageArguments<T: LossFloat>(
    _ args: inout CallArguments, x: UnsafePointer<T>?, y: UnsafePointer<T>?, n: Int64, c: Int64, h: Int64, w: Int64,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX: UnsafeMutablePointer<T>?,
    gradY: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) throws(LossError) -> (ImageShape, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, LossOutputs<T>) {
    let shape = ImageShape(n: try args.count(n, "n"), c: try args.count(c, "c"), h: try args.count(h, "h"),
                           w: try args.count(w, "w"))
    let planes = try args.product(shape.n, shape.c, "n × c")
    let area = try args.product(shape.h, shape.w, "h × w")
    let elements = try args.product(planes, area, "x")
    let p = try args.input(x, elements, "x")
    let q = try args.input(y, elements, "y")
    var o: LossOutputs<T> = try args.lossOutputs(
        reduction: reduction, elements: elements, samples: shape.n, out: out,
        gradient: gradX, gradientName: "grad_x", gradOutput: gradOutput)
    o.gradients.second = try args.optionalOutput(gradY, elements, "grad_y")
    try args.checkOverlaps()
    return (shape, p, q, o)
}

/// win_size as an Int (its range is checked with the other parameters).
private func windowSize(_ winSize: Int64) -> Int {
    Int(clamping: Swift.max(Swift.min(winSize, 1 << 30), -1))
}

func ssimLossExport<T: LossFloat>(
    x: UnsafePointer<T>?, y: UnsafePointer<T>?, n: Int64, c: Int64, h: Int64, w: Int64, dataRange: Double,
    winSize: Int64, winSigma: Double, k1: Double, k2: Double, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradX: UnsafeMutablePointer<T>?, gradY: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("ssim_loss") { () throws(LossError) in
        var args = CallArguments()
        let (shape, p, q, o) = try imageArguments(&args, x: x, y: y, n: n, c: c, h: h, w: w, reduction: reduction,
                                                  out: out, gradX: gradX, gradY: gradY, gradOutput: gradOutput)
        let parameters = SSIMParameters(dataRange: dataRange, winSize: windowSize(winSize), winSigma: winSigma,
                                        k1: k1, k2: k2)
        try ImageQuality.check(parameters)
        try ImageQuality.check(shape, winSize: parameters.winSize, multiScale: false)
        try ImageQuality.ssimLoss(x: p, y: q, shape: shape, parameters: parameters, into: o)
    }
}

func msSsimLossExport<T: LossFloat>(
    x: UnsafePointer<T>?, y: UnsafePointer<T>?, n: Int64, c: Int64, h: Int64, w: Int64, dataRange: Double,
    winSize: Int64, winSigma: Double, weights: UnsafePointer<Double>?, weightsCount: Int64, k1: Double, k2: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX: UnsafeMutablePointer<T>?, gradY: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("ms_ssim_loss") { () throws(LossError) in
        var args = CallArguments()
        let count = weights == nil ? 0 : try args.count(weightsCount, "weights_count")
        let given = try args.optionalInput(weights, count, "weights")
        let (shape, p, q, o) = try imageArguments(&args, x: x, y: y, n: n, c: c, h: h, w: w, reduction: reduction,
                                                  out: out, gradX: gradX, gradY: gradY, gradOutput: gradOutput)
        let parameters = SSIMParameters(dataRange: dataRange, winSize: windowSize(winSize), winSigma: winSigma,
                                        k1: k1, k2: k2)
        try ImageQuality.check(parameters)
        try msssimDefaultWeights.withUnsafeBufferPointer { (defaults) throws(LossError) in
            let levels = given ?? defaults
            try ImageQuality.checkWeights(levels)
            try ImageQuality.check(shape, winSize: parameters.winSize, multiScale: true)
            try ImageQuality.checkLevels(shape, winSize: parameters.winSize, levels: levels.count)
            try ImageQuality.msssimLoss(x: p, y: q, shape: shape, parameters: parameters, weights: levels, into: o)
        }
    }
}
