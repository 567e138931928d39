// The public forms of the image-quality losses (docs/image_quality.md): `ssimLoss`, 1 - SSIM as
// pytorch_msssim's `ssim` computes it, over (N, C, H, W) batches; allocating, then in place.
// Their two gradients are those of `PairResult` (`gradientX1` w.r.t. x, `gradientX2` w.r.t. y).

/// `ssim_loss` over borrowed buffers.
struct SSIMCall<T: LossFloat>: BufferCall {
    let x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>
    let shape: ImageShape, parameters: SSIMParameters

    var name: StaticString { "ssim_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientX", firstInput: "x", second: "gradientY", secondInput: "y")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ImageQuality.check(parameters)
        try ImageQuality.check(shape, winSize: parameters.winSize, multiScale: false)
        return try imageCallShape(x.count, y.count, shape)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try ImageQuality.ssimLoss(x: x, y: y, shape: shape, parameters: parameters, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x) { return "x" }
        if overlaps(region, y) { return "y" }
        return nil
    }
}

/// x and y each hold n·c·h·w values: one loss per image, gradients shaped like x and y.
func imageCallShape(_ xCount: Int, _ yCount: Int, _ s: ImageShape) throws(LossError) -> CallShape {
    let elements = s.elements ?? 0
    try requireCount("x", xCount, elements, "n × c × h × w")
    try requireCount("y", yCount, elements, "n × c × h × w")
    return CallShape(samples: s.n, elements: elements, secondElements: elements)
}

/// Opens the storage of `ssim_loss` and hands `body` the call over it.
func ssim<T: LossFloat, R>(
    _ x: some ContiguousStorage<T>, _ y: some ContiguousStorage<T>, shape: ImageShape, parameters: SSIMParameters,
    _ body: (SSIMCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x.withUnsafeBufferPointer { (p) throws(LossError) in
        try y.withUnsafeBufferPointer { (q) throws(LossError) in
            try body(SSIMCall(x: p, y: q, shape: shape, parameters: parameters))
        }
    }
}

/// SSIM loss, 1 - SSIM per image, as `1 - pytorch_msssim.ssim(x, y, data_range, size_average,
/// win_size, win_sigma, K)`: x and y are (N, C, H, W) batches of `shape`; a normalised Gaussian
/// window of `winSize` (odd) taps and deviation `winSigma`, built in `T`, filters μx, μy, σx²,
/// σy² and σxy by a valid separable convolution; C1 = (K1·dataRange)², C2 = (K2·dataRange)²; the
/// SSIM map ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2)) is averaged over the
/// channels and positions of each image. `.none` gives one value per image. The gradients
/// (``PairResult/gradientX1`` w.r.t. x, ``PairResult/gradientX2`` w.r.t. y) come by the adjoint
/// filtering, in double. The images must be at least `winSize` on each side.
public func ssimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    return try ssim(x, y, shape: shape, parameters: p) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `ssim_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients
/// into `gradientX` and `gradientY`. `.none` throws `.invalidOption`: its values need storage,
/// `into:`. A call that throws has written nothing.
@discardableResult
public func ssimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    return try ssim(x, y, shape: shape, parameters: p) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX, gradientX2: &gradientY,
                         names: SSIMCall<T>.names)
    }
}

/// `ssim_loss` in place: writes the values into `values` (one per image for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func ssimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    try ssim(x, y, shape: shape, parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `ssim_loss` in place: writes the values into `values` and its gradients into `gradientX` and
/// `gradientY`. A call that throws has written nothing.
public func ssimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    try ssim(x, y, shape: shape, parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX,
                      gradientX2: &gradientY, names: SSIMCall<T>.names)
    }
}

/// `ms_ssim_loss` over borrowed buffers.
struct MSSSIMCall<T: LossFloat>: BufferCall {
    let x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>
    let shape: ImageShape, parameters: SSIMParameters, weights: UnsafeBufferPointer<Double>

    var name: StaticString { "ms_ssim_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ImageQuality.check(parameters)
        try ImageQuality.checkWeights(weights)
        try ImageQuality.check(shape, winSize: parameters.winSize, multiScale: true)
        try ImageQuality.checkLevels(shape, winSize: parameters.winSize, levels: weights.count)
        return try imageCallShape(x.count, y.count, shape)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try ImageQuality.msssimLoss(x: x, y: y, shape: shape, parameters: parameters, weights: weights, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x) { return "x" }
        if overlaps(region, y) { return "y" }
        return nil
    }
}

/// Opens the storage of `ms_ssim_loss` and hands `body` the call over it.
func msssim<T: LossFloat, R>(
    _ x: some ContiguousStorage<T>, _ y: some ContiguousStorage<T>, shape: ImageShape, parameters: SSIMParameters,
    weights: [Double], _ body: (MSSSIMCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x.withUnsafeBufferPointer { (p) throws(LossError) in
        try y.withUnsafeBufferPointer { (q) throws(LossError) in
            try weights.withUnsafeBufferPointer { (w) throws(LossError) in
                try body(MSSSIMCall(x: p, y: q, shape: shape, parameters: parameters, weights: w))
            }
        }
    }
}

/// MS-SSIM loss, 1 - MS-SSIM per image, as `1 - pytorch_msssim.ms_ssim(x, y, data_range,
/// size_average, win_size, win_sigma, weights, K)`: a pyramid of `weights.count` levels (2 × 2
/// average pooling between them, pytorch_msssim's padding), the product over the levels of
/// relu(cs mean)^weight (relu(SSIM mean) at the last), averaged over the channels. The shorter
/// side must exceed (winSize - 1)·2^4. Gradients (``PairResult/gradientX1`` w.r.t. x,
/// ``PairResult/gradientX2`` w.r.t. y) back through the pyramid, in double.
public func msSsimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    weights: [Double] = msssimDefaultWeights,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    return try msssim(x, y, shape: shape, parameters: p, weights: weights) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `ms_ssim_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX` and `gradientY`. `.none` throws `.invalidOption`. A call that
/// throws has written nothing.
@discardableResult
public func msSsimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    weights: [Double] = msssimDefaultWeights,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    return try msssim(x, y, shape: shape, parameters: p, weights: weights) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX, gradientX2: &gradientY,
                         names: SSIMCall<T>.names)
    }
}

/// `ms_ssim_loss` in place: writes the values into `values`. A call that throws has written
/// nothing.
public func msSsimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    weights: [Double] = msssimDefaultWeights,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    try msssim(x, y, shape: shape, parameters: p, weights: weights) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `ms_ssim_loss` in place: writes the values into `values` and its gradients into `gradientX`
/// and `gradientY`. A call that throws has written nothing.
public func msSsimLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    dataRange: Double = 1,
    winSize: Int = 11,
    winSigma: Double = 1.5,
    weights: [Double] = msssimDefaultWeights,
    k: (Double, Double) = (0.01, 0.03),
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let p = SSIMParameters(dataRange: dataRange, winSize: winSize, winSigma: winSigma, k1: k.0, k2: k.1)
    try msssim(x, y, shape: shape, parameters: p, weights: weights) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX,
                      gradientX2: &gradientY, names: SSIMCall<T>.names)
    }
}
