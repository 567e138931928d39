// The public forms of `triplet_margin_loss` (docs/metric_learning.md): three inputs, so three
// gradients, which `LossResult` and `PairResult` do not hold; allocating, then in place, each an
// `AnchorRowsCall`.

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
    let loss = AnchorRowsCall<T>.Loss.triplet(margin: margin, p: p, eps: eps, swap: swap)
    return try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        return TripletResult(reduction: reduction, loss: r.total, values: r.values, gradientAnchor: r.gradient,
                             gradientPositive: r.secondGradient, gradientNegative: r.thirdGradient)
    }
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
    let loss = AnchorRowsCall<T>.Loss.triplet(margin: margin, p: p, eps: eps, swap: swap)
    return try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        var none: [T] = []
        return try call.reduced(reduction, gradOutput: gradOutput, names: call.names, &gradientAnchor,
                                &gradientPositive, &gradientNegative, &none)
    }
}

/// `triplet_margin_loss` in place: writes the values into `values` (one per row for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let loss = AnchorRowsCall<T>.Loss.triplet(margin: margin, p: p, eps: eps, swap: swap)
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
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
    let loss = AnchorRowsCall<T>.Loss.triplet(margin: margin, p: p, eps: eps, swap: swap)
    try anchorRows(loss, anchor, positive, negative, width: width, rows: rows) { (call) throws(LossError) in
        var none: [T] = []
        try call.into(reduction, gradOutput: gradOutput, values: &values, names: call.names, &gradientAnchor,
                      &gradientPositive, &gradientNegative, &none)
    }
}
