import RealModule

// MS-SSIM's pyramid of one image plane (docs/image_quality.md), as pytorch_msssim's `ms_ssim`:
// level 0 is the plane; level l + 1 is level l averaged over 2 × 2 blocks (avg_pool2d with
// kernel 2 and padding h % 2, w % 2 on both sides, the padding counted: every output divides by
// 4). Each level gives its cs mean, the last its SSIM mean; the plane's value is the product of
// relu(mean_l)^weight_l. The gradient runs back through the pyramid: each level's map gradient
// (scaled by d value / d mean_l over the level's positions) plus the adjoint of the pooling of
// the level above it, from the moment maps the forward pass stored (not filtered twice).

/// The default weights of MS-SSIM's five levels (Wang et al. 2003, pytorch_msssim's default).
@usableFromInline package let msssimDefaultWeights: [Double] = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]

/// `a^w` for a relu'd level mean a >= 0 (or NaN): 0^w is 0 for w > 0, 1 for w = 0, +inf below.
@inline(__always)
func levelPower(_ a: Double, _ w: Double) -> Double {
    if a.isNaN { return a }
    if a == 0 { return w > 0 ? 0 : w == 0 ? 1 : .infinity }
    return Double.exp(w * Double.log(a))
}

/// relu as torch.relu: NaN stays NaN.
@inline(__always)
func levelRelu(_ a: Double) -> Double { a > 0 || a.isNaN ? a : 0 }

/// The 2 × 2 average pooling of an h × w level into its ((h + 1) / 2) × ((w + 1) / 2) successor.
@inline(__always)
func poolLevel(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, height h: Int, width w: Int) {
    let ph = h & 1, pw = w & 1, ho = (h &+ 1) / 2, wo = (w &+ 1) / 2
    for i in 0..<ho {
        let r0 = 2 &* i &- ph
        for j in 0..<wo {
            let c0 = 2 &* j &- pw
            var sum = 0.0
            for r in r0...(r0 &+ 1) where r >= 0 && r < h {
                for c in c0...(c0 &+ 1) where c >= 0 && c < w { sum += src[r &* w &+ c] }
            }
            dst[i &* wo &+ j] = sum / 4
        }
    }
}

/// The adjoint of `poolLevel`: adds a quarter of each coarse gradient to the fine entries it
/// averaged.
@inline(__always)
func poolLevelAdjoint(_ coarse: UnsafePointer<Double>, _ fine: UnsafeMutablePointer<Double>, height h: Int, width w: Int) {
    let ph = h & 1, pw = w & 1, wo = (w &+ 1) / 2
    for r in 0..<h {
        let i = (r &+ ph) >> 1
        for c in 0..<w { fine[r &* w &+ c] += 0.25 * coarse[i &* wo &+ ((c &+ pw) >> 1)] }
    }
}

extension ImageQuality {
    /// The values of every pyramid level of an h × w plane: Σ h_l·w_l over `levels` levels.
    static func pyramidCount(height h: Int, width w: Int, levels: Int) -> Int {
        var (count, hl, wl) = (0, h, w)
        for _ in 0..<levels {
            count &+= hl &* wl
            (hl, wl) = ((hl &+ 1) / 2, (wl &+ 1) / 2)
        }
        return count
    }

    /// The doubles of the five moment maps of every level (each (h_l - taps + 1)(w_l - taps + 1)).
    static func momentsCount(height h: Int, width w: Int, taps k: Int, levels: Int) -> Int {
        var (count, hl, wl) = (0, h, w)
        for _ in 0..<levels {
            count &+= 5 &* (hl &- k &+ 1) &* (wl &- k &+ 1)
            (hl, wl) = ((hl &+ 1) / 2, (wl &+ 1) / 2)
        }
        return count
    }

    /// MS-SSIM's weights: at least one, each finite.
    package static func checkWeights(_ weights: UnsafeBufferPointer<Double>) throws(LossError) {
        guard weights.count >= 1 else { throw LossError(.invalidArgument, "weights must hold at least one level") }
        for (i, v) in weights.enumerated() where !v.isFinite {
            throw LossError(.invalidArgument, "weights[\(i)] must be finite, got \(v)")
        }
    }

    /// Every level of the pyramid at least `winSize` on each side (more than five levels can
    /// shrink below the window even past pytorch_msssim's (win_size - 1)·2^4 rule).
    package static func checkLevels(_ s: ImageShape, winSize: Int, levels: Int) throws(LossError) {
        var (hl, wl) = (s.h, s.w)
        for l in 0..<levels {
            guard hl >= winSize, wl >= winSize else {
                throw LossError(.invalidSize, "level \(l) of the pyramid is \(hl) × \(wl), smaller than the window (win_size \(winSize))")
            }
            (hl, wl) = ((hl &+ 1) / 2, (wl &+ 1) / 2)
        }
    }

