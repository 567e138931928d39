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

/// R-precision of `scores.count / candidates` queries each scored against `candidates`
/// candidates (`scores` and `relevance` row-major): per query, (relevant candidates among its top
/// R by score) / R, R its count of relevant candidates. Candidates are ranked by score, higher
/// first, equal scores in candidate-index order (the lower index first; stricter than evaluators
/// that count a tie as a hit), a NaN score after every number. A query with R = 0 is NaN in
/// `.none`'s per-query values and left out of `.mean` and `.sum` (the mean over no counted query
/// is NaN, the sum 0). Returns one value, or one per query for `.none`.
///
/// Throws `.invalidSize` for `candidates` < 0 or <= 0 with scores, `.shapeMismatch` for counts
/// that are not whole rows or differ, `.labelOutOfRange` for a relevance other than 0 or 1.
/// Computed in double. No gradient: a metric.
public func rPrecision<T: LossFloat, Relevance: Collection>(
    _ scores: some ContiguousStorage<T>, _ relevance: Relevance, candidates: Int, reduction: Reduction = .mean
) throws(LossError) -> [T] where Relevance.Element: BinaryInteger {
    try metric("r_precision") { () throws(LossError) in
        try withLabels(relevance, loss: "r_precision") { (r) throws(LossError) in
            try scores.withUnsafeBufferPointer { (s) throws(LossError) in
                guard candidates >= 0, candidates > 0 || s.isEmpty else {
                    throw LossError(.invalidSize, "candidates must be > 0, got \(candidates)")
                }
                guard candidates == 0 || s.count % candidates == 0 else {
                    throw LossError(.shapeMismatch, "scores has \(s.count) values: not whole rows of \(candidates)")
                }
                guard r.count == s.count else {
                    throw LossError(.shapeMismatch, "relevance has \(r.count) values, scores \(s.count)")
                }
                let n = candidates == 0 ? 0 : s.count / candidates
                let values = try Scratch<T>(count: reduction == .none ? n : 1)
                let out = UnsafeMutableBufferPointer(start: values.base, count: reduction == .none ? n : 1)
                try Metrics.rPrecision(s, r, rows: n, candidates: candidates, reduction: reduction, into: out)
                return Array(out)
            }
        }
    }
}

/// ``rPrecision(_:_:candidates:reduction:)`` written into `values`: exactly one element, or one
/// per query for `.none`. The arguments are refused first, then a wrong count; nothing is written
/// on any error.
public func rPrecision<T: LossFloat, Relevance: Collection>(
    _ scores: some ContiguousStorage<T>, _ relevance: Relevance, candidates: Int, reduction: Reduction = .mean,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Relevance.Element: BinaryInteger {
    let r = try rPrecision(scores, relevance, candidates: candidates, reduction: reduction)
    try writeMetric(r.map { Double($0) }, into: &values, "r_precision", what: "the values")
}

/// AttnGAN's R-precision by cosine similarity: `image` holds N rows of `width` features and
/// `text` N × `candidates` rows, each image's candidate captions with its true caption first. Per
/// image 1 when caption 0 ranks first by cosine similarity (the library's `cosine_similarity`,
/// each norm clamped to `eps`, in double; ties in index order, so a candidate tied with caption 0
/// leaves it first; a NaN similarity ranks last), else 0. Returns the mean (`.mean`), the sum, or
/// the N values (`.none`); the mean of no image is NaN.
///
/// Throws `.invalidSize` for a `width` or `candidates` that is negative, or 0 with features
/// given; `.shapeMismatch` for counts that are not whole rows or disagree; `.invalidArgument`
/// for `eps` not finite and > 0. No gradient: a metric.
public func rPrecisionEmbeddings<T: LossFloat>(
    _ image: some ContiguousStorage<T>, _ text: some ContiguousStorage<T>, candidates: Int, width: Int,
    eps: Double = 1e-8, reduction: Reduction = .mean
) throws(LossError) -> [T] {
    try metric("r_precision_embeddings") { () throws(LossError) in
        try image.withUnsafeBufferPointer { (x) throws(LossError) in
            try text.withUnsafeBufferPointer { (y) throws(LossError) in
                guard width >= 0, width > 0 || (x.isEmpty && y.isEmpty) else {
                    throw LossError(.invalidSize, "width must be > 0, got \(width)")
                }
                guard candidates >= 0 else { throw LossError(.invalidSize, "candidates must be >= 0, got \(candidates)") }
                let n = width == 0 ? 0 : x.count / width
                guard width == 0 || x.count % width == 0 else {
                    throw LossError(.shapeMismatch, "image has \(x.count) values: not whole rows of \(width)")
                }
                let (rows, overflow) = n.multipliedReportingOverflow(by: candidates)
                let (count, overflow2) = rows.multipliedReportingOverflow(by: width)
                guard !overflow, !overflow2, count == y.count else {
                    throw LossError(.shapeMismatch, "text has \(y.count) values, expected \(n) × \(candidates) × \(width)")
                }
                let size = reduction == .none ? n : 1
                let values = try Scratch<T>(count: size)
                let out = UnsafeMutableBufferPointer(start: values.base, count: size)
                try Metrics.rPrecisionEmbeddings(image: x, text: y, rows: n, candidates: candidates, width: width,
                                                 eps: eps, reduction: reduction, into: out)
                return Array(out)
            }
        }
    }
}

/// ``rPrecisionEmbeddings(_:_:candidates:width:eps:reduction:)`` written into `values`: exactly
/// one element, or one per image for `.none`. The arguments are refused first, then a wrong
/// count; nothing is written on any error.
public func rPrecisionEmbeddings<T: LossFloat>(
    _ image: some ContiguousStorage<T>, _ text: some ContiguousStorage<T>, candidates: Int, width: Int,
    eps: Double = 1e-8, reduction: Reduction = .mean, into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let r = try rPrecisionEmbeddings(image, text, candidates: candidates, width: width, eps: eps, reduction: reduction)
    try writeMetric(r.map { Double($0) }, into: &values, "r_precision_embeddings", what: "the values")
}
