// The triplet margin loss (docs/metric_learning.md): per row of anchor, positive and negative,
// a hinge on the difference of two pairwise distances, on the per-sample driver.

/// Row s of `triplet_margin_loss`: its loss, and (when gradients are asked for) the gradient of
/// each of the three rows, accumulated in double in the scratch rows of that sample, then
/// written in the element type. Each sample owns its rows: race-free on any thread.
@usableFromInline
struct TripletKernel<T: LossFloat>: SampleKernel {
    let ap: PairwiseDistanceKernel<T>, an: PairwiseDistanceKernel<T>, pn: PairwiseDistanceKernel<T>
    let d: Int, margin: Double, swap: Bool
    let gradients: Gradients<T>
    /// Three (n, d) accumulators (anchor, positive, negative), or nil without gradients.
    let scratch: UnsafeMutablePointer<Double>?, rows: Int

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let dap = ap.value(s, s, (), ()), dan = an.value(s, s, (), ())
        let dpn = swap ? pn.value(s, s, (), ()) : .infinity
        // min(d(a,n), d(p,n)), the first where they tie.
        let swapped = dpn < dan
        let z = margin + dap - (swapped ? dpn : dan)
        guard let scratch else { return T(positivePart(z)) }
        let ga = scratch + s &* d, gp = scratch + (rows &+ s) &* d, gn = scratch + (2 &* rows &+ s) &* d
        for k in 0..<d { (ga[k], gp[k], gn[k]) = (0, 0, 0) }
        if z > 0 {
            let c = Double(scale)
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
}

extension MetricLearning {
    /// `triplet_margin_loss` of (n, d) rows; the gradients are `o.gradients.first`, `.second`
    /// and `.third` (anchor, positive, negative). Throws `.outOfMemory` when the gradients'
    /// double scratch (3·n·d values) cannot be had, before anything is written.
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
                d: d, margin: margin, swap: swap, gradients: g, scratch: scratch, rows: n)
            reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
        }
        guard wantsGradients else { return run(nil) }
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
