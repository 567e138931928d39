import RealModule

// NT-Xent (normalised temperature-scaled cross entropy; SimCLR, Chen et al. 2020), as
// pytorch-metric-learning's NTXentLoss with the labels of two views: rows i and i + n/2 are the
// two views of one example, every other row is a negative. On the dense batch driver.

extension MetricLearning {
    /// `ntxent_loss` of n (even) rows of d values; the gradient is `o.gradient`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func ntxentLoss<T: LossFloat>(
        embeddings x: UnsafeBufferPointer<T>, rows n: Int, width d: Int, temperature: Double, into o: LossOutputs<T>
    ) throws(LossError) {
        let rows = try EmbeddingRows(x, rows: n, width: d, normalisedWith: normaliseEps)
        let half = n / 2
        try denseBatchLoss(rows, into: o) { s, i, g, work in
            // -log(e^{s_ip/τ} / Σ_{k≠i} e^{s_ik/τ}): the log-sum-exp over every other row minus the
            // positive's logit. Its gradient: (softmax_k - [k = p]) / τ.
            let p = i < half ? i &+ half : i &- half
            let z = g ?? work
            for j in 0..<n { z[j] = j == i ? -.infinity : s[j] / temperature }
            let positive = z[p]
            let lse = logSumExp(z, n, weights: g != nil)
            if let g {
                for j in 0..<n { g[j] /= temperature }
                g[p] -= 1 / temperature
            }
            return (lse - positive, true)
        }
    }
}
