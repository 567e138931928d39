// The one export without an f32/f64 pair (its buffers are double in both dtypes), written by
// hand: abi/generate.py forwards pairs only. Compiled in this module alone (the AVX2 copy
// excludes this folder): the merge is a few passes over d² doubles.

@_cdecl("losses_fid_statistics_merge")
public func losses_fid_statistics_merge(
    _ count: UnsafeMutablePointer<Double>?, _ mean: UnsafeMutablePointer<Double>?,
    _ comoment: UnsafeMutablePointer<Double>?, _ otherCount: Double, _ otherMean: UnsafePointer<Double>?,
    _ otherComoment: UnsafePointer<Double>?, _ d: Int64
) -> Int32 {
    fidStatisticsMergeExport(count: count, mean: mean, comoment: comoment, otherCount: otherCount,
                             otherMean: otherMean, otherComoment: otherComoment, d: d)
}
