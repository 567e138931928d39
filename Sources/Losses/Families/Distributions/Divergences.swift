import RealModule

// kl_divergence and js_divergence (docs/distributions.md): one value per row of (n, d)
// distributions, on the per-sample driver; each row's terms in double, summed in order.

extension Distributions {
    /// scipy.special.rel_entr(p, q) = p log(p/q) and its partial derivatives (∂/∂p, ∂/∂q):
    /// `log p - log q` rather than `log(p/q)`, which underflows or overflows for far-apart entries.
    /// p = 0 (q >= 0): 0, with derivatives 0 (the one-sided ∂/∂p is -inf: the convention of
    /// docs/decisions.md). p > 0 = q: +inf, derivatives +inf and -inf. A negative entry: +inf
    /// (rel_entr's) with NaN derivatives; NaN: NaN.
    @inlinable @inline(__always)
    static func relativeEntropy(_ p: Double, _ q: Double) -> (value: Double, dp: Double, dq: Double) {
        if p > 0 && q > 0 {
            let l = Double.log(p) - Double.log(q)
            return (p * l, l + 1, -p / q)
        }
        if p == 0 && q >= 0 { return (0, 0, 0) }
        if p.isNaN || q.isNaN { return (.nan, .nan, .nan) }
        if p > 0 && q == 0 { return (.infinity, .infinity, -.infinity) }
        return (.infinity, .nan, .nan)
    }

    /// One term of the Jensen-Shannon divergence, `½ rel_entr(p, m) + ½ rel_entr(q, m)` with
    /// m = (p + q)/2, and its partial derivatives: ½ log(p/m) w.r.t. p where p > 0; where p = 0 the
    /// derivative of the formula with its 0·log 0 held at 0, -½ for q > 0 and 0 for q = 0 (the
    /// one-sided one is -inf); symmetric in q. A negative entry: rel_entr's +inf, NaN derivatives.
    @inlinable @inline(__always)
    static func jensenShannon(_ p: Double, _ q: Double) -> (value: Double, dp: Double, dq: Double) {
        guard p >= 0 && q >= 0 else {
            let nan = Double.nan
            return (p.isNaN || q.isNaN ? nan : .infinity, nan, nan)
        }
        let m = 0.5 * p + 0.5 * q  // halves first: p + q may overflow
        if m == 0 { return (0, 0, 0) }
        let logM = Double.log(m)
        let lp = p > 0 ? Double.log(p) - logM : 0, lq = q > 0 ? Double.log(q) - logM : 0
        let value = 0.5 * (p * lp + q * lq)
        return (value, p > 0 ? 0.5 * lp : -0.5, q > 0 ? 0.5 * lq : -0.5)
    }
}

/// Row i of kl_divergence (`jensenShannon` false) or js_divergence: the sum of its d terms in
/// double, in order, and when asked for the gradients w.r.t. pk (`gradients.first`) and qk
/// (`.second`) of its d elements, written directly (each row owns its elements).
@usableFromInline
struct DivergenceKernel<T: LossFloat>: SampleKernel {
    let p: UnsafeBufferPointer<T>, q: UnsafeBufferPointer<T>
    let width: Int, jensenShannon: Bool
    let gradients: Gradients<T>

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let base = i &* width
        let s = Double(scale)
        var total = 0.0
        for j in 0..<width {
            let e = base &+ j
            let (a, b) = (Double(p[e]), Double(q[e]))
            let term = jensenShannon ? Distributions.jensenShannon(a, b) : Distributions.relativeEntropy(a, b)
            total += term.value
            if let g = gradients.first { g[e] = T(term.dp * s) }
            if let g = gradients.second { g[e] = T(term.dq * s) }
        }
        return T(total)
    }
}

extension Distributions {
    /// `kl_divergence` (or, with `jensenShannon`, `js_divergence`) of `rows` rows of `width`
    /// entries; `.mean` divides by the rows.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func divergence<T: LossFloat>(
        pk: UnsafeBufferPointer<T>, qk: UnsafeBufferPointer<T>, rows n: Int, width d: Int, jensenShannon: Bool,
        into o: LossOutputs<T>
    ) {
        let kernel = DivergenceKernel(p: pk, q: qk, width: d, jensenShannon: jensenShannon, gradients: o.gradients)
        reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
