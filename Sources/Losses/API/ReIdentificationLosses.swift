// The public forms of the re-identification entries (docs/metric_learning.md,
// "Re-identification"): `center_loss` (allocating, then in place) and its update, which writes
// the caller's centres in place.

/// What the allocating form of `centerLoss` returns.
public struct CenterLossResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values``.
    public var loss: T
    /// One value per sample for `.none`; empty for `.mean` and `.sum`.
    public var values: [T]
    /// Shaped like the features and like the centres; `nil` unless the gradients were requested.
    public var gradientFeatures: [T]?, gradientCenters: [T]?
}

/// `center_loss` over borrowed buffers: features (n, width), n labels, centres (c, width).
struct CenterCall<T: LossFloat>: BufferCall {
    let features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, centers: UnsafeBufferPointer<T>
    let width: Int
    /// The centre count, needed only when `width` is 0, where the buffers cannot tell it.
    let classes: Int?

    var name: StaticString { "center_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientFeatures", firstInput: "features", second: "gradientCenters", secondInput: "centers")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let c = try centerRows(features.count, centers.count, labels: labels.count, width: width, classes: classes).c
        try ReIdentificationParameters.checkLabels(labels, rows: c, name: "labels")
        return CallShape(samples: labels.count, elements: features.count, secondElements: centers.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let c = try centerRows(features.count, centers.count, labels: labels.count, width: width, classes: classes).c
        try ReIdentification.centerLoss(features: features, labels: labels, centers: centers, rows: labels.count,
                                        width: width, classes: c, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, features) { return "features" }
        if overlaps(region, labels) { return "labels" }
        if overlaps(region, centers) { return "centers" }
        return nil
    }
}

/// The row counts of features and centres of `width`, checked: whole rows, one label per
/// feature row. A width of 0 has as many rows as labels, and `classes` centres (0 when nil).
func centerRows(_ features: Int, _ centers: Int, labels: Int, width: Int, classes: Int?) throws(LossError) -> (n: Int, c: Int) {
    guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
    if let classes, classes < 0 { throw LossError(.invalidSize, "classes must be >= 0, got \(classes)") }
    if width == 0 {
        guard features == 0, centers == 0 else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
        return (labels, classes ?? 0)
    }
    if let classes, classes != centers / width {
        throw LossError(.shapeMismatch, "centers have \(centers / width) rows of \(width), classes is \(classes)")
    }
    guard features % width == 0 else { throw LossError(.shapeMismatch, "features have \(features) values: not whole rows of \(width)") }
    guard centers % width == 0 else { throw LossError(.shapeMismatch, "centers have \(centers) values: not whole rows of \(width)") }
    try requireCount("labels", labels, features / width, "the feature rows")
    return (features / width, centers / width)
}

/// Opens the storage of `center_loss` and hands `body` the call over it.
func center<T: LossFloat, Labels: Collection, R>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, _ centers: some ContiguousStorage<T>, width: Int,
    classes: Int?, _ body: (CenterCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(labels, loss: "center_loss") { (y) throws(LossError) in
        try features.withUnsafeBufferPointer { (x) throws(LossError) in
            try centers.withUnsafeBufferPointer { (c) throws(LossError) in
                try body(CenterCall(features: x, labels: y, centers: c, width: width, classes: classes))
            }
        }
    }
}

/// Center loss (Wen et al. 2016): `clamp(Σ_k (x_ik - c_{y_i,k})², 1e-12, 1e12)` per sample, the
/// squared distance of each feature row to its label's centre, summed directly.
///
/// `features` is (n, `width`) and `centers` (c, `width`), row-major; `labels` has n integers in
/// `0..<c` (else `.labelOutOfRange`). The gradients, when requested, are with respect to the
/// features and the centres (each centre's gathered over its samples in ascending order); both
/// are 0 where the clamp bites. `classes` (the centre count) is needed only when `width` is 0.
public func centerLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, _ centers: some ContiguousStorage<T>, width: Int,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil,
    classes: Int? = nil
) throws(LossError) -> CenterLossResult<T> where Labels.Element: BinaryInteger {
    try center(features, labels, centers, width: width, classes: classes) { (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        let loss = reduction == .none ? r.values.withUnsafeBufferPointer { T.sum($0) } : r.loss
        return CenterLossResult(reduction: reduction, loss: loss, values: r.values, gradientFeatures: r.gradient,
                                gradientCenters: r.secondGradient)
    }
}

/// `center_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes both
/// gradients. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func centerLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, _ centers: some ContiguousStorage<T>, width: Int,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, classes: Int? = nil,
    gradientFeatures: inout some MutableContiguousStorage<T>, gradientCenters: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try center(features, labels, centers, width: width, classes: classes) { (call) throws(LossError) in
        try gradientFeatures.withUnsafeMutableBufferPointer { (a) throws(LossError) in
            try gradientCenters.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                try call.inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (a, b, nil, nil), names: CenterCall<T>.names)
            }
        }
    }
}

