// The public forms of the temporal-difference loss (docs/reinforcement.md); allocating, then in
// place. Its one gradient is w.r.t. values.

/// `td_loss` over borrowed buffers: four inputs of one count, one transition per element.
struct TDCall<T: LossFloat>: BufferCall {
    let rewards: UnsafeBufferPointer<T>, values: UnsafeBufferPointer<T>
    let nextValues: UnsafeBufferPointer<T>, dones: UnsafeBufferPointer<T>
    let gamma: Double, loss: TDLossType

    var name: StaticString { "td_loss" }

    /// What the in-place forms' errors call the gradient and its input.
    static var names: GradientNames { GradientNames(first: "gradient", firstInput: "values") }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try requireCount("values", values.count, rewards.count, "rewards")
        try requireCount("nextValues", nextValues.count, rewards.count, "rewards")
        try requireCount("dones", dones.count, rewards.count, "rewards")
        try ReinforcementParameters.checkGamma(gamma)
        return CallShape(samples: rewards.count, elements: rewards.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Reinforcement.tdLoss(rewards: rewards, values: values, nextValues: nextValues, dones: dones, gamma: gamma,
                             loss: loss, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, rewards) { return "rewards" }
        if overlaps(region, values) { return "values" }
        if overlaps(region, nextValues) { return "nextValues" }
        if overlaps(region, dones) { return "dones" }
        return nil
    }
}

/// Opens the storage of `td_loss` and hands `body` the call over it.
func temporalDifference<T: LossFloat, R>(
    _ rewards: some ContiguousStorage<T>, _ values: some ContiguousStorage<T>, _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>, gamma: Double, loss: TDLossType, _ body: (TDCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try rewards.withUnsafeBufferPointer { (r) throws(LossError) in
        try values.withUnsafeBufferPointer { (v) throws(LossError) in
            try nextValues.withUnsafeBufferPointer { (next) throws(LossError) in
                try dones.withUnsafeBufferPointer { (d) throws(LossError) in
                    try body(TDCall(rewards: r, values: v, nextValues: next, dones: d, gamma: gamma, loss: loss))
                }
            }
        }
    }
}

/// The temporal-difference loss of T transitions: with
/// `δ_i = rewards_i + gamma·(1 - dones_i)·nextValues_i - values_i` (rlax's `td_learning`), `½δ²`
/// (`.mse`, optax's `l2_loss`) or optax's `huber_loss(δ, delta: 1)` (`.huber`).
///
/// The target is held constant (the semi-gradient TD update, rlax's stop-gradient): `gradient` is
/// w.r.t. `values` only, `-δ` (`.mse`) or `-clamp(δ, -1, 1)` (`.huber`) per element, scaled as the
/// reduction. `gamma` must be in [0, 1] (else `.invalidArgument`); `dones` are not checked (1
/// terminal, 0 bootstrapping; any other value enters the formula). δ is computed in `Double`. A NaN
/// or infinite next value gives NaN even where it is discounted to nothing (`0·inf`). T = 0: a NaN
/// mean, a 0 sum.
public func tdLoss<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99,
    loss: TDLossType = .mse,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try temporalDifference(rewards, values, nextValues, dones, gamma: gamma, loss: loss) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `td_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// w.r.t. values into `gradient`. `.none` throws `.invalidOption`. A call that throws has written
/// nothing. See <doc:CallingALoss>.
@discardableResult
public func tdLoss<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99,
    loss: TDLossType = .mse,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try temporalDifference(rewards, values, nextValues, dones, gamma: gamma, loss: loss) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient, names: TDCall<T>.names)
    }
}

/// `td_loss` in place: writes the values into `values` (one per transition for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func tdLoss<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99,
    loss: TDLossType = .mse,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into output: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try temporalDifference(rewards, values, nextValues, dones, gamma: gamma, loss: loss) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &output)
    }
}

/// `td_loss` in place: writes the values into `output` and the gradient w.r.t. values into
/// `gradient`. A call that throws has written nothing.
public func tdLoss<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99,
    loss: TDLossType = .mse,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into output: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try temporalDifference(rewards, values, nextValues, dones, gamma: gamma, loss: loss) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &output, gradient: &gradient, names: TDCall<T>.names)
    }
}

extension TDLossType {
    /// The type of C's `loss` selector (`LOSSES_TD_LOSS_*`: 0 mse, 1 huber); any other value throws
    /// `.invalidArgument`, naming `td_loss`, as the C call refuses it.
    public init(selector: Int32) throws(LossError) {
        self = try namingErrors("td_loss") { () throws(LossError) in try ReinforcementParameters.tdLossType(selector) }
    }
}
