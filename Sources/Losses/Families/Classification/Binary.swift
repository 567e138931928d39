import RealModule

// The binary and margin losses (docs/classification.md): elementwise in (input, target), so they share
// the regression losses' driver (reductions, weights, grad_output written once).
// Each kernel returns (ℓ, ∂ℓ/∂input). At a hinge the derivative is 0, PyTorch autograd's
// `clamp_min` convention; a NaN input gives a NaN value and, for the hinges, a 0 derivative
// (no comparison holds), also as PyTorch.

@usableFromInline package enum BinaryKernels {
    /// `-(t·max(log x, -100) + (1-t)·max(log(1-x), -100))`, PyTorch's clamp at -100; derivative
    /// `(x - t) / max(x(1-x), ε)` (about ±1e12 at x ∈ {0, 1}), with PyTorch's ε: the float
    /// constant 1e-12f, 9.9999998e-13, in both precisions.
    @inlinable @inline(__always)
    package static func binaryCrossEntropy<T: LossFloat>(_ x: T, _ t: T) -> (value: T, derivative: T) {
        let logX = Swift.max(T.log(x), -100)
        let logOneMinusX = Swift.max(T.log(onePlus: -x), -100)
        let value = -(t * logX + (1 - t) * logOneMinusX)
        return (value, (x - t) / Swift.max(x * (1 - x), T(Float(1e-12))))
    }

    /// `pw·t·softplus(-x) + (1-t)·softplus(x)`: PyTorch's `(1-t)x + (1+(pw-1)t)·softplus(-x)`
    /// rewritten with `softplus(x) = x + softplus(-x)` so that for t in [0, 1] both terms are
    /// non-negative and nothing cancels (the original loses every digit of a loss of 2e-9 at
    /// x = -20 in float32). Derivative `(1-t)σ(x) - pw·t·σ(-x)`. One exponential and one log1p:
    /// with e = e^{-|x|}, softplus(±x) = max(±x, 0) + log1p(e) and σ(±x) is 1/(1+e) or e/(1+e).
    @inlinable @inline(__always)
    package static func binaryCrossEntropyWithLogits<T: LossFloat>(
        _ x: T, _ t: T, posWeight pw: T
    ) -> (value: T, derivative: T) {
        let e = T.exp(-abs(x))
        return binaryCrossEntropyWithLogits(x, t, posWeight: pw, expNegAbs: e, log1pOfThat: T.log(onePlus: e),
                                            inverse: 1 / (1 + e))
    }

    /// The formula above from e = e^{-|x|}, log1p(e) and 1/(1+e), however those were computed.
    @inlinable @inline(__always)
    static func binaryCrossEntropyWithLogits<T: LossFloat>(
        _ x: T, _ t: T, posWeight pw: T, expNegAbs e: T, log1pOfThat l: T, inverse: T
    ) -> (value: T, derivative: T) {
        let positive = x >= 0
        let value = pw * t * ((positive ? 0 : -x) + l) + (1 - t) * ((positive ? x : 0) + l)
        let sigmoid = positive ? inverse : e * inverse, complement = positive ? e * inverse : inverse
        return (value, (1 - t) * sigmoid - pw * t * complement)
    }

    /// The same for a block of at most `blockLength` values: the logistic parts of the whole
    /// block by the block math (vectorised for the CPU at hand, one pass), then the formula above
    /// in a loop of multiplications and selections only.
    @inlinable @inline(__always)
    package static func binaryCrossEntropyWithLogits<T: LossFloat>(
        block x: UnsafePointer<T>, _ t: UnsafePointer<T>, _ count: Int,
        _ values: UnsafeMutablePointer<T>, _ derivatives: UnsafeMutablePointer<T>
    ) {
        withUnsafeTemporaryAllocation(of: T.self, capacity: blockLength) { scratch in
            let r = scratch.baseAddress!
            BlockMath.logisticParts(x, derivatives, values, r, count)
            for k in 0..<count {
                (values[k], derivatives[k]) = binaryCrossEntropyWithLogits(
                    x[k], t[k], posWeight: 1, expNegAbs: derivatives[k], log1pOfThat: values[k], inverse: r[k])
            }
        }
    }

    /// torchvision's sigmoid focal loss `α_t·(1-p_t)^γ·ce`, with `ce` the BCE with logits,
    /// `1-p_t = (1-t)σ(x) + t·σ(-x)` (two non-negative terms) and `α_t = αt + (1-α)(1-t)`
    /// (`alpha < 0`: no weighting).
    ///
    /// Derivative `α_t(1-p_t)^γ·[(p - t) + γ·ce·(1-2t)·r]` with `r = p(1-p)/(1-p_t) ∈ [0, 1]`:
    /// the factor `(1-p_t)^(γ-1)` of the textbook form never appears, so γ < 1 at saturated
    /// logits gives 0, not torchvision's NaN.
    @inlinable @inline(__always)
    package static func sigmoidFocal<T: LossFloat>(
        _ x: T, _ t: T, alpha: T, gamma: T
    ) -> (value: T, derivative: T) {
        let p = Logistic.sigmoid(x), q = Logistic.sigmoid(-x)
        let ce = t * Logistic.softplus(-x) + (1 - t) * Logistic.softplus(x)
        let oneMinusPt = (1 - t) * p + t * q
        let modulation = gamma == 0 ? 1 : T.pow(oneMinusPt, gamma)
        let weight = alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t)
        let r = oneMinusPt > 0 ? p * q / oneMinusPt : 0
        // p - t as (1-t)p - t·σ(-x): p rounds to 1 for x > 37 and p - 1 would lose everything.
        let residual = (1 - t) * p - t * q
        let derivative = weight * modulation * (residual + gamma * ce * (1 - 2 * t) * r)
        return (weight * modulation * ce, derivative)
    }

    /// `max(0, margin - y·x)`, squared if asked; derivative `-y` (or `-2y·(margin - y·x)`) where
    /// the hinge is active, else 0.
    @inlinable @inline(__always)
    package static func hinge<T: LossFloat>(
        _ x: T, _ y: T, margin: T, squared: Bool
    ) -> (value: T, derivative: T) {
        let z = margin - y * x
        let active = z > 0
        if squared { return (positivePart(z) * positivePart(z), active ? -2 * y * z : 0) }
        return (positivePart(z), active ? -y : 0)
    }

    /// PyTorch's `hinge_embedding_loss`: `x` where y ≠ -1, plus `max(0, margin - x)` where
    /// y ≠ 1 (so a target that is neither gets both terms, exactly as PyTorch computes it).
    @inlinable @inline(__always)
    package static func hingeEmbedding<T: LossFloat>(_ x: T, _ y: T, margin: T) -> (value: T, derivative: T) {
        var value: T = 0, derivative: T = 0
        if y != -1 {
            value += x
            derivative += 1
        }
        if y != 1 {
            value += positivePart(margin - x)
            derivative += margin - x > 0 ? -1 : 0
        }
        return (value, derivative)
    }

    /// `softplus(-y·x) = log(1 + e^{-y·x})`, finite for every finite input (PyTorch's
    /// `soft_margin_loss` overflows to inf once -y·x > 88.7 in float32); derivative `-y·σ(-y·x)`.
    @inlinable @inline(__always)
    package static func softMargin<T: LossFloat>(_ x: T, _ y: T) -> (value: T, derivative: T) {
        let z = -y * x
        return (Logistic.softplus(z), -y * Logistic.sigmoid(z))
    }
}

