// The perceptual loss (docs/images.md) of one layer's feature maps: a content term (the mean
// squared difference of the maps) and a style term (the squared Frobenius distance of their Gram
// matrices), per sample. A network's loss over several layers is the sum of its layers' calls:
// the language layers take lists of maps and add them up, so every map stays the caller's own
// buffer (no concatenation, no copy).

/// The parameters of one layer of `perceptual_loss`.
@usableFromInline package struct PerceptualWeights: Sendable {
    package var layer: Double, style: Double

    package init(layer: Double, style: Double) { (self.layer, self.style) = (layer, style) }

    /// Both finite and >= 0: a negative weight would reward the difference it should penalise.
    package func check() throws(LossError) {
        guard layer.isFinite, layer >= 0 else {
            throw LossError(.invalidArgument, "layer_weight must be finite and >= 0, got \(layer)")
        }
        guard style.isFinite, style >= 0 else {
            throw LossError(.invalidArgument, "style_weight must be finite and >= 0, got \(style)")
        }
    }
}

extension Images {
    /// n, c, h, w >= 0 and their product representable; c, h and w >= 1 (a mean over an empty map
    /// has no value).
    package static func checkFeatureMaps(_ s: ImageShape) throws(LossError) {
        guard s.n >= 0, s.c >= 0, s.h >= 0, s.w >= 0 else {
            throw LossError(.invalidSize, "n, c, h and w must be >= 0, got (\(s.n), \(s.c), \(s.h), \(s.w))")
        }
        guard s.elements != nil else { throw LossError(.invalidSize, "n × c × h × w is too large") }
        guard s.c >= 1, s.h >= 1, s.w >= 1 else {
            throw LossError(.invalidSize, "a feature map must have c, h and w >= 1, got (\(s.c), \(s.h), \(s.w))")
        }
    }

    /// `perceptual_loss` of one layer: per sample i, with F the c × hw map and K = c·h·w,
    ///   loss_i = layer·Σ(x − y)²/K + style·‖(FxFxᵀ − FyFyᵀ)/K‖²_F,
    /// reduced as `o` asks. Gradients: w.r.t. x (`o.gradients.first`) u_i·(2·layer·(x − y) +
    /// 4·style·D·Fx)/K with D = (FxFxᵀ − FyFyᵀ)/K, and w.r.t. y (`.second`) −u_i·(2·layer·(x − y) +
    /// 4·style·D·Fy)/K.
    ///
    /// Accuracy: the maps are read into Double, the content sums and the Gram entries are float64
    /// sums in a fixed order (one fma chain per Gram entry), so float32 results are the correctly
    /// rounded float64 ones up to a few ulp, and every result is the same for any thread count.
    /// style = 0 computes no Gram matrix: the value is then the content term alone.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func perceptualLoss<T: LossFloat>(
        x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>, shape s: ImageShape, weights: PerceptualWeights,
        into o: LossOutputs<T>
    ) throws(LossError) {
        let area = s.h &* s.w, sample = s.c &* area, k = Double(sample)
        let values = try Scratch<Double>(count: s.n)
        if weights.style == 0 {
            // Content alone: every sample is a task that writes only its own values and gradients.
            let parallel = s.n >= 2 && s.n.multipliedReportingOverflow(by: sample).partialValue >= parallelThreshold
            let v = values.base
            forEachChunk(s.n, parallel: parallel) { i in
                v[i] = content(x, y, sample: i, size: sample, weight: weights.layer,
                               upstream: ImageQuality.upstream(o, i, images: s.n) / k,
                               into: o.gradients)
            }
        } else {
            // The Gram products spread over the cores; the samples run in turn.
            let style = try StyleScratch(channels: s.c, area: area,
                                         gradients: o.gradients.first != nil || o.gradients.second != nil)
            for i in 0..<s.n {
                values.base[i] = style.loss(x, y, sample: i, channels: s.c, area: area, weights: weights,
                                            upstream: ImageQuality.upstream(o, i, images: s.n) / k, into: o.gradients)
            }
        }
        ImageQuality.reduceImages(s.n, into: o) { values.base[$0] }
    }

    /// Sample i's content term, weight·Σ(x − y)²/K, summed in Double in element order; writes
    /// its gradients 2·weight·(x − y)·u (u already divided by K), negated for y.
    static func content<T: LossFloat>(
        _ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, sample i: Int, size: Int, weight: Double,
        upstream u: Double, into g: Gradients<T>
    ) -> Double {
        let base = i &* size
        var total = 0.0
        for j in 0..<size {
            let d = Double(x[base &+ j]) - Double(y[base &+ j])
            total += d * d
        }
        let factor = 2 * weight * u
        if let gx = g.first {
            for j in 0..<size { gx[base &+ j] = T(factor * (Double(x[base &+ j]) - Double(y[base &+ j]))) }
        }
        if let gy = g.second {
            for j in 0..<size { gy[base &+ j] = T(-factor * (Double(x[base &+ j]) - Double(y[base &+ j]))) }
        }
        return weight * total / Double(size)
    }
}

