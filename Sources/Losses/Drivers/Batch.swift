// The driver of the losses that look at a whole batch of embeddings at once (batch-hard triplet,
// circle loss, NT-Xent): every anchor against every other row, through the n × n Gram matrix of
// RowProducts.
//
//   1  the embeddings are read once into Double rows (unit-normalised for the cosine losses):
//      the caller's memory is not read again, so a buffer changed during the call cannot make
//      the value and the gradient disagree;
//   2  S = the Gram matrix of those rows (blocked, every core);
//   3  each anchor's row of S gives its loss and its coefficients G[i, j] = ∂loss_i/∂S[i, j]
//      (tasks own anchors);
//   4  the losses are summed in anchor order, the mean divides by the anchors counted;
//   5  the gradient of the rows is (W G + (W G)ᵀ) · rows, W the per-anchor upstream weights,
//      one more product of RowProducts, then back through the normalisation.
//
// Every step has a fixed order that depends only on the sizes: bitwise the same for any thread
// count.

/// A batch's embeddings as Double rows, read once from the caller's buffer.
package struct EmbeddingRows: ~Copyable {
    package let rows: Scratch<Double>
    /// The Euclidean norm of each row as given (before normalisation).
    package let norms: Scratch<Double>
    package let n: Int, d: Int
    /// The floor of the normaliser: rows are divided by max(‖x‖, eps), as `F.normalize`. nil:
    /// the rows are kept as given.
    package let eps: Double?

    package init<T: LossFloat>(_ x: UnsafeBufferPointer<T>, rows n: Int, width d: Int,
                               normalisedWith eps: Double?) throws(LossError) {
        let held = try Scratch<Double>(count: n &* d), norms = try Scratch<Double>(count: n)
        let r = held.base, norm = norms.base
        for i in 0..<n {
            // Scaled by the row's largest magnitude: no finite row overflows or underflows.
            var largest = 0.0
            for k in 0..<d {
                let v = Double(x[i &* d &+ k])
                r[i &* d &+ k] = v
                largest = Swift.max(largest, Swift.abs(v))
            }
            var sum = 0.0
            if largest > 0 && largest.isFinite {
                for k in 0..<d { let v = r[i &* d &+ k] / largest; sum += v * v }
                norm[i] = largest * sum.squareRoot()
            } else {
                norm[i] = largest == 0 ? 0 : (largest.isNaN ? .nan : .infinity)
                for k in 0..<d where r[i &* d &+ k].isNaN { norm[i] = .nan }
            }
            if let eps {
                let divisor = Swift.max(norm[i], eps)
                for k in 0..<d { r[i &* d &+ k] /= divisor }
            }
        }
        rows = held
        self.norms = norms
        (self.n, self.d, self.eps) = (n, d, eps)
    }

    /// Writes into `out` the gradient with respect to the caller's rows, given `g`, the gradient
    /// with respect to the rows held here. Through the normalisation where there is one:
    /// (g - x̂ (x̂·g)) / ‖x‖ where ‖x‖ ≥ eps, g / eps where the floor holds (PyTorch autograd's
    /// gradient of x / max(‖x‖, eps)).
    package func writeGradient<T: LossFloat>(_ g: UnsafeMutablePointer<Double>, into out: UnsafeMutableBufferPointer<T>) {
        let r = rows.base, norm = norms.base
        for i in 0..<n {
            let gi = g + i &* d, xi = r + i &* d
            if let eps {
                if norm[i] >= eps {
                    var dot = 0.0
                    for k in 0..<d { dot += xi[k] * gi[k] }
                    for k in 0..<d { gi[k] = (gi[k] - xi[k] * dot) / norm[i] }
                } else {
                    for k in 0..<d { gi[k] /= eps }
                }
            }
            for k in 0..<d { out[i &* d &+ k] = T(gi[k]) }
        }
    }
}

/// One anchor's part of a dense batch loss: reads row i of S (n values) and, when `g` is not
/// nil, writes ∂loss_i/∂S[i, j] into it (n values, 0 where the pair does not enter); `work` is 2n
/// Doubles of the task's own. Returns the anchor's loss and whether it counts in the mean.
package typealias AnchorLoss = (_ s: UnsafePointer<Double>, _ i: Int, _ g: UnsafeMutablePointer<Double>?,
                                _ work: UnsafeMutablePointer<Double>) -> (Double, Bool)

