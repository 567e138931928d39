import RealModule

// AttnGAN's DAMSM words loss (`words_loss` with `func_attention`, taoxugit/AttnGAN), for every
// pair of an image b and a caption i of T_i words:
//
//   s[t, r]  = e_t · v_r                              word-region dot products
//   a1[t, r] = softmax over t (s[·, r])               the words attending each region
//   a2[t, r] = softmax over r (γ1 a1[t, ·])           the regions attending each word
//   c_t      = Σ_r a2[t, r] v_r                       the region context of word t
//   S[b, i]  = log Σ_t exp(γ2 cos(c_t, e_t))          cos with the norms' product clamped at 1e-8
//
// then γ3 S goes to the two cross entropies (DAMSMMatching.swift). The work is B² attention maps:
// images are dealt to a fixed number of chunks, each a task that owns its images' rows of S and
// their gradient, and keeps its own accumulator of the captions' gradient; the accumulators are
// added in chunk order, so the result is the same for any thread count. The gradient pass
// computes each pair's maps again rather than keeping B² of them.

/// One task's workspace for a pair: the maps, the context and, for the gradient, their adjoints.
private struct WordsWork {
    let s, a2, c, column, columnSum, cosine, contextNorm, weight, gc, ga: UnsafeMutablePointer<Double>

    static func size(_ sh: DAMSMShape, gradient: Bool) -> Int {
        2 &* sh.t &* sh.r &+ sh.t &* sh.d &+ 2 &* sh.r &+ 3 &* sh.t &+ (gradient ? sh.t &* sh.d &+ sh.t &* sh.r : 0)
    }

    init(_ base: UnsafeMutablePointer<Double>, _ sh: DAMSMShape) {
        let tr = sh.t &* sh.r, td = sh.t &* sh.d
        s = base; a2 = s + tr; c = a2 + tr; column = c + td; columnSum = column + sh.r
        cosine = columnSum + sh.r; contextNorm = cosine + sh.t; weight = contextNorm + sh.t
        gc = weight + sh.t; ga = gc + td
    }
}

/// The caller's features in Double, read once: images (n, d, r), words (n, d, t) and the norm of
/// every word.
private struct WordsInputs {
    let v, e, wordNorm: UnsafeMutablePointer<Double>
    let sh: DAMSMShape, p: DAMSMParameters
    let lengths: UnsafeMutablePointer<Int>

    /// S[b, i] of the pair (image b, caption i), unscaled; leaves the pair's maps in `w`.
    func forward(_ b: Int, _ i: Int, _ w: WordsWork) -> Double {
        let d = sh.d, r = sh.r, t = sh.t, words = lengths[i]
        let vb = v + b &* d &* r, ei = e + i &* d &* t, s = w.s
        s.update(repeating: 0, count: words &* r)
        for k in 0..<d {
            let vk = vb + k &* r
            for tt in 0..<words { addScaled(ei[k &* t &+ tt], vk, s + tt &* r, r) }
        }
        // a1: softmax over the words, column by column (shifted by each column's largest).
        for rr in 0..<r { w.column[rr] = -.infinity; w.columnSum[rr] = 0 }
        for tt in 0..<words { for rr in 0..<r { w.column[rr] = Swift.max(w.column[rr], s[tt &* r &+ rr]) } }
        for tt in 0..<words { for rr in 0..<r { s[tt &* r &+ rr] -= w.column[rr] } }
        BlockMath.exp(s, s, words &* r)
        for tt in 0..<words { for rr in 0..<r { w.columnSum[rr] += s[tt &* r &+ rr] } }
        for tt in 0..<words { for rr in 0..<r { s[tt &* r &+ rr] /= w.columnSum[rr] } }
        // a2: softmax over the regions of γ1 a1, row by row.
        for tt in 0..<words {
            let row = w.a2 + tt &* r, a1 = s + tt &* r
            for rr in 0..<r { row[rr] = p.gamma1 * a1[rr] }
            let largest = BlockMath.maximum(row, r)
            let sum = BlockMath.expShiftedSum(row, largest, row, r)
            for rr in 0..<r { row[rr] /= sum }
        }
        // The context c_t = Σ_r a2[t, r] v_r.
        for k in 0..<d {
            let vk = vb + k &* r
            for tt in 0..<words { w.c[tt &* d &+ k] = dotProduct(vk, w.a2 + tt &* r, r) }
        }
        // cos(c_t, e_t) and the log-sum-exp over the words, shifted by its largest term.
        var largest = -Double.infinity
        for tt in 0..<words {
            let ct = w.c + tt &* d
            var dot = 0.0, squares = 0.0
            for k in 0..<d {
                dot += ei[k &* t &+ tt] * ct[k]
                squares += ct[k] * ct[k]
            }
            let norm = squares.squareRoot()
            w.contextNorm[tt] = norm
            w.cosine[tt] = dot / Swift.max(wordNorm[i &* t &+ tt] * norm, Retrieval.cosineEps)
            w.weight[tt] = p.gamma2 * w.cosine[tt]
            largest = Swift.max(largest, w.weight[tt])
        }
        var sum = 0.0
        for tt in 0..<words {
            w.weight[tt] = Double.exp(w.weight[tt] - largest)
            sum += w.weight[tt]
        }
        for tt in 0..<words { w.weight[tt] /= sum }
        return largest + Double.log(sum)
    }

