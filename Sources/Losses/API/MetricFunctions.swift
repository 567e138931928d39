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
/// (checked first: a wrong count throws and nothing is written).
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
/// one element (checked first; nothing is written on any error).
public func wassersteinDistance<T: LossFloat>(
    _ u: some ContiguousStorage<T>,
    _ v: some ContiguousStorage<T>,
    uWeights: (any ContiguousStorage<T>)? = nil,
    vWeights: (any ContiguousStorage<T>)? = nil,
    into value: inout some MutableContiguousStorage<T>
) throws(LossError) {
    guard value.count == 1 else {
        throw LossError(.shapeMismatch, "values has \(value.count) elements, expected 1 (the distance)",
                        loss: "wasserstein_distance")
    }
    let d = try wassersteinDistance(u, v, uWeights: uWeights, vWeights: vWeights)
    try writeMetric([Double(d)], into: &value, "wasserstein_distance", what: "the distance")
}
