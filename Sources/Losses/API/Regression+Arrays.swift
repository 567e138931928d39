// The Swift array API of the regression losses (docs/regression.md): PyTorch's names in Swift case,
// the same defaults, validation that throws `LossError` instead of trapping.

/// Mean squared error `(input - target)²`, PyTorch's `mse_loss`.
///
/// With `weight`, each element's loss is multiplied by it and `.mean` divides by `Σ weight`
/// (PyTorch 2.x semantics). `gradient` is that of the returned value; for `.none` it is the
/// gradient of `Σ gradOutput·value` (`gradOutput` absent means ones).
public func mseLoss<T: LossFloat>(
    _ input: [T], _ target: [T], weight: [T]? = nil, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, weight)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        withPair(input, target, weight) { Regression.mseLoss(input: $0, target: $1, weight: $2, into: o) }
    }
}

/// Mean absolute error `|input - target|`, PyTorch's `l1_loss`; weighted `.mean` divides by
/// `Σ weight`. The gradient at a zero residual is 0.
public func l1Loss<T: LossFloat>(
    _ input: [T], _ target: [T], weight: [T]? = nil, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, weight)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        withPair(input, target, weight) { Regression.l1Loss(input: $0, target: $1, weight: $2, into: o) }
    }
}

/// Huber loss, PyTorch's `huber_loss`: `½d²` if `|d| < delta`, else `delta·(|d| - ½delta)`.
///
/// Unlike `mseLoss`/`l1Loss`, a weighted `.mean` divides by the element count, as PyTorch does.
/// - Parameter delta: positive and finite.
public func huberLoss<T: LossFloat>(
    _ input: [T], _ target: [T], reduction: Reduction = .mean, delta: Double = 1.0,
    weight: [T]? = nil, gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try RegressionParameters.checkDelta(delta)
    try checkPair(input, target, weight)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        withPair(input, target, weight) {
            Regression.huberLoss(input: $0, target: $1, weight: $2, delta: delta, into: o)
        }
    }
}

/// Smooth L1 loss, PyTorch's `smooth_l1_loss`: `½d²/beta` if `|d| < beta`, else `|d| - ½beta`;
/// `beta = 0` is L1.
/// - Parameter beta: finite and >= 0.
public func smoothL1Loss<T: LossFloat>(
    _ input: [T], _ target: [T], reduction: Reduction = .mean, beta: Double = 1.0,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try RegressionParameters.checkBeta(beta)
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, y, _ in Regression.smoothL1Loss(input: x, target: y, beta: beta, into: o) }
    }
}

/// `log(cosh(input - target))`, optax's `log_cosh`, finite for any finite residual.
public func logCoshLoss<T: LossFloat>(
    _ input: [T], _ target: [T], reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try checkPair(input, target, nil)
    return try evaluate(elements: input.count, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        withPair(input, target, nil) { x, y, _ in Regression.logCoshLoss(input: x, target: y, into: o) }
    }
}

/// Pinball (quantile) loss `max(q·u, (q-1)·u)`, `u = target - input`, for several quantiles at
/// once: `input` is (N, Q) row-major, `target` (N), `quantiles` (Q), each in [0, 1].
/// `.mean` averages over all N·Q elements (`sklearn.metrics.mean_pinball_loss` averaged over
/// the quantiles). The gradient at u = 0 is `½ - q`.
public func quantileLoss<T: LossFloat>(
    _ input: [T], _ target: [T], quantiles: [Double] = [0.5], reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: [T]? = nil
) throws(LossError) -> LossResult<T> {
    try quantiles.withUnsafeBufferPointer { q throws(LossError) in try RegressionParameters.checkQuantiles(q) }
    let (n, overflow) = target.count.multipliedReportingOverflow(by: quantiles.count)
    guard !overflow else { throw LossError(.invalidSize, "target × quantiles overflows") }
    try requireCount("input", input.count, n, "target count × quantile count")
    return try evaluate(elements: n, reduction: reduction, gradient: gradient,
                        gradOutput: gradOutput) { o in
        input.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { y in
                quantiles.withUnsafeBufferPointer { q in
                    Regression.quantileLoss(input: x, target: y, quantiles: q, into: o)
                }
            }
        }
    }
}

@inlinable
func checkPair<T>(_ input: [T], _ target: [T], _ weight: [T]?) throws(LossError) {
    try requireCount("target", target.count, input.count, "input")
    if let weight { try requireCount("weight", weight.count, input.count, "input") }
}

@inlinable
func withPair<T, R>(
    _ input: [T], _ target: [T], _ weight: [T]?,
    _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>?) -> R
) -> R {
    input.withUnsafeBufferPointer { x in
        target.withUnsafeBufferPointer { y in weight.withBuffer { w in body(x, y, w) } }
    }
}
