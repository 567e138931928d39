import CLossesLapack

/// The streamed statistics of the Fréchet distance: a sample count, the mean (d) and the
/// co-moment matrix M = Σ (x − mean)(x − mean)ᵀ (d × d, row-major), all in double whatever the
/// features' type. The unbiased covariance is M / (count − 1).
///
/// A batch is folded in by Chan, Golub and LeVeque's pairwise formula: the batch's own mean and
/// co-moment (centred on the batch mean, so no cancellation of large means), then
///   n = na + nb,  δ = mean_b − mean_a,
///   mean = mean_a + δ · nb / n,   M = M_a + M_b + δ δᵀ · na nb / n,
/// which is also how two workers' partial statistics merge, exactly in exact arithmetic.
package enum StreamedMoments {
    /// Rows converted and centred at a time (a fixed size: the bits do not depend on threads).
    static let chunkRows = 256

    /// The caller's count must be a whole number of samples in [0, 2^53).
    package static func checkCount(_ count: Double, _ name: StaticString) throws(LossError) {
        guard count.isFinite, count >= 0, count < 9_007_199_254_740_992, count.rounded(.towardZero) == count else {
            throw LossError(.invalidArgument, "\(name) is \(count), expected a whole number of samples >= 0")
        }
    }

    /// Folds (nb, mean_b, M_b) into (count, mean, comoment) in place (Chan's formula above).
    /// Every element of the result is written from the values before the call.
    package static func merge(
        count: UnsafeMutablePointer<Double>, mean: UnsafeMutablePointer<Double>,
        comoment: UnsafeMutablePointer<Double>, otherCount nb: Double, otherMean: UnsafePointer<Double>,
        otherComoment: UnsafePointer<Double>, width d: Int
    ) {
        let na = count.pointee
        let n = na + nb
        guard nb > 0 else { return }
        let meanWeight = nb / n, comomentWeight = na * nb / n
        for i in 0..<d {
            let di = otherMean[i] - mean[i]
            let row = i &* d
            for j in 0..<d {
                let dj = otherMean[j] - mean[j]
                comoment[row &+ j] += otherComoment[row &+ j] + di * dj * comomentWeight
            }
        }
        for i in 0..<d { mean[i] += (otherMean[i] - mean[i]) * meanWeight }
        count.pointee = n
    }

    /// Folds n rows of (n, d) features into the statistics. Throws `.outOfMemory` before
    /// anything is written when its scratch (d² + (chunkRows + 1) d doubles) cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func update<T: LossFloat>(
        features x: UnsafePointer<T>, rows n: Int, width d: Int, count: UnsafeMutablePointer<Double>,
        mean: UnsafeMutablePointer<Double>, comoment: UnsafeMutablePointer<Double>
    ) throws(LossError) {
        guard n > 0 else { return }
        let chunk = Swift.min(n, chunkRows)
        let batchMean = try Scratch<Double>(count: d)
        let centred = try Scratch<Double>(count: chunk &* d)
        let gram = try Scratch<Double>(count: d &* d)
        batchStatistics(x, rows: n, width: d, chunk: chunk, mean: batchMean.base, centred: centred.base,
                        gram: gram.base)
        merge(count: count, mean: mean, comoment: comoment, otherCount: Double(n), otherMean: batchMean.base,
              otherComoment: gram.base, width: d)
    }

    /// The batch's mean and co-moment about it (full, symmetric), in double; rows in ascending
    /// order, the co-moment by blocks of `chunk` rows through one Gram update each.
    static func batchStatistics<T: LossFloat>(
        _ x: UnsafePointer<T>, rows n: Int, width d: Int, chunk: Int, mean: UnsafeMutablePointer<Double>,
        centred: UnsafeMutablePointer<Double>, gram: UnsafeMutablePointer<Double>
    ) {
        for k in 0..<d { mean[k] = 0 }
        for i in 0..<n {
            let row = i &* d
            for k in 0..<d { mean[k] += Double(x[row &+ k]) }
        }
        for k in 0..<d { mean[k] /= Double(n) }
        gram.initialize(repeating: 0, count: d &* d)
        var start = 0
        while start < n {
            let rows = Swift.min(chunk, n &- start)
            for r in 0..<rows {
                let source = (start &+ r) &* d, target = r &* d
                for k in 0..<d { centred[target &+ k] = Double(x[source &+ k]) - mean[k] }
            }
            fid_lapack_add_gram(Int64(rows), Int64(d), centred, gram)
            start &+= rows
        }
        // The Gram update fills the lower triangle (row-major): mirror it.
        for i in 0..<d {
            for j in (i &+ 1)..<Swift.max(d, i &+ 1) { gram[i &* d &+ j] = gram[j &* d &+ i] }
        }
    }
}