/// Parameter checks shared by the Swift API and the C exports.
@usableFromInline package enum BinaryParameters {
    /// torchvision accepts α in [0, 1] or exactly -1 (no weighting).
    @usableFromInline package static func checkFocalAlpha(_ alpha: Double) throws(LossError) {
        guard (alpha >= 0 && alpha <= 1) || alpha == -1 else {
            throw LossError(.invalidArgument, "alpha must be in [0, 1] or -1 (no weighting), got \(alpha)")
        }
    }

    @usableFromInline package static func checkGamma(_ gamma: Double) throws(LossError) {
        guard gamma >= 0, gamma.isFinite else {
            throw LossError(.invalidArgument, "gamma must be finite and >= 0, got \(gamma)")
        }
    }

    @usableFromInline package static func checkMargin(_ margin: Double) throws(LossError) {
        guard margin.isFinite else { throw LossError(.invalidArgument, "margin must be finite, got \(margin)") }
    }

    /// `binary_cross_entropy` takes probabilities: PyTorch refuses any input outside [0, 1]
    /// (NaN included), and so does liblosses, before anything is written.
    @usableFromInline package static func checkProbabilities<T: LossFloat>(_ x: UnsafeBufferPointer<T>) throws(LossError) {
        for (i, v) in x.enumerated() where !(v >= 0 && v <= 1) {
            throw LossError(.invalidArgument, "input[\(i)] = \(v) is not a probability in [0, 1]")
        }
    }
}

/// A pointwise formula of an input and a target (see `ResidualFormula`).
@usableFromInline
protocol PairFormula {
    associatedtype Scalar: LossFloat
    func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar)
    /// See `PointwiseKernel.hasBlock`.
    static var hasBlock: Bool { get }
    func block(_ x: UnsafePointer<Scalar>, _ t: UnsafePointer<Scalar>, _ count: Int,
               _ values: UnsafeMutablePointer<Scalar>, _ derivatives: UnsafeMutablePointer<Scalar>)
}

extension PairFormula {
    @inlinable static var hasBlock: Bool { false }

    @inlinable
    func block(_ x: UnsafePointer<Scalar>, _ t: UnsafePointer<Scalar>, _ count: Int,
               _ values: UnsafeMutablePointer<Scalar>, _ derivatives: UnsafeMutablePointer<Scalar>) {
        for k in 0..<count { (values[k], derivatives[k]) = self(x[k], t[k]) }
    }
}

@usableFromInline struct CrossEntropyFormula<Scalar: LossFloat>: PairFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.binaryCrossEntropy(x, t)
    }
}

