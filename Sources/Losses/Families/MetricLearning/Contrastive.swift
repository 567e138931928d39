// The contrastive loss (docs/metric_learning.md): per pair of rows and a 0/1 label, on the
// per-sample driver, with pairwise_distance's d (p = 2, eps = 1e-6 added to the difference).

/// Row s of `contrastive_loss`: its loss and, when asked for, both rows' gradients, written
/// directly (each sample owns its rows).
@usableFromInline
struct ContrastiveKernel<T: LossFloat>: SampleKernel {
    let distance: PairwiseDistanceKernel<T>, target: UnsafeBufferPointer<T>
    let d: Int, margin: Double
    let g1: UnsafeMutableBufferPointer<T>?, g2: UnsafeMutableBufferPointer<T>?

    /// The eps of PyTorch's `pairwise_distance` default, which the seed's code calls.
    static var eps: Double { 1e-6 }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let dist = distance.value(s, s, (), ())
        let t = Double(target[s])
        let hinge = positivePart(margin - dist)
        let value = (1 - t) * dist * dist + t * hinge * hinge
        if g1 != nil || g2 != nil {
            // ∂/∂x1 = 2(1-t)·v - 2t·max(0, m-d)·v/d: one coefficient of v per row.
            let c = Double(scale)
            let coefficient = 2 * c * (1 - t) - (dist > 0 && hinge > 0 ? 2 * c * t * hinge / dist : 0)
            let base = s &* d
            for k in 0..<d {
                let g = coefficient * distance.v(s, s, k)
                if let g1 { g1[base &+ k] = T(g) }
                if let g2 { g2[base &+ k] = T(-g) }
            }
        }
        return T(value)
    }
}

extension MetricLearning {
    /// `contrastive_loss` of (n, d) rows and n labels; the gradients are `o.gradients.first`
    /// (x1) and `.second` (x2).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func contrastiveLoss<T: LossFloat>(
        x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, margin: Double, into o: LossOutputs<T>
    ) {
        let kernel = ContrastiveKernel(
            distance: PairwiseDistanceKernel(x1: x1, x2: x2, d: d, p: 2, eps: ContrastiveKernel<T>.eps),
            target: target, d: d, margin: margin, g1: o.gradients.first, g2: o.gradients.second)
        reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
