// The public forms of the image losses (docs/images.md): `dice_loss` and
// `reconstruction_loss`, each with two gradients (those of `PairResult` and of the pair in-place
// forms, named for their inputs); allocating, then in place.

/// `dice_loss` over borrowed buffers: `batch` samples of `channels` channels, each channel's
/// spatial count read from the buffers.
struct DiceCall<T: LossFloat>: BufferCall {
    let pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>
    let batch: Int, channels: Int, smooth: Double

    var name: StaticString { "dice_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientPred", firstInput: "pred", second: "gradientTarget", secondInput: "target")
    }

    /// The spatial count S of the call: pred holds batch·channels·S values.
    private func spatial() throws(LossError) -> Int {
        guard batch >= 0 else { throw LossError(.invalidSize, "batch must be >= 0, got \(batch)") }
        guard channels >= 0 else { throw LossError(.invalidSize, "channels must be >= 0, got \(channels)") }
        guard target.count == pred.count else {
            throw LossError(.shapeMismatch, "target has \(target.count) values, pred \(pred.count)")
        }
        let (planes, overflow) = batch.multipliedReportingOverflow(by: channels)
        guard !overflow else { throw LossError(.invalidSize, "batch × channels overflows") }
        guard planes > 0 else {
            guard pred.isEmpty else {
                throw LossError(.shapeMismatch, "\(batch) samples of \(channels) channels with non-empty pred")
            }
            return 0
        }
        guard pred.count % planes == 0 else {
            throw LossError(.shapeMismatch, "pred has \(pred.count) values: not \(batch) × \(channels) whole channels")
        }
        return pred.count / planes
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ImagesParameters.checkSmooth(smooth)
        _ = try spatial()
        return CallShape(samples: batch, elements: pred.count, secondElements: target.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let s = try spatial()
        Images.diceLoss(pred: pred, target: target, batch: batch, channels: channels, spatial: s, smooth: smooth, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, pred) { return "pred" }
        if overlaps(region, target) { return "target" }
        return nil
    }
}

/// Opens the storage of `dice_loss` and hands `body` the call over it.
func dice<T: LossFloat, R>(
    _ pred: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, batch: Int, channels: Int, smooth: Double,
    _ body: (DiceCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try pred.withUnsafeBufferPointer { (p) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try body(DiceCall(pred: p, target: t, batch: batch, channels: channels, smooth: smooth))
        }
    }
}

/// `reconstruction_loss` over borrowed buffers: x and its reconstruction x_hat, elementwise.
struct ReconstructionCall<T: LossFloat>: BufferCall {
    let x: UnsafeBufferPointer<T>, xHat: UnsafeBufferPointer<T>
    let p: Double

    var name: StaticString { "reconstruction_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientX", firstInput: "x", second: "gradientXHat", secondInput: "xHat")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ImagesParameters.checkReconstructionP(p)
        guard xHat.count == x.count else {
            throw LossError(.shapeMismatch, "xHat has \(xHat.count) values, x \(x.count)")
        }
        return CallShape(samples: x.count, elements: x.count, secondElements: xHat.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Images.reconstructionLoss(x: x, xHat: xHat, p: p, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x) { return "x" }
        if overlaps(region, xHat) { return "xHat" }
        return nil
    }
}

/// Opens the storage of `reconstruction_loss` and hands `body` the call over it.
func reconstruction<T: LossFloat, R>(
    _ x: some ContiguousStorage<T>, _ xHat: some ContiguousStorage<T>, p: Double,
    _ body: (ReconstructionCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x.withUnsafeBufferPointer { (a) throws(LossError) in
        try xHat.withUnsafeBufferPointer { (b) throws(LossError) in try body(ReconstructionCall(x: a, xHat: b, p: p)) }
    }
}

/// Dice loss (Milletari et al. 2016, with additive smoothing): per sample i of `batch`, `1 -
/// mean_j (2 Σ p·t + smooth) / (Σ p + Σ t + smooth)` over its `channels` channels, the sums over
/// each channel's spatial values.
///
/// `pred` and `target` are (N, C, S) row-major (an (N, C, H, W) batch with S = H·W); S is their
/// count over N·C. `smooth` is finite and >= 0: a channel whose pred and target are all zero has
/// the ratio 1 (no loss), or NaN at smooth = 0. `.none` gives one value per sample (the mean over
/// its channels); `.mean` is `1 - mean_{i,j} r_ij`. ``PairResult/gradientX1`` is the gradient
/// w.r.t. pred, ``PairResult/gradientX2`` w.r.t. target. Sums in double, in a fixed order.
public func diceLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    batch: Int,
    channels: Int,
    smooth: Double = 1,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try dice(pred, target, batch: batch, channels: channels, smooth: smooth) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `dice_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients
/// into `gradientPred` and `gradientTarget`. `.none` throws `.invalidOption`: its values need storage, `into:`.
/// A call that throws has written nothing.
@discardableResult
public func diceLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    batch: Int,
    channels: Int,
    smooth: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientPred: inout some MutableContiguousStorage<T>,
    gradientTarget: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try dice(pred, target, batch: batch, channels: channels, smooth: smooth) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientPred, gradientX2: &gradientTarget, names: DiceCall<T>.names)
    }
}

/// `dice_loss` in place: writes the values into `values` (one per sample for `.none`, one for `.mean` and
/// `.sum`). A call that throws has written nothing.
public func diceLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    batch: Int,
    channels: Int,
    smooth: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try dice(pred, target, batch: batch, channels: channels, smooth: smooth) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `dice_loss` in place: writes the values into `values` and its gradients into `gradientPred` and
/// `gradientTarget`. A call that throws has written nothing.
public func diceLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    batch: Int,
    channels: Int,
    smooth: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientPred: inout some MutableContiguousStorage<T>,
    gradientTarget: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try dice(pred, target, batch: batch, channels: channels, smooth: smooth) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientPred, gradientX2: &gradientTarget,
                      names: DiceCall<T>.names)
    }
}

/// The reconstruction loss of an autoencoder: `l1_loss(xHat, x)` for `p` = 1, `mse_loss(xHat, x)`
/// for `p` = 2 (any other p throws `.invalidArgument`), on those losses' own kernels.
///
/// `x` and `xHat` have the same count (any shape, flattened); `.none` gives one value per element.
/// ``PairResult/gradientX1`` is the gradient w.r.t. x, ``PairResult/gradientX2`` w.r.t. xHat (its
/// negative).
public func reconstructionLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ xHat: some ContiguousStorage<T>,
    p: Double = 1,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try reconstruction(x, xHat, p: p) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `reconstruction_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients
/// into `gradientX` and `gradientXHat`. `.none` throws `.invalidOption`: its values need storage, `into:`.
/// A call that throws has written nothing.
@discardableResult
public func reconstructionLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ xHat: some ContiguousStorage<T>,
    p: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientXHat: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try reconstruction(x, xHat, p: p) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX, gradientX2: &gradientXHat, names: ReconstructionCall<T>.names)
    }
}

/// `reconstruction_loss` in place: writes the values into `values` (one per element for `.none`, one for `.mean` and
/// `.sum`). A call that throws has written nothing.
public func reconstructionLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ xHat: some ContiguousStorage<T>,
    p: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try reconstruction(x, xHat, p: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `reconstruction_loss` in place: writes the values into `values` and its gradients into `gradientX` and
/// `gradientXHat`. A call that throws has written nothing.
public func reconstructionLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ xHat: some ContiguousStorage<T>,
    p: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientXHat: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try reconstruction(x, xHat, p: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX, gradientX2: &gradientXHat,
                      names: ReconstructionCall<T>.names)
    }
}
