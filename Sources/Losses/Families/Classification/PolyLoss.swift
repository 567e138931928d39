import RealModule

// Poly-1 loss (Leng et al. 2022), optax's poly_loss_cross_entropy (docs/classification.md): softmax
// cross entropy with probability labels over the last axis, plus epsilon times the first term of
// its expansion in (1 - p). One sample is one contiguous row of C logits.

extension ClassificationParameters {
    /// epsilon of `poly_loss_cross_entropy`: any finite value (the paper uses 2 and -1).
    @usableFromInline package static func checkPolyEpsilon(_ epsilon: Double) throws(LossError) {
        guard epsilon.isFinite else { throw LossError(.invalidArgument, "epsilon must be finite, got \(epsilon)") }
    }
}

/// One row of `Classification.polyLossCrossEntropy`. Built on the softmax row kernel
/// (Primitives/CrossEntropyRow.swift), the one every softmax loss shares: with a gradient the
/// exponentials land in it and are turned into the gradient in place.
@usableFromInline
struct PolyLossKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let z: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>, classes: Int
    @usableFromInline let epsilon: T, gradient: UnsafeMutableBufferPointer<T>?

    @inlinable init(_ z: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, classes: Int, epsilon: Double,
                    _ gradient: UnsafeMutableBufferPointer<T>?) {
        (self.z, self.t, self.classes, self.epsilon, self.gradient) = (z, t, classes, T(epsilon), gradient)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let base = s &* classes
        let row = z.baseAddress! + base, labels = t.baseAddress! + base
        let kept = gradient.map { $0.baseAddress! + base }
        let (m, sum, lse) = softmaxRow(row, classes, keeping: kept)
        // The value takes p from the scalar exp in both paths, so that a call with a gradient and
        // one without return the same bits. optax sums labels·(1 - p): for labels that do not sum
        // to 1 that is Σt - Σt·p, not 1 - Σt·p.
        var crossEntropy: T = 0, poly: T = 0
        for c in 0..<classes {
            let p = T.exp(row[c] - m) / sum
            crossEntropy += labels[c] * (lse - row[c])
            poly += labels[c] * (1 - p)
        }
        if let kept {
            // ∂/∂z_c = p_c·Σt - t_c + ε·p_c·(Σ_k t_k p_k - t_c), p_c = e_c / Σe from the row kernel.
            var mass: T = 0, hit: T = 0
            for c in 0..<classes {
                mass += labels[c]
                hit += labels[c] * (kept[c] / sum)
            }
            for c in 0..<classes {
                let p = kept[c] / sum
                kept[c] = (p * mass - labels[c] + epsilon * p * (hit - labels[c])) * scale
            }
        }
        return crossEntropy + epsilon * poly
    }
}

extension Classification {
    /// optax's `poly_loss_cross_entropy` over (N, C) rows: `Σ_c t_c·(lse - z_c) + ε·Σ_c t_c·(1 - p_c)`,
    /// p = softmax(z), any finite ε. The mean divides by N. Gradient
    /// `p_c·Σt - t_c + ε·p_c·(Σ_k t_k p_k - t_c)`. Finite for finite logits (lse is taken after the
    /// row maximum is subtracted); 1 - p_c is computed as written, as optax does: an absolute
    /// error of an ulp, so a relative one when p_c is within a few ulp of 1.
    @inlinable
    package static func polyLossCrossEntropy<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, layout: ClassLayout, epsilon: Double,
        into o: LossOutputs<T>
    ) {
        reduceSamples(count: layout.batch, elementsPerSample: layout.classes, meanDenominator: Double(layout.batch),
                      into: o, PolyLossKernel(z, t, classes: layout.classes, epsilon: epsilon, o.gradient))
    }
}
