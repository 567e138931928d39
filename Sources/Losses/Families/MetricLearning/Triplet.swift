// The triplet margin loss (docs/metric_learning.md): per row of anchor, positive and negative,
// a hinge on the difference of two pairwise distances, on the per-sample driver.

/// Row s of `triplet_margin_loss`: its loss and, when gradients are asked for, the gradient of
/// each of the three rows. For p = 2 the distances take one pass each and the gradients are
/// written directly; for any other p they are accumulated in double in the scratch rows of that
/// sample by `pairwise_distance`'s own gradient, then written in the element type. Each sample
/// owns its rows: race-free on any thread.
@usableFromInline
struct TripletKernel<T: LossFloat>: SampleKernel {
    let ap: PairwiseDistanceKernel<T>, an: PairwiseDistanceKernel<T>, pn: PairwiseDistanceKernel<T>
    let d: Int, margin: Double, swap: Bool, euclidean: Bool
    let gradients: Gradients<T>
    /// Three (n, d) accumulators (anchor, positive, negative) when p != 2 and gradients are
    /// asked for, else nil.
    let scratch: UnsafeMutablePointer<Double>?, rows: Int

    var wantsGradients: Bool { gradients.first != nil || gradients.second != nil || gradients.third != nil }

    /// `‖x_s - y_s + eps‖_p`. For p = 2 in one pass, the squares summed in double: no float
    /// input overflows that sum. A sum that does overflow, or falls below 2^-900 where its
    /// squares lose digits (double inputs beyond 1e154 or below 1e-270), is recomputed by
    /// `pairwise_distance`'s scaled form, as is every other p.
    @inline(__always)
    func distance(_ kernel: PairwiseDistanceKernel<T>, _ s: Int) -> Double {
        guard euclidean else { return kernel.value(s, s, (), ()) }
        // Eight lanes summed in a fixed order: the loop vectorises, and the bits do not depend
        // on the CPU or the thread count.
        var lanes = SIMD8<Double>()
        var k = 0
        while k &+ 8 <= d {
            var v = SIMD8<Double>()
            for j in 0..<8 { v[j] = kernel.v(s, s, k &+ j) }
            lanes += v * v
            k &+= 8
        }
        var sum = lanes.sum()
        while k < d {
            let v = kernel.v(s, s, k)
            sum += v * v
            k &+= 1
        }
        if sum.isFinite && (sum == 0 || sum > 0x1p-900) { return sum.squareRoot() }
        return kernel.value(s, s, (), ())
    }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let dap = distance(ap, s), dan = distance(an, s)
        let dpn = swap ? distance(pn, s) : .infinity
        // min(d(a,n), d(p,n)), the first where they tie.
        let swapped = dpn < dan
        let z = margin + dap - (swapped ? dpn : dan)
        guard wantsGradients else { return T(positivePart(z)) }
        // A NaN row: PyTorch's clamp passes a zero gradient, times each distance's derivative, so
        // the terms of a NaN distance are NaN (0·NaN) and the others 0. The same here, rather than
        // reading the NaN as an inactive hinge and hiding it behind zeros.
        let c = z > 0 ? Double(scale) : 0
        if euclidean {
            writeEuclideanGradients(s, c, dap: dap, negative: swapped ? pn : an, dneg: swapped ? dpn : dan,
                                    swapped: swapped, nanRow: z.isNaN)
            return T(positivePart(z))
        }
        let scratch = scratch!
        let ga = scratch + s &* d, gp = scratch + (rows &+ s) &* d, gn = scratch + (2 &* rows &+ s) &* d
        for k in 0..<d { (ga[k], gp[k], gn[k]) = (0, 0, 0) }
        if z > 0 || z.isNaN {
            ap.add(s, s, dap, c, ga)      // + ∂d(a,p)/∂a
            ap.add(s, s, dap, -c, gp)     // + ∂d(a,p)/∂p = -∂d(a,p)/∂a
            if swapped {
                pn.add(s, s, dpn, -c, gp)  // - ∂d(p,n)/∂p
                pn.add(s, s, dpn, c, gn)   // - ∂d(p,n)/∂n = +∂d(p,n)/∂p
            } else {
                an.add(s, s, dan, -c, ga)  // - ∂d(a,n)/∂a
                an.add(s, s, dan, c, gn)   // - ∂d(a,n)/∂n
            }
        }
        // Three statements, not a loop over an array of them: a call allocates nothing per sample.
        if let out = gradients.first { for k in 0..<d { out[s &* d &+ k] = T(ga[k]) } }
        if let out = gradients.second { for k in 0..<d { out[s &* d &+ k] = T(gp[k]) } }
        if let out = gradients.third { for k in 0..<d { out[s &* d &+ k] = T(gn[k]) } }
        return T(positivePart(z))
    }

    /// p = 2: ∂d/∂x = v/d (0 at zero distance), times c (0 for an inactive hinge). The negative
    /// term is d(a, n)'s, or d(p, n)'s when swapped, which moves it from the anchor to the positive.
    @inline(__always)
    func writeEuclideanGradients(_ s: Int, _ c: Double, dap: Double, negative: PairwiseDistanceKernel<T>,
                                 dneg: Double, swapped: Bool, nanRow: Bool) {
        let base = s &* d
        // c/d once per row: a product per element, not a division. In a NaN row the coefficient
        // of a NaN distance is NaN (0·NaN), of a finite one 0.
        var cp = c == 0 || dap == 0 ? 0 : c / dap, cn = c == 0 || dneg == 0 ? 0 : c / dneg
        if nanRow { (cp, cn) = (dap.isNaN ? .nan : 0, dneg.isNaN ? .nan : 0) }
        for k in 0..<d {
            let pos = cp * ap.v(s, s, k)        // c·∂d(a,p)/∂a
            let neg = cn * negative.v(s, s, k)  // c·∂d(·,n)/∂(a or p)
            if let out = gradients.first { out[base &+ k] = T(swapped ? pos : pos - neg) }
            if let out = gradients.second { out[base &+ k] = T(swapped ? -pos - neg : -pos) }
            if let out = gradients.third { out[base &+ k] = T(neg) }
        }
    }
}

