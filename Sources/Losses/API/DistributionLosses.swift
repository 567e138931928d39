// The public forms of the distribution losses (docs/distributions.md): kl_div (gradient w.r.t.
// input; its target's in `klDivTargetGradient`), kl_divergence and js_divergence (gradients
// w.r.t. p and q), the WGAN critic and generator losses and the gradient penalty; allocating,
// then in place.

/// `kl_div` over borrowed buffers: input and target of one count, `rows` its first dimension.
struct KLDivCall<T: LossFloat>: BufferCall {
    let input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>
    let rows: Int?, logTarget: Bool, batchMean: Bool, reduction: Reduction

    var name: StaticString { "kl_div" }

    /// input.shape[0]: `rows`, which divides the count, or the count itself.
    func checkedRows() throws(LossError) -> Int {
        try requireCount("target", target.count, input.count, "input")
        guard let rows else { return input.count }
        guard rows >= 0 else { throw LossError(.invalidSize, "rows must be >= 0, got \(rows)") }
        guard rows == 0 ? input.isEmpty : input.count % rows == 0 else {
            throw LossError(.shapeMismatch, "input has \(input.count) values: not \(rows) whole rows")
        }
        return rows
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        _ = try checkedRows()
        try DistributionsParameters.checkBatchMean(batchMean, reduction)
        return CallShape(samples: input.count, elements: input.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Distributions.klDiv(input: input, target: target, rows: try checkedRows(), logTarget: logTarget,
                            batchMean: batchMean, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, target) { return "target" }
        return nil
    }
}

func klDivCall<T: LossFloat, R>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, rows: Int?, logTarget: Bool,
    batchMean: Bool, reduction: Reduction, _ body: (KLDivCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try body(KLDivCall(input: x, target: t, rows: rows, logTarget: logTarget, batchMean: batchMean,
                               reduction: reduction))
        }
    }
}

/// `kl_divergence` or `js_divergence` over borrowed buffers: `rows` rows of p and q.
struct DivergenceCall<T: LossFloat>: BufferCall {
    let p: UnsafeBufferPointer<T>, q: UnsafeBufferPointer<T>
    let rows: Int, jensenShannon: Bool

    var name: StaticString { jensenShannon ? "js_divergence" : "kl_divergence" }

    static var names: GradientNames {
        GradientNames(first: "gradientP", firstInput: "p", second: "gradientQ", secondInput: "q")
    }

    /// The row width d: p holds rows·d values.
    private func width() throws(LossError) -> Int {
        guard rows >= 0 else { throw LossError(.invalidSize, "rows must be >= 0, got \(rows)") }
        try requireCount("q", q.count, p.count, "p")
        guard rows > 0 else {
            guard p.isEmpty else { throw LossError(.shapeMismatch, "0 rows with non-empty p") }
            return 0
        }
        guard p.count % rows == 0 else {
            throw LossError(.shapeMismatch, "p has \(p.count) values: not \(rows) whole rows")
        }
        return p.count / rows
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        _ = try width()
        return CallShape(samples: rows, elements: p.count, secondElements: q.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Distributions.divergence(pk: p, qk: q, rows: rows, width: try width(), jensenShannon: jensenShannon, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, p) { return "p" }
        if overlaps(region, q) { return "q" }
        return nil
    }
}

func divergenceCall<T: LossFloat, R>(
    _ p: some ContiguousStorage<T>, _ q: some ContiguousStorage<T>, rows: Int, jensenShannon: Bool,
    _ body: (DivergenceCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try p.withUnsafeBufferPointer { (a) throws(LossError) in
        try q.withUnsafeBufferPointer { (b) throws(LossError) in
            try body(DivergenceCall(p: a, q: b, rows: rows, jensenShannon: jensenShannon))
        }
    }
}

/// `wgan_critic_loss` over borrowed buffers: N real and M fake scores, one value.
struct WGANCriticCall<T: LossFloat>: BufferCall {
    let real: UnsafeBufferPointer<T>, fake: UnsafeBufferPointer<T>

    var name: StaticString { "wgan_critic_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientReal", firstInput: "realScores", second: "gradientFake", secondInput: "fakeScores")
    }

    func check() throws(LossError) -> CallShape {
        CallShape(samples: 1, elements: real.count, secondElements: fake.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) { Distributions.wganCriticLoss(real: real, fake: fake, into: o) }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, real) { return "realScores" }
        if overlaps(region, fake) { return "fakeScores" }
        return nil
    }
}