    /// Adds the gradient of gS · S[b, i] to the image's gradient `gv` (d × r, when not nil) and to
    /// the caption's `ge` (d × t, when not nil), from the maps `forward` left in `w`.
    func backward(_ b: Int, _ i: Int, _ gS: Double, _ w: WordsWork, gv: UnsafeMutablePointer<Double>?,
                  ge: UnsafeMutablePointer<Double>?) {
        let d = sh.d, r = sh.r, t = sh.t, words = lengths[i], eps = Retrieval.cosineEps
        let vb = v + b &* d &* r, ei = e + i &* d &* t, s = w.s, ga = w.ga
        // Through the log-sum-exp (softmax weights) and the cosine: ∂cos/∂c = e/den - cos c/‖c‖²,
        // ∂cos/∂e = c/den - cos e/‖e‖² where the clamp is not active, e/eps and c/eps where it is.
        for tt in 0..<words {
            let g = gS * p.gamma2 * w.weight[tt]
            let n1 = wordNorm[i &* t &+ tt], n2 = w.contextNorm[tt], product = n1 * n2
            let ct = w.c + tt &* d, gct = w.gc + tt &* d
            if product >= eps {
                let cosv = w.cosine[tt]
                let ce = g / product, cc = g * cosv / (n2 * n2), cw = g * cosv / (n1 * n1)
                for k in 0..<d {
                    let ek = ei[k &* t &+ tt]
                    gct[k] = ce * ek - cc * ct[k]
                    if let ge { ge[k &* t &+ tt] += ce * ct[k] - cw * ek }
                }
            } else {
                let ce = g / eps
                for k in 0..<d {
                    let ek = ei[k &* t &+ tt]
                    gct[k] = ce * ek
                    if let ge { ge[k &* t &+ tt] += ce * ct[k] }
                }
            }
        }
        // Through c_t = Σ_r a2[t, r] v_r: ∂a2[t, r] = v_r · ∂c_t, ∂v_r += Σ_t a2[t, r] ∂c_t.
        ga.update(repeating: 0, count: words &* r)
        for k in 0..<d {
            let vk = vb + k &* r
            for tt in 0..<words {
                let g = w.gc[tt &* d &+ k]
                addScaled(g, vk, ga + tt &* r, r)
                if let gv { addScaled(g, w.a2 + tt &* r, gv + k &* r, r) }
            }
        }
        // Through the softmax over the regions, with its factor γ1.
        for tt in 0..<words {
            let row = w.a2 + tt &* r, g = ga + tt &* r
            let inner = dotProduct(row, g, r)
            for rr in 0..<r { g[rr] = p.gamma1 * row[rr] * (g[rr] - inner) }
        }
        // Through the softmax over the words (a1 is in s), column by column.
        for rr in 0..<r { w.column[rr] = 0 }
        for tt in 0..<words { for rr in 0..<r { w.column[rr] += s[tt &* r &+ rr] * ga[tt &* r &+ rr] } }
        for tt in 0..<words { for rr in 0..<r { ga[tt &* r &+ rr] = s[tt &* r &+ rr] * (ga[tt &* r &+ rr] - w.column[rr]) } }
        // Through s[t, r] = e_t · v_r.
        for k in 0..<d {
            let vk = vb + k &* r
            for tt in 0..<words {
                if let gv { addScaled(ei[k &* t &+ tt], ga + tt &* r, gv + k &* r, r) }
                if let ge { ge[k &* t &+ tt] += dotProduct(vk, ga + tt &* r, r) }
            }
        }
    }
}

extension Retrieval {
    /// Image chunks of the words loss: fixed by the sizes (not the thread count), so that the
    /// captions' gradient, summed over chunks, has the same bits on any machine. At most 16, and
    /// fewer (down to 2) where 16 accumulators of the words' gradient would pass 2^25 doubles.
    static func wordChunks(images n: Int, captionElements: Int, gradient: Bool) -> Int {
        let byMemory = gradient ? Swift.max(2, (1 << 25) / Swift.max(captionElements, 1)) : 16
        return Swift.max(1, Swift.min(n, 16, byMemory))
    }

