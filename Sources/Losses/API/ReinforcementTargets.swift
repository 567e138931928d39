// The public forms of the value-learning targets (docs/reinforcement.md): td_error,
// td_lambda_returns and gae, metrics (no gradient, no reduction), each allocating and into the
// caller's storage. A batch is `trajectories` rows of equal length, row-major.

/// The checked shape of a target's call: `rows` trajectories of `length` steps.
struct TrajectoryShape {
    var rows: Int, length: Int
    var count: Int { rows * length }

    /// `trajectories` rows sharing `count` steps: refuses a negative row count, or a count the rows
    /// do not divide (a positive count with 0 rows included).
    init(_ trajectories: Int, count: Int) throws(LossError) {
        guard trajectories >= 0 else { throw LossError(.invalidSize, "trajectories must be >= 0, got \(trajectories)") }
        guard trajectories > 0 ? count % trajectories == 0 : count == 0 else {
            throw LossError(.shapeMismatch, "rewards has \(count) elements: not \(trajectories) trajectories of equal length")
        }
        (rows, length) = (trajectories, trajectories > 0 ? count / trajectories : 0)
    }
}

/// Opens three inputs of a target and hands `body` their buffers.
func openTrajectories<T: LossFloat, R>(
    _ a: some ContiguousStorage<T>, _ b: some ContiguousStorage<T>, _ c: some ContiguousStorage<T>,
    _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try a.withUnsafeBufferPointer { (x) throws(LossError) in
        try b.withUnsafeBufferPointer { (y) throws(LossError) in
            try c.withUnsafeBufferPointer { (z) throws(LossError) in try body(x, y, z) }
        }
    }
}

/// A target computed into a new array of `count` values by `compute`.
func computedTarget<T: LossFloat>(_ count: Int, _ compute: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        buffer.initialize(repeating: 0)
        compute(buffer)
        initialized = count
    }
}

/// Writes a target's values into the caller's storage after checking its count.
func writeTarget<T: LossFloat>(_ values: [T], into storage: inout some MutableContiguousStorage<T>,
                               _ name: String) throws(LossError) {
    guard storage.count == values.count else {
        throw LossError(.shapeMismatch, "values has \(storage.count) elements, expected \(values.count) (one per step)",
                        loss: name)
    }
    storage.withUnsafeMutableBufferPointer { buffer in
        for i in 0..<values.count { buffer[i] = values[i] }
    }
}

/// The TD error of each step, rlax's `td_learning`: `rewards + gamma·(1 - dones)·nextValues -
/// values`, computed in `Double` and rounded once; one value per element (any batch shape,
/// flattened). `gamma` in [0, 1] (else `.invalidArgument`); the four inputs of one count (else
/// `.shapeMismatch`). No gradient: a target.
public func tdError<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99
) throws(LossError) -> [T] {
    try metric("td_error") { () throws(LossError) in
        try openTrajectories(rewards, values, nextValues) { (r, v, next) throws(LossError) in
            try dones.withUnsafeBufferPointer { (d) throws(LossError) in
                try requireCount("values", v.count, r.count, "rewards")
                try requireCount("nextValues", next.count, r.count, "rewards")
                try requireCount("dones", d.count, r.count, "rewards")
                try ReinforcementParameters.checkGamma(gamma)
                return computedTarget(r.count) {
                    Reinforcement.tdError(rewards: r, values: v, nextValues: next, dones: d, gamma: gamma, into: $0)
                }
            }
        }
    }
}

/// ``tdError(_:_:_:_:gamma:)`` written into `output` (one value per element; checked first,
/// nothing written on any error).
public func tdError<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    _ dones: some ContiguousStorage<T>,
    gamma: Double = 0.99,
    into output: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try writeTarget(try tdError(rewards, values, nextValues, dones, gamma: gamma), into: &output, "td_error")
}

/// λ-returns, rlax's `lambda_returns`, of `trajectories` rows of T steps: `nextValues[t]` is the
/// value of the state step t reached (rlax's `v_t`), the last one of a row also its bootstrap;
/// backwards from `G = nextValues[T-1]`, `G_t = rewards[t] + discounts[t]·((1 - λ)·nextValues[t] +
/// λ·G_{t+1})`, in `Double`. λ = 1: discounted returns bootstrapped on the last value; λ = 0: one-step
/// targets. `lambda` in [0, 1] (else `.invalidArgument`); discounts unchecked. T = 0: empty.
public func tdLambdaReturns<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ discounts: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    trajectories: Int = 1,
    lambda: Double = 0.95
) throws(LossError) -> [T] {
    try metric("td_lambda_returns") { () throws(LossError) in
        try openTrajectories(rewards, discounts, nextValues) { (r, d, next) throws(LossError) in
            let shape = try TrajectoryShape(trajectories, count: r.count)
            try requireCount("discounts", d.count, r.count, "rewards")
            try requireCount("nextValues", next.count, r.count, "rewards")
            try ReinforcementParameters.checkLambda(lambda)
            return computedTarget(r.count) {
                Reinforcement.lambdaReturns(rewards: r, discounts: d, nextValues: next, rows: shape.rows,
                                            length: shape.length, lambda: lambda, into: $0)
            }
        }
    }
}

/// ``tdLambdaReturns(_:_:_:trajectories:lambda:)`` written into `output` (one value per step;
/// checked first, nothing written on any error).
public func tdLambdaReturns<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ discounts: some ContiguousStorage<T>,
    _ nextValues: some ContiguousStorage<T>,
    trajectories: Int = 1,
    lambda: Double = 0.95,
    into output: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let values = try tdLambdaReturns(rewards, discounts, nextValues, trajectories: trajectories, lambda: lambda)
    try writeTarget(values, into: &output, "td_lambda_returns")
}

/// Generalised advantage estimates, rlax's `truncated_generalized_advantage_estimation`, of
/// `trajectories` rows of T steps: `values` holds T + 1 values per row, V(s_0)…V(s_T) (the last
/// bootstraps); `δ_t = rewards[t] + discounts[t]·values[t+1] - values[t]`, `A_t = δ_t +
/// λ·discounts[t]·A_{t+1}` backwards from 0, in `Double`. `lambda` in [0, 1] (else
/// `.invalidArgument`); discounts unchecked. T = 0: empty.
public func gae<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ discounts: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    trajectories: Int = 1,
    lambda: Double = 0.95
) throws(LossError) -> [T] {
    try metric("gae") { () throws(LossError) in
        try openTrajectories(rewards, discounts, values) { (r, d, v) throws(LossError) in
            let shape = try TrajectoryShape(trajectories, count: r.count)
            try requireCount("discounts", d.count, r.count, "rewards")
            try requireCount("values", v.count, shape.rows * (shape.length + 1), "T + 1 per trajectory")
            try ReinforcementParameters.checkLambda(lambda)
            return computedTarget(r.count) {
                Reinforcement.gae(rewards: r, discounts: d, values: v, rows: shape.rows, length: shape.length,
                                  lambda: lambda, into: $0)
            }
        }
    }
}

/// ``gae(_:_:_:trajectories:lambda:)`` written into `output` (one value per step; checked first,
/// nothing written on any error).
public func gae<T: LossFloat>(
    _ rewards: some ContiguousStorage<T>,
    _ discounts: some ContiguousStorage<T>,
    _ values: some ContiguousStorage<T>,
    trajectories: Int = 1,
    lambda: Double = 0.95,
    into output: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try writeTarget(try gae(rewards, discounts, values, trajectories: trajectories, lambda: lambda), into: &output, "gae")
}
