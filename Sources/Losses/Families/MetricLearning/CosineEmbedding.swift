// The cosine embedding loss (docs/metric_learning.md): per pair of rows and a ±1 target, on the
// per-sample driver, with PyTorch's own cosine (1e-12 added to each squared norm).

/// Row s of `cosine_embedding_loss`: its loss and, when asked for, both rows' gradients,
/// written directly (each sample owns its rows).
@usableFromInline
struct CosineEmbeddingKernel<T: LossFloat>: SampleKernel {
    let x1: UnsafePointer<T>, x2: UnsafePointer<T>, target: UnsafeBufferPointer<T>
    let d: Int, margin: Double
    let g1: UnsafeMutableBufferPointer<T>?, g2: UnsafeMutableBufferPointer<T>?

    /// PyTorch's epsilon, added to each squared norm: the float constant 1e-12f
    /// (9.9999999600e-13) in both precisions, as PyTorch's `const float EPSILON`.
    static var epsilon: Double { Double(Float(1e-12)) }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let a = x1 + s &* d, b = x2 + s &* d
        // Eight lanes each, summed in a fixed order: vectorised, and the same bits everywhere.
        var dot = SIMD8<Double>(), aa = SIMD8<Double>(), bb = SIMD8<Double>()
        var k = 0
        while k &+ 8 <= d {
            var u = SIMD8<Double>(), w = SIMD8<Double>()
            for j in 0..<8 { (u[j], w[j]) = (Double(a[k &+ j]), Double(b[k &+ j])) }
            dot += u * w
            aa += u * u
            bb += w * w
            k &+= 8
        }
        var (sd, s1, s2) = (dot.sum(), aa.sum(), bb.sum())
        while k < d {
            let (u, w) = (Double(a[k]), Double(b[k]))
            sd += u * w
            s1 += u * u
            s2 += w * w
            k &+= 1
        }
        let n1 = s1 + Self.epsilon, n2 = s2 + Self.epsilon
        let denominator = (n1 * n2).squareRoot()
        let cosine = sd / denominator
        let y = target[s]
        let value: Double, slope: Double  // slope: ∂loss/∂cosine
        if y == 1 {
            (value, slope) = (1 - cosine, -1)
        } else if y == -1 {
            let z = cosine - margin
            (value, slope) = (positivePart(z), z > 0 ? 1 : 0)
        } else {
            (value, slope) = (0, 0)
        }
        if g1 != nil || g2 != nil {
            let c = slope * Double(scale)
            // ∂cos/∂x1 = x2/D - cos·x1/n1, and symmetrically; coefficients once per row.
            let (p, q1, q2) = (c / denominator, c * cosine / n1, c * cosine / n2)
            let base = s &* d
            for k in 0..<d {
                let (u, w) = (Double(a[k]), Double(b[k]))
                if let g1 { g1[base &+ k] = T(p * w - q1 * u) }
                if let g2 { g2[base &+ k] = T(p * u - q2 * w) }
            }
        }
        return T(value)
    }
}

extension MetricLearning {
    /// `cosine_embedding_loss` of (n, d) rows and n targets; the gradients are
    /// `o.gradients.first` (x1) and `.second` (x2).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func cosineEmbeddingLoss<T: LossFloat>(
        x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, margin: Double, into o: LossOutputs<T>
    ) {
        // Empty buffers may have no base address; nothing is read from them then.
        let kernel = CosineEmbeddingKernel(
            x1: x1.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!,
            x2: x2.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!,
            target: target, d: d, margin: margin, g1: o.gradients.first, g2: o.gradients.second)
        reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
