// The public forms of `circle_loss` over given similarities (docs/metric_learning.md): the
// authors' `CircleLoss(m, gamma)` with `forward(sp, sn)`, batched by rows; allocating, then in
// place. Its two gradients are those of `PairResult` (`gradientX1` w.r.t. sp, `gradientX2` w.r.t.
// sn) and of the pair in-place forms.

/// `circle_loss` over borrowed buffers: `rows` rows of positive similarities in `sp` and of
/// negative similarities in `sn`, each row's count read from its buffer.
struct CircleCall<T: LossFloat>: BufferCall {
    let sp: UnsafeBufferPointer<T>, sn: UnsafeBufferPointer<T>
    let rows: Int, m: Double, gamma: Double

    var name: StaticString { "circle_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientSp", firstInput: "sp", second: "gradientSn", secondInput: "sn")
    }

    /// The (k, l) of the call: the positives and negatives per row.
    private func widths() throws(LossError) -> (k: Int, l: Int) {
        guard rows >= 0 else { throw LossError(.invalidSize, "rows must be >= 0, got \(rows)") }
        guard rows > 0 else {
            guard sp.isEmpty, sn.isEmpty else { throw LossError(.shapeMismatch, "0 rows with non-empty sp or sn") }
            return (0, 0)
        }
        guard sp.count % rows == 0 else {
            throw LossError(.shapeMismatch, "sp has \(sp.count) values: not \(rows) whole rows")
        }
        guard sn.count % rows == 0 else {
            throw LossError(.shapeMismatch, "sn has \(sn.count) values: not \(rows) whole rows")
        }
        return (sp.count / rows, sn.count / rows)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try MetricLearningParameters.checkCircle(m: m, gamma: gamma)
        _ = try widths()
        return CallShape(samples: rows, elements: sp.count, secondElements: sn.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let (k, l) = try widths()
        try MetricLearning.circleLoss(sp: sp, sn: sn, rows: rows, positives: k, negatives: l, m: m, gamma: gamma, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, sp) { return "sp" }
        if overlaps(region, sn) { return "sn" }
        return nil
    }
}

/// Opens the storage of `circle_loss` and hands `body` the call over it.
func circle<T: LossFloat, R>(
    _ sp: some ContiguousStorage<T>, _ sn: some ContiguousStorage<T>, rows: Int, m: Double, gamma: Double,
    _ body: (CircleCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try sp.withUnsafeBufferPointer { (p) throws(LossError) in
        try sn.withUnsafeBufferPointer { (q) throws(LossError) in
            try body(CircleCall(sp: p, sn: q, rows: rows, m: m, gamma: gamma))
        }
    }
}

/// Circle loss (Sun et al. 2020) over given similarities, as the authors' `CircleLoss(m, gamma)`:
/// per row, `softplus(logsumexp(γ·a_n·(s_n - m)) + logsumexp(-γ·a_p·(s_p - (1 - m))))` with
/// `a_p = relu(1 + m - s_p)` and `a_n = relu(s_n + m)`.
///
/// `sp` holds `rows` rows of positive-pair similarities and `sn` as many rows of negative-pair
/// similarities (each row's count is its buffer's count over `rows`; the default, one row, is the
/// authors' form). `m` is finite, `gamma` finite and > 0. Computed in double, stable for logits
/// in the hundreds. The weights a_p and a_n are held constant in the gradient (the paper's
/// detached weights), so ``PairResult/gradientX1`` (w.r.t. sp) and ``PairResult/gradientX2``
/// (w.r.t. sn) are not the derivative of the value where a weight is not 0. A row with no
/// positive or no negative similarity has the loss 0 and zero gradients; a NaN makes its row NaN.
public func circleLoss<T: LossFloat>(
    _ sp: some ContiguousStorage<T>,
    _ sn: some ContiguousStorage<T>,
    rows: Int = 1,
    m: Double = 0.25,
    gamma: Double = 256,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try circle(sp, sn, rows: rows, m: m, gamma: gamma) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `circle_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientSp` and `gradientSn`. `.none` throws `.invalidOption`: its values need
/// storage, `into:`. A call that throws has written nothing.
@discardableResult
public func circleLoss<T: LossFloat>(
    _ sp: some ContiguousStorage<T>,
    _ sn: some ContiguousStorage<T>,
    rows: Int = 1,
    m: Double = 0.25,
    gamma: Double = 256,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientSp: inout some MutableContiguousStorage<T>,
    gradientSn: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try circle(sp, sn, rows: rows, m: m, gamma: gamma) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientSp, gradientX2: &gradientSn,
                         names: CircleCall<T>.names)
    }
}

/// `circle_loss` in place: writes the values into `values` (one per row for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func circleLoss<T: LossFloat>(
    _ sp: some ContiguousStorage<T>,
    _ sn: some ContiguousStorage<T>,
    rows: Int = 1,
    m: Double = 0.25,
    gamma: Double = 256,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try circle(sp, sn, rows: rows, m: m, gamma: gamma) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `circle_loss` in place: writes the values into `values` and its gradients into `gradientSp`
/// and `gradientSn`. A call that throws has written nothing.
public func circleLoss<T: LossFloat>(
    _ sp: some ContiguousStorage<T>,
    _ sn: some ContiguousStorage<T>,
    rows: Int = 1,
    m: Double = 0.25,
    gamma: Double = 256,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientSp: inout some MutableContiguousStorage<T>,
    gradientSn: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try circle(sp, sn, rows: rows, m: m, gamma: gamma) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientSp,
                      gradientX2: &gradientSn, names: CircleCall<T>.names)
    }
}
