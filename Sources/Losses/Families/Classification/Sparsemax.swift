// optax's binary sparsemax loss (docs/classification.md): one value per element, on the
// elementwise driver through the binary family's kernel.

extension BinaryKernels {
    /// `sparse_plus(s·x)` with s = -1 for a nonzero label and +1 for a zero one (optax's
    /// `jnp.where(labels, -logits, logits)`: any nonzero label, NaN included, counts as 1), where
    /// `sparse_plus(z)` is 0 for z <= -1, `(z + 1)²/4` between, z for z >= 1: the sparsemax
    /// counterpart of the softplus of the logistic loss (Blondel, Martins and Niculae 2020,
    /// Fenchel–Young losses, sec. 4.4). Its derivative `s·sparse_plus'(s·x)` is continuous:
    /// 0, `(z + 1)/2`, 1 on the three pieces. A NaN logit gives NaN for both.
    @inlinable @inline(__always)
    package static func sparsemax<T: LossFloat>(_ x: T, _ y: T) -> (value: T, derivative: T) {
        let positive = y != 0
        let z = positive ? -x : x
        let (value, slope): (T, T)
        if z <= -1 {
            (value, slope) = (0, 0)
        } else if z >= 1 {
            (value, slope) = (z, 1)
        } else {
            let h = (z + 1) / 2  // (z + 1)²/4 = h², exact for z in (-1, 1) up to one rounding
            (value, slope) = (h * h, h)
        }
        return (value, positive ? -slope : slope)
    }
}

@usableFromInline struct SparsemaxFormula<Scalar: LossFloat>: PairFormula {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar, _ t: Scalar) -> (value: Scalar, derivative: Scalar) {
        BinaryKernels.sparsemax(x, t)
    }
}

extension Binary {
    /// optax's `sparsemax_loss` of logits and labels of one length.
    @inlinable
    package static func sparsemaxLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, into o: LossOutputs<T>
    ) {
        reduceElementwise(count: x.count, weight: nil, into: o, BinaryKernel(x, y, SparsemaxFormula()))
    }
}
