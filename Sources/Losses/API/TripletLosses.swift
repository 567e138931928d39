// The public forms of `triplet_margin_loss` and `triplet_margin_with_distance_loss`
// (docs/metric_learning.md): three inputs, so three gradients, which `LossResult` and `PairResult`
// do not hold; allocating, then in place, each an `AnchorRowsCall`. The two losses share the four
// bodies at the end of the file.

/// What the allocating form of `tripletMarginLoss` returns.
public struct TripletResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values``.
    public var loss: T
    /// One value per row for `.none`; empty for `.mean` and `.sum`.
    public var values: [T]
    /// Shaped like the inputs; `nil` unless the gradients were requested.
    public var gradientAnchor: [T]?, gradientPositive: [T]?, gradientNegative: [T]?
}

/// `max(0, d(a, p) - d(a, n) + margin)` for every row, PyTorch's `triplet_margin_loss`, with
/// `d(x, y) = ‖x - y + eps‖_p` (PyTorch's `pairwise_distance`).
///
/// `anchor`, `positive` and `negative` are row-major with rows of `width` (`rows` is needed only
/// when `width` is 0). `margin` is finite and > 0, `p` finite and >= 0, `eps` finite. With `swap`
/// the negative distance is `min(d(a, n), d(p, n))`, `d(a, n)` where they tie. The gradients are
/// those of the two distances where the hinge is active, 0 elsewhere and at the kink.
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil
) throws(LossError) -> TripletResult<T> {
    try tripletAllocating(.triplet(margin: margin, p: p, eps: eps, swap: swap), anchor, positive, negative,
                          width: width, reduction: reduction, gradient: gradient, gradOutput: gradOutput, rows: rows)
}

/// `triplet_margin_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes the
/// three gradients, each with the inputs' count. `.none` throws `.invalidOption`. A call that
/// throws has written nothing.
@discardableResult
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try tripletReduced(.triplet(margin: margin, p: p, eps: eps, swap: swap), anchor, positive, negative,
                       width: width, reduction: reduction, gradOutput: gradOutput, rows: rows,
                       &gradientAnchor, &gradientPositive, &gradientNegative)
}

/// `triplet_margin_loss` in place: writes the values into `values` (one per row for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try tripletInto(.triplet(margin: margin, p: p, eps: eps, swap: swap), anchor, positive, negative, width: width,
                    reduction: reduction, gradOutput: gradOutput, rows: rows, &values)
}

/// `triplet_margin_loss` in place: writes the values into `values` and the three gradients. A
/// call that throws has written nothing.
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try tripletInto(.triplet(margin: margin, p: p, eps: eps, swap: swap), anchor, positive, negative, width: width,
                    reduction: reduction, gradOutput: gradOutput, rows: rows, &values, &gradientAnchor,
                    &gradientPositive, &gradientNegative)
}

/// `max(0, d(a, p) - d(a, n) + margin)` for every row, PyTorch's
/// `triplet_margin_with_distance_loss` with a named distance: `.euclidean` is PyTorch's default,
/// `pairwise_distance` (`‖x - y + 1e-6‖₂`), `.cosine` is `1 - cosine_similarity` (each norm
/// clamped at 1e-8).
///
/// `anchor`, `positive` and `negative` are row-major with rows of `width` (`rows` is needed only
/// when `width` is 0). `margin` is finite and > 0. With `swap` the negative distance is
/// `min(d(a, n), d(p, n))`, `d(a, n)` where they tie. The gradients are those of the two distances
/// where the hinge is active, 0 elsewhere and at the kink; the cosine's at a zero row is that of
/// PyTorch's clamped norm (the norm's own term is 0 there).
public func tripletMarginWithDistanceLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, distanceFunction: TripletDistanceFunction = .euclidean, margin: Double = 1, swap: Bool = false,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil
) throws(LossError) -> TripletResult<T> {
    try tripletAllocating(.tripletWithDistance(distance: distanceFunction, margin: margin, swap: swap), anchor,
                          positive, negative, width: width, reduction: reduction, gradient: gradient,
                          gradOutput: gradOutput, rows: rows)
}

