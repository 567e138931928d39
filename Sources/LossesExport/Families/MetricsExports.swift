import Losses

// The metrics' export bodies (include/losses.h, "Metrics"); their @_cdecl twins are generated
// from the header (Generated/Exports.swift). Every argument is checked before the first write;
// a metric has `out` and no gradient.

func wassersteinDistanceExport<T: LossFloat>(
    uValues: UnsafePointer<T>?, vValues: UnsafePointer<T>?, uWeights: UnsafePointer<T>?,
    vWeights: UnsafePointer<T>?, n: Int64, m: Int64, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("wasserstein_distance") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let m = try args.count(m, "m")
        let u = try args.input(uValues, n, "u_values")
        let v = try args.input(vValues, m, "v_values")
        let uw = try args.optionalInput(uWeights, n, "u_weights")
        let vw = try args.optionalInput(vWeights, m, "v_weights")
        let o = try args.output(out, 1, "out")
        try args.checkOverlaps()
        o[0] = T(try Metrics.wassersteinDistance(u: u, v: v, uWeights: uw, vWeights: vw))
    }
}
