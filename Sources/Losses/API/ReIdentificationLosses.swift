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
                try call.inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (a, b), names: CenterCall<T>.names)
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
            try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (nil, nil), names: CenterCall<T>.names)
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
                    try call.inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (a, b),
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
