import RealModule

// The regression losses (docs/regression.md). Each is a pure function of the residual d = input - target
// returning (ℓ, ∂ℓ/∂input); the gradient with respect to the target is its negative.
// At a kink the derivative is the one PyTorch autograd gives for the reference formula.

/// The pointwise formulas, written once for Float and Double.

@usableFromInline package enum RegressionKernels {
    /// `d²`, derivative `2d`.
    @inlinable @inline(__always)
    package static func squared<T: LossFloat>(_ d: T) -> (value: T, derivative: T) {
        (d * d, 2 * d)
    }

    /// `|d|`, derivative `sgn(d)`: 0 at 0, NaN for NaN.
    @inlinable @inline(__always)
    package static func absolute<T: LossFloat>(_ d: T) -> (value: T, derivative: T) {
        (abs(d), d > 0 ? 1 : (d < 0 ? -1 : d * 0))
    }

    /// `½d²` if `|d| < δ`, else `δ(|d| - ½δ)`; derivative `clamp(d, -δ, δ)` (NaN propagates,
    /// as in PyTorch's `huber_backward`).
    @inlinable @inline(__always)
    package static func huber<T: LossFloat>(_ d: T, delta: T) -> (value: T, derivative: T) {
        let z = abs(d)
        let value = z < delta ? d * d / 2 : delta * (z - delta / 2)
        return (value, d > delta ? delta : (d < -delta ? -delta : d))
    }

    /// `½d²/β` if `|d| < β`, else `|d| - ½β`; derivative `clamp(d/β, -1, 1)`. β = 0 is L1,
    /// as PyTorch dispatches it.
    @inlinable @inline(__always)
    package static func smoothL1<T: LossFloat>(_ d: T, beta: T) -> (value: T, derivative: T) {
        if beta == 0 { return absolute(d) }
        let z = abs(d)
        let value = z < beta ? d * d / (2 * beta) : z - beta / 2
        return (value, d > beta ? 1 : (d < -beta ? -1 : d / beta))
    }

    /// `log(cosh d)`, derivative `tanh d`.
    ///
    /// `|d| + log1p(e^{-2|d|}) - log 2` (optax's and Keras' overflow-free form) cancels to
    /// nothing for small `|d|`, where the value is about `d²/2`; there `log1p(2 sinh²(d/2))` is
    /// exact to a few ulp. The switch at |d| = 8 keeps `sinh²` far from overflow in Float and
    /// the cancellation of the large-|d| form below a factor 1.2.
    @inlinable @inline(__always)
    package static func logCosh<T: LossFloat>(_ d: T) -> (value: T, derivative: T) {
        let a = abs(d)
        let value: T
        if a < 8 {
            let s = T.sinh(a / 2)
            value = T.log(onePlus: 2 * s * s)
        } else {
            value = a + T.log(onePlus: T.exp(-2 * a)) - T.log(2)
        }
        return (value, T.tanh(d))
    }

    /// Pinball loss of the residual `u = target - input` at quantile `q`:
    /// `max(q·u, (q-1)·u)`; derivative with respect to the input `-q` for u > 0, `1-q` for
    /// u < 0, and `½ - q` at u = 0, where PyTorch's `maximum` splits the tie evenly.
    @inlinable @inline(__always)
    package static func pinball<T: LossFloat>(_ u: T, quantile q: T) -> (value: T, derivative: T) {
        if u > 0 { return (q * u, -q) }
        if u < 0 { return ((q - 1) * u, 1 - q) }
        return (u == 0 ? 0 : u, u == 0 ? T(0.5) - q : u)
    }
}

/// Parameter checks shared by the Swift API and the C exports.

@usableFromInline package enum RegressionParameters {
    package static func checkDelta(_ delta: Double) throws(LossError) {
        guard delta > 0, delta.isFinite else {
            throw LossError(.invalidArgument, "delta must be positive and finite, got \(delta)")
        }
    }

    @usableFromInline package static func checkBeta(_ beta: Double) throws(LossError) {
        guard beta >= 0, beta.isFinite else {
            throw LossError(.invalidArgument, "beta must be finite and >= 0, got \(beta)")
        }
    }

    @usableFromInline package static func checkQuantiles(_ quantiles: UnsafeBufferPointer<Double>) throws(LossError) {
        for (j, q) in quantiles.enumerated() where !(q >= 0 && q <= 1) {
            throw LossError(.invalidArgument, "quantile[\(j)] must be in [0, 1], got \(q)")
        }
    }
}

