// The public forms of the multi-label losses (docs/classification.md) over (N, C) scores:
// multilabel_margin_loss (class indices ending at a row's first -1) and
// multilabel_soft_margin_loss (0/1 targets per class, its target's gradient in
// `multilabelSoftMarginLossTargetGradient`); allocating, then in place.

/// A multi-label loss over borrowed buffers: `input` and `target` hold `classes` values per row.
struct MultilabelCall<T: LossFloat>: BufferCall {
    enum Targets {
        case indices(UnsafeBufferPointer<Int64>)
        case probabilities(UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?)
    }

    let input: UnsafeBufferPointer<T>, targets: Targets, classes: Int

    var name: StaticString {
        if case .indices = targets { return "multilabel_margin_loss" }
        return "multilabel_soft_margin_loss"
    }

    /// The rows: input's count over the classes, which must be >= 1 and divide it.
    func rows() throws(LossError) -> Int {
        try ClassTargets.checkClasses(classes)
        guard input.count % classes == 0 else {
            throw LossError(.shapeMismatch, "input has \(input.count) values: not whole rows of \(classes) classes")
        }
        return input.count / classes
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let rows = try rows()
        switch targets {
        case .indices(let y):
            try requireCount("target", y.count, input.count, "input")
            try MultilabelTargets.check(y, classes: classes)
        case .probabilities(let t, let weight):
            try requireCount("target", t.count, input.count, "input")
            if let weight { try requireCount("weight", weight.count, classes, "the classes") }
        }
        return CallShape(samples: rows, elements: input.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let rows = try rows()
        switch targets {
        case .indices(let y):
            Classification.multilabelMarginLoss(input: input, target: y, rows: rows, classes: classes, into: o)
        case .probabilities(let t, let weight):
            Classification.multilabelSoftMarginLoss(input: input, target: t, weight: weight, rows: rows,
                                                    classes: classes, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        switch targets {
        case .indices(let y): if overlaps(region, y) { return "target" }
        case .probabilities(let t, let weight):
            if overlaps(region, t) { return "target" }
            if overlaps(region, weight) { return "weight" }
        }
        return nil
    }
}

func multilabelMargin<T: LossFloat, Labels: Collection, R>(
    _ input: some ContiguousStorage<T>, _ target: Labels, classes: Int,
    _ body: (MultilabelCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(target, loss: "multilabel_margin_loss") { (y) throws(LossError) in
        try input.withUnsafeBufferPointer { (x) throws(LossError) in
            try body(MultilabelCall(input: x, targets: .indices(y), classes: classes))
        }
    }
}

func multilabelSoftMargin<T: LossFloat, R>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, classes: Int,
    weight: (any ContiguousStorage<T>)?, _ body: (MultilabelCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(MultilabelCall(input: x, targets: .probabilities(t, weight: w), classes: classes))
            }
        }
    }
}

/// PyTorch's `multilabel_margin_loss` over (N, C) scores: `target` holds C class indices per row,
/// the row's targets J being those before its first -1; every entry must be -1 or in [0, C), also
/// after the first -1 (`.labelOutOfRange`, as PyTorch). Per row
/// `Σ_{j∈J} Σ_{k∉J} max(0, 1 - (x[j] - x[k])) / C`; `.mean` divides by N. ``LossResult/gradient``:
/// -1/C on x[j] and +1/C on x[k] for each active pair.
public func multilabelMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try multilabelMargin(input, target, classes: classes) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `multilabel_margin_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func multilabelMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try multilabelMargin(input, target, classes: classes) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `multilabel_margin_loss` in place: writes the values (one per row for `.none`) into `values`.
public func multilabelMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try multilabelMargin(input, target, classes: classes) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `multilabel_margin_loss` in place: writes the values into `values` and the gradient into `gradient`.
public func multilabelMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try multilabelMargin(input, target, classes: classes) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `multilabel_soft_margin_loss` over (N, C) scores and targets: per row
/// `-(1/C) Σ_k w_k (t log σ(x) + (1 - t) log σ(-x))`, in softplus form (finite for every finite x);
/// `.mean` divides by N. ``LossResult/gradient``: `(w_k/C)(σ(x) - t)`; the target's is
/// ``multilabelSoftMarginLossTargetGradient(_:_:classes:weight:reduction:gradOutput:)``.
public func multilabelSoftMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    classes: Int,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try multilabelSoftMargin(input, target, classes: classes, weight: weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `multilabel_soft_margin_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes
/// its gradient into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func multilabelSoftMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    classes: Int,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try multilabelSoftMargin(input, target, classes: classes, weight: weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `multilabel_soft_margin_loss` in place: writes the values (one per row for `.none`) into `values`.
public func multilabelSoftMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    classes: Int,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try multilabelSoftMargin(input, target, classes: classes, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `multilabel_soft_margin_loss` in place: writes the values into `values` and the gradient into `gradient`.
public func multilabelSoftMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    classes: Int,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try multilabelSoftMargin(input, target, classes: classes, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
