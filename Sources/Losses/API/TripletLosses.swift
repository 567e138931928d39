// The public forms of `triplet_margin_loss` (docs/metric_learning.md): three inputs, so three
// gradients, which `LossResult` and `PairResult` do not hold; allocating, then in place.

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
    let n = try tripletRows(anchor.count, positive.count, negative.count, width: width, rows: rows,
                            margin: margin, p: p, eps: eps)
    var values = [T](repeating: 0, count: reduction == .none ? n : 0)
    let count = gradient ? anchor.count : 0
    var (g0, g1, g2) = ([T](repeating: 0, count: count), [T](repeating: 0, count: count), [T](repeating: 0, count: count))
    let loss = try withTripletBuffers(anchor, positive, negative, gradOutput, n: n, reduction: reduction) {
        (a, pos, neg, upstream) throws(LossError) -> T in
        try values.withUnsafeMutableBufferPointer { (v) throws(LossError) -> T in
            try g0.withUnsafeMutableBufferPointer { (ga) throws(LossError) -> T in
                try g1.withUnsafeMutableBufferPointer { (gp) throws(LossError) -> T in
                    try g2.withUnsafeMutableBufferPointer { (gn) throws(LossError) -> T in
                        try tripletRun(a, pos, neg, n: n, width: width, margin: margin, p: p, eps: eps, swap: swap,
                                       reduction: reduction, upstream: upstream, values: reduction == .none ? v : nil,
                                       gradients: gradient ? (ga, gp, gn) : (nil, nil, nil))
                    }
                }
            }
        }
    }
    let total = reduction == .none ? values.withUnsafeBufferPointer { T.sum($0) } : loss
    return TripletResult(reduction: reduction, loss: total, values: values,
                         gradientAnchor: gradient ? g0 : nil, gradientPositive: gradient ? g1 : nil,
                         gradientNegative: gradient ? g2 : nil)
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
    guard reduction != .none else {
        throw LossError(.invalidOption, "reduction .none has one value per row: pass storage for them as into:",
                        loss: "triplet_margin_loss")
    }
    return try tripletInPlace(anchor, positive, negative, width: width, margin: margin, p: p, eps: eps, swap: swap,
                              reduction: reduction, gradOutput: gradOutput, rows: rows, values: nil,
                              gradientAnchor: &gradientAnchor, gradientPositive: &gradientPositive,
                              gradientNegative: &gradientNegative)
}

/// `triplet_margin_loss` in place: writes the values into `values` (one per row for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func tripletMarginLoss<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    var (none1, none2, none3): ([T], [T], [T]) = ([], [], [])  // empty arrays allocate nothing
    try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
        _ = try tripletInPlace(anchor, positive, negative, width: width, margin: margin, p: p, eps: eps, swap: swap,
                               reduction: reduction, gradOutput: gradOutput, rows: rows, values: v,
                               gradientAnchor: &none1, gradientPositive: &none2, gradientNegative: &none3,
                               gradients: false)
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
    try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
        _ = try tripletInPlace(anchor, positive, negative, width: width, margin: margin, p: p, eps: eps, swap: swap,
                               reduction: reduction, gradOutput: gradOutput, rows: rows, values: v,
                               gradientAnchor: &gradientAnchor, gradientPositive: &gradientPositive,
                               gradientNegative: &gradientNegative)
    }
}

/// The in-place forms' one path: every count and overlap checked before the first write.
func tripletInPlace<T: LossFloat>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    width: Int, margin: Double, p: Double, eps: Double, swap: Bool, reduction: Reduction,
    gradOutput: (any ContiguousStorage<T>)?, rows: Int?, values: UnsafeMutableBufferPointer<T>?,
    gradientAnchor: inout some MutableContiguousStorage<T>, gradientPositive: inout some MutableContiguousStorage<T>,
    gradientNegative: inout some MutableContiguousStorage<T>, gradients: Bool = true
) throws(LossError) -> T {
    let n = try tripletRows(anchor.count, positive.count, negative.count, width: width, rows: rows,
                            margin: margin, p: p, eps: eps)
    return try withTripletBuffers(anchor, positive, negative, gradOutput, n: n, reduction: reduction) {
        (a, pos, neg, upstream) throws(LossError) -> T in
        try gradientAnchor.withUnsafeMutableBufferPointer { (ga) throws(LossError) -> T in
            try gradientPositive.withUnsafeMutableBufferPointer { (gp) throws(LossError) -> T in
                try gradientNegative.withUnsafeMutableBufferPointer { (gn) throws(LossError) -> T in
                    try namingErrors("triplet_margin_loss") { () throws(LossError) -> T in
                        if let values {
                            try requireCount("values", values.count, reduction == .none ? n : 1,
                                             reduction == .none ? "the unreduced loss" : "a reduced loss")
                        }
                        if gradients {
                            try requireCount("gradientAnchor", ga.count, a.count, "anchor")
                            try requireCount("gradientPositive", gp.count, a.count, "anchor")
                            try requireCount("gradientNegative", gn.count, a.count, "anchor")
                        }
                        try checkTripletOverlaps(values, gradients ? (ga, gp, gn) : (nil, nil, nil), inputs: (a, pos, neg),
                                                 upstream: upstream)
                        return try tripletRun(a, pos, neg, n: n, width: width, margin: margin, p: p, eps: eps, swap: swap,
                                              reduction: reduction, upstream: upstream, values: values,
                                              gradients: gradients ? (ga, gp, gn) : (nil, nil, nil))
                    }
                }
            }
        }
    }
}

