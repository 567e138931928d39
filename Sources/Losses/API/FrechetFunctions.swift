// The public forms of the Fréchet distance (docs/metrics.md, "fid"): a metric (no gradient),
// allocating and into the caller's storage, and the streamed statistics behind it.

/// The Fréchet distance between two Gaussians (FID, Heusel et al. 2017; pytorch-fid's
/// `calculate_frechet_distance`): ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr √(Σ1 Σ2), in double.
///
/// `mu1`, `mu2` hold d values and `sigma1`, `sigma2` d × d (row-major). Tr √(Σ1 Σ2) comes from
/// the eigenvalues of Lᵀ Σ2 L, Σ1 = L Lᵀ (a pivoted Cholesky cut at the numerical rank when Σ1 is
/// singular), through LAPACK: never complex, never NaN for finite statistics; eigenvalues within
/// d·ε of the largest count as 0. `eps` (finite, ≥ 0) is kept for pytorch-fid's signature and
/// unused. Throws `.shapeMismatch` for sizes that disagree, `.invalidSize` past d = 16384,
/// `.invalidArgument` for non-finite statistics, a negative variance, a sigma that is not
/// symmetric (|s_ij − s_ji| above 1e-6 √(s_ii s_jj)) or a bad eps. No gradient: a metric.
public func frechetDistance<T: LossFloat>(
    mu1: some ContiguousStorage<T>, sigma1: some ContiguousStorage<T>,
    mu2: some ContiguousStorage<T>, sigma2: some ContiguousStorage<T>, eps: Double = 1e-6
) throws(LossError) -> T {
    try metric("fid_from_stats") { () throws(LossError) in
        try mu1.withUnsafeBufferPointer { (m1) throws(LossError) in
            try sigma1.withUnsafeBufferPointer { (s1) throws(LossError) in
                try mu2.withUnsafeBufferPointer { (m2) throws(LossError) in
                    try sigma2.withUnsafeBufferPointer { (s2) throws(LossError) in
                        let d = m1.count
                        guard m2.count == d, s1.count == d &* d, s2.count == d &* d else {
                            throw LossError(.shapeMismatch, "mu1 has \(d) values, mu2 \(m2.count), sigma1 \(s1.count) "
                                            + "and sigma2 \(s2.count): expected d, d, d² and d²")
                        }
                        guard d <= FrechetDistance.maxWidth else {
                            throw LossError(.invalidSize, "d is \(d), at most \(FrechetDistance.maxWidth)")
                        }
                        try FrechetDistance.checkEps(eps)
                        guard d > 0, let p1 = m1.baseAddress, let q1 = s1.baseAddress, let p2 = m2.baseAddress,
                              let q2 = s2.baseAddress else { return T(0) }
                        try FrechetDistance.checkStatistics(mean: p1, sigma: q1, width: d, "mu1", "sigma1")
                        try FrechetDistance.checkStatistics(mean: p2, sigma: q2, width: d, "mu2", "sigma2")
                        return T(try FrechetDistance.fromStatistics(mu1: p1, sigma1: q1, mu2: p2, sigma2: q2, width: d))
                    }
                }
            }
        }
    }
}

/// The Fréchet distance between two sets of features, (n, `width`) and (m, `width`) row-major:
/// each set's mean and unbiased covariance in double, then
/// ``frechetDistance(mu1:sigma1:mu2:sigma2:eps:)``. n and m at least 2 (`.invalidSize`);
/// non-finite features throw `.invalidArgument` (non-finite statistics).
public func frechetDistance<T: LossFloat>(
    features1: some ContiguousStorage<T>, features2: some ContiguousStorage<T>, width: Int, eps: Double = 1e-6
) throws(LossError) -> T {
    try metric("fid") { () throws(LossError) in
        try features1.withUnsafeBufferPointer { (x1) throws(LossError) in
            try features2.withUnsafeBufferPointer { (x2) throws(LossError) in
                guard width >= 0, width <= FrechetDistance.maxWidth else {
                    throw LossError(.invalidSize, "width is \(width), expected 0 ... \(FrechetDistance.maxWidth)")
                }
                let n = width == 0 ? 0 : x1.count / width, m = width == 0 ? 0 : x2.count / width
                guard width == 0 || (x1.count % width == 0 && x2.count % width == 0) else {
                    throw LossError(.shapeMismatch, "features1 has \(x1.count) values and features2 \(x2.count): "
                                    + "expected multiples of width \(width)")
                }
                try FrechetDistance.checkEps(eps)
                guard width > 0 else { return T(0) }
                guard n >= 2, m >= 2 else {
                    throw LossError(.invalidSize, "n is \(n) and m is \(m): a covariance needs at least 2 samples each")
                }
                return T(try FrechetDistance.fromFeatures(x1.baseAddress!, rows: n, x2.baseAddress!, rows: m,
                                                          width: width))
            }
        }
    }
}

