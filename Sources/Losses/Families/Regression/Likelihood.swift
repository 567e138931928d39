import RealModule

// The negative log likelihoods of PyTorch (docs/regression.md): poisson_nll_loss on the
// elementwise driver; gaussian_nll_loss on it too, with its variance gradient (per element, or
// summed over each row when one variance serves a row) in a second pass of its own.

/// The likelihood losses over validated buffers. The C exports and the array API both end here.
@usableFromInline package enum Likelihood {}

/// The domains of the likelihood losses' parameters.
@usableFromInline package enum LikelihoodParameters {
    /// poisson_nll_loss's eps: added to a rate under a log, so finite and >= 0.
    package static func checkPoissonEps(_ eps: Double) throws(LossError) {
        guard eps.isFinite, eps >= 0 else { throw LossError(.invalidArgument, "eps must be finite and >= 0, got \(eps)") }
    }

    /// gaussian_nll_loss's eps: the floor of the variance, whose log is taken, so finite and > 0.
    package static func checkGaussianEps(_ eps: Double) throws(LossError) {
        guard eps.isFinite, eps > 0 else { throw LossError(.invalidArgument, "eps must be finite and > 0, got \(eps)") }
    }

    /// Every variance >= 0: PyTorch refuses a negative one; NaN is refused too (its clamp would
    /// give NaN silently). Read once, before any output is written.
    /// Inlinable so that it is specialised per dtype: as an unspecialised generic loop it cost
    /// more than the loss itself on a variance per element.
    @inlinable
    package static func checkVariances<T: LossFloat>(_ v: UnsafeBufferPointer<T>) throws(LossError) {
        var i = 0
        while i < v.count {
            let value = v[i]
            if !(value >= 0) {
                throw LossError(.invalidArgument, "var[\(i)] = \(value): a variance must be >= 0")
            }
            i += 1
        }
    }
}

extension Likelihood {
    /// Stirling's term `t log t - t + ½ log(2πt)` for t > 1, 0 otherwise (PyTorch masks t <= 1).
    @inlinable @inline(__always)
    package static func stirling<T: LossFloat>(_ t: T) -> T {
        t > 1 ? t * T.log(t) - t + T.log(2 * T.pi * t) / 2 : 0
    }

    /// One element of poisson_nll_loss and its derivative w.r.t. x.
    @inlinable @inline(__always)
    package static func poissonNLL<T: LossFloat>(_ x: T, _ t: T, logInput: Bool, full: Bool, eps: T)
        -> (value: T, derivative: T)
    {
        let extra = full ? stirling(t) : 0
        if logInput {
            let e = T.exp(x)
            return (e - t * x + extra, e - t)
        }
        return (x - t * T.log(x + eps) + extra, 1 - t / (x + eps))
    }

    /// poisson_nll_loss's derivative w.r.t. t: `-x` or `-log(x + eps)`, plus `log t + 1/(2t)` where
    /// Stirling's term is kept (t > 1); its masked branch's derivative, 0, elsewhere.
    @inlinable @inline(__always)
    package static func poissonNLLTargetDerivative<T: LossFloat>(_ x: T, _ t: T, logInput: Bool, full: Bool, eps: T) -> T {
        let extra: T = full && t > 1 ? T.log(t) + 1 / (2 * t) : 0
        return (logInput ? -x : -T.log(x + eps)) + extra
    }

    /// One element of gaussian_nll_loss at the clamped variance v: the value and its derivatives
    /// w.r.t. x and v (the unclamped formula's, as PyTorch's clamp is not recorded).
    @inlinable @inline(__always)
    package static func gaussianNLL<T: LossFloat>(_ x: T, _ t: T, _ v: T, constant: T)
        -> (value: T, input: T, variance: T)
    {
        let r = x - t, q = r / v
        return ((T.log(v) + r * q) / 2 + constant, q, (1 / v - q * q) / 2)
    }
}