extension MetricLearning {
    /// `triplet_margin_loss` of (n, d) rows; the gradients are `o.gradients.first`, `.second`
    /// and `.third` (anchor, positive, negative). For p != 2, throws `.outOfMemory` when the
    /// gradients' double scratch (3·n·d values) cannot be had, before anything is written.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func tripletMarginLoss<T: LossFloat>(
        anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, margin: Double, p: Double, eps: Double, swap: Bool, into o: LossOutputs<T>
    ) throws(LossError) {
        let g = o.gradients
        let wantsGradients = g.first != nil || g.second != nil || g.third != nil
        func run(_ scratch: UnsafeMutablePointer<Double>?) {
            let kernel = TripletKernel(
                ap: PairwiseDistanceKernel(x1: anchor, x2: positive, d: d, p: p, eps: eps),
                an: PairwiseDistanceKernel(x1: anchor, x2: negative, d: d, p: p, eps: eps),
                pn: PairwiseDistanceKernel(x1: positive, x2: negative, d: d, p: p, eps: eps),
                d: d, margin: margin, swap: swap, euclidean: p == 2, gradients: g, scratch: scratch, rows: n)
            reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
        }
        guard wantsGradients && p != 2 else { return run(nil) }
        let scratch = try Scratch<Double>(count: 3 &* n &* d)  // freed when this scope ends
        run(scratch.base)
    }
}

extension MetricLearningParameters {
    /// PyTorch refuses margin <= 0 for triplet_margin_loss.
    package static func checkTripletMargin(_ margin: Double) throws(LossError) {
        guard margin > 0, margin.isFinite else {
            throw LossError(.invalidArgument, "margin must be positive and finite, got \(margin)")
        }
    }
}
