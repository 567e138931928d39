// The verification loss of a re-identification Siamese network (docs/metric_learning.md; Zheng,
// Zheng and Yang 2017): a weighted squared difference of two embeddings plus a bias is the logit
// of "same identity", scored by binary cross entropy with logits. Per row on the per-sample
// driver; the weight's and the bias's gradients, sums over rows, in a second pass that gives each
// column to one task and adds its rows in order.

/// Row s of `verification_loss`: its loss and, when asked for, the gradients of both rows, written
/// directly (each sample owns its rows); when the weight's or the bias's gradient is asked for,
/// the row's coefficient ∂loss/∂logit (times the upstream gradient) goes to `coefficients[s]`.
@usableFromInline
struct VerificationKernel<T: LossFloat>: SampleKernel {
    let f1: UnsafeBufferPointer<T>, f2: UnsafeBufferPointer<T>, label: UnsafeBufferPointer<T>
    let weight: UnsafeBufferPointer<T>?
    let d: Int, bias: Double
    let g1: UnsafeMutableBufferPointer<T>?, g2: UnsafeMutableBufferPointer<T>?
    let coefficients: UnsafeMutablePointer<Double>?

    @inline(__always)
    func w(_ k: Int) -> Double { weight.map { Double($0[k]) } ?? 1 }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let base = s &* d
        // The logit in double, in one fixed order.
        var logit = bias
        for k in 0..<d {
            let v = Double(f1[base &+ k]) - Double(f2[base &+ k])
            logit += w(k) * (v * v)
        }
        let y = Double(label[s])
        // max(s, 0) - s·y + log1p(e^{-|s|}): neither overflows nor cancels for large |s|.
        let value = Logistic.softplus(logit) - logit * y
        if g1 == nil && g2 == nil && coefficients == nil { return T(value) }
        let c = Double(scale) * (Logistic.sigmoid(logit) - y)
        coefficients?[s] = c
        if g1 != nil || g2 != nil {
            for k in 0..<d {
                let g = 2 * c * w(k) * (Double(f1[base &+ k]) - Double(f2[base &+ k]))
                if let g1 { g1[base &+ k] = T(g) }
                if let g2 { g2[base &+ k] = T(-g) }
            }
        }
        return T(value)
    }
}

extension MetricLearning {
    /// `verification_loss` of (n, d) rows, n labels, d weights (nil: ones) and a bias; the
    /// gradients are `o.gradients.first` (f1), `.second` (f2), `.third` (weight, d values) and
    /// `.fourth` (bias, one value). Throws `.outOfMemory`, before anything is written, when the n
    /// doubles of scratch that the weight's or the bias's gradient needs cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func verificationLoss<T: LossFloat>(
        f1: UnsafeBufferPointer<T>, f2: UnsafeBufferPointer<T>, label: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, bias: Double, rows n: Int, width d: Int, into o: LossOutputs<T>
    ) throws(LossError) {
        let gw = o.gradients.third, gb = o.gradients.fourth
        func run(_ coefficients: UnsafeMutablePointer<Double>?) {
            let kernel = VerificationKernel(f1: f1, f2: f2, label: label, weight: weight, d: d, bias: bias,
                                            g1: o.gradients.first, g2: o.gradients.second, coefficients: coefficients)
            reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
        }
        guard gw != nil || gb != nil else { return run(nil) }
        let scratch = try Scratch<Double>(count: n)  // freed when this scope ends
        let c = scratch.base
        run(c)
        // Each sum over rows in row order, on one task: the same bits for any thread count.
        if let gb {
            var sum = CompensatedSum()
            for s in 0..<n { sum.add(c[s]) }
            gb[0] = T(sum.value)
        }
        guard let gw else { return }
        let columns = 64
        let parallel = n.multipliedReportingOverflow(by: d).partialValue >= parallelThreshold
        forEachChunk((d + columns - 1) / columns, parallel: parallel) { chunk in
            let start = chunk &* columns, end = Swift.min(d, start &+ columns)
            for k in start..<end {
                var sum = CompensatedSum()
                for s in 0..<n {
                    let v = Double(f1[s &* d &+ k]) - Double(f2[s &* d &+ k])
                    sum.add(c[s] * (v * v))
                }
                gw[k] = T(sum.value)
            }
        }
    }
}

extension MetricLearningParameters {
    /// The bias is a logit: any finite value.
    package static func checkBias(_ bias: Double) throws(LossError) {
        guard bias.isFinite else { throw LossError(.invalidArgument, "bias must be finite, got \(bias)") }
    }
}