/// `center_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func centerLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, _ centers: some ContiguousStorage<T>, width: Int,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, classes: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try center(features, labels, centers, width: width, classes: classes) { (call) throws(LossError) in
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (nil, nil, nil, nil), names: CenterCall<T>.names)
        }
    }
}

/// `center_loss` in place: writes the values and both gradients. A call that throws has written
/// nothing.
public func centerLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, _ centers: some ContiguousStorage<T>, width: Int,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, classes: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientFeatures: inout some MutableContiguousStorage<T>, gradientCenters: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try center(features, labels, centers, width: width, classes: classes) { (call) throws(LossError) in
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradientFeatures.withUnsafeMutableBufferPointer { (a) throws(LossError) in
                try gradientCenters.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                    try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (a, b, nil, nil),
                                     names: CenterCall<T>.names)
                }
            }
        }
    }
}

/// The centre update of center loss (Wen et al. 2016), in place: every centre j with samples
/// moves by `-alpha·Σ_{y_i = j}(c_j - x_i)/(1 + n_j)`, all from their values before the call.
///
/// `features` is (n, `width`), `labels` n integers in `0..<c`, `centers` (c, `width`), written
/// in place; `alpha` is in [0, 1]; `classes` is needed only when `width` is 0. Every argument is checked first: a call that throws has left
/// `centers` unchanged.
public func centerLossUpdate<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ labels: Labels, centers: inout some MutableContiguousStorage<T>,
    width: Int, alpha: Double = 0.5, classes: Int? = nil
) throws(LossError) where Labels.Element: BinaryInteger {
    try namingErrors("center_loss_update") { () throws(LossError) in
        try withLabels(labels, loss: "center_loss_update") { (y) throws(LossError) in
            try features.withUnsafeBufferPointer { (x) throws(LossError) in
                try centers.withUnsafeMutableBufferPointer { (c) throws(LossError) in
                    let (n, rows) = try centerRows(x.count, c.count, labels: y.count, width: width, classes: classes)
                    try ReIdentificationParameters.checkRate(alpha, "alpha")
                    try ReIdentificationParameters.checkLabels(y, rows: rows, name: "labels")
                    if overlaps(UnsafeRawBufferPointer(c), x) { throw LossError(.overlap, "centers overlaps features") }
                    if overlaps(UnsafeRawBufferPointer(c), y) { throw LossError(.overlap, "centers overlaps labels") }
                    try ReIdentification.centerLossUpdate(features: x, labels: y, centers: c, rows: n, width: width,
                                                          classes: rows, alpha: alpha)
                }
            }
        }
    }
}

/// The rows of a table of `count` values and `width` columns (`given`, needed only when `width`
/// is 0, is checked against them).
func tableRows(_ name: StaticString, _ count: Int, width: Int, given: Int?) throws(LossError) -> Int {
    guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
    if let given, given < 0 { throw LossError(.invalidSize, "the rows of \(name) must be >= 0, got \(given)") }
    if width == 0 {
        guard count == 0 else { throw LossError(.shapeMismatch, "width 0 with non-empty \(name)") }
        return given ?? 0
    }
    guard count % width == 0 else { throw LossError(.shapeMismatch, "\(name) has \(count) values: not whole rows of \(width)") }
    if let given, given != count / width {
        throw LossError(.shapeMismatch, "\(name) has \(count / width) rows of \(width), \(given) given")
    }
    return count / width
}

/// `oim_loss` over borrowed buffers: features (n, width), n targets, lut (l, width) and queue
/// (q, width).
struct OIMCall<T: LossFloat>: BufferCall {
    let features: UnsafeBufferPointer<T>, targets: UnsafeBufferPointer<Int64>
    let lut: UnsafeBufferPointer<T>, queue: UnsafeBufferPointer<T>
    let width: Int, scalar: Double, ignoreIndex: Int64, lutRows: Int?, queueRows: Int?

