// The Wasserstein GAN losses (docs/distributions.md): the critic's and the generator's losses of
// critic scores, and WGAN-GP's gradient penalty of the critic's gradients, which the caller's
// framework computed at the interpolates.

extension Distributions {
    /// `wgan_critic_loss`: mean(fake) - mean(real) (`.sum`: sum(fake) - sum(real); `.none`: the
    /// mean's value, the batch's one value). Each sum in double in the fixed blocked order; an empty
    /// batch's mean is 0/0, NaN. Gradients: `o.gradients.first` (real: -g/n, or -g) and `.second`
    /// (fake: g/m, or g), g the upstream value.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func wganCriticLoss<T: LossFloat>(
        real: UnsafeBufferPointer<T>, fake: UnsafeBufferPointer<T>, into o: LossOutputs<T>
    ) {
        let summed = o.reduction == .sum
        let (n, m) = (Double(real.count), Double(fake.count))
        let realTerm = summed ? real.blockedSum() : real.blockedSum() / n
        let fakeTerm = summed ? fake.blockedSum() : fake.blockedSum() / m
        let upstream = Double(o.gradOutput?[0] ?? 1)
        if let g = o.gradients.first { fill(g, T(summed ? -upstream : -upstream / n)) }
        if let g = o.gradients.second { fill(g, T(summed ? upstream : upstream / m)) }
        o.out[0] = T(fakeTerm - realTerm)
    }

    /// Writes `value` to every element, in fixed chunks (on several threads for large buffers).
    @inlinable
    static func fill<T: LossFloat>(_ buffer: UnsafeMutableBufferPointer<T>, _ value: T) {
        let n = buffer.count
        forEachChunk((n + chunkLength - 1) / chunkLength, parallel: n >= parallelThreshold) { c in
            let start = c &* chunkLength
            for i in start..<Swift.min(n, start &+ chunkLength) { buffer[i] = value }
        }
    }
}

/// Element i of `wgan_generator_loss`: `-fake_i`, derivative -1.
@usableFromInline
struct NegatedScoreKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let scores: UnsafeBufferPointer<T>

    @inlinable init(_ scores: UnsafeBufferPointer<T>) { self.scores = scores }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) { (-scores[i], -1) }
}

/// Row i of `gradient_penalty`: `weight (‖g_i‖ - 1)²`, the norm's squares summed in double in
/// order, and its gradient `2 weight (‖g_i‖ - 1) g_i / ‖g_i‖` (0 for a zero row, autograd's
/// subgradient of the norm at 0) written directly.
@usableFromInline
struct GradientPenaltyKernel<T: LossFloat>: SampleKernel {
    let g: UnsafeBufferPointer<T>, width: Int, weight: Double
    let gradient: UnsafeMutableBufferPointer<T>?

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let base = i &* width
        var squares = 0.0
        for j in 0..<width {
            let v = Double(g[base &+ j])
            squares += v * v
        }
        let norm = squares.squareRoot()
        let excess = norm - 1
        if let gradient {
            let factor = norm == 0 ? 0 : 2 * weight * excess / norm * Double(scale)  // NaN stays NaN
            for j in 0..<width { gradient[base &+ j] = T(factor * Double(g[base &+ j])) }
        }
        return T(weight * excess * excess)
    }
}

extension Distributions {
    /// `wgan_generator_loss`: -fake per score, `.mean` over the n scores.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func wganGeneratorLoss<T: LossFloat>(fake: UnsafeBufferPointer<T>, into o: LossOutputs<T>) {
        reduceElementwise(count: fake.count, weight: nil, into: o, NegatedScoreKernel(fake))
    }

    /// `gradient_penalty` of `rows` rows of `width` gradient values; `.mean` divides by the rows.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func gradientPenalty<T: LossFloat>(
        gradients: UnsafeBufferPointer<T>, rows n: Int, width d: Int, weight: Double, into o: LossOutputs<T>
    ) {
        let kernel = GradientPenaltyKernel(g: gradients, width: d, weight: weight, gradient: o.gradient)
        reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
