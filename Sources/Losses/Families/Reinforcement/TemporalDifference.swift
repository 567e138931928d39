// The temporal-difference loss (docs/reinforcement.md): rlax's td_learning error of each
// transition, then optax's l2 (½δ²) or Huber loss of it, on the elementwise driver. The target
// r + γ(1 - done)V(s') is held constant (the semi-gradient), so the only gradient is w.r.t. V(s).

/// The loss applied to each TD error (the C selector's values, `LOSSES_TD_LOSS_*`).
public enum TDLossType: Int32, Sendable, CaseIterable {
    /// `½δ²`: rlax's and optax's `l2_loss`.
    case mse = 0
    /// optax's `huber_loss(δ, delta: 1)`: `½δ²` for `|δ| ≤ 1`, else `|δ| - ½`.
    case huber = 1
}

/// `½d²`, derivative `d`: optax's `l2_loss` (half the squared error, unlike `mse_loss`).
@usableFromInline struct HalfSquaredFormula<Scalar: LossFloat>: ResidualFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        (d * d / 2, d)
    }
}

/// Transition i: `formula(V(s_i) - target_i)` with `target_i = r_i + γ(1 - done_i)V(s'_i)`, which
/// is `formula(-δ_i)`: both formulas are even, and their derivative at `-δ` is the one w.r.t.
/// V(s_i). Computed in double whatever the element type, so that a float32 δ is δ rounded once
/// (the target and V(s) can be large and close).
@usableFromInline
struct TDKernel<T: LossFloat, F: ResidualFormula>: PointwiseKernel where F.Scalar == Double {
    @usableFromInline let rewards: UnsafeBufferPointer<T>, values: UnsafeBufferPointer<T>
    @usableFromInline let nextValues: UnsafeBufferPointer<T>, dones: UnsafeBufferPointer<T>
    @usableFromInline let gamma: Double, formula: F

    @inlinable
    init(_ rewards: UnsafeBufferPointer<T>, _ values: UnsafeBufferPointer<T>, _ nextValues: UnsafeBufferPointer<T>,
         _ dones: UnsafeBufferPointer<T>, _ gamma: Double, _ formula: F) {
        (self.rewards, self.values, self.nextValues, self.dones) = (rewards, values, nextValues, dones)
        (self.gamma, self.formula) = (gamma, formula)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) {
        let target = Double(rewards[i]) + gamma * (1 - Double(dones[i])) * Double(nextValues[i])
        let (value, derivative) = formula(Double(values[i]) - target)
        return (T(value), T(derivative))
    }
}

/// The reinforcement-learning entries over validated buffers (every input of one count, the
/// outputs as `LossOutputs` documents). The C exports and the array API both end here.
@usableFromInline package enum Reinforcement {
    /// `td_loss`: one value per transition; the gradient (the first of `o`) is w.r.t. values.
    @inlinable
    package static func tdLoss<T: LossFloat>(
        rewards: UnsafeBufferPointer<T>, values: UnsafeBufferPointer<T>, nextValues: UnsafeBufferPointer<T>,
        dones: UnsafeBufferPointer<T>, gamma: Double, loss: TDLossType, into o: LossOutputs<T>
    ) {
        switch loss {
        case .mse:
            reduceElementwise(count: values.count, weight: nil, into: o,
                              TDKernel(rewards, values, nextValues, dones, gamma, HalfSquaredFormula<Double>()))
        case .huber:
            reduceElementwise(count: values.count, weight: nil, into: o,
                              TDKernel(rewards, values, nextValues, dones, gamma, HuberFormula<Double>(1.0)))
        }
    }
}

/// Parameter checks shared by the Swift API and the C exports.
@usableFromInline package enum ReinforcementParameters {
    /// A discount factor: in [0, 1] (NaN refused).
    package static func checkGamma(_ gamma: Double) throws(LossError) {
        guard gamma >= 0, gamma <= 1 else {
            throw LossError(.invalidArgument, "gamma must be in [0, 1], got \(gamma)")
        }
    }

    /// The C selector of `td_loss`'s loss: 0 mse, 1 huber.
    package static func tdLossType(_ raw: Int32) throws(LossError) -> TDLossType {
        guard let type = TDLossType(rawValue: raw) else {
            throw LossError(.invalidArgument, "loss must be 0 (mse) or 1 (huber), got \(raw)")
        }
        return type
    }
}
