import RealModule

// The separable Gaussian filter of SSIM (docs/image_quality.md), as pytorch_msssim builds and
// applies it: a normalised 1-D window, a valid convolution (no padding) along H, then along W,
// and its adjoint, the full (zero-padded, transposed) filtering that takes a map of the filtered
// size back to the image's. Every sum runs in double, in a fixed order.

/// The 1-D window of `size` taps: exp(-(i - size/2)^2 / (2 sigma^2)) over its sum, built in
/// `T` as pytorch_msssim's `_fspecial_gauss_1d` builds it in the input's dtype (float32 there for
/// every input; here float64 for float64 images), then widened to double. Each exponential is
/// rounded once to T (float32: the same bits as PyTorch's float32 exp on every window tried) and
/// their sum is taken in double and rounded once to T (PyTorch's float32 sum of the window gives
/// that correctly rounded sum for the windows of the vectors, not always for others: the float32
/// window may then differ from pytorch_msssim's by an ulp of its sum).
@usableFromInline
func gaussianWindow<T: LossFloat>(_: T.Type, size: Int, sigma: Double, into g: UnsafeMutablePointer<Double>) {
    let denominator = T(2 * sigma * sigma)
    var total = 0.0
    for i in 0..<size {
        let c = T(i - size / 2)
        let e = T(Double.exp(Double(-(c * c) / denominator)))
        g[i] = Double(e)
        total += Double(e)
    }
    let sum = T(total)
    for i in 0..<size { g[i] = Double(T(g[i]) / sum) }
}

/// One image plane's filter: the window `g` of `taps` (odd) entries.
@usableFromInline
struct SeparableFilter {
    let g: UnsafePointer<Double>
    let taps: Int

    /// Valid filtering of each of `rows` rows of `src` (width `w`) into `dst` (width w - taps + 1).
    @inline(__always)
    func rows(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, rows: Int, width w: Int) {
        let wo = w &- taps &+ 1
        for i in 0..<rows {
            let s = src + i &* w, d = dst + i &* wo
            let g0 = g[0]
            for j in 0..<wo { d[j] = g0 * s[j] }
            for t in 1..<Swift.max(taps, 1) {
                let gt = g[t], st = s + t
                for j in 0..<wo { d[j] += gt * st[j] }
            }
        }
    }

    /// Valid filtering down the columns: `src` (h rows of width `w`) into `dst` (h - taps + 1 rows).
    @inline(__always)
    func columns(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, height h: Int, width w: Int) {
        let ho = h &- taps &+ 1
        for i in 0..<ho {
            let d = dst + i &* w, s0 = src + i &* w
            let g0 = g[0]
            for j in 0..<w { d[j] = g0 * s0[j] }
            for t in 1..<Swift.max(taps, 1) {
                let gt = g[t], st = src + (i &+ t) &* w
                for j in 0..<w { d[j] += gt * st[j] }
            }
        }
    }

    /// The adjoint of `columns`: `src` (ho rows of width `w`) into `dst` (ho + taps - 1 rows).
    @inline(__always)
    func columnsAdjoint(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, outputHeight ho: Int, width w: Int) {
        let h = ho &+ taps &- 1
        dst.update(repeating: 0, count: h &* w)
        for i in 0..<ho {
            let s = src + i &* w
            for t in 0..<taps {
                let gt = g[t], d = dst + (i &+ t) &* w
                for j in 0..<w { d[j] += gt * s[j] }
            }
        }
    }

    /// The adjoint of `rows` for one row: `src` (wo values) into `dst` (wo + taps - 1 values).
    @inline(__always)
    func rowAdjoint(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, outputWidth wo: Int) {
        dst.update(repeating: 0, count: wo &+ taps &- 1)
        for t in 0..<taps {
            let gt = g[t], d = dst + t
            for j in 0..<wo { d[j] += gt * src[j] }
        }
    }
}
