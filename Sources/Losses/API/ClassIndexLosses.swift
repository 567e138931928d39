// The public forms of the class losses (docs/classification.md): scores (N, C, D) row-major as a
// `ClassLayout` describes, labels (N, D) of any integer type; each loss allocating, then in place.

/// PyTorch's `cross_entropy` with class-index targets: `input` is (N, C, D) row-major as `layout`
/// describes, `target` (N, D) labels of any integer type.
///
/// A label must be in `0..<C` or equal `ignoreIndex` (else `.labelOutOfRange`, before anything is
/// computed). An ignored target contributes 0 and leaves the mean's denominator; a weighted `.mean`
/// divides by the summed weights of the kept targets, so a batch whose every target is ignored has
/// a NaN mean. `labelSmoothing` is in [0, 1].
public func crossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try classIndex(.crossEntropy(ignoreIndex: Int64(ignoreIndex), labelSmoothing: labelSmoothing), input, target,
               layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `cross_entropy` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func crossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try classIndex(.crossEntropy(ignoreIndex: Int64(ignoreIndex), labelSmoothing: labelSmoothing), input, target,
               layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `cross_entropy` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func crossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.crossEntropy(ignoreIndex: Int64(ignoreIndex), labelSmoothing: labelSmoothing), input, target,
               layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `cross_entropy` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func crossEntropy<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.crossEntropy(ignoreIndex: Int64(ignoreIndex), labelSmoothing: labelSmoothing), input, target,
               layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `cross_entropy` with probability targets shaped like the input ((N, C, D) as `layout`
/// describes); `.mean` divides by the sample count N·D.
public func crossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    probabilities target: some ContiguousStorage<T>,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try probabilities(input, target, layout, weight, labelSmoothing) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `cross_entropy` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func crossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    probabilities target: some ContiguousStorage<T>,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try probabilities(input, target, layout, weight, labelSmoothing) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `cross_entropy` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func crossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    probabilities target: some ContiguousStorage<T>,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try probabilities(input, target, layout, weight, labelSmoothing) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `cross_entropy` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func crossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    probabilities target: some ContiguousStorage<T>,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    labelSmoothing: Double = 0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try probabilities(input, target, layout, weight, labelSmoothing) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `nll_loss` of log-probabilities `input` ((N, C, D) as `layout` describes) and (N, D)
/// labels of any integer type, with `crossEntropy`'s ignore and weighted-mean rules.
public func nllLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try classIndex(.nll(ignoreIndex: Int64(ignoreIndex)), input, target, layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `nll_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func nllLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try classIndex(.nll(ignoreIndex: Int64(ignoreIndex)), input, target, layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `nll_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func nllLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.nll(ignoreIndex: Int64(ignoreIndex)), input, target, layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `nll_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func nllLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.nll(ignoreIndex: Int64(ignoreIndex)), input, target, layout: { _ in layout }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Softmax focal loss `-α_y·(1-p_y)^γ·log p_y` per sample (Lin et al. 2017), over (N, C, D) logits
/// as `layout` describes and (N, D) labels of any integer type.
///
/// `alpha` is absent (1), one value, or one per class; `gamma` finite and >= 0. `.mean` divides by
/// the count of kept (not ignored) samples. Finite for every γ >= 0, also for a saturated softmax.
public func focalLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    gamma: Double = 2,
    alpha: [Double]? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try classIndex(.focal(gamma: gamma, alpha: alpha, ignoreIndex: Int64(ignoreIndex)), input, target,
               layout: { _ in layout }, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `focal_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func focalLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    gamma: Double = 2,
    alpha: [Double]? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try classIndex(.focal(gamma: gamma, alpha: alpha, ignoreIndex: Int64(ignoreIndex)), input, target,
               layout: { _ in layout }, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `focal_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func focalLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    gamma: Double = 2,
    alpha: [Double]? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.focal(gamma: gamma, alpha: alpha, ignoreIndex: Int64(ignoreIndex)), input, target,
               layout: { _ in layout }, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `focal_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func focalLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    layout: ClassLayout,
    gamma: Double = 2,
    alpha: [Double]? = nil,
    ignoreIndex: Int = -100,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.focal(gamma: gamma, alpha: alpha, ignoreIndex: Int64(ignoreIndex)), input, target,
               layout: { _ in layout }, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `multi_margin_loss` over (N, C) scores (`classes` is C) and N labels of any integer
/// type: `(1/C)·Σ_{i≠y} w_y·max(0, margin - x_y + x_i)^p`.
///
/// `p` is 1 or 2. `.mean` divides by N; the mean of an empty batch is NaN (PyTorch's is
/// uninitialised memory).
public func multiMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    p: Int = 1,
    margin: Double = 1,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try classIndex(.multiMargin(p: p, margin: margin), input, target,
               layout: { ClassLayout(batch: $0, classes: classes) }, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `multi_margin_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func multiMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    p: Int = 1,
    margin: Double = 1,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try classIndex(.multiMargin(p: p, margin: margin), input, target,
               layout: { ClassLayout(batch: $0, classes: classes) }, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `multi_margin_loss` in place: writes the values into `values`, which has one element per sample
/// for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func multiMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    p: Int = 1,
    margin: Double = 1,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.multiMargin(p: p, margin: margin), input, target,
               layout: { ClassLayout(batch: $0, classes: classes) }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `multi_margin_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func multiMarginLoss<T: LossFloat, Labels: Collection>(
    _ input: some ContiguousStorage<T>,
    _ target: Labels,
    classes: Int,
    p: Int = 1,
    margin: Double = 1,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try classIndex(.multiMargin(p: p, margin: margin), input, target,
               layout: { ClassLayout(batch: $0, classes: classes) }, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// optax's `poly_loss_cross_entropy` (Poly-1, Leng et al. 2022) of (N, C) logits and labels
/// (probabilities, e.g. one-hot) over rows of `classes`: `Σ_c t_c·(lse - z_c) + ε·Σ_c t_c·(1 - p_c)`,
/// any finite `epsilon` (0 is cross entropy). optax returns one value per row (`.none`); the
/// default `.mean` divides by N.
public func polyLossCrossEntropy<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    labels: some ContiguousStorage<T>,
    classes: Int,
    epsilon: Double = 2.0,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try polyLabels(logits, labels, classes: classes, epsilon: epsilon) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `poly_loss_cross_entropy` reduced (`.mean` or `.sum`), in place: returns the loss and writes
/// its gradient into `gradient`, which has the logits' count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`. A call that throws has written nothing. See <doc:CallingALoss>.
@discardableResult
public func polyLossCrossEntropy<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    labels: some ContiguousStorage<T>,
    classes: Int,
    epsilon: Double = 2.0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try polyLabels(logits, labels, classes: classes, epsilon: epsilon) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `poly_loss_cross_entropy` in place: writes the values into `values`, which has one element per
/// row for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func polyLossCrossEntropy<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    labels: some ContiguousStorage<T>,
    classes: Int,
    epsilon: Double = 2.0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try polyLabels(logits, labels, classes: classes, epsilon: epsilon) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `poly_loss_cross_entropy` in place: writes the values into `values` (one per row for `.none`,
/// one for `.mean` and `.sum`) and its gradient into `gradient`, which has the logits' count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func polyLossCrossEntropy<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    labels: some ContiguousStorage<T>,
    classes: Int,
    epsilon: Double = 2.0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try polyLabels(logits, labels, classes: classes, epsilon: epsilon) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
