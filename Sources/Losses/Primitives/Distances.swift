import RealModule

// Distances and similarities between rows: PyTorch's pairwise_distance and cosine_similarity,
// row-wise (pair i with i) and as (n, m) matrices, on the pair-matrix driver. Every sum is
// taken in Double with the row's largest magnitude factored out, so no finite input overflows
// or underflows, in either dtype; the float32 result is rounded once.

/// The parameters of the distance functions, checked before anything is computed.
package enum DistanceParameters {
    package static func checkP(_ p: Double) throws(LossError) {
        guard p.isFinite, p >= 0 else { throw LossError(.invalidArgument, "p must be finite and >= 0, got \(p)") }
    }

    package static func checkEps(_ eps: Double, positive: Bool) throws(LossError) {
        guard eps.isFinite, !positive || eps > 0 else {
            throw LossError(.invalidArgument, "eps must be finite\(positive ? " and > 0" : ""), got \(eps)")
        }
    }

    /// pairwise_distance's parameters: p finite and >= 0, eps finite.
    package static func checkDistance(p: Double, eps: Double) throws(LossError) {
        try checkP(p)
        try checkEps(eps, positive: false)
    }

    /// cosine_similarity's: eps finite and > 0.
    package static func checkCosine(eps: Double) throws(LossError) {
        try checkEps(eps, positive: true)
    }
}

/// `‖x1[i] - x2[j] + eps‖_p`, PyTorch's pairwise_distance of one pair.
package struct PairwiseDistanceKernel<T: LossFloat>: PairKernel {
    package typealias Scalar = T
    package typealias RowState = Void
    let x1: UnsafePointer<T>, x2: UnsafePointer<T>
    let d: Int
    let p: Double, eps: Double

    package init(x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, d: Int, p: Double, eps: Double) {
        // Empty buffers may have no base address; nothing is read from them then.
        self.x1 = x1.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
        self.x2 = x2.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
        (self.d, self.p, self.eps) = (d, p, eps)
    }

    package func firstRow(_ i: Int) {}
    package func secondRow(_ j: Int) {}

    /// The difference the norm is taken of, exact in Double before eps is added.
    @inline(__always) func v(_ i: Int, _ j: Int, _ k: Int) -> Double {
        (Double(x1[i &* d &+ k]) - Double(x2[j &* d &+ k])) + eps
    }

    package func value(_ i: Int, _ j: Int, _ a: Void, _ b: Void) -> Double {
        if p == 0 {
            var count = 0.0
            for k in 0..<d where v(i, j, k) != 0 { count += 1 }
            return count
        }
        if p == 1 {
            var sum = 0.0
            for k in 0..<d { sum += abs(v(i, j, k)) }
            return sum
        }
        let scale = largest(i, j)
        guard scale > 0, scale.isFinite else { return scale }
        var sum = 0.0
        if p == 2 {
            for k in 0..<d {
                let r = v(i, j, k) / scale
                sum += r * r
            }
            return scale * sum.squareRoot()
        }
        for k in 0..<d { sum += Double.pow(abs(v(i, j, k)) / scale, p) }
        return scale * Double.pow(sum, 1 / p)
    }

    /// max_k |v_k|, or NaN as soon as a component is NaN (so that the distance is NaN).
    @inline(__always) func largest(_ i: Int, _ j: Int) -> Double {
        var scale = 0.0
        for k in 0..<d {
            let a = abs(v(i, j, k))
            if a.isNaN { return a }
            if a > scale { scale = a }
        }
        return scale
    }

    /// Adds `sign · coefficient · ∂s/∂x1` of the pair: `sign(v) (|v| / s)^(p-1)` per component,
    /// 0 where s = 0 (zero distance), where v_k = 0, and for p = 0. For a general p the power
    /// is taken as `r^(p-1) · Σ^(-(p-1)/p)` with r = |v|/max|v| and Σ = Σ r^p, never of a ratio
    /// already rounded to about 1: exact to a few ulp for any finite p.
    @inline(__always)
    func add(_ i: Int, _ j: Int, _ s: Double, _ coefficient: Double, _ g: UnsafeMutablePointer<Double>) {
        if p == 0 {
            for k in 0..<d { g[k] += coefficient * (v(i, j, k) * 0) }
            return
        }
        guard s != 0 else { return }
        if p == 1 {
            for k in 0..<d {
                let v = v(i, j, k)
                g[k] += coefficient * (v > 0 ? 1 : (v < 0 ? -1 : v * 0))
            }
            return
        }
        if p == 2 {
            for k in 0..<d { g[k] += coefficient * (v(i, j, k) / s) }
            return
        }
        let scale = largest(i, j)
        guard scale > 0, scale.isFinite else {
            for k in 0..<d { g[k] += coefficient * (scale * 0) }  // NaN stays NaN; inf gives NaN, as PyTorch
            return
        }
        var sum = 0.0
        for k in 0..<d { sum += Double.pow(abs(v(i, j, k)) / scale, p) }
        let common = Double.pow(sum, -(p - 1) / p)
        for k in 0..<d {
            let v = v(i, j, k)
            guard v != 0 else {
                g[k] += coefficient * (v * 0)
                continue
            }
            let r = abs(v) / scale
            g[k] += coefficient * (v > 0 ? 1 : -1) * (Double.pow(r, p - 1) * common)
        }
    }

    package func addFirstGradient(_ i: Int, _ j: Int, _ a: Void, _ b: Void, _ s: Double, _ coefficient: Double,
                                  into g: UnsafeMutablePointer<Double>) {
        add(i, j, s, coefficient, g)
    }

    package func addSecondGradient(_ i: Int, _ j: Int, _ a: Void, _ b: Void, _ s: Double, _ coefficient: Double,
                                   into g: UnsafeMutablePointer<Double>) {
        add(i, j, s, -coefficient, g)
    }
}