/// The scratch of the style term, allocated once per call before anything is written (the
/// products allocate nothing): the two maps in Double, their Gram matrices, the packed panels of
/// the products and the gradient product.
struct StyleScratch: ~Copyable {
    let scratch: Scratch<Double>
    let maps: UnsafeMutablePointer<Double>, grams: UnsafeMutablePointer<Double>
    let panels: UnsafeMutablePointer<Double>, product: UnsafeMutablePointer<Double>
    let gradients: Bool

    init(channels c: Int, area: Int, gradients: Bool) throws(LossError) {
        let (mapSize, o1) = c.multipliedReportingOverflow(by: area)
        let (gramSize, o2) = c.multipliedReportingOverflow(by: c)
        let panelSize = Swift.max(RowProducts.gramPanels(rows: c, width: area),
                                  gradients ? RowProducts.combinePanels(columns: c, width: area) : 0)
        // Two maps, two Gram matrices, the panels and (for the gradients) one product map.
        guard !o1, !o2, mapSize <= Int.max / 8, gramSize <= Int.max / 8, panelSize <= Int.max / 8 else {
            throw LossError(.outOfMemory, "the style term's scratch is too large")
        }
        let productSize = gradients ? mapSize : 0
        scratch = try Scratch(count: 2 &* mapSize &+ 2 &* gramSize &+ panelSize &+ productSize)
        maps = scratch.base
        grams = maps + 2 &* mapSize
        panels = grams + 2 &* gramSize
        product = panels + panelSize
        self.gradients = gradients
    }

    /// Sample i's whole loss: layer·Σ(x − y)²/K + style·‖D‖²_F, D = (FxFxᵀ − FyFyᵀ)/K, K = c·area,
    /// and its gradients u·(2·layer·(x − y) + 4·style·D·Fx) and −u·(2·layer·(x − y) + 4·style·D·Fy),
    /// each computed in Double and rounded once (u is the upstream gradient over K).
    func loss<T: LossFloat>(
        _ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, sample i: Int, channels c: Int, area: Int,
        weights: PerceptualWeights, upstream u: Double, into g: Gradients<T>
    ) -> Double {
        let size = c &* area, base = i &* size, k = Double(size)
        let fx = maps, fy = fx + size, gx = grams, gy = gx + c &* c
        var content = 0.0
        for j in 0..<size {
            fx[j] = Double(x[base &+ j])
            fy[j] = Double(y[base &+ j])
            let d = fx[j] - fy[j]
            content += d * d
        }
        RowProducts.gram(fx, rows: c, width: area, into: gx, panels: panels)
        RowProducts.gram(fy, rows: c, width: area, into: gy, panels: panels)
        var style = 0.0
        for j in 0..<(c &* c) {
            let d = (gx[j] - gy[j]) / k
            gx[j] = d  // D, in place of Gx: the gradients need nothing else of it
            style += d * d
        }
        if gradients {
            let linear = 2 * weights.layer * u, quadratic = 4 * weights.style * u
            if let gradX = g.first {
                RowProducts.combine(gx, rows: c, columns: c, fx, width: area, into: product, panels: panels)
                for j in 0..<size { gradX[base &+ j] = T(linear * (fx[j] - fy[j]) + quadratic * product[j]) }
            }
            if let gradY = g.second {
                RowProducts.combine(gx, rows: c, columns: c, fy, width: area, into: product, panels: panels)
                for j in 0..<size { gradY[base &+ j] = T(-(linear * (fx[j] - fy[j]) + quadratic * product[j])) }
            }
        }
        return weights.layer * content / k + weights.style * style
    }
}
