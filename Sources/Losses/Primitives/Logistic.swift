import RealModule

/// The sigmoid and softplus in forms that neither overflow nor cancel, shared by every loss
/// built on the logistic function.
@usableFromInline package enum Logistic {
    /// `log(1 + eˣ)` as `max(x, 0) + log1p(e^{-|x|})`: exact for large |x| of either sign.
    @inlinable @inline(__always)
    package static func softplus<T: LossFloat>(_ x: T) -> T {
        (x > 0 ? x : 0) + T.log(onePlus: T.exp(-abs(x)))
    }

    /// `1 / (1 + e^{-x})`, evaluating the exponential only where it cannot overflow.
    @inlinable @inline(__always)
    package static func sigmoid<T: LossFloat>(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.exp(-x)) }
        let e = T.exp(x)
        return e / (1 + e)
    }
}

/// `max(z, 0)` that keeps NaN, as PyTorch's `clamp_min` does (Swift's `max(0, .nan)` is 0).
@inlinable @inline(__always)
func positivePart<T: LossFloat>(_ z: T) -> T {
    z > 0 ? z : (z.isNaN ? z : 0)
}
