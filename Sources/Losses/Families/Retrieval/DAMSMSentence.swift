// AttnGAN's DAMSM sentence loss (`sent_loss`, taoxugit/AttnGAN): the scores of every image's
// global feature x_b against every caption's sentence feature y_i,
//   m[b, i] = γ3 (x_b · y_i) / max(‖x_b‖ ‖y_i‖, 1e-8),
// into the two cross entropies (DAMSMMatching.swift). The dot products and the gradient's
// combinations are RowProducts' blocked, fixed-order chains.

extension Retrieval {
    /// `damsm_sentence_loss`: img_global and sent_emb (n, d) row-major, the class ids of `labels`;
    /// gradients w.r.t. the images (`o.gradients.first`) and the sentences (`.second`). Allocates
    /// the features in Double and a few n × n matrices.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func damsmSentenceLoss<T: LossFloat>(
        imgGlobal: UnsafeBufferPointer<T>, sentEmb: UnsafeBufferPointer<T>, labels: borrowing CaptionLabels,
        shape sh: DAMSMShape, parameters p: DAMSMParameters, into o: LossOutputs<T>
    ) throws(LossError) {
        let n = sh.n, d = sh.d, eps = cosineEps
        let gxOut = o.gradients.first, gyOut = o.gradients.second
        let wanted = gxOut != nil || gyOut != nil
        let elements = n &* d, pairs = n &* n
        let features = try Scratch<Double>(count: 2 &* elements &+ 2 &* n)
        let matrices = try Scratch<Double>(count: (wanted ? 4 : 2) &* pairs)
        let gradient = try Scratch<Double>(count: wanted ? elements : 0)
        let x = features.base, y = x + elements, xNorm = y + elements, yNorm = xNorm + n
        for k in 0..<elements {
            x[k] = Double(imgGlobal[k])
            y[k] = Double(sentEmb[k])
        }
        for b in 0..<n {
            var xs = 0.0, ys = 0.0
            for k in 0..<d {
                xs += x[b &* d &+ k] * x[b &* d &+ k]
                ys += y[b &* d &+ k] * y[b &* d &+ k]
            }
            xNorm[b] = xs.squareRoot()
            yNorm[b] = ys.squareRoot()
        }
        let dots = matrices.base, m = dots + pairs
        try RowProducts.dots(x, rows: n, y, rows: n, width: d, into: dots)
        if d == 0 { dots.update(repeating: 0, count: pairs) }
        for b in 0..<n {
            for i in 0..<n {
                m[b &* n &+ i] = p.gamma3 * (dots[b &* n &+ i] / Swift.max(xNorm[b] * yNorm[i], eps))
            }
        }
        let g = m + pairs, a = g + pairs
        try matchScores(m, n: n, labels: labels, into: o, coefficients: wanted ? g : nil)
        guard wanted else { return }
        // With h = γ3 ∂value/∂m[b, i] and den = ‖x_b‖‖y_i‖: ∂/∂x_b = Σ_i h (y_i/den - cos x_b/‖x_b‖²)
        // and ∂/∂y_i = Σ_b h (x_b/den - cos y_i/‖y_i‖²) where the clamp is not active; h y_i/eps and
        // h x_b/eps where it is. The first terms are products A Y and Aᵀ X with A = h/den; the
        // second scale each row by its own sum.
        for b in 0..<n {
            for i in 0..<n {
                let product = xNorm[b] * yNorm[i]
                a[b &* n &+ i] = p.gamma3 * g[b &* n &+ i] / (product >= eps ? product : eps)
            }
        }
        // The cosine times h, for the second terms, replaces the coefficients in g.
        for b in 0..<n {
            for i in 0..<n {
                let product = xNorm[b] * yNorm[i], k = b &* n &+ i
                g[k] = product >= eps ? p.gamma3 * g[k] * (dots[k] / product) : 0
            }
        }
        if let gxOut {
            try RowProducts.combine(a, rows: n, columns: n, y, width: d, into: gradient.base)
            for b in 0..<n {
                var scale = 0.0
                for i in 0..<n { scale += g[b &* n &+ i] }
                let norm2 = xNorm[b] * xNorm[b]
                for k in 0..<d {
                    let extra = scale == 0 ? 0 : scale * x[b &* d &+ k] / norm2
                    gxOut[b &* d &+ k] = T(gradient.base[b &* d &+ k] - extra)
                }
            }
        }
        if let gyOut {
            // Aᵀ into the scores' slot, which the gradient no longer reads.
            for b in 0..<n { for i in 0..<n { m[i &* n &+ b] = a[b &* n &+ i] } }
            try RowProducts.combine(m, rows: n, columns: n, x, width: d, into: gradient.base)
            for i in 0..<n {
                var scale = 0.0
                for b in 0..<n { scale += g[b &* n &+ i] }
                let norm2 = yNorm[i] * yNorm[i]
                for k in 0..<d {
                    let extra = scale == 0 ? 0 : scale * y[i &* d &+ k] / norm2
                    gyOut[i &* d &+ k] = T(gradient.base[i &* d &+ k] - extra)
                }
            }
        }
    }
}
