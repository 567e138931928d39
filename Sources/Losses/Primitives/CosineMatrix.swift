// cosine_similarity_matrix on the blocked products of RowProducts: every row scaled to
// x / max(‖x‖, eps) in Double once, one product for the n × m similarities, and two more (with
// the upstream coefficients and their transpose) for the gradients. The same values, gradients
// and edge cases as the per-pair kernel of Distances.swift (CosineSimilarityKernel), which the
// row-wise cosine_similarity keeps; each similarity here is one fma chain in a fixed order.

/// The rows of one side, scaled for the similarity: `unit[i] = x_i / max(‖x_i‖, eps)` (NaN for a
/// row with a NaN), with ‖x_i‖ and the clamped norm.
private struct ScaledRows: ~Copyable {
    let unit: Scratch<Double>, norms: Scratch<RowNorm>

    init<T: LossFloat>(count: Int, width d: Int, norm: (Int) -> RowNorm, row: (Int) -> UnsafePointer<T>)
        throws(LossError) {
        let unit = try Scratch<Double>(count: count &* d), norms = try Scratch<RowNorm>(count: count)
        for i in 0..<count {
            let r = norm(i), x = row(i)
            (norms.base + i).initialize(to: r)
            // (x / scale) · (scale / clamped): each factor O(1), no overflow for any finite row.
            let factor = r.scale > 0 && r.scale.isFinite ? r.scale / r.clamped : (r.scale == 0 ? 0 : .nan)
            for k in 0..<d {
                unit.base[i &* d &+ k] = r.scale > 0 && r.scale.isFinite ? (Double(x[k]) / r.scale) * factor : factor
            }
        }
        self.unit = unit
        self.norms = norms
    }

    /// grad_x_i = (P_i - c_i x_i / ‖x_i‖) / clamped_i, P = G·(other side's unit rows), c_i the
    /// row's Σ_j G_ij s_ij: PyTorch autograd's gradient, whose clamp of the norm it does not see.
    func writeGradient<T: LossFloat>(_ p: UnsafeMutablePointer<Double>, _ c: UnsafePointer<Double>, count: Int,
                                     width d: Int, row: (Int) -> UnsafePointer<T>,
                                     into out: UnsafeMutableBufferPointer<T>) {
        for i in 0..<count {
            let r = norms.base[i], x = row(i)
            let across = 1 / r.clamped
            if r.norm > 0 {
                let along = c[i] / r.clamped
                for k in 0..<d {
                    out[i &* d &+ k] = T(across * p[i &* d &+ k] - along * (Double(x[k]) / r.norm))
                }
            } else {
                for k in 0..<d { out[i &* d &+ k] = T(across * p[i &* d &+ k]) }
            }
        }
    }
}

extension Distances {
    /// cosine_similarity_matrix (shape not diagonal) of validated buffers.
    static func cosineSimilarityMatrix<T: LossFloat>(
        x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, shape: PairShape, eps: Double, into o: LossOutputs<T>
    ) throws(LossError) {
        let (n, m, d) = (shape.n, shape.m, shape.d)
        let kernel = CosineSimilarityKernel(x1: x1, x2: x2, d: d, eps: eps)
        let wants1 = o.gradients.first != nil, wants2 = o.gradients.second != nil
        let wantsGradients = wants1 || wants2
        // Every allocation first: a call that cannot have its scratch fails before it writes.
        let a = try ScaledRows(count: n, width: d, norm: kernel.firstRow, row: { kernel.x1 + $0 &* d })
        let b = try ScaledRows(count: m, width: d, norm: kernel.secondRow, row: { kernel.x2 + $0 &* d })
        let s = try Scratch<Double>(count: n &* m), g = try Scratch<Double>(count: wantsGradients ? n &* m : 0)
        let gt = try Scratch<Double>(count: wants2 ? n &* m : 0)
        let p1 = try Scratch<Double>(count: wants1 ? n &* d : 0), p2 = try Scratch<Double>(count: wants2 ? m &* d : 0)
        let c1 = try Scratch<Double>(count: wants1 ? n : 0), c2 = try Scratch<Double>(count: wants2 ? m : 0)
        let totals = try Scratch<Double>(count: n)
        try RowProducts.dots(a.unit.base, rows: n, b.unit.base, rows: m, width: d, into: s.base)

        // Values: each row's total in column order, rows in blocks in order (as the per-pair driver).
        let denominator = o.reduction == .mean ? Double(n &* m) : 1
        let sBase = s.base, gBase = g.base, rowTotal = totals.base
        let tasks = (n &+ RowProducts.taskRows &- 1) / RowProducts.taskRows
        forEachChunk(tasks, parallel: RowProducts.parallel(n, m, 1)) { t in
            for i in (t &* RowProducts.taskRows)..<Swift.min(n, (t &+ 1) &* RowProducts.taskRows) {
                var total = 0.0
                for j in 0..<m {
                    let pair = i &* m &+ j
                    if o.reduction == .none { o.out[pair] = T(sBase[pair]) }
                    total += sBase[pair]
                    if wantsGradients { gBase[pair] = Double(o.upstream(pair)) / denominator }
                }
                rowTotal[i] = total
            }
        }
        if o.reduction != .none { o.out[0] = T(orderedRowTotal(rowTotal, count: n) / denominator) }
        guard wantsGradients else { return }

        if let out = o.gradients.first {
            for i in 0..<n {
                var c = 0.0
                for j in 0..<m { c += gBase[i &* m &+ j] * sBase[i &* m &+ j] }
                c1.base[i] = c
            }
            try RowProducts.combine(gBase, rows: n, columns: m, b.unit.base, width: d, into: p1.base)
            a.writeGradient(p1.base, c1.base, count: n, width: d, row: { kernel.x1 + $0 &* d }, into: out)
        }
        if let out = o.gradients.second {
            RowProducts.transpose(gBase, rows: n, columns: m, into: gt.base)
            for j in 0..<m {
                var c = 0.0
                for i in 0..<n { c += gt.base[j &* n &+ i] * sBase[i &* m &+ j] }
                c2.base[j] = c
            }
            try RowProducts.combine(gt.base, rows: m, columns: n, a.unit.base, width: d, into: p2.base)
            b.writeGradient(p2.base, c2.base, count: m, width: d, row: { kernel.x2 + $0 &* d }, into: out)
        }
    }
}
