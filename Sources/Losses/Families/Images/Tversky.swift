import RealModule

// The Tversky losses (docs/images.md): kornia's tversky_loss and the focal Tversky loss of
// Abraham & Khan (2019), one kernel (tversky_loss is the focal form at gamma = 1). Logits
// (n, c, d) are softmaxed over c per pixel; labels are class indices, ignore_index leaves a
// pixel out of its sample. The library's dice_loss (probabilities, smoothing in numerator and
// denominator, a mean over every channel) is a different formula, so nothing is shared with it
// beyond the (n, c, d) layout.

/// The domains of the Tversky losses' parameters.
@usableFromInline package enum TverskyParameters {
    /// alpha, beta and eps finite and >= 0 (the index then stays in [0, 1]); gamma finite and > 0.
    package static func check(alpha: Double, beta: Double, gamma: Double, eps: Double) throws(LossError) {
        guard alpha.isFinite, alpha >= 0 else {
            throw LossError(.invalidArgument, "alpha must be finite and >= 0, got \(alpha)")
        }
        guard beta.isFinite, beta >= 0 else {
            throw LossError(.invalidArgument, "beta must be finite and >= 0, got \(beta)")
        }
        guard gamma.isFinite, gamma > 0 else {
            throw LossError(.invalidArgument, "gamma must be finite and > 0, got \(gamma)")
        }
        guard eps.isFinite, eps >= 0 else { throw LossError(.invalidArgument, "eps must be finite and >= 0, got \(eps)") }
    }
}

/// Sample i of the Tversky losses. Per class j present among the sample's kept pixels,
/// TI_j = tp / (tp + alpha fp + beta fn + eps) with tp = Σ p_j [y = j], fp = Σ p_j [y ≠ j],
/// fn = Σ (1 - p_j) [y = j] over the kept pixels; the sample's loss is the mean over present
/// classes of (1 - TI_j)^(1/gamma) (1 - mean TI_j at gamma = 1, as kornia), 1 with no present class.
/// The gradient goes through the softmax; the sample owns its c·d entries (race-free).
@usableFromInline
struct TverskyKernel<T: LossFloat>: SampleKernel {
    let pred: UnsafeBufferPointer<T>
    /// The labels read once: a class, -1 for an ignored pixel, -2 for a label that changed
    /// after the check (the sample is then NaN).
    let labels: UnsafePointer<Int>
    let classes: Int, spatial: Int
    let alpha: Double, beta: Double, gamma: Double, eps: Double
    /// 5c doubles per sample: tp, fp, fn, count, one pixel's probabilities.
    let scratch: UnsafeMutablePointer<Double>
    let gradient: UnsafeMutableBufferPointer<T>?

