import RealModule

// The softmax and class-index losses (docs/classification.md): cross entropy (class indices or
// probabilities), NLL, softmax focal loss, multi-class margin. One sample is one target; its
// logits are `input[base + stride·c]` for c in 0..<C (see `ClassLayout`).

/// Parameter checks shared by the Swift API and the C exports.
@usableFromInline package enum ClassificationParameters {
    package static func checkLabelSmoothing(_ epsilon: Double) throws(LossError) {
        guard epsilon >= 0, epsilon <= 1 else {
            throw LossError(.invalidArgument, "label_smoothing must be in [0, 1], got \(epsilon)")
        }
    }

    @usableFromInline package static func checkMarginPower(_ p: Int32) throws(LossError) {
        guard p == 1 || p == 2 else { throw LossError(.invalidArgument, "p must be 1 or 2, got \(p)") }
    }

    /// `alpha` of `focal_loss`: none, one value for every class, or one per class.
    @usableFromInline package static func checkFocalAlpha(_ alpha: UnsafeBufferPointer<Double>?, classes: Int) throws(LossError) {
        guard let alpha else { return }
        guard alpha.count == 1 || alpha.count == classes else {
            throw LossError(.shapeMismatch, "alpha has \(alpha.count) values, expected 1 or \(classes) (the classes)")
        }
        for (i, a) in alpha.enumerated() where !a.isFinite {
            throw LossError(.invalidArgument, "alpha[\(i)] must be finite, got \(a)")
        }
    }
}

/// What every class-index kernel reads: the logits, the layout and where gradients go.
@usableFromInline
struct ClassProblem<T: LossFloat> {
    @usableFromInline let z: UnsafeBufferPointer<T>, layout: ClassLayout, gradient: UnsafeMutableBufferPointer<T>?

    @inlinable init(_ z: UnsafeBufferPointer<T>, _ layout: ClassLayout, _ gradient: UnsafeMutableBufferPointer<T>?) {
        (self.z, self.layout, self.gradient) = (z, layout, gradient)
    }

    @inlinable var classes: Int { layout.classes }
    @inlinable var stride: Int { layout.stride }

    /// Zeros sample s's gradient (an ignored target).
    @inlinable @inline(__always)
    func clearGradient(_ base: Int) {
        if let gradient { for c in 0..<classes { gradient[base &+ c &* stride] = 0 } }
    }

    /// Sample s's loss, `loss(base, label)` for a kept target. Its target is read once, and
    /// checked again here although the export checked every label: a caller's thread may change
    /// the labels during the call, and a label used as an index must never leave [0, C). Such a
    /// sample gets a NaN loss and a zero gradient; an ignored one a zero loss and gradient.
    @inlinable @inline(__always)
    func keptSample(_ s: Int, _ target: UnsafeBufferPointer<Int64>, _ ignoreIndex: Int64,
                    _ loss: (_ base: Int, _ label: Int) -> T) -> T {
        let base = layout.base(s)
        let y = target[s]
        guard y != ignoreIndex else {
            clearGradient(base)
            return 0
        }
        guard let label = label(y) else {
            clearGradient(base)
            return .nan
        }
        return loss(base, label)
    }

    /// `y` as an index when it is one of the C classes.
    @inlinable @inline(__always)
    func label(_ y: Int64) -> Int? {
        y >= 0 && y < Int64(classes) ? Int(truncatingIfNeeded: y) : nil
    }

    /// max_c z of the sample at `base`.
    @inlinable @inline(__always)
    func rowMax(_ base: Int) -> T {
        var m = -T.infinity
        for c in 0..<classes { m = Swift.max(m, z[base &+ c &* stride]) }
        return m
    }

    /// max_c z and log Σ_c exp z of the sample at `base`.
    @inlinable @inline(__always)
    func logSumExp(_ base: Int) -> (max: T, lse: T) {
        if stride == 1 {
            let row = softmaxRow(z.baseAddress! + base, classes, keeping: nil)
            return (row.max, row.lse)
        }
        let m = rowMax(base)
        var sum: T = 0
        for c in 0..<classes { sum += T.exp(z[base &+ c &* stride] - m) }
        return (m, m + T.log(sum))
    }
}

