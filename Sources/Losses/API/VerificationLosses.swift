// The public forms of `verification_loss` (docs/metric_learning.md): two embeddings, a weight
// vector and a bias, so four gradients; allocating, then in place, each a `VerificationCall`.

/// What the allocating form of `verificationLoss` returns.
public struct VerificationResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values``.
    public var loss: T
    /// One value per row for `.none`; empty for `.mean` and `.sum`.
    public var values: [T]
    /// Shaped like f1 and f2; `nil` unless the gradients were requested.
    public var gradientF1: [T]?, gradientF2: [T]?
    /// One value per column (the weight's count); `nil` unless the gradients were requested.
    public var gradientWeight: [T]?
    /// The bias's gradient; `nil` unless the gradients were requested.
    public var gradientBias: T?
}

/// `verification_loss` over borrowed buffers: rows of `width` in f1 and f2, one label per row,
/// `width` weights (or none: ones) and a bias.
struct VerificationCall<T: LossFloat>: BufferCall {
    let f1: UnsafeBufferPointer<T>, f2: UnsafeBufferPointer<T>, label: UnsafeBufferPointer<T>
    let weight: UnsafeBufferPointer<T>?
    let bias: Double, width: Int

    var name: StaticString { "verification_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientF1", firstInput: "f1", second: "gradientF2", secondInput: "f1",
                      third: "gradientWeight", thirdInput: "the width", fourth: "gradientBias",
                      fourthInput: "the bias")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try MetricLearningParameters.checkBias(bias)
        let n = try rows()
        try requireCount("f2", f2.count, f1.count, "f1")
        try requireCount("label", label.count, n, "the rows of f1")
        if let weight { try requireCount("weight", weight.count, width, "the width") }
        return CallShape(samples: n, elements: f1.count, secondElements: f1.count, thirdElements: width,
                         fourthElements: 1)
    }

    private func rows() throws(LossError) -> Int {
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        guard width > 0 else {
            guard f1.isEmpty else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
            return label.count  // rows of no values: one per label
        }
        guard f1.count % width == 0 else {
            throw LossError(.shapeMismatch, "f1 has \(f1.count) values: not whole rows of \(width)")
        }
        return f1.count / width
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try MetricLearning.verificationLoss(f1: f1, f2: f2, label: label, weight: weight, bias: bias, rows: try rows(),
                                            width: width, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, f1) { return "f1" }
        if overlaps(region, f2) { return "f2" }
        if overlaps(region, label) { return "label" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of `verification_loss` and hands `body` the call over it.
func verification<T: LossFloat, R>(
    _ f1: some ContiguousStorage<T>, _ f2: some ContiguousStorage<T>, _ label: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)?, bias: Double, width: Int, _ body: (VerificationCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try f1.withUnsafeBufferPointer { (a) throws(LossError) in
        try f2.withUnsafeBufferPointer { (b) throws(LossError) in
            try label.withUnsafeBufferPointer { (y) throws(LossError) in
                try weight.withBuffer { (w) throws(LossError) in
                    try body(VerificationCall(f1: a, f2: b, label: y, weight: w, bias: bias, width: width))
                }
            }
        }
    }
}

/// `BCEWithLogits(s, label)` per row with `s = Σ_k weight_k (f1_k - f2_k)² + bias`: the
/// verification head of a re-identification Siamese network, label 1 for the same identity and 0
/// for different ones.
///
/// `f1` and `f2` are row-major with rows of `width`; `label` has one value per row (soft labels
/// enter the formula as written); `weight` has `width` values (nil: ones); `bias` is finite. The
/// loss is computed as `max(s, 0) - s·y + log1p(e^{-|s|})`, exact for logits of any size. The
/// weight's and bias's gradients are sums over rows in a fixed order: the same bits for any thread
/// count.
public func verificationLoss<T: LossFloat>(
    _ f1: some ContiguousStorage<T>, _ f2: some ContiguousStorage<T>, _ label: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, bias: Double = 0, width: Int, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> VerificationResult<T> {
    try verification(f1, f2, label, weight: weight, bias: bias, width: width) { (call) throws(LossError) in
        let r = try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput)
        return VerificationResult(reduction: reduction, loss: r.total, values: r.values, gradientF1: r.gradient,
                                  gradientF2: r.secondGradient, gradientWeight: r.thirdGradient,
                                  gradientBias: r.fourthGradient?.first)
    }
}

/// `verification_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes the
/// four gradients (`gradientBias` holds one value). `.none` throws `.invalidOption`. A call that
/// throws has written nothing.
@discardableResult
public func verificationLoss<T: LossFloat>(
    _ f1: some ContiguousStorage<T>, _ f2: some ContiguousStorage<T>, _ label: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, bias: Double = 0, width: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientF1: inout some MutableContiguousStorage<T>, gradientF2: inout some MutableContiguousStorage<T>,
    gradientWeight: inout some MutableContiguousStorage<T>, gradientBias: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try verification(f1, f2, label, weight: weight, bias: bias, width: width) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, names: VerificationCall<T>.names, &gradientF1, &gradientF2,
                         &gradientWeight, &gradientBias)
    }
}

/// `verification_loss` in place: writes the values into `values` (one per row for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func verificationLoss<T: LossFloat>(
    _ f1: some ContiguousStorage<T>, _ f2: some ContiguousStorage<T>, _ label: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, bias: Double = 0, width: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try verification(f1, f2, label, weight: weight, bias: bias, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `verification_loss` in place: writes the values and the four gradients. A call that throws has
/// written nothing.
public func verificationLoss<T: LossFloat>(
    _ f1: some ContiguousStorage<T>, _ f2: some ContiguousStorage<T>, _ label: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil, bias: Double = 0, width: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradientF1: inout some MutableContiguousStorage<T>, gradientF2: inout some MutableContiguousStorage<T>,
    gradientWeight: inout some MutableContiguousStorage<T>, gradientBias: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try verification(f1, f2, label, weight: weight, bias: bias, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, names: VerificationCall<T>.names,
                      &gradientF1, &gradientF2, &gradientWeight, &gradientBias)
    }
}
