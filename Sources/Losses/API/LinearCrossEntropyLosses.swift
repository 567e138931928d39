// The public forms of `linear_cross_entropy` (docs/classification.md): rows of features, a linear
// layer's weight and optional bias, class-index labels; three gradients (input, linear weight,
// linear bias); allocating, then in place, each a `LinearCrossEntropyCall`.

/// What the allocating form of `linearCrossEntropy` returns.
public struct LinearCrossEntropyResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values``.
    public var loss: T
    /// One value per row for `.none`; empty for `.mean` and `.sum`.
    public var values: [T]
    /// Shaped like the input (N × in_features); `nil` unless the gradients were requested.
    public var gradientInput: [T]?
    /// Shaped like the linear weight (C × in_features); `nil` unless the gradients were requested.
    public var gradientLinearWeight: [T]?
    /// One value per class (the linear bias's gradient, Σ over rows of ∂loss/∂logit: also given
    /// when there is no bias); `nil` unless the gradients were requested.
    public var gradientLinearBias: [T]?
}

/// `linear_cross_entropy` over borrowed buffers: N rows of `features` in `input` (N = the label
/// count), C = `classes` rows of `features` in `linearWeight`.
struct LinearCrossEntropyCall<T: LossFloat>: BufferCall {
    let input: UnsafeBufferPointer<T>, linearWeight: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>
    let linearBias: UnsafeBufferPointer<T>?, weight: UnsafeBufferPointer<T>?
    let classes: Int, ignoreIndex: Int64, labelSmoothing: Double

    var name: StaticString { "linear_cross_entropy" }

    static var names: GradientNames {
        GradientNames(first: "gradientInput", firstInput: "input", second: "gradientLinearWeight",
                      secondInput: "linearWeight", third: "gradientLinearBias", thirdInput: "the classes")
    }

    /// in_features, from the linear weight's count and the class count.
    private func features() throws(LossError) -> Int {
        try ClassTargets.checkClasses(classes)
        guard linearWeight.count % classes == 0 else {
            throw LossError(.shapeMismatch, "linearWeight has \(linearWeight.count) values: not \(classes) whole rows")
        }
        return linearWeight.count / classes
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        let d = try features(), n = labels.count
        try ClassificationParameters.checkLinearSizes(rows: n, classes: classes, features: d)
        try requireCount("input", input.count, n &* d, "one row of in_features per label")
        if let linearBias { try requireCount("linearBias", linearBias.count, classes, "the classes") }
        if let weight { try requireCount("weight", weight.count, classes, "the classes") }
        return CallShape(samples: n, elements: n &* d, secondElements: linearWeight.count, thirdElements: classes)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try LinearCrossEntropy.loss(input: input, linearWeight: linearWeight, target: labels, linearBias: linearBias,
                                    weight: weight, rows: labels.count, classes: classes, features: try features(),
                                    ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, linearWeight) { return "linearWeight" }
        if overlaps(region, labels) { return "target" }
        if overlaps(region, linearBias) { return "linearBias" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of `linear_cross_entropy` and hands `body` the call over it.
func linearCrossEntropyCall<T: LossFloat, Labels: Collection, R>(
    _ input: some ContiguousStorage<T>, _ linearWeight: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    linearBias: (any ContiguousStorage<T>)?, weight: (any ContiguousStorage<T>)?, ignoreIndex: Int,
    labelSmoothing: Double, _ body: (LinearCrossEntropyCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(target, loss: "linear_cross_entropy") { (y) throws(LossError) in
        try input.withUnsafeBufferPointer { (x) throws(LossError) in
            try linearWeight.withUnsafeBufferPointer { (w) throws(LossError) in
                try linearBias.withBuffer { (b) throws(LossError) in
                    try weight.withBuffer { (cw) throws(LossError) in
                        try body(LinearCrossEntropyCall(input: x, linearWeight: w, labels: y, linearBias: b, weight: cw,
                                                        classes: classes, ignoreIndex: Int64(ignoreIndex),
                                                        labelSmoothing: labelSmoothing))
                    }
                }
            }
        }
    }
}

/// PyTorch's `linear_cross_entropy` with class-index targets: `cross_entropy(input · linearWeightᵀ
/// + linearBias, target)` without the N × C logits ever held beyond a block of rows.
///
/// `input` is N rows of in_features (row-major), `linearWeight` `classes` rows of in_features,
/// `target` N labels of any integer type, each in `0..<classes` or equal to `ignoreIndex` (else
/// `.labelOutOfRange`, before anything is written); `linearBias` and the class `weight` have
/// `classes` values (nil: no bias; ones). Cross entropy's rules hold: an ignored row gives 0 and
/// leaves the weighted mean's denominator, so an all-ignored batch has a NaN mean;
/// `labelSmoothing` is in [0, 1]. The products are float64 fma chains: the same bits for any
/// thread count.
public func linearCrossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>, _ linearWeight: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    linearBias: (any ContiguousStorage<T>)? = nil, weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LinearCrossEntropyResult<T> where Labels.Element: BinaryInteger {
    try linearCrossEntropyCall(input, linearWeight, target, classes: classes, linearBias: linearBias, weight: weight,
                               ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing) { (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        return LinearCrossEntropyResult(reduction: reduction, loss: r.total, values: r.values, gradientInput: r.gradient,
                                        gradientLinearWeight: r.secondGradient, gradientLinearBias: r.thirdGradient)
    }
}

/// `linear_cross_entropy` reduced (`.mean` or `.sum`), in place: returns the loss and writes the
/// three gradients. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func linearCrossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>, _ linearWeight: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    linearBias: (any ContiguousStorage<T>)? = nil, weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientInput: inout some MutableContiguousStorage<T>, gradientLinearWeight: inout some MutableContiguousStorage<T>,
    gradientLinearBias: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try linearCrossEntropyCall(input, linearWeight, target, classes: classes, linearBias: linearBias, weight: weight,
                               ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing) { (call) throws(LossError) in
        var none: [T] = []
        return try call.reduced(reduction, gradOutput: gradOutput, names: LinearCrossEntropyCall<T>.names,
                                &gradientInput, &gradientLinearWeight, &gradientLinearBias, &none)
    }
}

/// `linear_cross_entropy` in place: writes the values into `values` (one per row for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func linearCrossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>, _ linearWeight: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    linearBias: (any ContiguousStorage<T>)? = nil, weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try linearCrossEntropyCall(input, linearWeight, target, classes: classes, linearBias: linearBias, weight: weight,
                               ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `linear_cross_entropy` in place: writes the values and the three gradients. A call that throws
/// has written nothing.
public func linearCrossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>, _ linearWeight: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    linearBias: (any ContiguousStorage<T>)? = nil, weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradientInput: inout some MutableContiguousStorage<T>, gradientLinearWeight: inout some MutableContiguousStorage<T>,
    gradientLinearBias: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try linearCrossEntropyCall(input, linearWeight, target, classes: classes, linearBias: linearBias, weight: weight,
                               ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing) { (call) throws(LossError) in
        var none: [T] = []
        try call.into(reduction, gradOutput: gradOutput, values: &values, names: LinearCrossEntropyCall<T>.names,
                      &gradientInput, &gradientLinearWeight, &gradientLinearBias, &none)
    }
}