/// Cross entropy with class-index targets (see `Classification.crossEntropy`).
@usableFromInline
struct CrossEntropyKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let p: ClassProblem<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?
    @usableFromInline let ignoreIndex: Int64, epsilon: T, uniform: T, weightSum: T

    @inlinable init(_ p: ClassProblem<T>, _ target: UnsafeBufferPointer<Int64>, _ weight: UnsafeBufferPointer<T>?,
                    _ ignoreIndex: Int64, _ labelSmoothing: Double) {
        (self.p, self.target, self.weight, self.ignoreIndex) = (p, target, weight, ignoreIndex)
        epsilon = T(labelSmoothing)
        uniform = T(labelSmoothing) / T(p.classes)
        var total: T = 0
        if let weight { for w in weight { total += w } } else { total = T(p.classes) }
        weightSum = total
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        p.keptSample(s, target, ignoreIndex) { base, label in
            let stride = p.stride, z = p.z
            let wy = weight?[label] ?? 1
            if stride == 1 {
                // Plain (N, C) rows: the softmax row kernel (Primitives/CrossEntropyRow.swift).
                return crossEntropyRow(
                    z.baseAddress! + base, p.classes, label: label, labelWeight: wy, weight: weight?.baseAddress,
                    epsilon: epsilon, uniform: uniform, weightSum: weightSum,
                    gradient: p.gradient.map { $0.baseAddress! + base }, scale: scale)
            }
            let lse = p.logSumExp(base).lse
            var loss = (1 - epsilon) * wy * (lse - z[base &+ label &* stride])
            if epsilon != 0 {
                var smooth: T = 0
                for c in 0..<p.classes { smooth += (weight?[c] ?? 1) * (lse - z[base &+ c &* stride]) }
                loss += uniform * smooth
            }
            if let gradient = p.gradient {
                for c in 0..<p.classes {
                    let i = base &+ c &* stride
                    let prob = T.exp(z[i] - lse)
                    var g = (1 - epsilon) * wy * (c == label ? prob - 1 : prob)
                    if epsilon != 0 { g += uniform * (weightSum * prob - (weight?[c] ?? 1)) }
                    gradient[i] = g * scale
                }
            }
            return loss
        }
    }
}

/// Cross entropy with probability targets (see `Classification.crossEntropyProbabilities`).
@usableFromInline
struct SoftTargetKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let p: ClassProblem<T>, t: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?
    @usableFromInline let keep: T, uniform: T

    @inlinable init(_ p: ClassProblem<T>, _ t: UnsafeBufferPointer<T>, _ weight: UnsafeBufferPointer<T>?,
                    _ labelSmoothing: Double) {
        (self.p, self.t, self.weight) = (p, t, weight)
        keep = 1 - T(labelSmoothing)
        uniform = T(labelSmoothing) / T(p.classes)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let base = p.layout.base(s), stride = p.stride, z = p.z
        let lse = p.logSumExp(base).lse
        var loss: T = 0, mass: T = 0
        for c in 0..<p.classes {
            let i = base &+ c &* stride
            let wt = (weight?[c] ?? 1) * (keep * t[i] + uniform)
            loss += wt * (lse - z[i])
            mass += wt
        }
        if let gradient = p.gradient {
            for c in 0..<p.classes {
                let i = base &+ c &* stride
                let wt = (weight?[c] ?? 1) * (keep * t[i] + uniform)
                gradient[i] = (T.exp(z[i] - lse) * mass - wt) * scale
            }
        }
        return loss
    }
}

/// Negative log likelihood (see `Classification.nllLoss`).
@usableFromInline
struct NLLKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let p: ClassProblem<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?
    @usableFromInline let ignoreIndex: Int64

    @inlinable init(_ p: ClassProblem<T>, _ target: UnsafeBufferPointer<Int64>, _ weight: UnsafeBufferPointer<T>?,
                    _ ignoreIndex: Int64) {
        (self.p, self.target, self.weight, self.ignoreIndex) = (p, target, weight, ignoreIndex)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        p.keptSample(s, target, ignoreIndex) { base, label in
            let wy = weight?[label] ?? 1
            p.clearGradient(base)  // one entry of the row is non-zero
            p.gradient?[base &+ label &* p.stride] = -wy * scale
            return -wy * p.z[base &+ label &* p.stride]
        }
    }
}

