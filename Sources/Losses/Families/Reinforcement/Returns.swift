// The targets of value learning (docs/reinforcement.md): rlax's TD error, λ-returns and truncated
// GAE over n trajectories of l steps, (n, l) row-major. Targets have no gradient (they are held
// constant by definition): metrics. Each row is a backwards recurrence, scanned in double in one
// order; rows are independent, so they are split across threads by whole rows and every result is
// the same bits whatever the thread count.

extension Reinforcement {
    /// Runs `row(r)` for each of `rows` rows of `length` steps, on several threads when the call is
    /// large. A row writes only its own outputs (race-free).
    @inlinable
    static func forEachRow(_ rows: Int, length: Int, _ row: (Int) -> Void) {
        // Rows per chunk: about chunkLength elements, at least one row.
        let perChunk = Swift.max(1, chunkLength / Swift.max(length, 1))
        let chunks = (rows + perChunk - 1) / perChunk
        forEachChunk(chunks, parallel: rows &* length >= parallelThreshold && chunks > 1) { c in
            let end = Swift.min(rows, (c &+ 1) &* perChunk)
            var r = c &* perChunk
            while r < end {
                row(r)
                r &+= 1
            }
        }
    }

    /// `td_error`: `rewards + γ(1 - dones)·nextValues - values` per element, in double, rounded once.
    @inlinable
    package static func tdError<T: LossFloat>(
        rewards: UnsafeBufferPointer<T>, values: UnsafeBufferPointer<T>, nextValues: UnsafeBufferPointer<T>,
        dones: UnsafeBufferPointer<T>, gamma: Double, into out: UnsafeMutableBufferPointer<T>
    ) {
        let n = values.count
        forEachRow((n + chunkLength - 1) / chunkLength, length: chunkLength) { c in
            for i in (c &* chunkLength)..<Swift.min(n, (c &+ 1) &* chunkLength) {
                let target = Double(rewards[i]) + gamma * (1 - Double(dones[i])) * Double(nextValues[i])
                out[i] = T(target - Double(values[i]))
            }
        }
    }

    /// `td_lambda_returns` of `rows` trajectories of `length` steps: rlax's `lambda_returns`, each
    /// row scanned backwards from its last next value, `G = r + γ((1 - λ)v + λG)` (rlax's order of
    /// operations).
    @inlinable
    package static func lambdaReturns<T: LossFloat>(
        rewards: UnsafeBufferPointer<T>, discounts: UnsafeBufferPointer<T>, nextValues: UnsafeBufferPointer<T>,
        rows: Int, length l: Int, lambda: Double, into out: UnsafeMutableBufferPointer<T>
    ) {
        guard l > 0 else { return }
        forEachRow(rows, length: l) { r in
            let base = r &* l
            var g = Double(nextValues[base &+ l &- 1])
            var t = l
            while t > 0 {
                t &-= 1
                let i = base &+ t
                g = Double(rewards[i]) + Double(discounts[i]) * ((1 - lambda) * Double(nextValues[i]) + lambda * g)
                out[i] = T(g)
            }
        }
    }

    /// `gae` of `rows` trajectories of `length` steps, values of `length + 1` per row: rlax's
    /// `truncated_generalized_advantage_estimation`, `δ = r + γV' - V`, `A = δ + λγA'` from A = 0
    /// past the last step.
    @inlinable
    package static func gae<T: LossFloat>(
        rewards: UnsafeBufferPointer<T>, discounts: UnsafeBufferPointer<T>, values: UnsafeBufferPointer<T>,
        rows: Int, length l: Int, lambda: Double, into out: UnsafeMutableBufferPointer<T>
    ) {
        guard l > 0 else { return }
        forEachRow(rows, length: l) { r in
            let base = r &* l, v = r &* (l &+ 1)
            var advantage = 0.0
            var t = l
            while t > 0 {
                t &-= 1
                let i = base &+ t, discount = Double(discounts[i])
                let delta = Double(rewards[i]) + discount * Double(values[v &+ t &+ 1]) - Double(values[v &+ t])
                advantage = delta + lambda * discount * advantage
                out[i] = T(advantage)
            }
        }
    }
}

extension ReinforcementParameters {
    /// The λ of the λ-returns and of GAE: in [0, 1] (NaN refused).
    package static func checkLambda(_ lambda: Double) throws(LossError) {
        guard lambda >= 0, lambda <= 1 else {
            throw LossError(.invalidArgument, "lambda_ must be in [0, 1], got \(lambda)")
        }
    }
}