/// No output shares memory with an input, grad_output or another output (only buffer pointers
/// can alias). Written out one by one: the in-place forms allocate nothing.
func checkTripletOverlaps<T: LossFloat>(
    _ values: UnsafeMutableBufferPointer<T>?,
    _ g: (UnsafeMutableBufferPointer<T>?, UnsafeMutableBufferPointer<T>?, UnsafeMutableBufferPointer<T>?),
    inputs: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>), upstream: UnsafeBufferPointer<T>?
) throws(LossError) {
    func refuse(_ name: StaticString, _ region: UnsafeMutableBufferPointer<T>?) throws(LossError) {
        guard let region else { return }
        let raw = UnsafeRawBufferPointer(region)
        if overlaps(raw, inputs.0) { throw LossError(.overlap, "\(name) overlaps anchor") }
        if overlaps(raw, inputs.1) { throw LossError(.overlap, "\(name) overlaps positive") }
        if overlaps(raw, inputs.2) { throw LossError(.overlap, "\(name) overlaps negative") }
        if overlaps(raw, upstream) { throw LossError(.overlap, "\(name) overlaps gradOutput") }
    }
    func refuse(_ name: StaticString, _ a: UnsafeMutableBufferPointer<T>?, _ other: StaticString,
                _ b: UnsafeMutableBufferPointer<T>?) throws(LossError) {
        guard let a, let b else { return }
        if overlaps(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b)) { throw LossError(.overlap, "\(name) overlaps \(other)") }
    }
    try refuse("values", values)
    try refuse("gradientAnchor", g.0)
    try refuse("gradientPositive", g.1)
    try refuse("gradientNegative", g.2)
    try refuse("values", values, "gradientAnchor", g.0)
    try refuse("values", values, "gradientPositive", g.1)
    try refuse("values", values, "gradientNegative", g.2)
    try refuse("gradientAnchor", g.0, "gradientPositive", g.1)
    try refuse("gradientAnchor", g.0, "gradientNegative", g.2)
    try refuse("gradientPositive", g.1, "gradientNegative", g.2)
}

/// The row count, after the checks that need no output: whole rows of one count in all three,
/// and the parameters.
func tripletRows(_ a: Int, _ p2: Int, _ n2: Int, width: Int, rows: Int?, margin: Double, p: Double,
                 eps: Double) throws(LossError) -> Int {
    try namingErrors("triplet_margin_loss") { () throws(LossError) -> Int in
        try MetricLearningParameters.checkTripletMargin(margin)
        try DistanceParameters.checkDistance(p: p, eps: eps)
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        try requireCount("positive", p2, a, "anchor")
        try requireCount("negative", n2, a, "anchor")
        guard width > 0 || a == 0 else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
        guard width == 0 || a % width == 0 else {
            throw LossError(.shapeMismatch, "anchor has \(a) values: not whole rows of \(width)")
        }
        let n = width == 0 ? rows ?? 0 : a / width
        if let rows, rows != n { throw LossError(.shapeMismatch, "anchor has \(n) rows of \(width), rows is \(rows)") }
        return n
    }
}

/// Opens the inputs and grad_output (checked: one value per row for `.none`, else one).
func withTripletBuffers<T: LossFloat, R>(
    _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>, _ negative: some ContiguousStorage<T>,
    _ gradOutput: (any ContiguousStorage<T>)?, n: Int, reduction: Reduction,
    _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?) throws(LossError) -> R
) throws(LossError) -> R {
    if let gradOutput {
        try namingErrors("triplet_margin_loss") { () throws(LossError) in
            try requireCount("gradOutput", gradOutput.count, reduction == .none ? n : 1,
                             reduction == .none ? "the unreduced loss" : "a reduced loss")
        }
    }
    return try anchor.withUnsafeBufferPointer { (a) throws(LossError) in
        try positive.withUnsafeBufferPointer { (pos) throws(LossError) in
            try negative.withUnsafeBufferPointer { (neg) throws(LossError) in
                try gradOutput.withBuffer { (upstream) throws(LossError) in try body(a, pos, neg, upstream) }
            }
        }
    }
}

/// The kernel over checked buffers; returns the reduced loss (0 for `.none`).
func tripletRun<T: LossFloat>(
    _ a: UnsafeBufferPointer<T>, _ pos: UnsafeBufferPointer<T>, _ neg: UnsafeBufferPointer<T>, n: Int, width: Int,
    margin: Double, p: Double, eps: Double, swap: Bool, reduction: Reduction, upstream: UnsafeBufferPointer<T>?,
    values: UnsafeMutableBufferPointer<T>?,
    gradients: (UnsafeMutableBufferPointer<T>?, UnsafeMutableBufferPointer<T>?, UnsafeMutableBufferPointer<T>?)
) throws(LossError) -> T {
    func run(_ out: UnsafeMutableBufferPointer<T>) throws(LossError) {
        try namingErrors("triplet_margin_loss") { () throws(LossError) in
            try MetricLearning.tripletMarginLoss(
                anchor: a, positive: pos, negative: neg, rows: n, width: width, margin: margin, p: p, eps: eps, swap: swap,
                into: LossOutputs(reduction: reduction, out: out,
                                  gradients: Gradients(gradients.0, gradients.1, gradients.2), gradOutput: upstream))
        }
    }
    if let values, reduction == .none {
        try run(values)
        return 0
    }
    let loss = try withScalarOutput { (out) throws(LossError) in try run(out) }
    if let values { values[0] = loss }
    return loss
}