    /// `ms_ssim_loss` of `x` and `y` of shape `s`: per image 1 - the mean over channels of
    /// prod_l relu(mean_l)^weights[l]; gradients w.r.t. x (`o.gradients.first`) and y (`.second`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func msssimLoss<T: LossFloat>(
        x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>, shape s: ImageShape, parameters p: SSIMParameters,
        weights: UnsafeBufferPointer<Double>, into o: LossOutputs<T>
    ) throws(LossError) {
        let planes = s.n &* s.c, area = s.h &* s.w, k = p.winSize, levels = weights.count
        let gx = o.gradients.first, gy = o.gradients.second
        let wanted = gx != nil || gy != nil
        let pyramid = pyramidCount(height: s.h, width: s.w, levels: levels)
        // Per task: the pyramids of x and y, of their gradients, the maps' workspace, the level
        // means, and with a gradient every level's moment maps (filtered once, read again backwards).
        let stored = wanted ? momentsCount(height: s.h, width: s.w, taps: k, levels: levels) : 0
        let workspace = 2 &* pyramid &+ (wanted ? 2 &* pyramid : 0) &+ ssimPlaneWorkspace(height: s.h, width: s.w, taps: k)
            &+ levels &+ stored
        let window = try Scratch<Double>(count: k &+ planes)
        gaussianWindow(T.self, size: k, sigma: p.winSigma, into: window.base)
        let values = window.base + k
        let filter = SeparableFilter(g: window.base, taps: k)
        try forEachPlane(planes, elementsPerPlane: area, workspace: workspace) { plane, work in
            let xs = work, ys = xs + pyramid, gxs = ys + pyramid, gys = gxs + pyramid
            let mapsWork = wanted ? gys + pyramid : gxs
            let means = mapsWork + ssimPlaneWorkspace(height: s.h, width: s.w, taps: k)
            let moments = means + levels
            let maps = SSIMPlane(filter: filter, constants: p.constants, work: mapsWork)
            let offset = plane &* area
            for j in 0..<area {
                xs[j] = Double(x[offset &+ j])
                ys[j] = Double(y[offset &+ j])
            }
            // Forward: every level's mean (cs, then SSIM at the last), pooling as it goes.
            var (start, hl, wl) = (0, s.h, s.w)
            var momentStart = 0
            for l in 0..<levels {
                let r = maps.run(xs + start, ys + start, height: hl, width: wl, gradient: nil,
                                 moments: wanted ? (moments + momentStart, false) : nil)
                momentStart &+= 5 &* (hl &- k &+ 1) &* (wl &- k &+ 1)
                let positions = Double((hl &- k &+ 1) &* (wl &- k &+ 1))
                means[l] = levelRelu((l == levels &- 1 ? r.ssim : r.cs) / positions)
                if l < levels &- 1 {
                    let next = start &+ hl &* wl
                    poolLevel(xs + start, xs + next, height: hl, width: wl)
                    poolLevel(ys + start, ys + next, height: hl, width: wl)
                    (start, hl, wl) = (next, (hl &+ 1) / 2, (wl &+ 1) / 2)
                }
            }
            var value = 1.0
            for l in 0..<levels { value *= levelPower(means[l], weights[l]) }
            values[plane] = value
            guard wanted else { return }
            // Backward, from the coarsest level: its map gradient, then the pooling's adjoint.
            let base = -upstream(o, plane / s.c, images: s.n) / Double(s.c)
            gxs.update(repeating: 0, count: 2 &* pyramid)
            for l in stride(from: levels &- 1, through: 0, by: -1) {
                if l < levels &- 1 {
                    poolLevelAdjoint(gxs + (start &+ hl &* wl), gxs + start, height: hl, width: wl)
                    poolLevelAdjoint(gys + (start &+ hl &* wl), gys + start, height: hl, width: wl)
                }
                let a = means[l]
                var derivative = 0.0
                if a > 0 || a.isNaN {
                    derivative = weights[l] * levelPower(a, weights[l] - 1)
                    for j in 0..<levels where j != l { derivative *= levelPower(means[j], weights[j]) }
                }
                let positions = Double((hl &- k &+ 1) &* (wl &- k &+ 1))
                momentStart &-= 5 &* (hl &- k &+ 1) &* (wl &- k &+ 1)
                _ = maps.run(xs + start, ys + start, height: hl, width: wl,
                             gradient: (gxs + start, gys + start, base * derivative / positions, l == levels &- 1),
                             moments: (moments + momentStart, true))
                if l > 0 {
                    // The level below: its sizes are those whose halving gave (hl, wl).
                    var (ps, ph, pw) = (0, s.h, s.w)
                    for _ in 0..<(l &- 1) {
                        ps &+= ph &* pw
                        (ph, pw) = ((ph &+ 1) / 2, (pw &+ 1) / 2)
                    }
                    (start, hl, wl) = (ps, ph, pw)
                }
            }
            if let gx { for j in 0..<area { gx[offset &+ j] = T(gxs[j]) } }
            if let gy { for j in 0..<area { gy[offset &+ j] = T(gys[j]) } }
        }
        reduceImages(s.n, into: o) { i in
            var total = 0.0
            for c in 0..<s.c { total += values[i &* s.c &+ c] }
            return 1 - total / Double(s.c)
        }
    }
}