/// Softmax focal loss (see `Classification.focalLoss`).
@usableFromInline
struct FocalKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let p: ClassProblem<T>, target: UnsafeBufferPointer<Int64>, alpha: UnsafeBufferPointer<Double>?
    @usableFromInline let gamma: T, ignoreIndex: Int64

    @inlinable init(_ p: ClassProblem<T>, _ target: UnsafeBufferPointer<Int64>, _ alpha: UnsafeBufferPointer<Double>?,
                    _ gamma: Double, _ ignoreIndex: Int64) {
        (self.p, self.target, self.alpha, self.gamma, self.ignoreIndex) = (p, target, alpha, T(gamma), ignoreIndex)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        p.keptSample(s, target, ignoreIndex) { base, label in
            let stride = p.stride, z = p.z
            let a: T = alpha.map { T($0.count == 1 ? $0[0] : $0[label]) } ?? 1
            let m = p.rowMax(base)
            var others: T = 0
            for c in 0..<p.classes where c != label { others += T.exp(z[base &+ c &* stride] - m) }
            let own = T.exp(z[base &+ label &* stride] - m)
            let total = others + own
            let oneMinusQ = others / total
            let q = own / total
            // log q = -log1p(others/own) keeps every digit when q is near 1, where the usual
            // (z_y - m) - log(total) rounds to 0 and with it a loss of, say, 1e-105.
            let logQ = own >= others ? -T.log(onePlus: others / own) : (z[base &+ label &* stride] - m) - T.log(total)
            let modulation = gamma == 0 ? 1 : T.pow(oneMinusQ, gamma)
            if let gradient = p.gradient {
                let bracket = oneMinusQ - gamma * q * logQ
                let common = a * modulation * bracket * scale
                for c in 0..<p.classes {
                    let i = base &+ c &* stride
                    gradient[i] = c == label ? -common : (others > 0 ? T.exp(z[i] - m) / others : 0) * common
                }
            }
            return -a * modulation * logQ
        }
    }
}

/// Weston–Watkins multi-class hinge (see `Classification.multiMarginLoss`); (N, C) rows.
@usableFromInline
struct MultiMarginKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let p: ClassProblem<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?
    @usableFromInline let power: Int32, margin: T

    @inlinable init(_ p: ClassProblem<T>, _ target: UnsafeBufferPointer<Int64>, _ weight: UnsafeBufferPointer<T>?,
                    _ power: Int32, _ margin: Double) {
        (self.p, self.target, self.weight, self.power, self.margin) = (p, target, weight, power, T(margin))
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let base = p.layout.base(s), x = p.z
        guard let label = p.label(target[s]) else {  // changed by the caller mid-call
            p.clearGradient(base)
            return .nan
        }
        let wy = (weight?[label] ?? 1) / T(p.classes)
        let xy = x[base &+ label]
        var loss: T = 0, labelGradient: T = 0
        for c in 0..<p.classes {
            guard c != label else { continue }
            let z = margin - xy + x[base &+ c]
            loss += power == 1 ? positivePart(z) : positivePart(z) * positivePart(z)
            let g: T = z > 0 ? (power == 1 ? wy : 2 * wy * z) : 0
            p.gradient?[base &+ c] = g * scale
            labelGradient -= g
        }
        p.gradient?[base &+ label] = labelGradient * scale
        return wy * loss
    }
}

