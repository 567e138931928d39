import RealModule

// The two transcendental functions the hot float32 kernels need, eight lanes at a time, as
// polynomials: LLVM does not vectorise calls into libm, and those kernels spend most of their
// time there. Written on the concrete SIMD8<Float>: generic SIMD8<T> comparisons compiled to
// lane-by-lane masks here. float64 kernels stay scalar (libm).

extension Float {
    /// `exp(x)` in eight lanes, within 2 ulp: Cody–Waite reduction `x = n·ln2 + r`,
    /// |r| <= ln2/2, Cephes' degree-6 polynomial for `e^r`, and `2^n` applied in two halves so
    /// that subnormal results come out right. Overflows to +inf above 88.72, gives exactly 0
    /// below -103.97; NaN propagates.
    @inlinable @inline(__always)
    public static func exp(lanes x: SIMD8<Float>) -> SIMD8<Float> {
        // Written with compares, selects and bit casts only: the generic SIMD `clamped`,
        // `rounded` and integer conversions compile to per-lane calls.
        var c = x.replacing(with: -104, where: x .< -104)
        c = c.replacing(with: 89, where: c .> 89)
        // Adding 1.5·2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
        let magic = SIMD8<Float>(repeating: 12582912)
        let shifted = c * 1.44269504088896341 + magic
        let n = shifted - magic
        let k = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        var r = c - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * r * r + r + 1
        let half = k &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: SIMD8<Float>.self)
        let scaleB = unsafeBitCast((k &- half &+ 127) &<< 23, to: SIMD8<Float>.self)
        let result = y * scaleA * scaleB
        // Lanes past the clamps: +inf above, exactly 0 below, NaN kept.
        return result.replacing(with: Float.infinity, where: x .> 88.7228394)
            .replacing(with: 0, where: x .< -103.972)
            .replacing(with: x, where: x .!= x)
    }

    /// `log(1 + e)` for e in [0, 1] in eight lanes, within 2 ulp: `2·atanh(s)`, s = e/(2+e) in
    /// [0, 1/3], as an odd series in s (nine terms reach float precision at s = 1/3). Exact in
    /// the relative sense for tiny e, where log1p(e) = e.
    @inlinable @inline(__always)
    public static func log1pUnit(lanes e: SIMD8<Float>) -> SIMD8<Float> {
        let s = e / (2 + e)
        let s2 = s * s
        var p = SIMD8<Float>(repeating: 1 / 17)
        p = p * s2 + 1 / 15
        p = p * s2 + 1 / 13
        p = p * s2 + 1 / 11
        p = p * s2 + 1 / 9
        p = p * s2 + 1 / 7
        p = p * s2 + 1 / 5
        p = p * s2 + 1 / 3
        p = p * s2 + 1
        return 2 * s * p
    }
}

/// Cross entropy of one float32 row of C logits with class-index target `label`, eight lanes at
/// a time; the same formula and the same results (to rounding) as `CrossEntropyKernel`'s
/// general path. With a gradient, the row's exponentials are stored into it while they are
/// summed and then scaled in place: one exponential per logit.
@inlinable
func crossEntropyRow(
    _ z: UnsafePointer<Float>, _ classes: Int, label: Int, labelWeight wy: Float, weight: UnsafePointer<Float>?,
    epsilon: Float, uniform: Float, weightSum: Float, gradient: UnsafeMutablePointer<Float>?, scale: Float
) -> Float {
    let lanes = classes & ~7
    var maxima = SIMD8<Float>(repeating: -.infinity)
    var i = 0
    while i < lanes {
        let v = load8(z, i)
        maxima = maxima.replacing(with: v, where: v .> maxima)
        i &+= 8
    }
    var m = -Float.infinity
    for k in 0..<8 where maxima[k] > m { m = maxima[k] }
    while i < classes {
        m = Swift.max(m, z[i])
        i &+= 1
    }
    var sums = SIMD8<Float>()
    let shift = SIMD8<Float>(repeating: m)
    i = 0
    while i < lanes {
        let e = Float.exp(lanes: load8(z, i) - shift)
        if let gradient { store8(e, gradient, i) }
        sums += e
        i &+= 8
    }
    var sum = sums.sum()
    while i < classes {
        let e = Float.exp(z[i] - m)
        gradient?[i] = e
        sum += e
        i &+= 1
    }
    let lse = m + Float.log(sum)
    var loss = (1 - epsilon) * wy * (lse - z[label])
    if epsilon != 0 {
        var dot = SIMD8<Float>()
        i = 0
        while i < lanes {
            dot += (weight.map { load8($0, i) } ?? SIMD8(repeating: 1)) * load8(z, i)
            i &+= 8
        }
        var weighted = dot.sum()
        while i < classes {
            weighted += (weight?[i] ?? 1) * z[i]
            i &+= 1
        }
        loss += uniform * (weightSum * lse - weighted)
    }
    if let gradient {
        // g_c = scale·[(1-ε)·w_y·(p_c - δ_cy) + (ε/C)·(W·p_c - w_c)], p_c = e_c / sum.
        let a = scale * ((1 - epsilon) * wy + uniform * weightSum) / sum, b = scale * uniform
        let av = SIMD8<Float>(repeating: a), bv = SIMD8<Float>(repeating: b)
        i = 0
        while i < lanes {
            let w = weight.map { load8($0, i) } ?? SIMD8(repeating: 1)
            store8(load8(gradient, i) * av - bv * w, gradient, i)
            i &+= 8
        }
        while i < classes {
            gradient[i] = gradient[i] * a - b * (weight?[i] ?? 1)
            i &+= 1
        }
        gradient[label] -= scale * (1 - epsilon) * wy
    }
    return loss
}
