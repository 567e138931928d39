// The public forms of the negative log likelihoods (docs/regression.md): poisson_nll_loss (an
// elementwise loss: `ElementwiseCall`; its target's gradient in `poissonNLLLossTargetGradient`)
// and gaussian_nll_loss (gradients w.r.t. input and var), allocating, then in place.

/// `gaussian_nll_loss` over borrowed buffers: input and target of `width`-element rows, and one
/// variance per element or per row.
struct GaussianNLLCall<T: LossFloat>: BufferCall {
    let input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, variance: UnsafeBufferPointer<T>
    let width: Int?, full: Bool, eps: Double

    var name: StaticString { "gaussian_nll_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientInput", firstInput: "input", second: "gradientVar", secondInput: "variance")
    }

    /// The row width and whether one variance serves a row: from var's count, as PyTorch tells a
    /// homoscedastic var from a heteroscedastic one by its shape.
    func layout() throws(LossError) -> (width: Int, perRow: Bool) {
        try requireCount("target", target.count, input.count, "input")
        let width = self.width ?? input.count
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        guard width == 0 ? input.isEmpty : input.count % width == 0 else {
            throw LossError(.shapeMismatch, "input has \(input.count) values: not whole rows of \(width)")
        }
        if variance.count == input.count { return (width, false) }
        let rows = width == 0 ? 0 : input.count / width
        guard variance.count == rows else {
            throw LossError(.shapeMismatch, "variance has \(variance.count) values: one per element (\(input.count)) or one per row (\(rows)) expected")
        }
        return (width, true)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let (_, perRow) = try layout()
        try LikelihoodParameters.checkGaussianEps(eps)
        try LikelihoodParameters.checkVariances(variance)
        return CallShape(samples: input.count, elements: input.count, secondElements: perRow ? variance.count : input.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let (width, perRow) = try layout()
        Likelihood.gaussianNLLLoss(input: input, target: target, variance: variance, width: width, perRow: perRow,
                                   full: full, eps: eps, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, target) { return "target" }
        if overlaps(region, variance) { return "variance" }
        return nil
    }
}

func gaussianNLLCall<T: LossFloat, R>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, _ variance: some ContiguousStorage<T>,
    width: Int?, full: Bool, eps: Double, _ body: (GaussianNLLCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try variance.withUnsafeBufferPointer { (v) throws(LossError) in
                try body(GaussianNLLCall(input: x, target: t, variance: v, width: width, full: full, eps: eps))
            }
        }
    }
}

/// PyTorch's `poisson_nll_loss`: elementwise `exp(x) - t·x` (`logInput`, x a log-rate) or
/// `x - t·log(x + eps)` (x a rate), plus Stirling's term `t log t - t + ½log(2πt)` where t > 1 with
/// `full`. eps finite and >= 0. ``LossResult/gradient`` is w.r.t. input (`exp(x) - t`, or
/// `1 - t/(x + eps)`); the target's is ``poissonNLLLossTargetGradient(_:_:logInput:full:eps:reduction:gradOutput:)``.
public func poissonNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    logInput: Bool = true,
    full: Bool = false,
    eps: Double = 1e-8,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try elementwise(.poissonNLL(logInput: logInput, full: full, eps: eps), input, target, nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `poisson_nll_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradient into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func poissonNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    logInput: Bool = true,
    full: Bool = false,
    eps: Double = 1e-8,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try elementwise(.poissonNLL(logInput: logInput, full: full, eps: eps), input, target, nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `poisson_nll_loss` in place: writes the values into `values`. A call that throws has written nothing.
public func poissonNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    logInput: Bool = true,
    full: Bool = false,
    eps: Double = 1e-8,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.poissonNLL(logInput: logInput, full: full, eps: eps), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `poisson_nll_loss` in place: writes the values into `values` and the gradient w.r.t. input into
/// `gradient`. A call that throws has written nothing.
public func poissonNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    logInput: Bool = true,
    full: Bool = false,
    eps: Double = 1e-8,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try elementwise(.poissonNLL(logInput: logInput, full: full, eps: eps), input, target, nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// PyTorch's `gaussian_nll_loss`: elementwise `½(log v + (x - t)²/v)` with `v = max(variance, eps)`,
/// plus `½log(2π)` with `full`. `width` is the last dimension (nil: one row, the whole input);
/// `variance` holds one value per element, or one per row (PyTorch's var with a last dimension of
/// 1 or one dimension fewer), each >= 0 (`.invalidArgument` otherwise). eps finite and > 0.
/// ``PairResult/gradientX1`` is w.r.t. input (`(x - t)/v`; the target's is its negative),
/// ``PairResult/gradientX2`` w.r.t. variance (`½(1/v - (x - t)²/v²)`, summed over the row for a
/// per-row variance): as PyTorch, whose clamp is not recorded by autograd, the unclamped formula's
/// derivative at the clamped v, not 0, below eps.
public func gaussianNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    variance: some ContiguousStorage<T>,
    width: Int? = nil,
    full: Bool = false,
    eps: Double = 1e-6,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try gaussianNLLCall(input, target, variance, width: width, full: full, eps: eps) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `gaussian_nll_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients w.r.t. input and variance. `.none` throws `.invalidOption`. A call that throws has
/// written nothing.
@discardableResult
public func gaussianNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    variance: some ContiguousStorage<T>,
    width: Int? = nil,
    full: Bool = false,
    eps: Double = 1e-6,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientInput: inout some MutableContiguousStorage<T>,
    gradientVar: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try gaussianNLLCall(input, target, variance, width: width, full: full, eps: eps) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientInput, gradientX2: &gradientVar,
                         names: GaussianNLLCall<T>.names)
    }
}

/// `gaussian_nll_loss` in place: writes the values into `values`. A call that throws has written nothing.
public func gaussianNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    variance: some ContiguousStorage<T>,
    width: Int? = nil,
    full: Bool = false,
    eps: Double = 1e-6,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try gaussianNLLCall(input, target, variance, width: width, full: full, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `gaussian_nll_loss` in place: writes the values into `values` and the gradients w.r.t. input and
/// variance into `gradientInput` and `gradientVar`. A call that throws has written nothing.
public func gaussianNLLLoss<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    variance: some ContiguousStorage<T>,
    width: Int? = nil,
    full: Bool = false,
    eps: Double = 1e-6,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientInput: inout some MutableContiguousStorage<T>,
    gradientVar: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try gaussianNLLCall(input, target, variance, width: width, full: full, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientInput,
                      gradientX2: &gradientVar, names: GaussianNLLCall<T>.names)
    }
}
