// The public forms of `quadruplet_loss` (docs/metric_learning.md): four inputs, so four
// gradients; allocating, then in place, each an `AnchorRowsCall`.

/// What the allocating form of `quadrupletLoss` returns.
public struct QuadrupletResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values``.
    public var loss: T
    /// One value per row for `.none`; empty for `.mean` and `.sum`.
    public var values: [T]
    /// Shaped like the inputs; `nil` unless the gradients were requested.
    public var gradientAnchor: [T]?, gradientPositive: [T]?, gradientNegative1: [T]?, gradientNegative2: [T]?
}

/// `max(d²(a, p) - d²(a, n1) + margin1, 0) + max(d²(a, p) - d²(n1, n2) + margin2, 0)` for every
/// row, the quadruplet loss of Chen et al. (2017), with `d²(x, y) = Σ (x_k - y_k)²` computed
/// directly (no eps), in double.
///
/// `anchor`, `positive`, `negative1` and `negative2` are row-major with rows of `width` (`rows`
/// is needed only when `width` is 0). Both margins are finite. Each hinge contributes `2(x - y)`
/// through its distances where its argument is > 0 and nothing elsewhere, at the kink included (a
/// NaN or infinite difference still gives a NaN gradient entry, as PyTorch's clamp_min does).
/// Values and gradients agree with the composed formula in float64 to a few ulp of the largest
/// entry of a gradient row.
public func quadrupletLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative1: some ContiguousStorage<T>,
    _ negative2: some ContiguousStorage<T>, width: Int, margin1: Double = 1, margin2: Double = 0.5,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil
) throws(LossError) -> QuadrupletResult<T> {
    let loss = AnchorRowsCall<T>.Loss.quadruplet(margin1: margin1, margin2: margin2)
    return try anchorRows(loss, anchor, positive, negative1, negative2, width: width, rows: rows) {
        (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        return QuadrupletResult(reduction: reduction, loss: r.total, values: r.values, gradientAnchor: r.gradient,
                                gradientPositive: r.secondGradient, gradientNegative1: r.thirdGradient,
                                gradientNegative2: r.fourthGradient)
    }
}

/// `quadruplet_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes the four
/// gradients, each with the inputs' count. `.none` throws `.invalidOption`. A call that throws
/// has written nothing.
@discardableResult
public func quadrupletLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative1: some ContiguousStorage<T>,
    _ negative2: some ContiguousStorage<T>, width: Int, margin1: Double = 1, margin2: Double = 0.5,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative1: inout some MutableContiguousStorage<T>, gradientNegative2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    let loss = AnchorRowsCall<T>.Loss.quadruplet(margin1: margin1, margin2: margin2)
    return try anchorRows(loss, anchor, positive, negative1, negative2, width: width, rows: rows) {
        (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, names: call.names, &gradientAnchor, &gradientPositive,
                         &gradientNegative1, &gradientNegative2)
    }
}

/// `quadruplet_loss` in place: writes the values into `values` (one per row for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func quadrupletLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative1: some ContiguousStorage<T>,
    _ negative2: some ContiguousStorage<T>, width: Int, margin1: Double = 1, margin2: Double = 0.5,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let loss = AnchorRowsCall<T>.Loss.quadruplet(margin1: margin1, margin2: margin2)
    try anchorRows(loss, anchor, positive, negative1, negative2, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `quadruplet_loss` in place: writes the values into `values` and the four gradients. A call
/// that throws has written nothing.
public func quadrupletLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative1: some ContiguousStorage<T>,
    _ negative2: some ContiguousStorage<T>, width: Int, margin1: Double = 1, margin2: Double = 0.5,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative1: inout some MutableContiguousStorage<T>, gradientNegative2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let loss = AnchorRowsCall<T>.Loss.quadruplet(margin1: margin1, margin2: margin2)
    try anchorRows(loss, anchor, positive, negative1, negative2, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, names: call.names, &gradientAnchor,
                      &gradientPositive, &gradientNegative1, &gradientNegative2)
    }
}
