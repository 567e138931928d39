import RealModule

// What AttnGAN's two DAMSM losses share (docs/retrieval.md): the caller's caption labels read
// once, the γ3-scaled B × B score matrix masked by class, and the two cross entropies over it
// (image → text over its rows, text → image over its columns), reduced per sample.

/// The sizes of a DAMSM call: n pairs of an image and its caption, features of d values, r image
/// regions, captions of at most t words.
public struct DAMSMShape: Sendable, Equatable {
    public var n: Int, d: Int, r: Int, t: Int

    @inlinable
    public init(n: Int, d: Int, r: Int = 0, t: Int = 0) {
        (self.n, self.d, self.r, self.t) = (n, d, r, t)
    }
}

/// AttnGAN's smoothing factors (its configs' TRAIN.SMOOTH): γ1 sharpens the attention over
/// regions, γ2 the aggregation over words, γ3 scales the scores.
@usableFromInline package struct DAMSMParameters: Sendable, Equatable {
    package var gamma1: Double, gamma2: Double, gamma3: Double

    package init(gamma1: Double = 4.0, gamma2: Double = 5.0, gamma3: Double = 10.0) {
        (self.gamma1, self.gamma2, self.gamma3) = (gamma1, gamma2, gamma3)
    }
}

/// The losses of section 5 that match images with their captions.
@usableFromInline package enum Retrieval {
    /// The floor of AttnGAN's cosine: x·y / max(‖x‖‖y‖, 1e-8), the product of the norms clamped
    /// (its `cosine_similarity` and `sent_loss`), not each norm as PyTorch's `F.cosine_similarity`.
    package static var cosineEps: Double { 1e-8 }

    /// Every γ finite (the released code takes any value; a NaN or infinite one is refused).
    package static func check(_ p: DAMSMParameters) throws(LossError) {
        for (value, name) in [(p.gamma1, "gamma1"), (p.gamma2, "gamma2"), (p.gamma3, "gamma3")] where !value.isFinite {
            throw LossError(.invalidArgument, "\(name) must be finite, got \(value)")
        }
    }

    /// The caption labels, read once from the caller's memory: the lengths (each in 1...t, else
    /// `.labelOutOfRange` naming the first bad one) and the class ids (nil: no masking).
    package struct CaptionLabels: ~Copyable {
        package let lengths: Scratch<Int>
        package let classes: Scratch<Int64>
        /// Whether class ids were given (else no pair is masked).
        package let hasClasses: Bool

        package init(lengths given: UnsafeBufferPointer<Int64>?, classIds: UnsafeBufferPointer<Int64>?, n: Int,
                     words t: Int) throws(LossError) {
            let lengths = try Scratch<Int>(count: n)
            let classes = try Scratch<Int64>(count: classIds == nil ? 0 : n)
            if let given {
                for i in 0..<n {
                    let length = given[i]  // read once: the check and the use see the same value
                    guard length >= 1, length <= Int64(t) else {
                        throw LossError(.labelOutOfRange, "cap_lens[\(i)] = \(length) is out of range 1...\(t)")
                    }
                    lengths.base[i] = Int(length)
                }
            }
            if let classIds { for i in 0..<n { classes.base[i] = classIds[i] } }
            self.lengths = lengths
            self.classes = classes
            hasClasses = classIds != nil
        }

        /// Whether the pair (image b, caption i) is masked: a different sample of the same class.
        @inline(__always)
        package func masked(_ b: Int, _ i: Int) -> Bool {
            hasClasses && b != i && classes.base[b] == classes.base[i]
        }
    }

    /// The two cross entropies over the n × n scores `m` (row b: image b against every caption),
    /// already scaled by γ3: masks the pairs of `labels` with -inf, writes the per-sample losses
    /// (row j's image → text term plus column j's text → image term) reduced as `o` asks (the
    /// mean over the batch, as nn.CrossEntropyLoss: NaN for n = 0), and, when `g` is not nil,
    /// ∂value/∂m into it (n × n; 0 at masked pairs). Serial: O(n²), in a fixed order.
    package static func matchScores<T: LossFloat>(
        _ m: UnsafeMutablePointer<Double>, n: Int, labels: borrowing CaptionLabels, into o: LossOutputs<T>,
        coefficients g: UnsafeMutablePointer<Double>?
    ) throws(LossError) {
        for b in 0..<n { for i in 0..<n where labels.masked(b, i) { m[b &* n &+ i] = -.infinity } }
        let work = try Scratch<Double>(count: 3 &* n)
        let rowLSE = work.base, columnLSE = rowLSE + n, losses = columnLSE + n
        for b in 0..<n { rowLSE[b] = logSumExp(m + b &* n, stride: 1, n) }
        for i in 0..<n { columnLSE[i] = logSumExp(m + i, stride: n, n) }
        for j in 0..<n {
            let diagonal = m[j &* n &+ j]
            losses[j] = (rowLSE[j] - diagonal) + (columnLSE[j] - diagonal)
        }
        let total = orderedRowTotal(losses, count: n)
        switch o.reduction {
        case .none: for j in 0..<n { o.out[j] = T(losses[j]) }
        case .mean: o.out[0] = T(total / Double(n))
        case .sum: o.out[0] = T(total)
        }
        guard let g else { return }
        // loss_j = lse(row j) + lse(column j) - 2 m[j, j]; with w_j its upstream weight,
        // ∂/∂m[b, i] = w_b softmax_row(b)[i] + w_i softmax_column(i)[b] - 2 w_b [b = i].
        let w = losses  // the per-sample losses are out: their slots hold the weights now
        let denominator = o.reduction == .mean ? Double(n) : 1
        for b in 0..<n {
            for i in 0..<n {
                let v = m[b &* n &+ i]
                g[b &* n &+ i] = v == -.infinity ? 0 : Double.exp(v - rowLSE[b])  // row softmax, for now
            }
        }
        for j in 0..<n { w[j] = Double(o.upstream(j)) / denominator }
        for b in 0..<n {
            for i in 0..<n {
                let v = m[b &* n &+ i]
                let column = v == -.infinity ? 0 : Double.exp(v - columnLSE[i])
                g[b &* n &+ i] = w[b] * g[b &* n &+ i] + w[i] * column - (b == i ? 2 * w[b] : 0)
            }
        }
    }

    /// log Σ_k exp(x[k·stride]) over `count` values, shifted by their largest (-inf for none or
    /// all -inf; NaN when one is NaN).
    @inline(__always)
    static func logSumExp(_ x: UnsafePointer<Double>, stride: Int, _ count: Int) -> Double {
        var largest = -Double.infinity
        var nan = false
        for k in 0..<count {
            let v = x[k &* stride]
            if v.isNaN { nan = true } else if v > largest { largest = v }
        }
        if nan { return .nan }
        guard largest > -.infinity else { return -.infinity }
        if largest == .infinity { return .infinity }
        var sum = 0.0
        for k in 0..<count { sum += Double.exp(x[k &* stride] - largest) }
        return largest + Double.log(sum)
    }
}
