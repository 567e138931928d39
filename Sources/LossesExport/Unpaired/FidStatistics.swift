// FID's statistics entries, written by hand: their state is double in both dtypes (count, mean,
// co-moment), which the generated tables do not describe (abi/header.py HAND_WRITTEN), and the
// merge has no f32/f64 pair at all. Compiled in this module alone (the AVX2 copy excludes this
// folder): the work is OpenBLAS's dsyrk and a few passes over d² doubles, not this module's loops.

@_cdecl("losses_fid_statistics_update_f32")
public func losses_fid_statistics_update_f32(
    _ features: UnsafePointer<Float>?, _ n: Int64, _ d: Int64, _ count: UnsafeMutablePointer<Double>?,
    _ mean: UnsafeMutablePointer<Double>?, _ comoment: UnsafeMutablePointer<Double>?
) -> Int32 {
    fidStatisticsUpdateExport(features: features, n: n, d: d, count: count, mean: mean, comoment: comoment)
}

@_cdecl("losses_fid_statistics_update_f64")
public func losses_fid_statistics_update_f64(
    _ features: UnsafePointer<Double>?, _ n: Int64, _ d: Int64, _ count: UnsafeMutablePointer<Double>?,
    _ mean: UnsafeMutablePointer<Double>?, _ comoment: UnsafeMutablePointer<Double>?
) -> Int32 {
    fidStatisticsUpdateExport(features: features, n: n, d: d, count: count, mean: mean, comoment: comoment)
}

@_cdecl("losses_fid_statistics_merge")
public func losses_fid_statistics_merge(
    _ count: UnsafeMutablePointer<Double>?, _ mean: UnsafeMutablePointer<Double>?,
    _ comoment: UnsafeMutablePointer<Double>?, _ otherCount: Double, _ otherMean: UnsafePointer<Double>?,
    _ otherComoment: UnsafePointer<Double>?, _ d: Int64
) -> Int32 {
    fidStatisticsMergeExport(count: count, mean: mean, comoment: comoment, otherCount: otherCount,
                             otherMean: otherMean, otherComoment: otherComoment, d: d)
}