    var name: StaticString { "oim_loss" }

    static var names: GradientNames { GradientNames(first: "gradient", firstInput: "features", second: "") }

    /// (n, l, q), checked.
    func sizes() throws(LossError) -> (n: Int, l: Int, q: Int) {
        let l = try tableRows("lut", lut.count, width: width, given: lutRows)
        let q = try tableRows("queue", queue.count, width: width, given: queueRows)
        if width == 0 {
            guard features.isEmpty else { throw LossError(.shapeMismatch, "width 0 with non-empty features") }
        } else {
            guard features.count % width == 0 else {
                throw LossError(.shapeMismatch, "features have \(features.count) values: not whole rows of \(width)")
            }
            try requireCount("targets", targets.count, features.count / width, "the feature rows")
        }
        return (targets.count, l, q)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ReIdentificationParameters.checkScalar(scalar)
        let (n, l, q) = try sizes()
        let (_, overflow) = n.multipliedReportingOverflow(by: l &+ q)
        guard !overflow, l <= Int.max - q else { throw LossError(.invalidSize, "n × (l + q) logits overflow") }
        try ReIdentificationParameters.checkLabels(targets, rows: l, name: "targets", ignoreIndex: ignoreIndex)
        return CallShape(samples: n, elements: features.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let (n, l, q) = try sizes()
        try ReIdentification.oimLoss(features: features, targets: targets, lut: lut, queue: queue, rows: n, width: width,
                                     identities: l, queueRows: q, scalar: scalar, ignoreIndex: ignoreIndex, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, features) { return "features" }
        if overlaps(region, targets) { return "targets" }
        if overlaps(region, lut) { return "lut" }
        if overlaps(region, queue) { return "queue" }
        return nil
    }
}

/// Opens the storage of `oim_loss` and hands `body` the call over it.
func oim<T: LossFloat, Labels: Collection, R>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, _ lut: some ContiguousStorage<T>,
    _ queue: some ContiguousStorage<T>, width: Int, scalar: Double, ignoreIndex: Int, lutRows: Int?, queueRows: Int?,
    _ body: (OIMCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(targets, loss: "oim_loss") { (y) throws(LossError) in
        try features.withUnsafeBufferPointer { (x) throws(LossError) in
            try lut.withUnsafeBufferPointer { (v) throws(LossError) in
                try queue.withUnsafeBufferPointer { (u) throws(LossError) in
                    try body(OIMCall(features: x, targets: y, lut: v, queue: u, width: width, scalar: scalar,
                                     ignoreIndex: Int64(ignoreIndex), lutRows: lutRows, queueRows: queueRows))
                }
            }
        }
    }
}

/// The OIM loss (Xiao et al. 2017): cross entropy of `scalar · features · [lut; queue]ᵀ` over every
/// column of the lookup table (labelled identities) and the queue (unlabelled features).
///
/// `features` is (n, `width`) row-major, L2-normalised by the caller; `targets` n integers in
/// `0..<l` or `ignoreIndex` (an unlabelled sample: 0, left out of the mean; all unlabelled: a NaN
/// mean); `lut` (l, `width`) and `queue` (q, `width`); `scalar` finite. The gradient is with respect
/// to the features only. `lutRows` and `queueRows` are needed only when `width` is 0.
public func oimLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, _ lut: some ContiguousStorage<T>,
    _ queue: some ContiguousStorage<T>, width: Int, scalar: Double = 30, ignoreIndex: Int = -1,
    reduction: Reduction = .mean, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil,
    lutRows: Int? = nil, queueRows: Int? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try oim(features, targets, lut, queue, width: width, scalar: scalar, ignoreIndex: ignoreIndex, lutRows: lutRows,
            queueRows: queueRows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `oim_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes the features'
/// gradient. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func oimLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, _ lut: some ContiguousStorage<T>,
    _ queue: some ContiguousStorage<T>, width: Int, scalar: Double = 30, ignoreIndex: Int = -1,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, lutRows: Int? = nil,
    queueRows: Int? = nil, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try oim(features, targets, lut, queue, width: width, scalar: scalar, ignoreIndex: ignoreIndex, lutRows: lutRows,
            queueRows: queueRows) { (call) throws(LossError) in
        try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
            try call.inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (g, nil, nil, nil), names: OIMCall<T>.names)
        }
    }
}

/// `oim_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func oimLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, _ lut: some ContiguousStorage<T>,
    _ queue: some ContiguousStorage<T>, width: Int, scalar: Double = 30, ignoreIndex: Int = -1,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, lutRows: Int? = nil,
    queueRows: Int? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try oim(features, targets, lut, queue, width: width, scalar: scalar, ignoreIndex: ignoreIndex, lutRows: lutRows,
            queueRows: queueRows) { (call) throws(LossError) in
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (nil, nil, nil, nil), names: OIMCall<T>.names)
        }
    }
}