/// ``frechetDistance(mu1:sigma1:mu2:sigma2:eps:)`` written into `value`, which must hold exactly
/// one element. The arguments are refused first, as every loss's; then a wrong count; nothing is
/// written on any error.
public func frechetDistance<T: LossFloat>(
    mu1: some ContiguousStorage<T>, sigma1: some ContiguousStorage<T>, mu2: some ContiguousStorage<T>,
    sigma2: some ContiguousStorage<T>, eps: Double = 1e-6, into value: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let d = try frechetDistance(mu1: mu1, sigma1: sigma1, mu2: mu2, sigma2: sigma2, eps: eps)
    try writeMetric([Double(d)], into: &value, "fid_from_stats", what: "the distance")
}

/// ``frechetDistance(features1:features2:width:eps:)`` written into `value` (exactly one element;
/// the arguments are refused first, then a wrong count).
public func frechetDistance<T: LossFloat>(
    features1: some ContiguousStorage<T>, features2: some ContiguousStorage<T>, width: Int, eps: Double = 1e-6,
    into value: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let d = try frechetDistance(features1: features1, features2: features2, width: width, eps: eps)
    try writeMetric([Double(d)], into: &value, "fid", what: "the distance")
}

/// Streamed statistics for the Fréchet distance of `width`-dimensional features: the sample
/// count, mean and co-moment Σ (x − mean)(x − mean)ᵀ, in double whatever the features' type.
/// ``update(_:)`` folds a batch in by Chan's formula (its mean and co-moment about it, then the
/// pairwise merge); ``merge(_:)`` folds another worker's statistics in, exactly in exact
/// arithmetic. ``covariance`` is the unbiased one (count − 1).
public struct FrechetStatistics: Sendable, Equatable, Codable {
    public let width: Int
    public private(set) var count: Double = 0
    public private(set) var mean: [Double]
    public private(set) var comoment: [Double]

    /// Empty statistics of `width`-dimensional features (0 ... 16384, else `.invalidSize`).
    public init(width: Int) throws(LossError) {
        guard width >= 0, width <= FrechetDistance.maxWidth else {
            throw LossError(.invalidSize, "width is \(width), expected 0 ... \(FrechetDistance.maxWidth)",
                            loss: "fid_statistics_update")
        }
        self.width = width
        mean = [Double](repeating: 0, count: width)
        comoment = [Double](repeating: 0, count: width * width)
    }

    /// Folds (n, width) row-major features in (a count that is not a multiple of width throws
    /// `.shapeMismatch`; nothing changes on any error).
    public mutating func update<T: LossFloat>(_ features: some ContiguousStorage<T>) throws(LossError) {
        let d = width
        try features.withUnsafeBufferPointer { (x) throws(LossError) in
            guard d > 0 ? x.count % d == 0 : x.count == 0 else {
                throw LossError(.shapeMismatch, "features has \(x.count) values, not a multiple of width \(d)",
                                loss: "fid_statistics_update")
            }
            let n = d == 0 ? 0 : x.count / d
            guard n > 0, let base = x.baseAddress else { return }
            var c = count, m = mean, s = comoment
            try m.withUnsafeMutableBufferPointer { (mp) throws(LossError) in
                try s.withUnsafeMutableBufferPointer { (sp) throws(LossError) in
                    do throws(LossError) {
                        try StreamedMoments.update(features: base, rows: n, width: d, count: &c,
                                                            mean: mp.baseAddress!, comoment: sp.baseAddress!)
                    } catch {
                        throw LossError(error.kind, error.message, loss: "fid_statistics_update")
                    }
                }
            }
            (count, mean, comoment) = (c, m, s)
        }
    }

    /// Folds another worker's statistics in (the same width, else `.shapeMismatch`).
    public mutating func merge(_ other: FrechetStatistics) throws(LossError) {
        guard other.width == width else {
            throw LossError(.shapeMismatch, "the other statistics have width \(other.width), expected \(width)",
                            loss: "fid_statistics_merge")
        }
        guard other.count > 0 else { return }
        guard width > 0 else {
            count += other.count
            return
        }
        var c = count
        let d = width
        mean.withUnsafeMutableBufferPointer { mp in
            comoment.withUnsafeMutableBufferPointer { sp in
                other.mean.withUnsafeBufferPointer { om in
                    other.comoment.withUnsafeBufferPointer { os in
                        StreamedMoments.merge(count: &c, mean: mp.baseAddress!, comoment: sp.baseAddress!,
                                              otherCount: other.count, otherMean: om.baseAddress!,
                                              otherComoment: os.baseAddress!, width: d)
                    }
                }
            }
        }
        count = c
    }

    /// The unbiased covariance (width × width), comoment / (count − 1); `nil` below 2 samples.
    public var covariance: [Double]? {
        count < 2 ? nil : comoment.map { $0 / (count - 1) }
    }
}
