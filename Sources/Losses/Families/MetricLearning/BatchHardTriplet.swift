import RealModule

// Batch-hard triplet loss (Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss"):
// each anchor of a labelled batch against its farthest positive and its closest negative.
//
// The pairs are mined on the Gram matrix (d² = |x_i|² + |x_j|² - 2 x_i·x_j, one blocked product
// for the whole batch), then the two chosen distances are recomputed directly from the rows,
// Σ(x_i - x_j)², so the value and gradient keep full accuracy where the expansion cancels. A
// maximum is continuous: where mining on the expansion picks a pair whose exact distance is a
// rounding away from the true extreme, the value differs by that rounding only.

/// The extreme of one anchor's candidates, the first index on ties; a NaN candidate is taken
/// (the first NaN), so a NaN embedding makes the loss NaN rather than being passed over.
@inline(__always)
func takes(_ candidate: Double, over best: Double, largest: Bool) -> Bool {
    if best.isNaN { return false }
    if candidate.isNaN { return true }
    return largest ? candidate > best : candidate < best
}

/// The squared Euclidean distance of two rows of `r` (d values each), summed directly.
@inline(__always)
func squaredDistance(_ r: UnsafePointer<Double>, _ i: Int, _ j: Int, _ d: Int) -> Double {
    var sum = 0.0
    for k in 0..<d { let v = r[i &* d &+ k] - r[j &* d &+ k]; sum += v * v }
    return sum
}

extension MetricLearning {
    /// `batch_hard_triplet_loss` of n rows of d values and n labels; the gradient is `o.gradient`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func batchHardTripletLoss<T: LossFloat>(
        embeddings x: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, rows n: Int, width d: Int,
        margin: Double, squared: Bool, soft: Bool, into o: LossOutputs<T>
    ) throws(LossError) {
        let label = try Scratch<Int64>(count: n)
        let rows = try EmbeddingRows(x, rows: n, width: d, normalisedWith: nil)
        let s = try Scratch<Double>(count: n &* n)
        // Per anchor: the positive and negative chosen, their distances, the hinge's slope.
        let chosen = try Scratch<(Int, Int)>(count: n), distances = try Scratch<(Double, Double)>(count: n)
        let slopes = try Scratch<Double>(count: n)
        let losses = try Scratch<Double>(count: n), counted = try Scratch<Bool>(count: n)
        let weights = try Scratch<Double>(count: o.gradient == nil ? 0 : n)
        let gradient = try Scratch<Double>(count: o.gradient == nil ? 0 : n &* d)
        for i in 0..<n { label.base[i] = labels[i] }  // read once
        try RowProducts.gram(rows.rows.base, rows: n, width: d, into: s.base)

        let y = label.base, r = rows.rows.base, gram = s.base
        let tasks = (n &+ RowProducts.taskRows &- 1) / RowProducts.taskRows
        let parallel = n.multipliedReportingOverflow(by: n &* 8).partialValue >= parallelThreshold
        let choice = chosen.base, dist = distances.base, slope = slopes.base
        let loss = losses.base, counts = counted.base
        // |x_j|², contiguous (the Gram matrix's diagonal).
        let squares = try Scratch<Double>(count: n)
        for j in 0..<n { squares.base[j] = gram[j &* n &+ j] }
        let sq = squares.base
        forEachChunk(tasks, parallel: parallel) { t in
            for i in (t &* RowProducts.taskRows)..<Swift.min(n, (t &+ 1) &* RowProducts.taskRows) {
                var p = -1, q = -1
                var farthest = -Double.infinity, closest = Double.infinity, sawNaN = false
                let own = sq[i], row = gram + i &* n, yi = y[i]
                // The common case without NaN first; a row with a NaN key is mined again by the
                // rule that takes the first NaN.
                for j in 0..<n {
                    let key = own + sq[j] - 2 * row[j]
                    if key.isNaN { sawNaN = true; continue }
                    if y[j] == yi {
                        if j != i && (p < 0 || key > farthest) { (p, farthest) = (j, key) }
                    } else if q < 0 || key < closest {
                        (q, closest) = (j, key)
                    }
                }
                if sawNaN {
                    (p, q, farthest, closest) = (-1, -1, -.infinity, .infinity)
                    for j in 0..<n {
                        let key = own + sq[j] - 2 * row[j]
                        if y[j] == yi {
                            if j != i && (p < 0 || takes(key, over: farthest, largest: true)) { (p, farthest) = (j, key) }
                        } else if q < 0 || takes(key, over: closest, largest: false) {
                            (q, closest) = (j, key)
                        }
                    }
                }
                guard p >= 0, q >= 0 else {
                    (loss[i], counts[i], choice[i], slope[i]) = (0, false, (-1, -1), 0)
                    continue
                }
                var dp = squaredDistance(r, i, p, d), dn = squaredDistance(r, i, q, d)
                if !squared { (dp, dn) = (dp.squareRoot(), dn.squareRoot()) }
                // Hermans et al.'s soft margin replaces the hinge by softplus and has no margin.
                let z = soft ? dp - dn : dp - dn + margin
                loss[i] = soft ? Logistic.softplus(z) : positivePart(z)
                slope[i] = soft ? Logistic.sigmoid(z) : (z > 0 ? 1 : (z.isNaN ? .nan : 0))
                (counts[i], choice[i], dist[i]) = (true, (p, q), (dp, dn))
            }
        }
        reduceAnchors(loss, counts, count: n, into: o, weights: o.gradient == nil ? nil : weights.base)
        guard let out = o.gradient else { return }

        // The gradient touches 3 rows per anchor: O(n d), scattered on this thread in anchor order
        // (a fixed order, so the same bits for any thread count).
        let g = gradient.base, w = weights.base
        for k in 0..<(n &* d) { g[k] = 0 }
        for i in 0..<n where counts[i] {
            // A NaN hinge passes a zero gradient, as PyTorch's clamp; the terms of a NaN distance
            // are NaN all the same (0 times its NaN derivative), never hidden behind zeros.
            let c = slope[i].isNaN && !soft ? 0 : w[i] * slope[i]
            let (p, q) = choice[i], (dp, dn) = dist[i]
            // ∂d/∂x_i of d = ‖x_i - x_j‖ is (x_i - x_j)/d, 0 at zero distance (as |x| at 0);
            // of d² it is 2(x_i - x_j).
            let up = squared ? 2 * c : (dp.isNaN ? .nan : (dp > 0 ? c / dp : 0))
            let un = squared ? 2 * c : (dn.isNaN ? .nan : (dn > 0 ? c / dn : 0))
            for k in 0..<d {
                let vp = r[i &* d &+ k] - r[p &* d &+ k], vn = r[i &* d &+ k] - r[q &* d &+ k]
                g[i &* d &+ k] += up * vp - un * vn
                g[p &* d &+ k] -= up * vp
                g[q &* d &+ k] += un * vn
            }
        }
        rows.writeGradient(g, into: out)
    }
}
