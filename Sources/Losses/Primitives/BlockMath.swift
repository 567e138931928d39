import CLossesMath

/// The vectorised block math of CLossesMath (exp, log, log1p on [0, 1], the shifted exponential
/// sum of a softmax row) for either element type. Each function dispatches on `T`, which
/// specialisation folds away, to one C function compiled per instruction set and chosen at load
/// time: the same bits on every CPU.
///
/// Accuracy, measured against glibc's long double functions (`make test-math`: every float32
/// input, 10^7 random float64 ones): exp, log and log1p below 1 ulp in both types.
@usableFromInline enum BlockMath {
    /// `y[i] = exp(x[i])` (y may be x).
    @inlinable @inline(__always)
    static func exp<T: LossFloat>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        if T.self == Float.self {
            _losses_exp_f32(float(x), float(y), Int64(n))
        } else {
            _losses_exp_f64(double(x), double(y), Int64(n))
        }
    }

    /// `y[i] = log(1 + e[i])` for e[i] in [0, 1] (y may be e).
    @inlinable @inline(__always)
    static func log1pUnit<T: LossFloat>(_ e: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        if T.self == Float.self {
            _losses_log1p_unit_f32(float(e), float(y), Int64(n))
        } else {
            _losses_log1p_unit_f64(double(e), double(y), Int64(n))
        }
    }

    /// `y[i] = log(x[i])` (y may be x).
    @inlinable @inline(__always)
    static func log<T: LossFloat>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        if T.self == Float.self {
            _losses_log_f32(float(x), float(y), Int64(n))
        } else {
            _losses_log_f64(double(x), double(y), Int64(n))
        }
    }

    /// `y[i] = exp(x[i] - shift)`, returning their sum in a fixed order (y may be x).
    @inlinable @inline(__always)
    static func expShiftedSum<T: LossFloat>(_ x: UnsafePointer<T>, _ shift: T, _ y: UnsafeMutablePointer<T>, _ n: Int) -> T {
        if T.self == Float.self {
            return _losses_exp_shifted_sum_f32(float(x), shift as! Float, float(y), Int64(n)) as! T
        }
        return _losses_exp_shifted_sum_f64(double(x), shift as! Double, double(y), Int64(n)) as! T
    }

    /// `e = exp(-|x|)`, `l = log1p(e)`, `r = 1/(1 + e)`: the parts of the sigmoid and softplus
    /// (softplus(±x) = max(±x, 0) + l; σ(x) = r for x ≥ 0, else e·r). No output aliases x.
    @inlinable @inline(__always)
    static func logisticParts<T: LossFloat>(
        _ x: UnsafePointer<T>, _ e: UnsafeMutablePointer<T>, _ l: UnsafeMutablePointer<T>,
        _ r: UnsafeMutablePointer<T>, _ n: Int
    ) {
        if T.self == Float.self {
            _losses_logistic_parts_f32(float(x), float(e), float(l), float(r), Int64(n))
        } else {
            _losses_logistic_parts_f64(double(x), double(e), double(l), double(r), Int64(n))
        }
    }

    /// The largest of `n` values, -inf for none (NaN entries are passed over).
    @inlinable @inline(__always)
    static func maximum<T: LossFloat>(_ x: UnsafePointer<T>, _ n: Int) -> T {
        if T.self == Float.self { return _losses_max_f32(float(x), Int64(n)) as! T }
        return _losses_max_f64(double(x), Int64(n)) as! T
    }

    @inlinable @inline(__always)
    static func float<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }
    @inlinable @inline(__always)
    static func float<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
    @inlinable @inline(__always)
    static func double<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Double> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Double.self)
    }
    @inlinable @inline(__always)
    static func double<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
    }
}
