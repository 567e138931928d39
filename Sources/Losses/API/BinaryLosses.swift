// The public forms of the binary and margin losses (docs/classification.md): PyTorch's (and
// torchvision's) names in Swift case and their defaults; each loss allocating, then in place.

/// PyTorch's `binary_cross_entropy` of probabilities: `-w·(t·log x + (1-t)·log(1-x))`, each log
/// clamped at -100 as PyTorch does.
///
/// Every input must be in [0, 1] (checked; NaN is refused: `.invalidArgument`). A weighted `.mean`
/// is `mean(weight·ℓ)`.
public func binaryCrossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.binaryCrossEntropy, input, target, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `binary_cross_entropy` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func binaryCrossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.binaryCrossEntropy, input, target, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `binary_cross_entropy` in place: writes the values into `values`, which has one element per
/// sample for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func binaryCrossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.binaryCrossEntropy, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `binary_cross_entropy` in place: writes the values into `values` (one per sample for `.none`,
/// one for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func binaryCrossEntropy<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.binaryCrossEntropy, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `binary_cross_entropy_with_logits`, in a form that neither overflows nor cancels.
///
/// `posWeight` has the length of the last axis and repeats along it: its count must divide the
/// element count (else `.shapeMismatch`). A weighted `.mean` is `mean(weight·ℓ)`.
public func binaryCrossEntropyWithLogits<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    posWeight: (any ContiguousStorage<T>)? = nil,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.binaryCrossEntropyWithLogits(posWeight: posWeight), input, target, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `binary_cross_entropy_with_logits` reduced (`.mean` or `.sum`), in place: returns the loss and
/// writes its gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func binaryCrossEntropyWithLogits<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    posWeight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.binaryCrossEntropyWithLogits(posWeight: posWeight), input, target, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `binary_cross_entropy_with_logits` in place: writes the values into `values`, which has one
/// element per sample for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func binaryCrossEntropyWithLogits<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    posWeight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.binaryCrossEntropyWithLogits(posWeight: posWeight), input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `binary_cross_entropy_with_logits` in place: writes the values into `values` (one per sample for
/// `.none`, one for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's
/// count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func binaryCrossEntropyWithLogits<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    posWeight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.binaryCrossEntropyWithLogits(posWeight: posWeight), input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// torchvision's `sigmoid_focal_loss`, whose default reduction is `.none`.
///
/// `alpha` is in [0, 1], or -1 for no weighting; `gamma` is finite and >= 0. The gradients are
/// finite for every γ >= 0, also at saturated logits, where torchvision's are NaN for γ < 1.
public func sigmoidFocalLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    alpha: Double = 0.25,
    gamma: Double = 2,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.sigmoidFocal(alpha: alpha, gamma: gamma), input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `sigmoid_focal_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func sigmoidFocalLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    alpha: Double = 0.25,
    gamma: Double = 2,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.sigmoidFocal(alpha: alpha, gamma: gamma), input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `sigmoid_focal_loss` in place: writes the values into `values`, which has one element per sample
/// for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func sigmoidFocalLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    alpha: Double = 0.25,
    gamma: Double = 2,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.sigmoidFocal(alpha: alpha, gamma: gamma), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `sigmoid_focal_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func sigmoidFocalLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    alpha: Double = 0.25,
    gamma: Double = 2,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.sigmoidFocal(alpha: alpha, gamma: gamma), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Binary hinge `max(0, margin - y·x)` for targets y in {-1, +1}, squared if asked.
///
/// `margin` must be finite. The gradient at the hinge is 0 (PyTorch's `clamp_min`).
public func hingeLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    squared: Bool = false,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.hinge(margin: margin, squared: squared), input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `hinge_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func hingeLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    squared: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.hinge(margin: margin, squared: squared), input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `hinge_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func hingeLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    squared: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.hinge(margin: margin, squared: squared), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `hinge_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func hingeLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    squared: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.hinge(margin: margin, squared: squared), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `hinge_embedding_loss`: `x` where y = 1, `max(0, margin - x)` where y = -1.
public func hingeEmbeddingLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.hingeEmbedding(margin: margin), input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `hinge_embedding_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func hingeEmbeddingLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.hingeEmbedding(margin: margin), input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `hinge_embedding_loss` in place: writes the values into `values`, which has one element per
/// sample for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func hingeEmbeddingLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.hingeEmbedding(margin: margin), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `hinge_embedding_loss` in place: writes the values into `values` (one per sample for `.none`,
/// one for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func hingeEmbeddingLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 1,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.hingeEmbedding(margin: margin), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// `log(1 + e^{-y·x})`, PyTorch's `soft_margin_loss`, finite beyond −y·x = 88.7 in float32 where
/// PyTorch's overflows.
public func softMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.softMargin, input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `soft_margin_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func softMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.softMargin, input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `soft_margin_loss` in place: writes the values into `values`, which has one element per sample
/// for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func softMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.softMargin, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `soft_margin_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// for `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func softMarginLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.softMargin, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// The logistic loss `log(1 + e^{-y·x})` for scores and targets in {-1, +1}: the values of
/// ``softMarginLoss(_:_:reduction:gradient:gradOutput:)`` under the name the literature gives it.
public func logisticLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.logistic, input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `logistic_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func logisticLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.logistic, input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `logistic_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func logisticLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.logistic, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `logistic_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func logisticLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.logistic, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// optax's binary sparsemax loss: `sparse_plus(-x)` where the label is nonzero, `sparse_plus(x)`
/// where it is 0, with `sparse_plus(z)` = 0 for z <= -1, `(z + 1)²/4` between, z for z >= 1.
/// optax returns the unreduced values: `.none` gives them. The gradient w.r.t. the logits is
/// continuous (labels are data: no gradient).
public func sparsemaxLoss<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    _ labels: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.sparsemax, logits, labels, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `sparsemax_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`, which has the logits' count. `.none` throws `.invalidOption`. A call
/// that throws has written nothing.
@discardableResult
public func sparsemaxLoss<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    _ labels: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.sparsemax, logits, labels, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `sparsemax_loss` in place: writes the values into `values` (one per element for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func sparsemaxLoss<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    _ labels: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.sparsemax, logits, labels, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `sparsemax_loss` in place: writes the values into `values` and the gradient into `gradient`.
/// A call that throws has written nothing.
public func sparsemaxLoss<T: LossFloat>(
    _ logits: some ContiguousStorage<T>,
    _ labels: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.sparsemax, logits, labels, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