@usableFromInline package enum Classification {
    /// The summed weight of the kept targets (their count without weights): what PyTorch's
    /// weighted 'mean' of cross entropy and NLL divides by. 0/0 = NaN when all are ignored,
    /// as in PyTorch.
    @inlinable
    static func keptWeight<T: LossFloat>(
        _ target: UnsafeBufferPointer<Int64>, _ weight: UnsafeBufferPointer<T>?, ignoreIndex: Int64
    ) -> Double {
        var total = 0.0
        for y in target where y != ignoreIndex {
            guard let weight else {
                total += 1
                continue
            }
            // Each label is read once and bounds-checked: the caller may change them mid-call.
            guard y >= 0, y < Int64(weight.count) else { return .nan }
            total += Double(weight[Int(truncatingIfNeeded: y)])
        }
        return total
    }

    /// Cross entropy with class-index targets, PyTorch's `cross_entropy`:
    /// `(1-ε)·w_y·(lse - z_y) + (ε/C)·Σ_c w_c·(lse - z_c)`; ignored targets give 0 and leave the
    /// mean's denominator, Σ w_y over the kept targets (so weights rescale the smoothing term
    /// too, exactly as PyTorch). Gradient `(1-ε)·w_y·(p_c - δ_cy) + (ε/C)·(W·p_c - w_c)`,
    /// W = Σ_c w_c. Labels must have been checked.
    @inlinable
    package static func crossEntropy<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?,
        layout: ClassLayout, ignoreIndex: Int64, labelSmoothing: Double, into o: LossOutputs<T>
    ) {
        reduceSamples(count: layout.samples, elementsPerSample: layout.classes,
                      meanDenominator: keptWeight(target, weight, ignoreIndex: ignoreIndex), into: o,
                      CrossEntropyKernel(ClassProblem(z, layout, o.gradient), target, weight, ignoreIndex, labelSmoothing))
    }

    /// Cross entropy with probability targets shaped like the input: the target is smoothed
    /// first, `t' = (1-ε)t + ε/C`, then `Σ_c w_c·t'_c·(lse - z_c)`; the mean divides by the
    /// sample count N·D, not by the weights (PyTorch). Gradient `p_c·Σ_k w_k t'_k - w_c t'_c`.
    @inlinable
    package static func crossEntropyProbabilities<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?,
        layout: ClassLayout, labelSmoothing: Double, into o: LossOutputs<T>
    ) {
        reduceSamples(count: layout.samples, elementsPerSample: layout.classes,
                      meanDenominator: Double(layout.samples), into: o,
                      SoftTargetKernel(ClassProblem(z, layout, o.gradient), t, weight, labelSmoothing))
    }

    /// Negative log likelihood of log-probabilities, PyTorch's `nll_loss`: `-w_y·input[y]`,
    /// with cross entropy's ignore and weighted-mean rules.
    @inlinable
    package static func nllLoss<T: LossFloat>(
        input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?,
        layout: ClassLayout, ignoreIndex: Int64, into o: LossOutputs<T>
    ) {
        reduceSamples(count: layout.samples, elementsPerSample: layout.classes,
                      meanDenominator: keptWeight(target, weight, ignoreIndex: ignoreIndex), into: o,
                      NLLKernel(ClassProblem(input, layout, o.gradient), target, weight, ignoreIndex))
    }

    /// Softmax focal loss (Lin et al. 2017) per sample: `-α_y·(1-q)^γ·log q`, q = p_y, with
    /// α absent (1), one value, or one per class; the mean divides by the kept-sample count.
    ///
    /// `1-q` is computed as `Σ_{c≠y} p_c`, never as `1 - q`, and the gradient
    /// `α(p_c - δ_cy)(1-q)^(γ-1)·[(1-q) - γ·q·log q]` is evaluated as
    /// `(p_c/(1-q))·(1-q)^γ·[…]` for c ≠ y and `-(1-q)^γ·[…]` for y: finite for every γ >= 0
    /// and every logit, including a saturated softmax where q = 1 exactly.
    @inlinable
    package static func focalLoss<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, alpha: UnsafeBufferPointer<Double>?,
        layout: ClassLayout, gamma: Double, ignoreIndex: Int64, into o: LossOutputs<T>
    ) {
        let kept = keptWeight(target, nil as UnsafeBufferPointer<T>?, ignoreIndex: ignoreIndex)
        reduceSamples(count: layout.samples, elementsPerSample: layout.classes, meanDenominator: kept,
                      into: o, FocalKernel(ClassProblem(z, layout, o.gradient), target, alpha, gamma, ignoreIndex))
    }

    /// Weston–Watkins multi-class hinge, PyTorch's `multi_margin_loss`:
    /// `(1/C)·Σ_{i≠y} w_y·max(0, margin - x_y + x_i)^p`, p in {1, 2}; the mean divides by N.
    @inlinable
    package static func multiMarginLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, weight: UnsafeBufferPointer<T>?,
        layout: ClassLayout, p: Int32, margin: Double, into o: LossOutputs<T>
    ) {
        reduceSamples(count: layout.samples, elementsPerSample: layout.classes,
                      meanDenominator: Double(layout.samples), into: o,
                      MultiMarginKernel(ClassProblem(x, layout, o.gradient), target, weight, p, margin))
    }
}