/// A row's Euclidean norm and what the cosine needs of it.
package struct RowNorm {
    /// The largest magnitude in the row (factored out of every sum; 0 for a zero row).
    var scale: Double
    /// ‖x‖.
    var norm: Double
    /// max(‖x‖, eps): PyTorch's denominator.
    var clamped: Double
}

/// PyTorch's cosine_similarity of one pair: `Σ (x1/max(‖x1‖, eps)) (x2/max(‖x2‖, eps))`.
package struct CosineSimilarityKernel<T: LossFloat>: PairKernel {
    package typealias Scalar = T
    let x1: UnsafePointer<T>, x2: UnsafePointer<T>
    let d: Int
    let eps: Double

    package init(x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, d: Int, eps: Double) {
        self.x1 = x1.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
        self.x2 = x2.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
        (self.d, self.eps) = (d, eps)
    }

    @inline(__always) func norm(_ x: UnsafePointer<T>) -> RowNorm {
        var scale = 0.0
        for k in 0..<d {
            let a = abs(Double(x[k]))
            if a.isNaN {
                scale = a  // a NaN row has a NaN norm, and every cosine with it is NaN
                break
            }
            if a > scale { scale = a }
        }
        guard scale > 0, scale.isFinite else {
            return RowNorm(scale: scale, norm: scale, clamped: Swift.max(scale, eps))
        }
        var sum = 0.0
        for k in 0..<d {
            let r = Double(x[k]) / scale
            sum += r * r
        }
        let norm = scale * sum.squareRoot()
        return RowNorm(scale: scale, norm: norm, clamped: Swift.max(norm, eps))
    }

    package func firstRow(_ i: Int) -> RowNorm { norm(x1 + i &* d) }
    package func secondRow(_ j: Int) -> RowNorm { norm(x2 + j &* d) }

    package func value(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm) -> Double {
        guard a.scale > 0, b.scale > 0 else { return a.scale.isNaN || b.scale.isNaN ? .nan : 0 }
        let u = x1 + i &* d, w = x2 + j &* d
        var dot = 0.0
        for k in 0..<d { dot += (Double(u[k]) / a.scale) * (Double(w[k]) / b.scale) }
        return dot * (a.scale / a.clamped) * (b.scale / b.clamped)
    }

    /// `coefficient (w / (a b) - s u / (a ‖u‖))` into g, the second term 0 for a zero row u:
    /// PyTorch autograd's gradient, whose clamp of the norm is invisible to autograd.
    @inline(__always)
    func add(_ u: UnsafePointer<T>, _ w: UnsafePointer<T>, _ a: RowNorm, _ b: RowNorm, _ s: Double,
             _ coefficient: Double, _ g: UnsafeMutablePointer<Double>) {
        // Each factor stays O(1) or O(coefficient / a): no overflow or underflow between them
        // for norms anywhere in the double range.
        let across = coefficient / a.clamped
        let along = coefficient * s / a.clamped
        if a.norm > 0 {
            for k in 0..<d { g[k] += across * (Double(w[k]) / b.clamped) - along * (Double(u[k]) / a.norm) }
        } else {
            for k in 0..<d { g[k] += across * (Double(w[k]) / b.clamped) }
        }
    }

    package func addFirstGradient(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm, _ s: Double, _ coefficient: Double,
                                  into g: UnsafeMutablePointer<Double>) {
        add(x1 + i &* d, x2 + j &* d, a, b, s, coefficient, g)
    }

    package func addSecondGradient(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm, _ s: Double, _ coefficient: Double,
                                   into g: UnsafeMutablePointer<Double>) {
        add(x2 + j &* d, x1 + i &* d, b, a, s, coefficient, g)
    }
}

/// The row-wise and matrix functions over validated buffers. Not inlinable (the kernels keep
/// their fields internal), so each entry point is specialised here for both element types:
/// without it, the export layer's calls ran the generic code, converting every element through
/// runtime casts.
package enum Distances {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func pairwiseDistance<T: LossFloat>(
        x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, shape: PairShape, p: Double, eps: Double,
        into o: LossOutputs<T>
    ) throws(LossError) {
        try reducePairMatrix(shape, into: o, PairwiseDistanceKernel(x1: x1, x2: x2, d: shape.d, p: p, eps: eps))
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func cosineSimilarity<T: LossFloat>(
        x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, shape: PairShape, eps: Double,
        into o: LossOutputs<T>
    ) throws(LossError) {
        // The matrix form on the blocked products; the row-wise one pair by pair.
        if !shape.diagonal { return try cosineSimilarityMatrix(x1: x1, x2: x2, shape: shape, eps: eps, into: o) }
        try reducePairMatrix(shape, into: o, CosineSimilarityKernel(x1: x1, x2: x2, d: shape.d, eps: eps))
    }
}