@usableFromInline
struct PoissonNLLKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>
    @usableFromInline let logInput: Bool, full: Bool, eps: T

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, logInput: Bool, full: Bool, eps: Double) {
        (self.x, self.t, self.logInput, self.full, self.eps) = (x, t, logInput, full, T(eps))
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) {
        Likelihood.poissonNLL(x[i], t[i], logInput: logInput, full: full, eps: eps)
    }
}

/// The variance of element i: its own, or its row's (`perRow`, rows of `width` elements).
@usableFromInline
struct VarianceIndex {
    @usableFromInline let perRow: Bool, width: Int
    @inlinable init(perRow: Bool, width: Int) { (self.perRow, self.width) = (perRow, width) }
    @inlinable @inline(__always) func callAsFunction(_ i: Int) -> Int { perRow ? i / width : i }
}

@usableFromInline
struct GaussianNLLKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>, v: UnsafeBufferPointer<T>
    @usableFromInline let index: VarianceIndex, eps: T, constant: T

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, _ v: UnsafeBufferPointer<T>,
                    index: VarianceIndex, eps: Double, full: Bool) {
        (self.x, self.t, self.v, self.index, self.eps) = (x, t, v, index, T(eps))
        constant = full ? T.log(2 * T.pi) / 2 : 0
    }

    @inlinable @inline(__always)
    func variance(_ i: Int) -> T { Swift.max(v[index(i)], eps) }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) {
        let g = Likelihood.gaussianNLL(x[i], t[i], variance(i), constant: constant)
        return (g.value, g.input)
    }
}

extension Likelihood {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func poissonNLLLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, logInput: Bool, full: Bool, eps: Double,
        into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o,
                          PoissonNLLKernel(x, t, logInput: logInput, full: full, eps: eps))
    }

    /// ∂`poisson_nll_loss`/∂target, reduced as the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func poissonNLLLossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, logInput: Bool, full: Bool, eps: Double,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        let e = T(eps)
        targetGradientElementwise(count: x.count, weight: nil, reduction: reduction, gradOutput: gradOutput,
                                  into: gradient) { i in
            poissonNLLTargetDerivative(x[i], t[i], logInput: logInput, full: full, eps: e)
        }
    }

    /// gaussian_nll_loss of `input`/`target` (rows of `width`), `variance` per element or per row
    /// (`perRow`); `o.gradients.second` is the variance's gradient. Variances are checked (>= 0)
    /// by the caller.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func gaussianNLLLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, variance v: UnsafeBufferPointer<T>,
        width: Int, perRow: Bool, full: Bool, eps: Double, into o: LossOutputs<T>
    ) {
        let kernel = GaussianNLLKernel(x, t, v, index: VarianceIndex(perRow: perRow, width: width), eps: eps, full: full)
        reduceElementwise(count: x.count, weight: nil, into: o, kernel)
        guard let gradVar = o.gradients.second else { return }
        let derivative = { (i: Int) -> T in Likelihood.gaussianNLL(x[i], t[i], kernel.variance(i), constant: 0).variance }
        guard perRow, width != 1 else {
            targetGradientElementwise(count: x.count, weight: nil, reduction: o.reduction, gradOutput: o.gradOutput,
                                      into: gradVar, derivative)
            return
        }
        // One variance per row: its gradient sums the row's, in order, in double; each task owns
        // whole rows, so the result does not depend on the thread count.
        let scale = o.reduction == .none ? 1 : Double(o.gradOutput?[0] ?? 1) / (o.reduction == .sum ? 1 : Double(x.count))
        let upstream = o.reduction == .none ? o.gradOutput : nil
        let rows = gradVar.count
        let unit = Swift.max(1, chunkLength / Swift.max(1, width))
        forEachChunk((rows + unit - 1) / unit, parallel: x.count >= parallelThreshold) { c in
            var r = c &* unit
            let end = Swift.min(rows, r &+ unit)
            while r < end {
                var sum = 0.0
                for i in r &* width..<(r &+ 1) &* width {
                    sum += Double(derivative(i) * (upstream?[i] ?? 1))
                }
                gradVar[r] = T(sum * scale)
                r &+= 1
            }
        }
    }
}
