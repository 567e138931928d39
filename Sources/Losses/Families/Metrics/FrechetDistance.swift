import CLossesLapack

/// The Fréchet distance between two Gaussians (FID, Heusel et al. 2017, as pytorch-fid's
/// `calculate_frechet_distance`):
///   ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr √(Σ1 Σ2),
/// in double. Tr √(Σ1 Σ2) is the sum of the square roots of the eigenvalues of Lᵀ Σ2 L, where
/// Σ1 = L Lᵀ (Cholesky; pivoted and truncated at the numerical rank when Σ1 is singular): a
/// symmetric eigenvalue problem, so no complex square root and no "imaginary component";
/// eigenvalues within round-off of zero count as 0 (CLossesLapack).
package enum FrechetDistance {
    /// LAPACK's sizes are 32-bit: d ≤ this.
    package static let maxWidth = Int(LOSSES_LAPACK_MAX_ORDER)

    /// Means finite; covariances finite, symmetric to within 1e-6 of √(σ_ii σ_jj) (round-off
    /// of a symmetric matrix), with non-negative diagonals.
    package static func checkStatistics<T: LossFloat>(
        mean: UnsafePointer<T>, sigma: UnsafePointer<T>, width d: Int, _ meanName: StaticString,
        _ sigmaName: StaticString
    ) throws(LossError) {
        for i in 0..<d where !Double(mean[i]).isFinite {
            throw LossError(.invalidArgument, "\(meanName)[\(i)] is \(mean[i]), expected finite statistics")
        }
        for i in 0..<(d &* d) where !Double(sigma[i]).isFinite {
            throw LossError(.invalidArgument, "\(sigmaName) has \(sigma[i]) at \(i), expected finite statistics")
        }
        for i in 0..<d where sigma[i &* d &+ i] < 0 {
            throw LossError(.invalidArgument, "\(sigmaName)[\(i), \(i)] is \(sigma[i &* d &+ i]), a negative variance")
        }
        let roots = try Scratch<Double>(count: d)
        for i in 0..<d { roots.base[i] = Double(sigma[i &* d &+ i]).squareRoot() }
        // By tiles of 64 × 64: the transposed reads stay in cache.
        let block = 64
        for ib in stride(from: 0, to: d, by: block) {
            for jb in stride(from: 0, through: ib, by: block) {
                for i in ib..<Swift.min(ib &+ block, d) {
                    for j in jb..<Swift.min(jb &+ block, i) {
                        let a = Double(sigma[i &* d &+ j]), b = Double(sigma[j &* d &+ i])
                        if abs(a - b) > 1e-6 * roots.base[i] * roots.base[j] {
                            throw LossError(.invalidArgument,
                                            "\(sigmaName) is not symmetric: [\(i), \(j)] = \(a), [\(j), \(i)] = \(b)")
                        }
                    }
                }
            }
        }
    }

    /// eps: kept for pytorch-fid's signature; finite and ≥ 0.
    package static func checkEps(_ eps: Double) throws(LossError) {
        guard eps.isFinite, eps >= 0 else { throw LossError(.invalidArgument, "eps is \(eps), expected finite and >= 0") }
    }

    /// The distance from statistics (checked by the caller). Throws `.outOfMemory` when its
    /// 2 d² + O(d) doubles of scratch cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func fromStatistics<T: LossFloat>(
        mu1: UnsafePointer<T>, sigma1: UnsafePointer<T>, mu2: UnsafePointer<T>, sigma2: UnsafePointer<T>, width d: Int
    ) throws(LossError) -> Double {
        var meanTerm = 0.0, trace1 = 0.0, trace2 = 0.0
        for i in 0..<d {
            let diff = Double(mu1[i]) - Double(mu2[i])
            meanTerm += diff * diff
            trace1 += Double(sigma1[i &* d &+ i])
            trace2 += Double(sigma2[i &* d &+ i])
        }
        let root: Double
        if T.self == Double.self { // read in place
            root = try sigma1.withMemoryRebound(to: Double.self, capacity: d &* d) { (p1) throws(LossError) in
                try sigma2.withMemoryRebound(to: Double.self, capacity: d &* d) { (p2) throws(LossError) in
                    try traceSqrtProduct(p1, p2, width: d)
                }
            }
        } else {
            let s1 = try Scratch<Double>(count: d &* d), s2 = try Scratch<Double>(count: d &* d)
            for i in 0..<(d &* d) {
                s1.base[i] = Double(sigma1[i])
                s2.base[i] = Double(sigma2[i])
            }
            root = try traceSqrtProduct(s1.base, s2.base, width: d)
        }
        return meanTerm + trace1 + trace2 - 2 * root
    }

    /// Tr √(S1 S2) of two double covariances.
    static func traceSqrtProduct(_ s1: UnsafePointer<Double>, _ s2: UnsafePointer<Double>, width d: Int)
        throws(LossError) -> Double
    {
        var trace = 0.0, rank: Int64 = 0
        switch fid_lapack_trace_sqrt_product(Int64(d), s1, s2, &trace, &rank) {
        case Int32(LOSSES_LAPACK_OK): return trace
        case Int32(LOSSES_LAPACK_OUT_OF_MEMORY):
            throw LossError(.outOfMemory, "cannot allocate the \(d) x \(d) matrices of the eigenvalue problem")
        default:
            throw LossError(.invalidArgument, "the eigenvalues of the covariances' product did not converge")
        }
    }

    /// The distance between two sets of features (n1, d) and (n2, d), n1, n2 ≥ 2 (checked by
    /// the caller): their statistics in double, unbiased covariances, then `fromStatistics`.
    /// Non-finite features give non-finite statistics: `.invalidArgument`, as for statistics.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func fromFeatures<T: LossFloat>(
        _ x1: UnsafePointer<T>, rows n1: Int, _ x2: UnsafePointer<T>, rows n2: Int, width d: Int
    ) throws(LossError) -> Double {
        let mean1 = try Scratch<Double>(count: d), mean2 = try Scratch<Double>(count: d)
        let sigma1 = try Scratch<Double>(count: d &* d), sigma2 = try Scratch<Double>(count: d &* d)
        for (x, n, mean, sigma) in [(x1, n1, mean1.base, sigma1.base), (x2, n2, mean2.base, sigma2.base)] {
            var count = 0.0
            mean.initialize(repeating: 0, count: d)
            sigma.initialize(repeating: 0, count: d &* d)
            try StreamedMoments.update(features: x, rows: n, width: d, count: &count, mean: mean, comoment: sigma)
            for i in 0..<(d &* d) { sigma[i] /= Double(n &- 1) }
        }
        try checkStatistics(mean: mean1.base, sigma: sigma1.base, width: d, "features1' mean", "features1' covariance")
        try checkStatistics(mean: mean2.base, sigma: sigma2.base, width: d, "features2' mean", "features2' covariance")
        return try fromStatistics(mu1: mean1.base, sigma1: sigma1.base, mu2: mean2.base, sigma2: sigma2.base, width: d)
    }
}
