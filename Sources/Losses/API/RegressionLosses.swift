// The public forms of the regression losses (docs/regression.md): PyTorch's names in Swift case and
// its defaults; each loss allocating, then in place (BufferCall.swift, InPlaceForms.swift).

/// Mean squared error `(input - target)²`, PyTorch's `mse_loss`.
///
/// With `weight`, each element's loss is multiplied by it and `.mean` divides by `Σ weight`
/// (PyTorch 2.x). `gradient` is that of the returned loss; for `.none`, of `Σ gradOutput·value`
/// (`gradOutput` absent means ones). An empty input has a NaN mean and a 0 sum.
public func mseLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.mse, input, target, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `mse_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func mseLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.mse, input, target, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `mse_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func mseLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.mse, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `mse_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func mseLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.mse, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Mean absolute error `|input - target|`, PyTorch's `l1_loss`; a weighted `.mean` divides by `Σ
/// weight`.
///
/// The gradient at a zero residual is 0 (PyTorch's autograd); at a NaN residual it is NaN, where
/// PyTorch gives 0.
public func l1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.l1, input, target, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `l1_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func l1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.l1, input, target, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `l1_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func l1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.l1, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `l1_loss` in place: writes the values into `values` (one per sample for `.none`, one for `.mean`
/// and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func l1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.l1, input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Huber loss, PyTorch's `huber_loss`: `½d²` if `|d| < delta`, else `delta·(|d| - ½delta)`, with `d
/// = input - target`.
///
/// Unlike ``mseLoss(_:_:weight:reduction:gradient:gradOutput:)``, a weighted `.mean` divides by the
/// element count, as PyTorch does. `delta` must be positive and finite (else `.invalidArgument`).
public func huberLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    delta: Double = 1.0,
    weight: (any ContiguousStorage<T>)? = nil,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.huber(delta: delta), input, target, weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `huber_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func huberLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    delta: Double = 1.0,
    weight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.huber(delta: delta), input, target, weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `huber_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func huberLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    delta: Double = 1.0,
    weight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.huber(delta: delta), input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `huber_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func huberLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    delta: Double = 1.0,
    weight: (any ContiguousStorage<T>)? = nil,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.huber(delta: delta), input, target, weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Smooth L1 loss, PyTorch's `smooth_l1_loss`: `½d²/beta` if `|d| < beta`, else `|d| - ½beta`.
///
/// `beta` must be finite and >= 0; `beta = 0` is the L1 loss.
public func smoothL1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    beta: Double = 1.0,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.smoothL1(beta: beta), input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `smooth_l1_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func smoothL1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    beta: Double = 1.0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.smoothL1(beta: beta), input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `smooth_l1_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func smoothL1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    beta: Double = 1.0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.smoothL1(beta: beta), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `smooth_l1_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func smoothL1Loss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    beta: Double = 1.0,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.smoothL1(beta: beta), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// `log(cosh(input - target))`, optax's `log_cosh`, computed so that it is finite for every finite
/// residual (the naive form overflows past |d| = 89 in float32).
public func logCoshLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.logCosh, input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `log_cosh_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func logCoshLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.logCosh, input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `log_cosh_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func logCoshLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.logCosh, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `log_cosh_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func logCoshLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.logCosh, input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Pinball (quantile) loss `max(q·u, (q-1)·u)`, `u = target - input`, for several quantiles at
/// once.
///
/// `input` is (N, Q) row-major, `target` (N) and `quantiles` (Q), each in [0, 1]. `.mean` averages
/// over all N·Q elements (`sklearn.metrics.mean_pinball_loss` averaged over the quantiles); `.none`
/// has N·Q values. The gradient at u = 0 is `½ - q`.
public func quantileLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    quantiles: [Double] = [0.5],
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try quantile(input, target, quantiles) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `quantile_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient`, which has the input's count.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func quantileLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    quantiles: [Double] = [0.5],
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try quantile(input, target, quantiles) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `quantile_loss` in place: writes the values into `values`, which has one element per sample for
/// `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func quantileLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    quantiles: [Double] = [0.5],
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try quantile(input, target, quantiles) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `quantile_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`) and its gradient into `gradient`, which has the input's count.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func quantileLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    quantiles: [Double] = [0.5],
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try quantile(input, target, quantiles) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
