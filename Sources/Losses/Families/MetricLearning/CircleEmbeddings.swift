import RealModule

// Circle loss over a labelled batch (Sun et al. 2020, as pytorch-metric-learning's CircleLoss):
// every pair of a batch is a positive (same label) or a negative pair of each anchor, scored by
// cosine similarity, on the dense batch driver.

/// The log-sum-exp of the n logits `z` (-inf for the columns left out, at least one kept), with
/// the softmax weights written over `z` when `weights` (vectorised exp, a fixed order).
@inline(__always)
func logSumExp(_ z: UnsafeMutablePointer<Double>, _ n: Int, weights: Bool) -> Double {
    let largest = BlockMath.maximum(UnsafePointer(z), n)   // NaN passed over; it reaches the sum
    let sum = BlockMath.expShiftedSum(UnsafePointer(z), largest, z, n)
    if weights { for j in 0..<n { z[j] /= sum } }
    return largest + Double.log(sum)
}

extension MetricLearning {
    /// The cosine floor of `circle_loss_embeddings` and `ntxent_loss`: rows are normalised by
    /// max(‖x‖, 1e-12), as `F.normalize` in pytorch-metric-learning's CosineSimilarity.
    package static var normaliseEps: Double { 1e-12 }

    /// `circle_loss_embeddings` of n rows of d values and their n labels; the gradient is
    /// `o.gradient` (the embeddings).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func circleLossEmbeddings<T: LossFloat>(
        embeddings x: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, rows n: Int, width d: Int,
        m: Double, gamma: Double, into o: LossOutputs<T>
    ) throws(LossError) {
        let label = try Scratch<Int64>(count: n)
        for i in 0..<n { label.base[i] = labels[i] }  // read once
        let rows = try EmbeddingRows(x, rows: n, width: d, normalisedWith: normaliseEps)
        let y = label.base
        try denseBatchLoss(rows, into: o) { s, i, g, work in
            // The positive logits packed from the front of `work`, the negative ones from the back
            // (each in ascending column order), so that the exponentials run over the pairs only.
            var positives = 0, negatives = 0
            for j in 0..<n where j != i {
                // The weights a_p = relu(1 + m - s) and a_n = relu(s + m) are held constant.
                if y[j] == y[i] {
                    work[positives] = -gamma * Swift.max(0, 1 + m - s[j]) * (s[j] - (1 - m))
                    positives &+= 1
                } else {
                    work[n &+ negatives] = gamma * Swift.max(0, s[j] + m) * (s[j] - m)
                    negatives &+= 1
                }
            }
            guard positives > 0, negatives > 0 else {   // not counted in the mean
                if let g { for j in 0..<n { g[j] = 0 } }
                return (0, false)
            }
            let wp = work, wn = work + n
            let z = logSumExp(wp, positives, weights: g != nil) + logSumExp(wn, negatives, weights: g != nil)
            if let g {
                // ∂softplus(z)/∂s_ij = σ(z) · softmax weight · ∂logit/∂s (the a's held constant),
                // the weights unpacked in the order they were packed.
                let outer = Logistic.sigmoid(z)
                var p = 0, q = 0
                for j in 0..<n {
                    if j == i {
                        g[j] = 0
                    } else if y[j] == y[i] {
                        g[j] = outer * wp[p] * (-gamma * Swift.max(0, 1 + m - s[j]))
                        p &+= 1
                    } else {
                        g[j] = outer * wn[q] * (gamma * Swift.max(0, s[j] + m))
                        q &+= 1
                    }
                }
            }
            return (Logistic.softplus(z), true)
        }
    }
}
