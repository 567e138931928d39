// The Lovász losses (docs/images.md), as kornia computes them (Berman et al. 2018, after Yu &
// Blaschko 2015): the Lovász extension of the Jaccard loss evaluated at per-pixel errors, one
// image at a time. lovasz_hinge_loss takes one logit channel and binary labels; lovasz_softmax_loss
// softmaxes C >= 2 channels and averages the C classes' extensions (absent classes included).

/// The Lovász extension of the Jaccard loss at the errors of one image: the pixels sorted by
/// error, descending (a NaN first, ties by pixel index ascending: a total order, so the result does
/// not depend on the sort algorithm), and the weight of the pixel at rank i the Jaccard loss's
/// increment `J_i - J_(i-1)`, `J_i = 1 - (F - f_i) / (F + b_i)` with F the image's foreground count
/// and f_i, b_i the foreground and background pixels among the first i. `weights[k]` receives the
/// weight of pixel k (the gradient of the extension w.r.t. its error); returns the extension,
/// `Σ_i max(e, 0)_(i) weight_i` for the hinge (`clamp`) and `Σ_i e_(i) weight_i` for softmax.
@inline(__always)
func lovaszExtension(
    errors e: UnsafeMutablePointer<Double>, foreground: (Int) -> Bool, count d: Int, clamp: Bool,
    order: UnsafeMutablePointer<Int>, weights: UnsafeMutablePointer<Double>
) -> Double {
    var total = 0
    for k in 0..<d {
        order[k] = k
        if foreground(k) { total &+= 1 }
    }
    var ranks = UnsafeMutableBufferPointer(start: order, count: d)
    ranks.sort { a, b in
        let x = e[a], y = e[b]
        if x.isNaN != y.isNaN { return x.isNaN }
        if x != y && !x.isNaN { return x > y }
        return a < b
    }
    let f = Double(total)
    var previous = 0.0, seenForeground = 0.0, seenBackground = 0.0, value = 0.0
    for i in 0..<d {
        let k = order[i]
        if foreground(k) { seenForeground += 1 } else { seenBackground += 1 }
        // The union is never 0: F > 0, or every pixel seen so far is background (i >= 1).
        let jaccard = 1 - (f - seenForeground) / (f + seenBackground)
        let w = jaccard - previous
        previous = jaccard
        weights[k] = w
        let error = clamp ? (e[k] > 0 ? e[k] : (e[k].isNaN ? e[k] : 0)) : e[k]
        value += error * w
    }
    return value
}

/// Image i of `lovasz_hinge_loss`: errors `1 - z (2t - 1)`; the gradient w.r.t. z_k is
/// `-(2t_k - 1) w_k` where the error is > 0 and 0 elsewhere (autograd's relu at 0).
@usableFromInline
struct LovaszHingeKernel<T: LossFloat>: SampleKernel {
    let pred: UnsafeBufferPointer<T>
    /// The labels read once: 0, 1, or -2 for a label that changed after the check (NaN image).
    let labels: UnsafePointer<Int>
    let pixels: Int
    /// 2d doubles and d indices per image: errors, weights, order.
    let scratch: UnsafeMutablePointer<Double>, order: UnsafeMutablePointer<Int>
    let gradient: UnsafeMutableBufferPointer<T>?

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let d = pixels, base = i &* d
        let e = scratch + 2 &* base, w = e + d, y = labels + base
        for k in 0..<d {
            guard y[k] >= 0 else {
                if let g = gradient { for k in 0..<d { g[base &+ k] = .nan } }
                return .nan
            }
            e[k] = 1 - Double(pred[base &+ k]) * Double(2 &* y[k] &- 1)
        }
        let value = lovaszExtension(errors: e, foreground: { y[$0] == 1 }, count: d, clamp: true, order: order + base,
                                    weights: w)
        if let g = gradient {
            let u = Double(scale)
            for k in 0..<d {
                let active = e[k] > 0 || e[k].isNaN
                g[base &+ k] = T(active ? -u * Double(2 &* y[k] &- 1) * w[k] * (e[k].isNaN ? .nan : 1) : 0)
            }
        }
        return T(value)
    }
}

