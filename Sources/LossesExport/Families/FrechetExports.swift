import Losses

// The generic bodies of the Fréchet-distance exports (include/losses.h, "Metrics: the Fréchet
// distance"): validate every argument, then call. The statistics update and merge write the
// caller's state only after every check has passed.

extension CallArguments {
    /// d: at most LOSSES_FID_MAX_D (LAPACK's 32-bit sizes); returns it with d × d.
    func fidWidth(_ d: Int64) throws(LossError) -> (d: Int, square: Int) {
        let width = try count(d, "d")
        guard width <= FrechetDistance.maxWidth else {
            throw LossError(.invalidSize, "d is \(width), at most \(FrechetDistance.maxWidth)")
        }
        return (width, try product(width, width, "sigma"))
    }

    /// The caller's state: count (1), mean (d), comoment (d × d), all double.
    mutating func fidState(
        _ count: UnsafeMutablePointer<Double>?, _ mean: UnsafeMutablePointer<Double>?,
        _ comoment: UnsafeMutablePointer<Double>?, width: (d: Int, square: Int)
    ) throws(LossError) -> (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) {
        let c = try output(count, 1, "count"), m = try output(mean, width.d, "mean")
        let s = try output(comoment, width.square, "comoment")
        return (c.baseAddress!, m.baseAddress ?? UnsafeMutablePointer(mutating: c.baseAddress!),
                s.baseAddress ?? UnsafeMutablePointer(mutating: c.baseAddress!))
    }
}

func fidStatisticsUpdateExport<T: LossFloat>(
    features: UnsafePointer<T>?, n: Int64, d: Int64, count: UnsafeMutablePointer<Double>?,
    mean: UnsafeMutablePointer<Double>?, comoment: UnsafeMutablePointer<Double>?
) -> Int32 {
    exported("fid_statistics_update") { () throws(LossError) in
        var args = CallArguments()
        let rows = try args.count(n, "n")
        let width = try args.fidWidth(d)
        let x = try args.input(features, try args.product(rows, width.d, "features"), "features")
        let (c, m, s) = try args.fidState(count, mean, comoment, width: width)
        try args.checkOverlaps()
        try StreamedMoments.checkCount(c.pointee, "count")
        guard rows > 0 else { return }
        try StreamedMoments.update(features: x.baseAddress!, rows: rows, width: width.d, count: c, mean: m,
                                     comoment: s)
    }
}

func fidStatisticsMergeExport(
    count: UnsafeMutablePointer<Double>?, mean: UnsafeMutablePointer<Double>?,
    comoment: UnsafeMutablePointer<Double>?, otherCount: Double, otherMean: UnsafePointer<Double>?,
    otherComoment: UnsafePointer<Double>?, d: Int64
) -> Int32 {
    exported("fid_statistics_merge") { () throws(LossError) in
        var args = CallArguments()
        let width = try args.fidWidth(d)
        let (c, m, s) = try args.fidState(count, mean, comoment, width: width)
        let om = try args.input(otherMean, width.d, "other_mean")
        let os = try args.input(otherComoment, width.square, "other_comoment")
        try args.checkOverlaps()
        try StreamedMoments.checkCount(c.pointee, "count")
        try StreamedMoments.checkCount(otherCount, "other_count")
        guard otherCount > 0 else { return }
        let placeholder = UnsafePointer(c)
        StreamedMoments.merge(count: c, mean: m, comoment: s, otherCount: otherCount,
                                otherMean: om.baseAddress ?? placeholder, otherComoment: os.baseAddress ?? placeholder,
                                width: width.d)
    }
}

func fidFromStatsExport<T: LossFloat>(
    mu1: UnsafePointer<T>?, sigma1: UnsafePointer<T>?, mu2: UnsafePointer<T>?, sigma2: UnsafePointer<T>?, d: Int64,
    eps: Double, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("fid_from_stats") { () throws(LossError) in
        var args = CallArguments()
        let width = try args.fidWidth(d)
        let m1 = try args.input(mu1, width.d, "mu1"), s1 = try args.input(sigma1, width.square, "sigma1")
        let m2 = try args.input(mu2, width.d, "mu2"), s2 = try args.input(sigma2, width.square, "sigma2")
        let o = try args.output(out, 1, "out")
        try args.checkOverlaps()
        try FrechetDistance.checkEps(eps)
        guard width.d > 0 else {
            o[0] = 0
            return
        }
        try FrechetDistance.checkStatistics(mean: m1.baseAddress!, sigma: s1.baseAddress!, width: width.d, "mu1", "sigma1")
        try FrechetDistance.checkStatistics(mean: m2.baseAddress!, sigma: s2.baseAddress!, width: width.d, "mu2", "sigma2")
        let value = try FrechetDistance.fromStatistics(mu1: m1.baseAddress!, sigma1: s1.baseAddress!,
                                                       mu2: m2.baseAddress!, sigma2: s2.baseAddress!, width: width.d)
        o[0] = T(value)
    }
}

func fidExport<T: LossFloat>(
    features1: UnsafePointer<T>?, features2: UnsafePointer<T>?, n: Int64, d: Int64, m: Int64, eps: Double,
    out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("fid") { () throws(LossError) in
        var args = CallArguments()
        let rows1 = try args.count(n, "n"), rows2 = try args.count(m, "m")
        let width = try args.fidWidth(d)
        let x1 = try args.input(features1, try args.product(rows1, width.d, "features1"), "features1")
        let x2 = try args.input(features2, try args.product(rows2, width.d, "features2"), "features2")
        let o = try args.output(out, 1, "out")
        try args.checkOverlaps()
        try FrechetDistance.checkEps(eps)
        guard rows1 >= 2, rows2 >= 2 else {
            throw LossError(.invalidSize, "n is \(rows1) and m is \(rows2): a covariance needs at least 2 samples each")
        }
        guard width.d > 0 else {
            o[0] = 0
            return
        }
        let value = try FrechetDistance.fromFeatures(x1.baseAddress!, rows: rows1, x2.baseAddress!, rows: rows2,
                                                     width: width.d)
        o[0] = T(value)
    }
}