/// `triplet_margin_with_distance_loss` reduced (`.mean` or `.sum`), in place: returns the loss
/// and writes the three gradients, each with the inputs' count. `.none` throws `.invalidOption`.
/// A call that throws has written nothing.
@discardableResult
public func tripletMarginWithDistanceLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, distanceFunction: TripletDistanceFunction = .euclidean, margin: Double = 1, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try tripletReduced(.tripletWithDistance(distance: distanceFunction, margin: margin, swap: swap), anchor, positive,
                       negative, width: width, reduction: reduction, gradOutput: gradOutput, rows: rows,
                       &gradientAnchor, &gradientPositive, &gradientNegative)
}

/// `triplet_margin_with_distance_loss` in place: writes the values into `values` (one per row for
/// `.none`, one for `.mean` and `.sum`). A call that throws has written nothing.
public func tripletMarginWithDistanceLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, distanceFunction: TripletDistanceFunction = .euclidean, margin: Double = 1, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try tripletInto(.tripletWithDistance(distance: distanceFunction, margin: margin, swap: swap), anchor, positive,
                    negative, width: width, reduction: reduction, gradOutput: gradOutput, rows: rows, &values)
}

/// `triplet_margin_with_distance_loss` in place: writes the values into `values` and the three
/// gradients. A call that throws has written nothing.
public func tripletMarginWithDistanceLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, distanceFunction: TripletDistanceFunction = .euclidean, margin: Double = 1, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try tripletInto(.tripletWithDistance(distance: distanceFunction, margin: margin, swap: swap), anchor, positive,
                    negative, width: width, reduction: reduction, gradOutput: gradOutput, rows: rows, &values,
                    &gradientAnchor, &gradientPositive, &gradientNegative)
}

// The four bodies both triplet losses share.

private func tripletAllocating<T: LossFloat>(
    _ loss: AnchorRowsCall<T>.Loss, _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>,
    _ negative: some ContiguousStorage<T>, width: Int, reduction: Reduction, gradient: Bool,
    gradOutput: (any ContiguousStorage<T>)?, rows: Int?
) throws(LossError) -> TripletResult<T> {
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        return TripletResult(reduction: reduction, loss: r.total, values: r.values, gradientAnchor: r.gradient,
                             gradientPositive: r.secondGradient, gradientNegative: r.thirdGradient)
    }
}

private func tripletReduced<T: LossFloat>(
    _ loss: AnchorRowsCall<T>.Loss, _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>,
    _ negative: some ContiguousStorage<T>, width: Int, reduction: Reduction, gradOutput: (any ContiguousStorage<T>)?,
    rows: Int?, _ gradientAnchor: inout some MutableContiguousStorage<T>,
    _ gradientPositive: inout some MutableContiguousStorage<T>, _ gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        var none: [T] = []
        return try call.reduced(reduction, gradOutput: gradOutput, names: call.names, &gradientAnchor,
                                &gradientPositive, &gradientNegative, &none)
    }
}

private func tripletInto<T: LossFloat>(
    _ loss: AnchorRowsCall<T>.Loss, _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>,
    _ negative: some ContiguousStorage<T>, width: Int, reduction: Reduction, gradOutput: (any ContiguousStorage<T>)?,
    rows: Int?, _ values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

private func tripletInto<T: LossFloat>(
    _ loss: AnchorRowsCall<T>.Loss, _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>,
    _ negative: some ContiguousStorage<T>, width: Int, reduction: Reduction, gradOutput: (any ContiguousStorage<T>)?,
    rows: Int?, _ values: inout some MutableContiguousStorage<T>, _ gradientAnchor: inout some MutableContiguousStorage<T>,
    _ gradientPositive: inout some MutableContiguousStorage<T>, _ gradientNegative: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        var none: [T] = []
        try call.into(reduction, gradOutput: gradOutput, values: &values, names: call.names, &gradientAnchor,
                      &gradientPositive, &gradientNegative, &none)
    }
}

extension TripletDistanceFunction {
    /// The distance named by the C selector (`LOSSES_TRIPLET_DISTANCE_*`: 0 euclidean, 1 cosine);
    /// any other value throws `.invalidArgument`, as the C entry point returns.
    public init(selector: Int32) throws(LossError) {
        self = try namingErrors("triplet_margin_with_distance_loss") { () throws(LossError) in
            try MetricLearningParameters.tripletDistance(selector)
        }
    }
}