/// Image i of `lovasz_softmax_loss`: per class j, errors `|p_j - [y = j]|`, the extension weighted
/// by `weight[j]` (1 without) and averaged over the C classes. The gradient w.r.t. p_j at pixel k
/// is `weight_j / C · w_jk · sign(p_jk - [y_k = j])` (0 where they are equal, as autograd), then
/// through the softmax.
@usableFromInline
struct LovaszSoftmaxKernel<T: LossFloat>: SampleKernel {
    let pred: UnsafeBufferPointer<T>
    let weight: UnsafeBufferPointer<T>?
    /// The labels read once: a class, or -2 for a label that changed after the check (NaN image).
    let labels: UnsafePointer<Int>
    let classes: Int, pixels: Int
    /// Per image: probabilities and their gradient (2 c d doubles), errors and weights (2 d), order (d).
    let scratch: UnsafeMutablePointer<Double>, order: UnsafeMutablePointer<Int>
    let gradient: UnsafeMutableBufferPointer<T>?

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let c = classes, d = pixels, base = i &* c &* d
        let p = scratch + i &* (2 &* c &* d &+ 2 &* d), gp = p + c &* d, e = gp + c &* d, w = e + d
        let y = labels + i &* d, sorted = order + i &* d
        for k in 0..<d {
            guard y[k] >= 0 else {
                if let g = gradient { for k in 0..<(c &* d) { g[base &+ k] = .nan } }
                return .nan
            }
            // The softmax over the classes of pixel k, the row maximum subtracted.
            var m = -Double.infinity
            for j in 0..<c { m = Swift.max(m, Double(pred[base &+ j &* d &+ k])) }
            var sum = 0.0
            for j in 0..<c {
                let v = Double.exp(Double(pred[base &+ j &* d &+ k]) - m)
                p[j &* d &+ k] = v
                sum += v
            }
            for j in 0..<c { p[j &* d &+ k] /= sum }
        }
        var value = 0.0
        for j in 0..<c {
            let row = p + j &* d
            for k in 0..<d { e[k] = Swift.abs(row[k] - (y[k] == j ? 1 : 0)) }
            let factor = (weight.map { Double($0[j]) } ?? 1) / Double(c)
            value += factor * lovaszExtension(errors: e, foreground: { y[$0] == j }, count: d, clamp: false,
                                              order: sorted, weights: w)
            guard gradient != nil else { continue }
            for k in 0..<d {
                let t = row[k] - (y[k] == j ? 1 : 0)
                let sign: Double = t > 0 ? 1 : (t < 0 ? -1 : (t == 0 ? 0 : .nan))
                gp[j &* d &+ k] = factor * w[k] * sign
            }
        }
        if let g = gradient {
            let u = Double(scale)
            for k in 0..<d {
                var weighted = 0.0
                for j in 0..<c { weighted += p[j &* d &+ k] * gp[j &* d &+ k] }
                for j in 0..<c {
                    g[base &+ j &* d &+ k] = T(u * p[j &* d &+ k] * (gp[j &* d &+ k] - weighted))
                }
            }
        }
        return T(value)
    }
}

extension Images {
    /// `lovasz_hinge_loss` of (n, d) logits (one channel of d = H W pixels) and n·d labels
    /// (checked by the caller: 0 or 1, each read once here). Throws `.outOfMemory` before anything
    /// is written when its scratch (2 n d doubles, 2 n d indices) cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func lovaszHingeLoss<T: LossFloat>(
        pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, batch n: Int, pixels d: Int,
        into o: LossOutputs<T>
    ) throws(LossError) {
        let count = target.count
        let (doubles, overflow) = count.multipliedReportingOverflow(by: 2)
        guard !overflow else { throw LossError(.outOfMemory, "cannot allocate 2 × \(count) doubles of scratch") }
        let labels = try Scratch<Int>(count: count), order = try Scratch<Int>(count: count)
        let scratch = try Scratch<Double>(count: doubles)
        for s in 0..<count {
            let y = target[s]
            labels.base[s] = y == 0 || y == 1 ? Int(y) : -2
        }
        let kernel = LovaszHingeKernel(pred: pred, labels: labels.base, pixels: d, scratch: scratch.base,
                                       order: order.base, gradient: o.gradient)
        reduceSamples(count: n, elementsPerSample: Swift.max(1, d), meanDenominator: Double(n), into: o, kernel)
    }

    /// `lovasz_softmax_loss` of (n, c, d) logits, n·d labels (checked by the caller: in [0, c),
    /// each read once here) and an optional weight per class. Throws `.outOfMemory` before
    /// anything is written when its scratch (n (2 c d + 2 d) doubles, 2 n d indices) cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func lovaszSoftmaxLoss<T: LossFloat>(
        pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?,
        batch n: Int, classes c: Int, pixels d: Int, into o: LossOutputs<T>
    ) throws(LossError) {
        let (perImage, o1) = c.multipliedReportingOverflow(by: d)
        let (doubles, o2) = (2 &* perImage &+ 2 &* d).multipliedReportingOverflow(by: n)
        guard !o1, !o2, perImage < Int.max / 4 else {
            throw LossError(.outOfMemory, "cannot allocate the scratch of \(n) images of \(c) × \(d)")
        }
        let labels = try Scratch<Int>(count: target.count), order = try Scratch<Int>(count: target.count)
        let scratch = try Scratch<Double>(count: doubles)
        for s in 0..<target.count {
            let y = target[s]
            labels.base[s] = y >= 0 && y < Int64(c) ? Int(truncatingIfNeeded: y) : -2
        }
        let kernel = LovaszSoftmaxKernel(pred: pred, weight: weight, labels: labels.base, classes: c, pixels: d,
                                         scratch: scratch.base, order: order.base, gradient: o.gradient)
        reduceSamples(count: n, elementsPerSample: Swift.max(1, perImage), meanDenominator: Double(n), into: o, kernel)
    }
}

/// The checks of the Lovász losses' arguments.
@usableFromInline package enum LovaszParameters {
    /// lovasz_hinge_loss's labels: 0 or 1.
    package static func checkBinary(_ target: UnsafeBufferPointer<Int64>) throws(LossError) {
        for (i, y) in target.enumerated() where y != 0 && y != 1 {
            throw LossError(.labelOutOfRange, "target[\(i)] = \(y) is not 0 or 1")
        }
    }

    /// lovasz_softmax_loss: at least two classes (kornia refuses one).
    package static func checkClasses(_ classes: Int) throws(LossError) {
        guard classes >= 2 else { throw LossError(.invalidSize, "c must be >= 2, got \(classes)") }
    }
}