@usableFromInline struct LogitsFormula<Scalar: LossFloat>: PairFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.binaryCrossEntropyWithLogits(x, t, posWeight: 1)
    }
    /// Blocks use the block exp and log1p (BlockMath).
    @inlinable static var hasBlock: Bool { true }

    @inlinable @inline(__always)
    func block(_ x: UnsafePointer<Scalar>, _ t: UnsafePointer<Scalar>, _ count: Int,
               _ values: UnsafeMutablePointer<Scalar>, _ derivatives: UnsafeMutablePointer<Scalar>) {
        BinaryKernels.binaryCrossEntropyWithLogits(block: x, t, count, values, derivatives)
    }
}

@usableFromInline struct SigmoidFocalFormula<Scalar: LossFloat>: PairFormula {
    @usableFromInline let alpha: Scalar, gamma: Scalar
    @inlinable init(_ alpha: Double, _ gamma: Double) { (self.alpha, self.gamma) = (Scalar(alpha), Scalar(gamma)) }
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.sigmoidFocal(x, t, alpha: alpha, gamma: gamma)
    }
}

@usableFromInline struct HingeFormula<Scalar: LossFloat>: PairFormula {
    @usableFromInline let margin: Scalar, squared: Bool
    @inlinable init(_ margin: Double, _ squared: Bool) { (self.margin, self.squared) = (Scalar(margin), squared) }
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.hinge(x, t, margin: margin, squared: squared)
    }
}

@usableFromInline struct HingeEmbeddingFormula<Scalar: LossFloat>: PairFormula {
    @usableFromInline let margin: Scalar
    @inlinable init(_ margin: Double) { self.margin = Scalar(margin) }
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.hingeEmbedding(x, t, margin: margin)
    }
}

@usableFromInline struct SoftMarginFormula<Scalar: LossFloat>: PairFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.softMargin(x, t)
    }
}

/// Element i of a binary or margin loss: `formula(input[i], target[i])`.
@usableFromInline
struct BinaryKernel<F: PairFormula>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<F.Scalar>, t: UnsafeBufferPointer<F.Scalar>, formula: F

    @inlinable init(_ x: UnsafeBufferPointer<F.Scalar>, _ t: UnsafeBufferPointer<F.Scalar>, _ formula: F) {
        (self.x, self.t, self.formula) = (x, t, formula)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: F.Scalar, derivative: F.Scalar) {
        formula(x[i], t[i])
    }

    @inlinable static var hasBlock: Bool { F.hasBlock }

    @inlinable @inline(__always)
    func block(_ start: Int, _ count: Int, _ values: UnsafeMutablePointer<F.Scalar>,
               _ derivatives: UnsafeMutablePointer<F.Scalar>) {
        formula.block(x.baseAddress! + start, t.baseAddress! + start, count, values, derivatives)
    }
}

/// BCE with logits with a pos_weight repeating along the last axis.
@usableFromInline
struct PosWeightedLogitsKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>, posWeight: UnsafeBufferPointer<T>

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, _ posWeight: UnsafeBufferPointer<T>) {
        (self.x, self.t, self.posWeight) = (x, t, posWeight)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) {
        BinaryKernels.binaryCrossEntropyWithLogits(x[i], t[i], posWeight: posWeight[i % posWeight.count])
    }
}

/// The binary and margin losses over validated buffers (all of one element count; `posWeight`
/// repeats along the last axis, element i using `posWeight[i % posWeight.count]`).
@usableFromInline package enum Binary {
    @inlinable
    package static func binaryCrossEntropy<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: weight, into: o, BinaryKernel(x, t, CrossEntropyFormula()))
    }

    @inlinable
    package static func binaryCrossEntropyWithLogits<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>,
        weight: UnsafeBufferPointer<T>?, posWeight: UnsafeBufferPointer<T>?, into o: LossOutputs<T>
    ) {
        if let posWeight, posWeight.count > 0 {
            reduceElementwise(count: x.count, weight: weight, into: o, PosWeightedLogitsKernel(x, t, posWeight))
        } else {
            reduceElementwise(count: x.count, weight: weight, into: o, BinaryKernel(x, t, LogitsFormula()))
        }
    }

    @inlinable
    package static func sigmoidFocalLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>,
        alpha: Double, gamma: Double, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, BinaryKernel(x, t, SigmoidFocalFormula(alpha, gamma)))
    }

    @inlinable
    package static func hingeLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        margin: Double, squared: Bool, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, BinaryKernel(x, y, HingeFormula(margin, squared)))
    }

    @inlinable
    package static func hingeEmbeddingLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>,
        margin: Double, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, BinaryKernel(x, y, HingeEmbeddingFormula(margin)))
    }

    /// Also `logistic_loss`: the same function under the name the literature gives it.
    @inlinable
    package static func softMarginLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, BinaryKernel(x, y, SoftMarginFormula()))
    }
}

extension BinaryParameters {
    /// A vector that repeats along the last axis (pos_weight) must tile the elements exactly.
    @usableFromInline package static func checkRepeats(_ count: Int, _ elements: Int) throws(LossError) {
        guard count > 0 ? elements % count == 0 : elements == 0 else {
            throw LossError(.shapeMismatch, "pos_weight has \(count) values, which do not tile \(elements) elements")
        }
    }
}
