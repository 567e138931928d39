// The quadruplet loss (docs/metric_learning.md; Chen et al. 2017): per row of anchor, positive
// and two negatives, two hinges on squared Euclidean distances, on the per-sample driver.

/// Row s of `quadruplet_loss`: its loss and, when asked for, the gradient of each of the four
/// rows, written directly (each sample owns its rows: race-free on any thread).
@usableFromInline
struct QuadrupletKernel<T: LossFloat>: SampleKernel {
    let a: UnsafeBufferPointer<T>, p: UnsafeBufferPointer<T>
    let n1: UnsafeBufferPointer<T>, n2: UnsafeBufferPointer<T>
    let d: Int, margin1: Double, margin2: Double
    let gradients: Gradients<T>

    var wantsGradients: Bool {
        gradients.first != nil || gradients.second != nil || gradients.third != nil || gradients.fourth != nil
    }

    /// Σ (x_k - y_k)² of row s, in double and in one fixed order (eight lanes, then the tail), so
    /// that the loop vectorises and the bits depend on neither the CPU nor the thread count.
    /// Computed as defined: squares of double inputs beyond 1e154 overflow to +inf, as the
    /// reference's do.
    @inline(__always)
    func squaredDistance(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, _ s: Int) -> Double {
        let base = s &* d
        var lanes = SIMD8<Double>()
        var k = 0
        while k &+ 8 <= d {
            var v = SIMD8<Double>()
            for j in 0..<8 { v[j] = Double(x[base &+ k &+ j]) - Double(y[base &+ k &+ j]) }
            lanes += v * v
            k &+= 8
        }
        var sum = lanes.sum()
        while k < d {
            let v = Double(x[base &+ k]) - Double(y[base &+ k])
            sum += v * v
            k &+= 1
        }
        return sum
    }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let dap = squaredDistance(a, p, s)
        let z1 = dap - squaredDistance(a, n1, s) + margin1
        let z2 = dap - squaredDistance(n1, n2, s) + margin2
        let value = T(positivePart(z1) + positivePart(z2))
        guard wantsGradients else { return value }
        // clamp_min's gradient: the upstream one where the argument is > 0, else 0 (the kink and a
        // NaN argument included). The 0 still multiplies 2(x - y) below rather than skipping it,
        // so that a NaN or infinite difference gives a NaN gradient as the reference's 0·NaN does.
        let c1 = z1 > 0 ? 2 * Double(scale) : 0, c2 = z2 > 0 ? 2 * Double(scale) : 0
        let cp = c1 + c2
        let base = s &* d
        for k in 0..<d {
            let i = base &+ k
            let (ak, pk, n1k, n2k) = (Double(a[i]), Double(p[i]), Double(n1[i]), Double(n2[i]))
            let ap = cp * (ak - pk), an = c1 * (ak - n1k), nn = c2 * (n1k - n2k)
            if let g = gradients.first { g[i] = T(ap - an) }
            if let g = gradients.second { g[i] = T(-ap) }
            if let g = gradients.third { g[i] = T(an - nn) }
            if let g = gradients.fourth { g[i] = T(nn) }
        }
        return value
    }
}

extension MetricLearning {
    /// `quadruplet_loss` of (n, d) rows; the gradients are `o.gradients.first` to `.fourth`
    /// (anchor, positive, negative1, negative2).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func quadrupletLoss<T: LossFloat>(
        anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative1: UnsafeBufferPointer<T>,
        negative2: UnsafeBufferPointer<T>, rows n: Int, width d: Int, margin1: Double, margin2: Double,
        into o: LossOutputs<T>
    ) {
        let kernel = QuadrupletKernel(a: anchor, p: positive, n1: negative1, n2: negative2, d: d,
                                      margin1: margin1, margin2: margin2, gradients: o.gradients)
        reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
    }
}

extension MetricLearningParameters {
    /// Both margins finite; either sign is a well-defined loss (the paper's m1 > m2 > 0 is a
    /// recommendation, not a domain).
    package static func checkQuadrupletMargins(_ margin1: Double, _ margin2: Double) throws(LossError) {
        guard margin1.isFinite else { throw LossError(.invalidArgument, "margin1 must be finite, got \(margin1)") }
        guard margin2.isFinite else { throw LossError(.invalidArgument, "margin2 must be finite, got \(margin2)") }
    }
}
