// The image losses (docs/images.md): segmentation and reconstruction. The dice loss of (N, C, S)
// probabilities and masks runs on the per-sample driver; the reconstruction loss hands its
// elements to the regression family's l1_loss and mse_loss kernels.

/// The image losses over validated buffers. The C exports and the array API both end here.
@usableFromInline package enum Images {}

/// The domains of the image losses' parameters.
@usableFromInline package enum ImagesParameters {
    /// smooth: finite and >= 0 (a negative one can make a denominator vanish at non-empty masks).
    package static func checkSmooth(_ smooth: Double) throws(LossError) {
        guard smooth.isFinite, smooth >= 0 else {
            throw LossError(.invalidArgument, "smooth must be finite and >= 0, got \(smooth)")
        }
    }

    /// p: 1 (L1) or 2 (squared error).
    package static func checkReconstructionP(_ p: Double) throws(LossError) {
        guard p == 1 || p == 2 else { throw LossError(.invalidArgument, "p must be 1 or 2, got \(p)") }
    }
}

/// Sample i of `dice_loss`: `1 - mean_j r_ij` over its C channels of S values, and when asked for
/// the gradients w.r.t. pred and target of its C·S elements, written directly (each sample owns
/// its elements: race-free on any thread).
@usableFromInline
struct DiceKernel<T: LossFloat>: SampleKernel {
    let p: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>
    let channels: Int, spatial: Int, smooth: Double
    let gradients: Gradients<T>

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let c = channels, s = spatial
        var ratios = 0.0
        for j in 0..<c {
            let base = (i &* c &+ j) &* s
            // The three sums in double, in one fixed order (eight lanes, then the tail).
            var li = SIMD8<Double>(), lp = SIMD8<Double>(), lt = SIMD8<Double>()
            var k = 0
            while k &+ 8 <= s {
                var vp = SIMD8<Double>(), vt = SIMD8<Double>()
                for m in 0..<8 {
                    vp[m] = Double(p[base &+ k &+ m])
                    vt[m] = Double(t[base &+ k &+ m])
                }
                li += vp * vt
                lp += vp
                lt += vt
                k &+= 8
            }
            var intersection = li.sum(), sumP = lp.sum(), sumT = lt.sum()
            while k < s {
                let (a, b) = (Double(p[base &+ k]), Double(t[base &+ k]))
                intersection += a * b
                sumP += a
                sumT += b
                k &+= 1
            }
            let denominator = sumP + sumT + smooth
            let r = (2 * intersection + smooth) / denominator
            ratios += r
            if gradients.first == nil && gradients.second == nil { continue }
            // d loss_i / d p = -(2t - r) / (C·D), d loss_i / d t = -(2p - r) / (C·D).
            let factor = -Double(scale) / (Double(c) * denominator)
            for k in 0..<s {
                let e = base &+ k
                if let g = gradients.first { g[e] = T(factor * (2 * Double(t[e]) - r)) }
                if let g = gradients.second { g[e] = T(factor * (2 * Double(p[e]) - r)) }
            }
        }
        return T(1 - ratios / Double(c))
    }
}

extension Images {
    /// `dice_loss` of (n, c, s) `pred` and `target`; the gradients are `o.gradients.first`
    /// (pred) and `.second` (target).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func diceLoss<T: LossFloat>(
        pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, batch n: Int, channels c: Int, spatial s: Int,
        smooth: Double, into o: LossOutputs<T>
    ) {
        let kernel = DiceKernel(p: pred, t: target, channels: c, spatial: s, smooth: smooth, gradients: o.gradients)
        let perSample = c.multipliedReportingOverflow(by: s).partialValue
        reduceSamples(count: n, elementsPerSample: Swift.max(perSample, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