/// `oim_loss` in place: writes the values and the features' gradient. A call that throws has
/// written nothing.
public func oimLoss<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, _ lut: some ContiguousStorage<T>,
    _ queue: some ContiguousStorage<T>, width: Int, scalar: Double = 30, ignoreIndex: Int = -1,
    reduction: Reduction = .mean, gradOutput: (any ContiguousStorage<T>)? = nil, lutRows: Int? = nil,
    queueRows: Int? = nil, into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try oim(features, targets, lut, queue, width: width, scalar: scalar, ignoreIndex: ignoreIndex, lutRows: lutRows,
            queueRows: queueRows) { (call) throws(LossError) in
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
                try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (g, nil, nil, nil), names: OIMCall<T>.names)
            }
        }
    }
}

/// The table update of OIM, in place, sample by sample in ascending order: a labelled sample
/// (target y) sets `lut[y] = normalise(momentum·lut[y] + (1 - momentum)·x)` (a zero vector stays
/// zero), an unlabelled one (`ignoreIndex`) is written to `queue[queueHead]` and the head advances
/// modulo q. Returns the head after the update.
///
/// `queueHead` is in `0..<q` (0 when q is 0, when an unlabelled sample is refused: no queue to
/// hold it); `momentum` in [0, 1]. Every argument is checked first: a call that throws has left
/// both tables unchanged.
@discardableResult
public func oimUpdate<T: LossFloat, Labels: Collection>(
    _ features: some ContiguousStorage<T>, _ targets: Labels, lut: inout some MutableContiguousStorage<T>,
    queue: inout some MutableContiguousStorage<T>, width: Int, queueHead: Int, momentum: Double = 0.5,
    ignoreIndex: Int = -1, lutRows: Int? = nil, queueRows: Int? = nil
) throws(LossError) -> Int where Labels.Element: BinaryInteger {
    try namingErrors("oim_update") { () throws(LossError) -> Int in
        try withLabels(targets, loss: "oim_update") { (y) throws(LossError) -> Int in
            try features.withUnsafeBufferPointer { (x) throws(LossError) -> Int in
                try lut.withUnsafeMutableBufferPointer { (v) throws(LossError) -> Int in
                    try queue.withUnsafeMutableBufferPointer { (u) throws(LossError) -> Int in
                        let l = try tableRows("lut", v.count, width: width, given: lutRows)
                        let q = try tableRows("queue", u.count, width: width, given: queueRows)
                        let n = y.count
                        let (elements, overflow) = n.multipliedReportingOverflow(by: width)
                        guard !overflow else { throw LossError(.invalidSize, "\(n) targets × width \(width) overflows") }
                        try requireCount("features", x.count, elements, "targets × width")
                        try ReIdentificationParameters.checkRate(momentum, "momentum")
                        let head = try ReIdentificationParameters.checkHead(Int64(queueHead), queueRows: q)
                        let ignore = Int64(ignoreIndex)
                        try ReIdentificationParameters.checkLabels(y, rows: l, name: "targets", ignoreIndex: ignore)
                        if q == 0, let s = y.firstIndex(of: ignore) {
                            throw LossError(.invalidArgument,
                                            "targets[\(s)] is unlabelled (ignore_index \(ignore)) and q = 0: no queue to hold it")
                        }
                        let (a, b) = (UnsafeRawBufferPointer(v), UnsafeRawBufferPointer(u))
                        if overlaps(a, x) || overlaps(a, y) { throw LossError(.overlap, "lut overlaps an input") }
                        if overlaps(b, x) || overlaps(b, y) { throw LossError(.overlap, "queue overlaps an input") }
                        if overlaps(a, b) { throw LossError(.overlap, "lut overlaps queue") }
                        return ReIdentification.oimUpdate(
                            features: x, targets: y, lut: v, queue: u, rows: n, width: width, identities: l,
                            queueRows: q, head: head, momentum: momentum, ignoreIndex: ignore)
                    }
                }
            }
        }
    }
}
