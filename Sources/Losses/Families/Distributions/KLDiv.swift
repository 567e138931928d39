import RealModule

// PyTorch's kl_div (docs/distributions.md): elementwise in (input, target) on the elementwise
// driver, whose mean divides by the element count or, for 'batchmean', by the first dimension.

/// The distribution losses over validated buffers. The C exports and the array API both end here.
@usableFromInline package enum Distributions {}

/// The domains of the distribution losses' parameters and selectors.
@usableFromInline package enum DistributionsParameters {
    /// A 0/1 flag of the C interface (log_target, batchmean).
    package static func flag(_ value: Int32, _ name: StaticString) throws(LossError) -> Bool {
        guard value == 0 || value == 1 else { throw LossError(.invalidOption, "\(name) must be 0 or 1, got \(value)") }
        return value == 1
    }

    /// batchmean divides the mean: it has no meaning for the other reductions.
    package static func checkBatchMean(_ batchMean: Bool, _ reduction: Reduction) throws(LossError) {
        guard !batchMean || reduction == .mean else {
            throw LossError(.invalidOption, "batchmean = 1 needs reduction mean (PyTorch's 'batchmean'), got \(reduction)")
        }
    }

    /// gradient_penalty's weight: finite and >= 0 (a negative weight would reward large gradients).
    package static func checkPenaltyWeight(_ weight: Double) throws(LossError) {
        guard weight.isFinite, weight >= 0 else {
            throw LossError(.invalidArgument, "weight must be finite and >= 0, got \(weight)")
        }
    }
}

extension Distributions {
    /// One element of kl_div: the value `xlogy(t, t) - t·x` (PyTorch's form, so that t = 0 gives 0
    /// for a finite x and NaN for an infinite one, as PyTorch) with derivative `-t` w.r.t. x; with
    /// `logTarget`, `e^t (t - x)` and `-e^t`.
    @inlinable @inline(__always)
    package static func klDiv<T: LossFloat>(_ x: T, _ t: T, logTarget: Bool) -> (value: T, derivative: T) {
        if logTarget {
            let e = T.exp(t)
            return (e * (t - x), -e)
        }
        return ((t == 0 ? 0 : t * T.log(t)) - t * x, -t)
    }

    /// kl_div's derivative w.r.t. the target: `log t + 1 - x` for t > 0 and 0 at t = 0 (the "0 where
    /// t = 0" branch's; PyTorch's autograd gives NaN there); `e^t (t - x + 1)` with `logTarget`.
    @inlinable @inline(__always)
    package static func klDivTargetDerivative<T: LossFloat>(_ x: T, _ t: T, logTarget: Bool) -> T {
        if logTarget { return T.exp(t) * (t - x + 1) }
        return t == 0 ? 0 : T.log(t) + 1 - x
    }
}

/// Element i of kl_div. Blocks take the logs (or exponentials) of the targets from the block
/// math, then the formula in a loop of products and selections.
@usableFromInline
struct KLDivKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>, logTarget: Bool

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, logTarget: Bool) {
        (self.x, self.t, self.logTarget) = (x, t, logTarget)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) { Distributions.klDiv(x[i], t[i], logTarget: logTarget) }

    @inlinable static var hasBlock: Bool { true }

    @inlinable @inline(__always)
    func block(_ start: Int, _ count: Int, _ values: UnsafeMutablePointer<T>, _ derivatives: UnsafeMutablePointer<T>) {
        let xs = x.baseAddress! + start, ts = t.baseAddress! + start
        if logTarget {
            BlockMath.exp(ts, derivatives, count)
            for k in 0..<count {
                let e = derivatives[k]
                values[k] = e * (ts[k] - xs[k])
                derivatives[k] = -e
            }
        } else {
            BlockMath.log(ts, values, count)
            for k in 0..<count {
                let tk = ts[k]
                values[k] = (tk == 0 ? 0 : tk * values[k]) - tk * xs[k]
                derivatives[k] = -tk
            }
        }
    }
}

extension Distributions {
    /// `kl_div` of `rows` × (count / rows) input and target; `.mean` divides by the element count,
    /// or by `rows` with `batchMean` (checked by the caller to come with `.mean` only).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func klDiv<T: LossFloat>(
        input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, rows: Int, logTarget: Bool, batchMean: Bool,
        into o: LossOutputs<T>
    ) {
        reduceElementwise(count: input.count, weight: nil, meanDenominator: batchMean ? Double(rows) : nil, into: o,
                          KLDivKernel(input, target, logTarget: logTarget))
    }

    /// ∂`kl_div`/∂target, reduced as the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func klDivTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, rows: Int, logTarget: Bool, batchMean: Bool,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        targetGradientElementwise(count: x.count, weight: nil, meanDenominator: batchMean ? Double(rows) : nil,
                                  reduction: reduction, gradOutput: gradOutput, into: gradient) { i in
            klDivTargetDerivative(x[i], t[i], logTarget: logTarget)
        }
    }
}
