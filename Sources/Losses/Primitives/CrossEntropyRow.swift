import RealModule

/// The softmax row kernel: max, shifted exponentials and their sum, log-sum-exp, and the
/// exponentials optionally kept (in `probabilities`, unnormalised: the caller scales them).
/// The exponentials come from the block exp (BlockMath), vectorised for the CPU at hand;
/// a value-only call keeps them a piece at a time in a stack scratch and never writes memory
/// of the caller's. Every softmax loss builds on this one.
///
/// The row is summed in pieces of 1 KiB of values (`softmaxPiece`), added in order, with or
/// without `probabilities`: a value-only call and a call with a gradient give the same bits.
/// (Swift places a temporary allocation on the stack only up to 1 KiB; past that it may call
/// malloc, once per row.)
///
/// Returns the row maximum `m`, `Σ exp(z_c - m)` and `lse = m + log Σ`.
@inlinable @inline(__always)
func softmaxRow<T: LossFloat>(
    _ z: UnsafePointer<T>, _ classes: Int, keeping probabilities: UnsafeMutablePointer<T>?
) -> (max: T, sum: T, lse: T) {
    let m = BlockMath.maximum(z, classes)
    let piece = softmaxPiece / MemoryLayout<T>.stride
    var sum: T = 0
    withUnsafeTemporaryAllocation(of: T.self, capacity: piece) { scratch in
        var start = 0
        while start < classes {
            let count = Swift.min(piece, classes &- start)
            sum += BlockMath.expShiftedSum(z + start, m, probabilities.map { $0 + start } ?? scratch.baseAddress!, count)
            start &+= count
        }
    }
    return (m, sum, m + T.log(sum))
}

/// Bytes of a softmax row summed at a time (see `softmaxRow`).
@usableFromInline let softmaxPiece = 1024

/// Cross entropy of one contiguous row of C logits with class-index target `label`: the formula
/// of `CrossEntropyKernel` (the same results, to rounding), on the softmax row kernel: the
/// exponentials go straight into the gradient when there is one (then scaled in place: one
/// exponential per logit).
@inlinable
func crossEntropyRow<T: LossFloat>(
    _ z: UnsafePointer<T>, _ classes: Int, label: Int, labelWeight wy: T, weight: UnsafePointer<T>?,
    epsilon: T, uniform: T, weightSum: T, gradient: UnsafeMutablePointer<T>?, scale: T
) -> T {
    let (_, sum, lse) = softmaxRow(z, classes, keeping: gradient)
    var loss = (1 - epsilon) * wy * (lse - z[label])
    if epsilon != 0 {
        var weighted: T = 0
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
        // One class: p = 1 and the gradient is exactly 0, but (1-ε)·w + (ε/1)·w above rounds (a
        // few 1e-17 left); a NaN or infinite logit keeps its NaN.
        if classes == 1 && !gradient[0].isNaN { gradient[0] = 0 }
    }
    return loss
}

/// The sum of `count` values in eight lanes of their type (a row's worth: a few ulp). Written
/// per concrete type: generic SIMD code is lowered lane by lane through memory.
@inlinable @inline(__always)
func rowSum<T: LossFloat>(_ p: UnsafePointer<T>, _ count: Int) -> T {
    if T.self == Float.self { return laneSum(UnsafeRawPointer(p), count, SIMD8<Float>.self) as! T }
    return laneSum(UnsafeRawPointer(p), count, SIMD8<Double>.self) as! T
}

@inlinable @inline(__always)
func laneSum<V: SIMD>(_ p: UnsafeRawPointer, _ count: Int, _: V.Type) -> V.Scalar where V.Scalar: BinaryFloatingPoint {
    var lanes = V()
    var i = 0
    while i &+ 8 <= count {
        lanes += p.loadUnaligned(fromByteOffset: i &* MemoryLayout<V.Scalar>.stride, as: V.self)
        i &+= 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += p.load(fromByteOffset: i &* MemoryLayout<V.Scalar>.stride, as: V.Scalar.self)
        i &+= 1
    }
    return sum
}