func wganCriticCall<T: LossFloat, R>(
    _ real: some ContiguousStorage<T>, _ fake: some ContiguousStorage<T>, _ body: (WGANCriticCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try real.withUnsafeBufferPointer { (a) throws(LossError) in
        try fake.withUnsafeBufferPointer { (b) throws(LossError) in try body(WGANCriticCall(real: a, fake: b)) }
    }
}

/// `wgan_generator_loss` over borrowed buffers: M fake scores.
struct WGANGeneratorCall<T: LossFloat>: BufferCall {
    let fake: UnsafeBufferPointer<T>

    var name: StaticString { "wgan_generator_loss" }

    func check() throws(LossError) -> CallShape { CallShape(samples: fake.count, elements: fake.count) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) { Distributions.wganGeneratorLoss(fake: fake, into: o) }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        overlaps(region, fake) ? "fakeScores" : nil
    }
}

func wganGeneratorCall<T: LossFloat, R>(
    _ fake: some ContiguousStorage<T>, _ body: (WGANGeneratorCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try fake.withUnsafeBufferPointer { (f) throws(LossError) in try body(WGANGeneratorCall(fake: f)) }
}

/// `gradient_penalty` over borrowed buffers: `rows` rows of the critic's gradients.
struct GradientPenaltyCall<T: LossFloat>: BufferCall {
    let gradients: UnsafeBufferPointer<T>, rows: Int, weight: Double

    var name: StaticString { "gradient_penalty" }

    private func width() throws(LossError) -> Int {
        guard rows >= 0 else { throw LossError(.invalidSize, "rows must be >= 0, got \(rows)") }
        guard rows > 0 else {
            guard gradients.isEmpty else { throw LossError(.shapeMismatch, "0 rows with non-empty gradients") }
            return 0
        }
        guard gradients.count % rows == 0 else {
            throw LossError(.shapeMismatch, "gradients has \(gradients.count) values: not \(rows) whole rows")
        }
        return gradients.count / rows
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try DistributionsParameters.checkPenaltyWeight(weight)
        _ = try width()
        return CallShape(samples: rows, elements: gradients.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Distributions.gradientPenalty(gradients: gradients, rows: rows, width: try width(), weight: weight, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        overlaps(region, gradients) ? "gradients" : nil
    }
}

func gradientPenaltyCall<T: LossFloat, R>(
    _ gradients: some ContiguousStorage<T>, rows: Int, weight: Double,
    _ body: (GradientPenaltyCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try gradients.withUnsafeBufferPointer { (g) throws(LossError) in
        try body(GradientPenaltyCall(gradients: g, rows: rows, weight: weight))
    }
}

/// ∂`klDiv`/∂target, reduced as the loss: `log t + 1 - x` (0 where t = 0, where PyTorch's autograd
/// gives NaN), or `e^t (t - x + 1)` with `logTarget`. Errors name `kl_div_grad_target`.
public func klDivTargetGradient<T: LossFloat>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, rows: Int? = nil,
    logTarget: Bool = false, reduction: Reduction = .mean, batchMean: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> [T] {
    try namingErrors("kl_div_grad_target") { () throws(LossError) -> [T] in
        let n = try klDivCall(input, target, rows: rows, logTarget: logTarget, batchMean: batchMean,
                              reduction: reduction) { (call) throws(LossError) in
            _ = try call.check()
            return try call.checkedRows()
        }
        return try withTargetGradientBuffers(input, target, nil, reduction, gradOutput, samples: input.count) {
            x, y, _, go, gradient in
            Distributions.klDivTargetGradient(input: x, target: y, rows: n, logTarget: logTarget, batchMean: batchMean,
                                              reduction: reduction, gradOutput: go, into: gradient)
        }
    }
}

/// PyTorch's `kl_div(input, target, reduction, log_target)`: elementwise `xlogy(t, t) - t·x` (0 where
/// t = 0 for a finite x), or `e^t (t - x)` with `logTarget`; `input` holds log-probabilities.
///
/// `rows` is input.shape[0] (nil: the element count, a 1-D input); `.mean` divides by the element
/// count, or by `rows` with `batchMean` (PyTorch's 'batchmean', only with `.mean`, else
/// `.invalidOption`). ``LossResult/gradient`` is w.r.t. input: `-t` (`-e^t`); the target's is
/// ``klDivTargetGradient(_:_:rows:logTarget:reduction:batchMean:gradOutput:)``.
public func klDiv<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    rows: Int? = nil,
    logTarget: Bool = false,
    reduction: Reduction = .mean,
    batchMean: Bool = false,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try klDivCall(input, target, rows: rows, logTarget: logTarget, batchMean: batchMean, reduction: reduction) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `klDiv` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient w.r.t.
/// input into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func klDiv<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    rows: Int? = nil,
    logTarget: Bool = false,
    reduction: Reduction = .mean,
    batchMean: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try klDivCall(input, target, rows: rows, logTarget: logTarget, batchMean: batchMean, reduction: reduction) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `klDiv` in place: writes the values into `values`. A call that throws has written nothing.
public func klDiv<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    rows: Int? = nil,
    logTarget: Bool = false,
    reduction: Reduction = .mean,
    batchMean: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try klDivCall(input, target, rows: rows, logTarget: logTarget, batchMean: batchMean, reduction: reduction) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `klDiv` in place: writes the values into `values` and the gradient w.r.t. input into
/// `gradient`. A call that throws has written nothing.
public func klDiv<T: LossFloat>(
    _ input: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    rows: Int? = nil,
    logTarget: Bool = false,
    reduction: Reduction = .mean,
    batchMean: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try klDivCall(input, target, rows: rows, logTarget: logTarget, batchMean: batchMean, reduction: reduction) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// The Kullback-Leibler divergence of each of `rows` distributions: `Σ_j rel_entr(p_j, q_j)`, `p log(p/q)`
/// with 0·log 0 = 0 (scipy.special.rel_entr summed; scipy.stats.entropy(p, q) for rows that sum to 1:
/// rows are not normalised). `p` and `q` are (rows, d). q = 0 < p gives +inf. ``PairResult/gradientX1``
/// is w.r.t. p (`log(p/q) + 1`, 0 where p = 0), ``PairResult/gradientX2`` w.r.t. q (`-p/q`, 0 where
/// p = 0). `.none` (the default) gives one value per row, `.mean` divides by the rows.
public func klDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try divergenceCall(p, q, rows: rows, jensenShannon: false) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `klDivergence` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientP` and `gradientQ`. `.none` throws `.invalidOption`: its values need storage, `into:`. A call
/// that throws has written nothing.
@discardableResult
public func klDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientP: inout some MutableContiguousStorage<T>,
    gradientQ: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try divergenceCall(p, q, rows: rows, jensenShannon: false) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientP, gradientX2: &gradientQ, names: DivergenceCall<T>.names)
    }
}

/// `klDivergence` in place: writes the values into `values`. A call that throws has written nothing.
public func klDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try divergenceCall(p, q, rows: rows, jensenShannon: false) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `klDivergence` in place: writes the values into `values` and its gradients into `gradientP` and
/// `gradientQ`. A call that throws has written nothing.
public func klDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientP: inout some MutableContiguousStorage<T>,
    gradientQ: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try divergenceCall(p, q, rows: rows, jensenShannon: false) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientP, gradientX2: &gradientQ,
                      names: DivergenceCall<T>.names)
    }
}

/// The Jensen-Shannon divergence (natural log) of each of `rows` pairs of distributions:
/// `½ KL(p‖m) + ½ KL(q‖m)`, m = (p + q)/2 (scipy's jensenshannon(p, q)² for rows that sum to 1:
/// rows are not normalised). Gradients ``PairResult/gradientX1`` (p: `½ log(p/m)`, -½ where
/// p = 0 < q, 0 where p = q = 0) and ``PairResult/gradientX2`` (q, symmetrically): finite.
public func jsDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try divergenceCall(p, q, rows: rows, jensenShannon: true) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `jsDivergence` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientP` and `gradientQ`. `.none` throws `.invalidOption`: its values need storage, `into:`. A call
/// that throws has written nothing.
@discardableResult
public func jsDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientP: inout some MutableContiguousStorage<T>,
    gradientQ: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try divergenceCall(p, q, rows: rows, jensenShannon: true) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientP, gradientX2: &gradientQ, names: DivergenceCall<T>.names)
    }
}

/// `jsDivergence` in place: writes the values into `values`. A call that throws has written nothing.
public func jsDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try divergenceCall(p, q, rows: rows, jensenShannon: true) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `jsDivergence` in place: writes the values into `values` and its gradients into `gradientP` and
/// `gradientQ`. A call that throws has written nothing.
public func jsDivergence<T: LossFloat>(
    _ p: some ContiguousStorage<T>,
    _ q: some ContiguousStorage<T>,
    rows: Int,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientP: inout some MutableContiguousStorage<T>,
    gradientQ: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try divergenceCall(p, q, rows: rows, jensenShannon: true) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientP, gradientX2: &gradientQ,
                      names: DivergenceCall<T>.names)
    }
}