    /// The softmax of pixel k of sample i into `e` (c values), the row maximum subtracted.
    @inline(__always)
    private func softmax(_ i: Int, _ k: Int, into e: UnsafeMutablePointer<Double>) {
        let c = classes, d = spatial, base = i &* c &* d &+ k
        var m = -Double.infinity
        for j in 0..<c { m = Swift.max(m, Double(pred[base &+ j &* d])) }
        var sum = 0.0
        for j in 0..<c {
            let v = Double.exp(Double(pred[base &+ j &* d]) - m)
            e[j] = v
            sum += v
        }
        for j in 0..<c { e[j] /= sum }
    }

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let c = classes, d = spatial
        let tp = scratch + i &* (5 &* c), fp = tp + c, fn = tp + 2 &* c, count = tp + 3 &* c, e = tp + 4 &* c
        for j in 0..<(4 &* c) { tp[j] = 0 }
        var broken = false
        for k in 0..<d {
            let y = labels[i &* d &+ k]
            if y == -1 { continue }
            guard y >= 0 else { broken = true; break }
            softmax(i, k, into: e)
            for j in 0..<c {
                if j == y {
                    tp[j] += e[j]
                    fn[j] += 1 - e[j]
                    count[j] += 1
                } else {
                    fp[j] += e[j]
                }
            }
        }
        if broken {
            if let g = gradient { for k in 0..<(c &* d) { g[i &* c &* d &+ k] = .nan } }
            return .nan
        }
        var present = 0, indices = 0.0, focal = 0.0
        for j in 0..<c where count[j] > 0 {
            present &+= 1
            let denominator = tp[j] + alpha * fp[j] + beta * fn[j] + eps
            let index = tp[j] / denominator
            indices += index
            // 1 - TI_j >= 0 as alpha, beta, eps >= 0; the clamp keeps a NaN out of pow at the edge.
            let u = Swift.max(0, 1 - index)
            if gamma != 1 { focal += Double.pow(u, 1 / gamma) }
            // Coefficients of d TI_j / d p_j: `a` at pixels labelled j, `b` at the other kept pixels.
            let a = (denominator - tp[j] * (1 - beta)) / (denominator * denominator)
            let b = -alpha * tp[j] / (denominator * denominator)
            // d (1 - TI)^(1/gamma) / d TI; at TI = 1 (rounding) taken as 0 for gamma > 1 (a minimum).
            let slope = gamma == 1 ? -1.0 : (u > 0 ? -Double.pow(u, 1 / gamma - 1) / gamma : 0)
            tp[j] = slope * a
            fp[j] = slope * b
        }
        let loss: Double
        if present == 0 { loss = 1 } else if gamma == 1 { loss = 1 - indices / Double(present) } else {
            loss = focal / Double(present)
        }
        guard let g = gradient else { return T(loss) }
        let factor = present == 0 ? 0 : Double(scale) / Double(present)
        let base = i &* c &* d
        for k in 0..<d {
            let y = labels[i &* d &+ k]
            if y < 0 || present == 0 {
                for j in 0..<c { g[base &+ j &* d &+ k] = 0 }
                continue
            }
            softmax(i, k, into: e)
            // G_j = d loss / d p_j (absent classes 0), then through the softmax: p_j (G_j - Σ p G).
            var weighted = 0.0
            for j in 0..<c where count[j] > 0 { weighted += e[j] * (j == y ? tp[j] : fp[j]) }
            for j in 0..<c {
                let own = count[j] > 0 ? (j == y ? tp[j] : fp[j]) : 0
                g[base &+ j &* d &+ k] = T(factor * e[j] * (own - weighted))
            }
        }
        return T(loss)
    }
}

extension Images {
    /// `tversky_loss` (gamma = 1) and `focal_tversky_loss` of (n, c, d) logits and n·d labels
    /// (checked by the caller: in [0, c) or `ignoreIndex`); the gradient is `o.gradients.first`.
    /// Each label is read once. Throws `.outOfMemory` before anything is written when its
    /// scratch (n·d indices, 5·n·c doubles) cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func tverskyLoss<T: LossFloat>(
        pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, batch n: Int, classes c: Int,
        spatial d: Int, alpha: Double, beta: Double, gamma: Double, eps: Double, ignoreIndex: Int64,
        into o: LossOutputs<T>
    ) throws(LossError) {
        let (doubles, overflow) = n.multipliedReportingOverflow(by: 5 &* c)
        guard !overflow else { throw LossError(.outOfMemory, "cannot allocate \(n) × \(5 &* c) doubles of scratch") }
        let labels = try Scratch<Int>(count: target.count)
        let scratch = try Scratch<Double>(count: doubles)
        for s in 0..<target.count {
            let y = target[s]
            labels.base[s] = y == ignoreIndex ? -1 : (y >= 0 && y < Int64(c) ? Int(truncatingIfNeeded: y) : -2)
        }
        let kernel = TverskyKernel(pred: pred, labels: labels.base, classes: c, spatial: d, alpha: alpha, beta: beta,
                                   gamma: gamma, eps: eps, scratch: scratch.base, gradient: o.gradient)
        reduceSamples(count: n, elementsPerSample: Swift.max(1, c &* d), meanDenominator: Double(n), into: o, kernel)
    }
}