    /// `damsm_words_loss`: img_features (n, d, r) and words_emb (n, d, t) row-major, the caption
    /// labels read and checked; gradients w.r.t. the images (`o.gradients.first`) and the words
    /// (`.second`). Allocates the features in Double, the n × n scores and per chunk a workspace
    /// and, for the words' gradient, an n × d × t accumulator.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func damsmWordsLoss<T: LossFloat>(
        imgFeatures: UnsafeBufferPointer<T>, wordsEmb: UnsafeBufferPointer<T>, labels: borrowing CaptionLabels,
        shape sh: DAMSMShape, parameters p: DAMSMParameters, into o: LossOutputs<T>
    ) throws(LossError) {
        let n = sh.n, d = sh.d, r = sh.r, t = sh.t
        let gvOut = o.gradients.first, geOut = o.gradients.second
        let wanted = gvOut != nil || geOut != nil
        let images = n &* d &* r, captions = n &* d &* t
        let chunks = wordChunks(images: n, captionElements: captions, gradient: geOut != nil)
        let workSize = WordsWork.size(sh, gradient: wanted)
        // Every allocation first: a call that cannot have its scratch fails before it writes.
        let features = try Scratch<Double>(count: images &+ captions &+ n &* t)
        let scores = try Scratch<Double>(count: n &* n)
        let coefficients = try Scratch<Double>(count: wanted ? n &* n : 0)
        let (workTotal, o1) = chunks.multipliedReportingOverflow(by: workSize)
        let (accumulators, o2) = chunks.multipliedReportingOverflow(by: geOut != nil ? captions : 0)
        guard !o1, !o2 else { throw LossError(.outOfMemory, "the scratch of \(chunks) chunks is too large") }
        let work = try Scratch<Double>(count: workTotal)
        let gradV = try Scratch<Double>(count: gvOut != nil ? images : 0)
        let gradE = try Scratch<Double>(count: accumulators)

        let v = features.base, e = v + images, wordNorm = e + captions
        for k in 0..<images { v[k] = Double(imgFeatures[k]) }
        for k in 0..<captions { e[k] = Double(wordsEmb[k]) }
        for i in 0..<n {
            for tt in 0..<t {
                var squares = 0.0
                for k in 0..<d { squares += e[i &* d &* t &+ k &* t &+ tt] * e[i &* d &* t &+ k &* t &+ tt] }
                wordNorm[i &* t &+ tt] = squares.squareRoot()
            }
        }
        let inputs = WordsInputs(v: v, e: e, wordNorm: wordNorm, sh: sh, p: p, lengths: labels.lengths.base)
        let pairWork = n.multipliedReportingOverflow(by: n &* Swift.max(t, 1)).partialValue
            .multipliedReportingOverflow(by: Swift.max(d, 1) &* Swift.max(r, 1)).partialValue
        let parallel = pairWork >= parallelThreshold
        let m = scores.base, workBase = work.base
        let imagesOf = { (c: Int) in (c &* n / chunks)..<((c &+ 1) &* n / chunks) }

        forEachChunk(chunks, parallel: parallel) { c in
            let w = WordsWork(workBase + c &* workSize, sh)
            for b in imagesOf(c) {
                for i in 0..<n { m[b &* n &+ i] = p.gamma3 * inputs.forward(b, i, w) }
            }
        }
        try matchScores(m, n: n, labels: labels, into: o, coefficients: wanted ? coefficients.base : nil)
        guard wanted else { return }

        let g = coefficients.base, gv = gradV.base, ge = gradE.base
        forEachChunk(chunks, parallel: parallel) { c in
            let w = WordsWork(workBase + c &* workSize, sh)
            let accumulator: UnsafeMutablePointer<Double>? = geOut != nil ? ge + c &* captions : nil
            accumulator?.update(repeating: 0, count: captions)
            for b in imagesOf(c) {
                let image: UnsafeMutablePointer<Double>? = gvOut != nil ? gv + b &* d &* r : nil
                image?.update(repeating: 0, count: d &* r)
                for i in 0..<n {
                    // A masked pair, or one whose score no term reads, adds nothing.
                    let gS = p.gamma3 * g[b &* n &+ i]
                    if gS == 0 { continue }
                    _ = inputs.forward(b, i, w)
                    inputs.backward(b, i, gS, w, gv: image, ge: accumulator.map { $0 + i &* d &* t })
                }
            }
        }
        if let gvOut { for k in 0..<images { gvOut[k] = T(gv[k]) } }
        if let geOut {
            for k in 0..<captions {
                var total = 0.0
                for c in 0..<chunks { total += ge[c &* captions &+ k] }
                geOut[k] = T(total)
            }
        }
    }
}