/// The WGAN critic's loss: `mean(fake) - mean(real)` (`.sum`: `sum(fake) - sum(real)`; `.none` gives
/// the mean's value, one value: a real and a fake score form no pair). An empty batch has a NaN
/// mean. ``PairResult/gradientX1`` is w.r.t. the real scores (-1/N), ``PairResult/gradientX2``
/// w.r.t. the fake ones (1/M).
public func wganCriticLoss<T: LossFloat>(
    _ realScores: some ContiguousStorage<T>,
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try wganCriticCall(realScores, fakeScores) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `wganCriticLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientReal` and `gradientFake`. `.none` throws `.invalidOption`: its values need storage, `into:`. A call
/// that throws has written nothing.
@discardableResult
public func wganCriticLoss<T: LossFloat>(
    _ realScores: some ContiguousStorage<T>,
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientReal: inout some MutableContiguousStorage<T>,
    gradientFake: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try wganCriticCall(realScores, fakeScores) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientReal, gradientX2: &gradientFake, names: WGANCriticCall<T>.names)
    }
}

/// `wganCriticLoss` in place: writes the values into `values`. A call that throws has written nothing.
public func wganCriticLoss<T: LossFloat>(
    _ realScores: some ContiguousStorage<T>,
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try wganCriticCall(realScores, fakeScores) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `wganCriticLoss` in place: writes the values into `values` and its gradients into `gradientReal` and
/// `gradientFake`. A call that throws has written nothing.
public func wganCriticLoss<T: LossFloat>(
    _ realScores: some ContiguousStorage<T>,
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientReal: inout some MutableContiguousStorage<T>,
    gradientFake: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try wganCriticCall(realScores, fakeScores) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientReal, gradientX2: &gradientFake,
                      names: WGANCriticCall<T>.names)
    }
}

