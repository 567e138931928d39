import RealModule

// Circle loss over given similarities (Sun et al. 2020, the authors' `CircleLoss(m, gamma)` with
// `forward(sp, sn)`): each row holds the similarities of its K positive pairs and L negative
// pairs; the pair weights a_p = relu(1 + m - s_p) and a_n = relu(s_n + m) are constants of the
// gradient (detached). Per row on the per-sample driver; each row's logits in its own scratch.

/// Row s of `circle_loss`: its loss and, when asked for, its gradients w.r.t. sp and sn (each
/// row owns its K and L entries, and its K + L doubles of `logits`).
@usableFromInline
struct CirclePairsKernel<T: LossFloat>: SampleKernel {
    let sp: UnsafeBufferPointer<T>, sn: UnsafeBufferPointer<T>
    let k: Int, l: Int, m: Double, gamma: Double
    let gsp: UnsafeMutableBufferPointer<T>?, gsn: UnsafeMutableBufferPointer<T>?
    let logits: UnsafeMutablePointer<Double>

    /// The detached weights: relu that keeps NaN, as the authors' `clamp_min`.
    @inline(__always) func ap(_ s: Double) -> Double { positivePart(1 + m - s) }
    @inline(__always) func an(_ s: Double) -> Double { positivePart(s + m) }

    @usableFromInline
    func callAsFunction(_ row: Int, _ scale: T) -> T {
        let zp = logits + row &* (k &+ l), zn = zp + k
        let bp = row &* k, bn = row &* l
        for j in 0..<k {
            let s = Double(sp[bp &+ j])
            zp[j] = -gamma * ap(s) * (s - (1 - m))
        }
        for j in 0..<l {
            let s = Double(sn[bn &+ j])
            zn[j] = gamma * an(s) * (s - m)
        }
        let wanted = gsp != nil || gsn != nil
        // logsumexp of nothing is -inf: K = 0 or L = 0 gives z = -inf, a 0 loss and 0 gradients.
        let z = circleLogSumExp(zp, k, weights: wanted) + circleLogSumExp(zn, l, weights: wanted)
        if wanted {
            // ∂softplus(z)/∂s = σ(z) · (softmax weight) · ∂logit/∂s, the a's held constant.
            let outer = Double(scale) * Logistic.sigmoid(z)
            if let gsp {
                for j in 0..<k { gsp[bp &+ j] = T(outer * zp[j] * (-gamma * ap(Double(sp[bp &+ j])))) }
            }
            if let gsn {
                for j in 0..<l { gsn[bn &+ j] = T(outer * zn[j] * (gamma * an(Double(sn[bn &+ j])))) }
            }
        }
        return T(Logistic.softplus(z))
    }
}

/// `logSumExp` of the batch circle loss for any count: -inf for none, +inf when a logit is +inf
/// (as `torch.logsumexp`; its weights are then NaN at the +inf logits and 0 elsewhere), NaN when
/// a logit is NaN.
@inline(__always)
func circleLogSumExp(_ z: UnsafeMutablePointer<Double>, _ n: Int, weights: Bool) -> Double {
    guard n > 0 else { return -.infinity }
    let largest = BlockMath.maximum(UnsafePointer(z), n)
    guard largest == .infinity else { return logSumExp(z, n, weights: weights) }
    var result = largest
    for j in 0..<n where z[j].isNaN { result = .nan }
    if weights { for j in 0..<n { z[j] = Double.exp(z[j] - largest) } }
    return result
}

extension MetricLearning {
    /// `circle_loss` of n rows of k positive and l negative similarities; the gradients are
    /// `o.gradients.first` (sp) and `.second` (sn). Throws `.outOfMemory`, before anything is
    /// written, when the n·(k + l) doubles of logits cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func circleLoss<T: LossFloat>(
        sp: UnsafeBufferPointer<T>, sn: UnsafeBufferPointer<T>, rows n: Int, positives k: Int, negatives l: Int,
        m: Double, gamma: Double, into o: LossOutputs<T>
    ) throws(LossError) {
        let scratch = try Scratch<Double>(count: n &* (k &+ l))  // freed when this scope ends
        let kernel = CirclePairsKernel(sp: sp, sn: sn, k: k, l: l, m: m, gamma: gamma, gsp: o.gradients.first,
                                       gsn: o.gradients.second, logits: scratch.base)
        reduceSamples(count: n, elementsPerSample: Swift.max(k &+ l, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