/// The reduction of per-anchor losses shared by every batch loss: 'none' writes each, 'sum' their
/// sum, 'mean' their sum over the anchors counted (0 when none is: a batch without a usable
/// anchor contributes nothing, as in pytorch-metric-learning, rather than a NaN that would end a
/// training run). Returns each anchor's weight in the gradient (its upstream value over the
/// denominator) in `weights`.
package func reduceAnchors<T: LossFloat>(
    _ losses: UnsafePointer<Double>, _ counted: UnsafePointer<Bool>, count n: Int, into o: LossOutputs<T>,
    weights: UnsafeMutablePointer<Double>?
) {
    let total = orderedRowTotal(losses, count: n)
    var anchors = 0
    for i in 0..<n where counted[i] { anchors &+= 1 }
    let denominator = o.reduction == .mean ? Double(Swift.max(anchors, 1)) : 1
    switch o.reduction {
    case .none: for i in 0..<n { o.out[i] = T(losses[i]) }
    case .mean: o.out[0] = anchors == 0 ? 0 : T(total / denominator)
    case .sum: o.out[0] = T(total)
    }
    guard let weights else { return }
    for i in 0..<n { weights[i] = counted[i] ? Double(o.upstream(i)) / denominator : 0 }
}

/// A dense batch loss over the Gram matrix of `rows`: `anchor` gives each anchor's loss and
/// coefficients; the gradient (when `o.gradient` is set) flows back through S to the rows.
package func denseBatchLoss<T: LossFloat>(
    _ rows: borrowing EmbeddingRows, into o: LossOutputs<T>, anchor: AnchorLoss
) throws(LossError) {
    let n = rows.n, d = rows.d
    let wantsGradient = o.gradient != nil
    // Every allocation first: a call that cannot have its scratch fails before it writes.
    let s = try Scratch<Double>(count: n &* n)
    let g = try Scratch<Double>(count: wantsGradient ? n &* n : 0)
    let losses = try Scratch<Double>(count: n), counted = try Scratch<Bool>(count: n)
    let weights = try Scratch<Double>(count: wantsGradient ? n : 0)
    let gradient = try Scratch<Double>(count: wantsGradient ? n &* d : 0)
    let tasks = (n &+ RowProducts.taskRows &- 1) / RowProducts.taskRows
    let work = try Scratch<Double>(count: tasks &* 2 &* n)
    try RowProducts.gram(rows.rows.base, rows: n, width: d, into: s.base)

    let parallel = n.multipliedReportingOverflow(by: n &* 8).partialValue >= parallelThreshold
    let sBase = s.base, gBase = g.base, lossBase = losses.base, countedBase = counted.base
    let workBase = work.base
    forEachChunk(tasks, parallel: parallel) { t in
        for i in (t &* RowProducts.taskRows)..<Swift.min(n, (t &+ 1) &* RowProducts.taskRows) {
            let (loss, counts) = anchor(sBase + i &* n, i, wantsGradient ? gBase + i &* n : nil, workBase + t &* 2 &* n)
            lossBase[i] = loss
            countedBase[i] = counts
        }
    }
    reduceAnchors(losses.base, counted.base, count: n, into: o, weights: wantsGradient ? weights.base : nil)
    guard let out = o.gradient else { return }
    // H = W G + (W G)ᵀ, symmetric, into G, by square tiles that stay in L1 (a column walk over the
    // whole matrix would miss the cache on every element): the tile pair (I, J), I ≤ J, is read and
    // written by the task that owns row tile I only.
    let w = weights.base, tile = RowProducts.taskRows
    forEachChunk(tasks, parallel: parallel) { t in
        let rows = (t &* tile)..<Swift.min(n, (t &+ 1) &* tile)
        var j0 = t &* tile
        while j0 < n {
            let columns = j0..<Swift.min(n, j0 &+ tile)
            for i in rows {
                for j in columns where j >= i {
                    let h = j == i ? 2 * w[i] * gBase[i &* n &+ i]
                        : w[i] * gBase[i &* n &+ j] + w[j] * gBase[j &* n &+ i]
                    gBase[i &* n &+ j] = h
                    gBase[j &* n &+ i] = h
                }
            }
            j0 &+= tile
        }
    }
    try RowProducts.combine(gBase, rows: n, columns: n, rows.rows.base, width: d, into: gradient.base)
    rows.writeGradient(gradient.base, into: out)
}