/// The WGAN generator's loss: `-fake` per score, `.mean` `-mean(fake)`. The gradient is -1/M per
/// score for the mean.
public func wganGeneratorLoss<T: LossFloat>(
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try wganGeneratorCall(fakeScores) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `wganGeneratorLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient w.r.t.
/// the scores into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func wganGeneratorLoss<T: LossFloat>(
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try wganGeneratorCall(fakeScores) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `wganGeneratorLoss` in place: writes the values into `values`. A call that throws has written nothing.
public func wganGeneratorLoss<T: LossFloat>(
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try wganGeneratorCall(fakeScores) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `wganGeneratorLoss` in place: writes the values into `values` and the gradient w.r.t. the scores into
/// `gradient`. A call that throws has written nothing.
public func wganGeneratorLoss<T: LossFloat>(
    _ fakeScores: some ContiguousStorage<T>,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try wganGeneratorCall(fakeScores) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// WGAN-GP's gradient penalty of `rows` rows of the critic's gradients (one flattened row per
/// sample): `weight (‖g_i‖₂ - 1)²` per row, `.mean` over the rows. `weight` finite and >= 0
/// (else `.invalidArgument`). The gradient `2 weight (‖g_i‖ - 1) g_i/‖g_i‖` is 0 for a zero row
/// (PyTorch autograd's subgradient of the norm).
public func gradientPenalty<T: LossFloat>(
    _ gradients: some ContiguousStorage<T>,
    rows: Int,
    weight: Double = 10,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try gradientPenaltyCall(gradients, rows: rows, weight: weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `gradientPenalty` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient w.r.t.
/// the gradients into `gradient`. `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func gradientPenalty<T: LossFloat>(
    _ gradients: some ContiguousStorage<T>,
    rows: Int,
    weight: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try gradientPenaltyCall(gradients, rows: rows, weight: weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `gradientPenalty` in place: writes the values into `values`. A call that throws has written nothing.
public func gradientPenalty<T: LossFloat>(
    _ gradients: some ContiguousStorage<T>,
    rows: Int,
    weight: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try gradientPenaltyCall(gradients, rows: rows, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `gradientPenalty` in place: writes the values into `values` and the gradient w.r.t. the gradients into
/// `gradient`. A call that throws has written nothing.
public func gradientPenalty<T: LossFloat>(
    _ gradients: some ContiguousStorage<T>,
    rows: Int,
    weight: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try gradientPenaltyCall(gradients, rows: rows, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

