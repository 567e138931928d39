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

func inceptionScoreExport<T: LossFloat>(
    probs: UnsafePointer<T>?, n: Int64, c: Int64, splits: Int64, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("inception_score") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let c = try args.count(c, "c")
        let elements = try args.product(n, c, "probs")
        let p = try args.input(probs, elements, "probs")
        let o = try args.output(out, 2, "out")
        try args.checkOverlaps()
        // splits is checked against n (1 ... n) with the values, before anything is computed.
        let s = splits < 1 || splits > Int64(n) ? -1 : Int(splits)
        guard s >= 1 else { throw LossError(.invalidArgument, "splits must be in 1 ... n = \(n), got \(splits)") }
        let r = try Metrics.inceptionScore(p, rows: n, classes: c, splits: s)
        o[0] = T(r.mean)
        o[1] = T(r.std)
    }
}

func rPrecisionExport<T: LossFloat>(
    scores: UnsafePointer<T>?, relevance: UnsafePointer<Int64>?, n: Int64, k: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("r_precision") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let k = try args.count(k, "k")
        let elements = try args.product(n, k, "scores")
        let s = try args.input(scores, elements, "scores")
        let r = try args.input(relevance, elements, "relevance")
        let mode = try Reduction.validated(reduction)
        let o = try args.output(out, mode == .none ? n : 1, "out")
        try args.checkOverlaps()
        try Metrics.rPrecision(s, r, rows: n, candidates: k, reduction: mode, into: o)
    }
}

func rPrecisionEmbeddingsExport<T: LossFloat>(
    image: UnsafePointer<T>?, text: UnsafePointer<T>?, n: Int64, k: Int64, d: Int64, eps: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("r_precision_embeddings") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let k = try args.count(k, "k")
        let d = try args.count(d, "d")
        let i = try args.input(image, try args.product(n, d, "image"), "image")
        let t = try args.input(text, try args.product(try args.product(n, k, "text"), d, "text"), "text")
        let mode = try Reduction.validated(reduction)
        let o = try args.output(out, mode == .none ? n : 1, "out")
        try args.checkOverlaps()
        try Metrics.rPrecisionEmbeddings(image: i, text: t, rows: n, candidates: k, width: d, eps: eps,
                                         reduction: mode, into: o)
    }
}
