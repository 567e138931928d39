import Losses

// The generic bodies of the distance and similarity exports (include/losses.h, "Distances and
// similarities between rows"): validate, convert, call. Their `@_cdecl` twins are generated
// from the header (Generated/Exports.swift).

/// x1 (n, d) and x2 (m, d), one value per pair, gradients for both inputs: the shape of every
/// function of pairs of rows. `m` is nil for the row-wise form (x2 is (n, d), pairs (i, i)).
func pairsExport<T: LossFloat>(
    _ name: StaticString, _ x1: UnsafePointer<T>?, _ x2: UnsafePointer<T>?, _ n: Int64, _ m: Int64?, _ d: Int64,
    _ reduction: Int32, _ out: UnsafeMutablePointer<T>?, _ gradX1: UnsafeMutablePointer<T>?,
    _ gradX2: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?,
    checkParameters: () throws(LossError) -> Void,
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, PairShape, LossOutputs<T>) throws(LossError) -> Void
) -> Int32 {
    exported(name) { () throws(LossError) in
        var args = CallArguments()
        let rowWise = m == nil
        let n = try args.count(n, "n")
        let m = try m.map { value throws(LossError) in try args.count(value, "m") } ?? n
        let d = try args.count(d, "d")
        let shape = PairShape(n: n, m: m, d: d, diagonal: rowWise)
        let pairs = rowWise ? n : try args.product(n, m, "out")
        let first = try args.product(n, d, "x1"), second = try args.product(m, d, "x2")
        let a = try args.input(x1, first, "x1")
        let b = try args.input(x2, second, "x2")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: first, samples: pairs, out: out,
            gradient: gradX1, gradientName: "grad_x1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradX2, second, "grad_x2")
        try args.checkOverlaps()
        try checkParameters()
        try run(a, b, shape, o)
    }
}

func pairwiseDistanceExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, n: Int64, d: Int64, p: Double, eps: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    distance("pairwise_distance", x1, x2, n, nil, d, p, eps, reduction, out, gradX1, gradX2, gradOutput)
}

func pairwiseDistanceMatrixExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, n: Int64, m: Int64, d: Int64, p: Double,
    eps: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    distance("pairwise_distance_matrix", x1, x2, n, m, d, p, eps, reduction, out, gradX1, gradX2, gradOutput)
}

func cosineSimilarityExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, n: Int64, d: Int64, eps: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    cosine("cosine_similarity", x1, x2, n, nil, d, eps, reduction, out, gradX1, gradX2, gradOutput)
}

func cosineSimilarityMatrixExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, n: Int64, m: Int64, d: Int64, eps: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    cosine("cosine_similarity_matrix", x1, x2, n, m, d, eps, reduction, out, gradX1, gradX2, gradOutput)
}

/// pairwise_distance, row-wise (`m` nil) or as a matrix.
private func distance<T: LossFloat>(
    _ name: StaticString, _ x1: UnsafePointer<T>?, _ x2: UnsafePointer<T>?, _ n: Int64, _ m: Int64?, _ d: Int64,
    _ p: Double, _ eps: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?,
    _ gradX1: UnsafeMutablePointer<T>?, _ gradX2: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    pairsExport(name, x1, x2, n, m, d, reduction, out, gradX1, gradX2, gradOutput,
                checkParameters: { () throws(LossError) in try DistanceParameters.checkDistance(p: p, eps: eps) }) {
        a, b, shape, o throws(LossError) in
        try Distances.pairwiseDistance(x1: a, x2: b, shape: shape, p: p, eps: eps, into: o)
    }
}

/// cosine_similarity, row-wise (`m` nil) or as a matrix.
private func cosine<T: LossFloat>(
    _ name: StaticString, _ x1: UnsafePointer<T>?, _ x2: UnsafePointer<T>?, _ n: Int64, _ m: Int64?, _ d: Int64,
    _ eps: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?,
    _ gradX1: UnsafeMutablePointer<T>?, _ gradX2: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
) -> Int32 {
    pairsExport(name, x1, x2, n, m, d, reduction, out, gradX1, gradX2, gradOutput,
                checkParameters: { () throws(LossError) in try DistanceParameters.checkCosine(eps: eps) }) {
        a, b, shape, o throws(LossError) in
        try Distances.cosineSimilarity(x1: a, x2: b, shape: shape, eps: eps, into: o)
    }
}