/// A pointwise formula of one residual (or of an input and a target): a type per formula, so
/// that each loss's loop is specialised and vectorised on its own.
@usableFromInline
protocol ResidualFormula {
    associatedtype Scalar: LossFloat
    func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar)
}

@usableFromInline struct SquaredFormula<Scalar: LossFloat>: ResidualFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        RegressionKernels.squared(d)
    }
}

@usableFromInline struct AbsoluteFormula<Scalar: LossFloat>: ResidualFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        RegressionKernels.absolute(d)
    }
}

@usableFromInline struct HuberFormula<Scalar: LossFloat>: ResidualFormula {
    @usableFromInline let delta: Scalar
    @inlinable init(_ delta: Double) { self.delta = Scalar(delta) }
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        RegressionKernels.huber(d, delta: delta)
    }
}

@usableFromInline struct SmoothL1Formula<Scalar: LossFloat>: ResidualFormula {
    @usableFromInline let beta: Scalar
    @inlinable init(_ beta: Double) { self.beta = Scalar(beta) }
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        RegressionKernels.smoothL1(d, beta: beta)
    }
}

@usableFromInline struct LogCoshFormula<Scalar: LossFloat>: ResidualFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ d: Scalar) -> (value: Scalar, derivative: Scalar) {
        RegressionKernels.logCosh(d)
    }
}

/// Element i of a residual loss: `formula(input[i] - target[i])`.
@usableFromInline
struct ResidualKernel<F: ResidualFormula>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<F.Scalar>, y: UnsafeBufferPointer<F.Scalar>, formula: F

    @inlinable init(_ x: UnsafeBufferPointer<F.Scalar>, _ y: UnsafeBufferPointer<F.Scalar>, _ formula: F) {
        (self.x, self.y, self.formula) = (x, y, formula)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: F.Scalar, derivative: F.Scalar) {
        formula(x[i] - y[i])
    }
}

@usableFromInline
struct PinballKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>, quantiles: UnsafeBufferPointer<Double>

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, _ quantiles: UnsafeBufferPointer<Double>) {
        (self.x, self.y, self.quantiles) = (x, y, quantiles)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ k: Int) -> (value: T, derivative: T) {
        // Q >= 1 here: with no quantiles there are no elements to call this for.
        let (i, j) = k.quotientAndRemainder(dividingBy: quantiles.count)
        return RegressionKernels.pinball(y[i] - x[k], quantile: T(quantiles[j]))
    }
}

/// The regression losses over validated buffers: the counts of `input`, `target`, `weight` and
/// the outputs agree as `LossOutputs` documents. The C exports and the array API both end here.
@usableFromInline package enum Regression {
    @inlinable
    package static func mseLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: weight, weightedMean: .overWeights, into: o,
                          ResidualKernel(x, y, SquaredFormula()))
    }

    @inlinable
    package static func l1Loss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: weight, weightedMean: .overWeights, into: o,
                          ResidualKernel(x, y, AbsoluteFormula()))
    }

    @inlinable
    package static func huberLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, delta: Double, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: weight, weightedMean: .overElements, into: o,
                          ResidualKernel(x, y, HuberFormula(delta)))
    }

    @inlinable
    package static func smoothL1Loss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        beta: Double, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, ResidualKernel(x, y, SmoothL1Formula(beta)))
    }

    @inlinable
    package static func logCoshLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, ResidualKernel(x, y, LogCoshFormula()))
    }

    /// `input` is (N, Q) row-major, `target` (N), `quantiles` (Q); element (i, j) compares
    /// `input[i, j]` with `target[i]` at quantile `quantiles[j]`.
    @inlinable
    package static func quantileLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        quantiles: UnsafeBufferPointer<Double>, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, PinballKernel(x, y, quantiles))
    }
}
