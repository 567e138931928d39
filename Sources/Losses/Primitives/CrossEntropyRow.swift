import CLossesMath
import RealModule

/// Cross entropy of one float32 row of C logits with class-index target `label`: the formula of
/// `CrossEntropyKernel` (the same results, to rounding), written for speed. The row's
/// exponentials are computed by the block exp of CLossesMath, vectorised for the CPU at hand,
/// straight into the gradient when there is one (then scaled in place: one exponential per
/// logit), else a piece at a time into a stack scratch; the same call shifts by the row maximum
/// and sums.
@inlinable
func crossEntropyRow(
    _ z: UnsafePointer<Float>, _ classes: Int, label: Int, labelWeight wy: Float, weight: UnsafePointer<Float>?,
    epsilon: Float, uniform: Float, weightSum: Float, gradient: UnsafeMutablePointer<Float>?, scale: Float
) -> Float {
    let m = rowMaximum(z, classes)
    var sum: Float = 0
    if let gradient {
        sum = _losses_exp_shifted_sum_f32(z, m, gradient, Int64(classes))
    } else {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 1024) { scratch in
            var start = 0
            while start < classes {
                let count = Swift.min(1024, classes &- start)
                sum += _losses_exp_shifted_sum_f32(z + start, m, scratch.baseAddress!, Int64(count))
                start &+= count
            }
        }
    }
    let lse = m + Float.log(sum)
    var loss = (1 - epsilon) * wy * (lse - z[label])
    if epsilon != 0 {
        var weighted: Float = 0
        if let weight {
            for c in 0..<classes { weighted += weight[c] * z[c] }
        } else {
            weighted = rowSum(z, classes)
        }
        loss += uniform * (weightSum * lse - weighted)
    }
    if let gradient {
        // g_c = scale·[(1-ε)·w_y·(p_c - δ_cy) + (ε/C)·(W·p_c - w_c)], p_c = e_c / sum.
        let a = scale * ((1 - epsilon) * wy + uniform * weightSum) / sum, b = scale * uniform
        if let weight {
            for c in 0..<classes { gradient[c] = gradient[c] * a - b * weight[c] }
        } else {
            for c in 0..<classes { gradient[c] = gradient[c] * a - b }
        }
        gradient[label] -= scale * (1 - epsilon) * wy
    }
    return loss
}

/// The largest of `count` floats (NaN entries are passed over, as `Swift.max` does).
@inlinable @inline(__always)
func rowMaximum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var lanes = SIMD8<Float>(repeating: -.infinity)
    var i = 0
    while i &+ 8 <= count {
        let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        lanes = lanes.replacing(with: v, where: v .> lanes)
        i &+= 8
    }
    var m = -Float.infinity
    for k in 0..<8 where lanes[k] > m { m = lanes[k] }
    while i < count {
        m = Swift.max(m, p[i])
        i &+= 1
    }
    return m
}

/// The sum of `count` floats in eight float lanes (a row's worth: a few ulp).
@inlinable @inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i &+ 8 <= count {
        lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        i &+= 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += p[i]
        i &+= 1
    }
    return sum
}
