// The public forms of the metrics (docs/metrics.md): evaluation quantities with no gradient, so
// each has two forms, allocating and into the caller's storage. Errors name the metric.

/// Runs a metric's computation, naming it in any error it throws.
@inline(__always)
func metric<R>(_ name: String, _ body: () throws(LossError) -> R) throws(LossError) -> R {
    do {
        return try body()
    } catch {
        throw LossError(error.kind, error.message, loss: name)
    }
}

/// Writes a metric's values into the caller's storage, whose count must be exactly theirs
/// (checked before the write: a wrong count throws and nothing is written). The metric's
/// arguments were refused before, as a loss refuses its arguments before looking at an output.
func writeMetric<T: LossFloat>(_ values: [Double], into storage: inout some MutableContiguousStorage<T>,
                         _ name: String, what: String) throws(LossError) {
    guard storage.count == values.count else {
        throw LossError(.shapeMismatch, "values has \(storage.count) elements, expected \(values.count) (\(what))",
                        loss: name)
    }
    storage.withUnsafeMutableBufferPointer { buffer in
        for (i, v) in values.enumerated() { buffer[i] = T(v) }
    }
}

/// The 1-D Wasserstein distance (earth mover's distance) between the empirical distributions of
/// `u` and `v`, each value weighted by its weight (equal weights when `nil`), as
/// `scipy.stats.wasserstein_distance`: the integral of |U(x) - V(x)| over x, U and V the CDFs.
///
/// Computed in double (sort, running sums, a compensated sum) and rounded once to `T`. An empty
/// `u` or `v` throws `.invalidSize`; weights of another count than their values throw
/// `.shapeMismatch`; a negative or NaN weight, or weights whose total is not positive and
/// finite, throw `.invalidArgument` (scipy's refusals). A NaN value gives NaN. No gradient: a
/// metric.
public func wassersteinDistance<T: LossFloat>(
    _ u: some ContiguousStorage<T>,
    _ v: some ContiguousStorage<T>,
    uWeights: (any ContiguousStorage<T>)? = nil,
    vWeights: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> T {
    try metric("wasserstein_distance") { () throws(LossError) in
        try u.withUnsafeBufferPointer { (a) throws(LossError) in
            try v.withUnsafeBufferPointer { (b) throws(LossError) in
                try uWeights.withBuffer { (wa: UnsafeBufferPointer<T>?) throws(LossError) in
                    try vWeights.withBuffer { (wb: UnsafeBufferPointer<T>?) throws(LossError) in
                        if let wa, wa.count != a.count {
                            throw LossError(.shapeMismatch, "u_weights has \(wa.count) elements, expected \(a.count) (as u)")
                        }
                        if let wb, wb.count != b.count {
                            throw LossError(.shapeMismatch, "v_weights has \(wb.count) elements, expected \(b.count) (as v)")
                        }
                        return T(try Metrics.wassersteinDistance(u: a, v: b, uWeights: wa, vWeights: wb))
                    }
                }
            }
        }
    }
}

/// ``wassersteinDistance(_:_:uWeights:vWeights:)`` written into `value`, which must hold exactly
/// one element. The arguments are refused first, as every loss's; then a wrong count
/// (`.shapeMismatch`); nothing is written on any error.
public func wassersteinDistance<T: LossFloat>(
    _ u: some ContiguousStorage<T>,
    _ v: some ContiguousStorage<T>,
    uWeights: (any ContiguousStorage<T>)? = nil,
    vWeights: (any ContiguousStorage<T>)? = nil,
    into value: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let d = try wassersteinDistance(u, v, uWeights: uWeights, vWeights: vWeights)
    try writeMetric([Double(d)], into: &value, "wasserstein_distance", what: "the distance")
}

/// The inception score (Salimans et al. 2016) of `probs`, rows of class probabilities
/// (`probs.count / classes` rows of `classes` values), as the improved-GAN code computes it: the
/// rows cut into `splits` consecutive parts in order (split k holds rows k·N/s ..< (k+1)·N/s),
/// per split exp(mean over its rows of KL(p(y|x) ‖ p(y))), p(y) the split's mean row and
/// 0·log 0 = 0; returns the mean of the splits' scores and their standard deviation (ddof 0).
///
/// Rows are read as given (not normalised). Throws `.invalidSize` for `classes` <= 0 or a count
/// that is not whole rows, `.invalidArgument` for `splits` outside 1 ... N or an entry that is
/// not finite and >= 0. Computed in double. No gradient: a metric.
public func inceptionScore<T: LossFloat>(
    _ probs: some ContiguousStorage<T>, classes: Int, splits: Int = 10
) throws(LossError) -> (mean: T, std: T) {
    try metric("inception_score") { () throws(LossError) in
        try probs.withUnsafeBufferPointer { (p) throws(LossError) in
            guard classes > 0 else { throw LossError(.invalidSize, "classes must be > 0, got \(classes)") }
            guard p.count % classes == 0 else {
                throw LossError(.shapeMismatch, "probs has \(p.count) values: not whole rows of \(classes)")
            }
            let r = try Metrics.inceptionScore(p, rows: p.count / classes, classes: classes, splits: splits)
            return (T(r.mean), T(r.std))
        }
    }
}

/// ``inceptionScore(_:classes:splits:)`` written into `values` as (mean, std): exactly two
/// elements. The arguments are refused first, then a wrong count; nothing is written on any error.
public func inceptionScore<T: LossFloat>(
    _ probs: some ContiguousStorage<T>, classes: Int, splits: Int = 10,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let r = try inceptionScore(probs, classes: classes, splits: splits)
    try writeMetric([Double(r.mean), Double(r.std)], into: &values, "inception_score", what: "mean and std")
}
