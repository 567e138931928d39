// The Swift array API of the distances and similarities between rows (docs/primitives.md):
// PyTorch's pairwise_distance and cosine_similarity, row-wise and as (n, m) matrices. Arrays are
// row-major; `width` is the length of a row (d). `rows` (and `otherRows`, x2's, for a matrix) are
// needed only when width is 0, where the arrays cannot tell them.

/// A value and, when asked for, the gradients with respect to both inputs.
public struct PairResult<T: LossFloat>: Sendable, Equatable {
    /// One value per pair for `Reduction.none` (n row-wise, n·m for a matrix), else one value.
    public var value: [T]
    /// Shaped like `x1` and `x2`; `nil` unless the gradients were requested.
    public var gradientX1: [T]?
    public var gradientX2: [T]?
}

/// `‖x1[i] - x2[i] + eps‖_p` for every row i, PyTorch's `pairwise_distance`. `p` is finite and
/// >= 0; the gradient is 0 at zero distance.
public func pairwiseDistance<T: LossFloat>(
    _ x1: [T], _ x2: [T], width: Int, p: Double = 2, eps: Double = 1e-6, reduction: Reduction = .none,
    gradient: Bool = false, gradOutput: [T]? = nil, rows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try DistanceParameters.checkDistance(p: p, eps: eps)
    return try pairs(x1, x2, width: width, rows: rows, otherRows: rows, matrix: false, reduction, gradient, gradOutput) { a, b, shape, o throws(LossError) in
        try Distances.pairwiseDistance(x1: a, x2: b, shape: shape, p: p, eps: eps, into: o)
    }
}

/// `Σ (x1[i]/max(‖x1[i]‖, eps))·(x2[i]/max(‖x2[i]‖, eps))` for every row i, PyTorch's
/// `cosine_similarity` over the last axis. `eps` is finite and > 0.
public func cosineSimilarity<T: LossFloat>(
    _ x1: [T], _ x2: [T], width: Int, eps: Double = 1e-8, reduction: Reduction = .none,
    gradient: Bool = false, gradOutput: [T]? = nil, rows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try DistanceParameters.checkCosine(eps: eps)
    return try pairs(x1, x2, width: width, rows: rows, otherRows: rows, matrix: false, reduction, gradient, gradOutput) { a, b, shape, o throws(LossError) in
        try Distances.cosineSimilarity(x1: a, x2: b, shape: shape, eps: eps, into: o)
    }
}

/// The (n, m) matrix of `pairwiseDistance` between every row of `x1` and every row of `x2`.
public func pairwiseDistanceMatrix<T: LossFloat>(
    _ x1: [T], _ x2: [T], width: Int, p: Double = 2, eps: Double = 1e-6, reduction: Reduction = .none,
    gradient: Bool = false, gradOutput: [T]? = nil, rows: Int? = nil, otherRows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try DistanceParameters.checkDistance(p: p, eps: eps)
    return try pairs(x1, x2, width: width, rows: rows, otherRows: otherRows, matrix: true, reduction, gradient, gradOutput) { a, b, shape, o throws(LossError) in
        try Distances.pairwiseDistance(x1: a, x2: b, shape: shape, p: p, eps: eps, into: o)
    }
}

/// The (n, m) matrix of `cosineSimilarity` between every row of `x1` and every row of `x2`.
public func cosineSimilarityMatrix<T: LossFloat>(
    _ x1: [T], _ x2: [T], width: Int, eps: Double = 1e-8, reduction: Reduction = .none,
    gradient: Bool = false, gradOutput: [T]? = nil, rows: Int? = nil, otherRows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try DistanceParameters.checkCosine(eps: eps)
    return try pairs(x1, x2, width: width, rows: rows, otherRows: otherRows, matrix: true, reduction, gradient, gradOutput) { a, b, shape, o throws(LossError) in
        try Distances.cosineSimilarity(x1: a, x2: b, shape: shape, eps: eps, into: o)
    }
}

/// Checks the rows, allocates the outputs and runs `body` on validated buffers.
func pairs<T: LossFloat>(
    _ x1: [T], _ x2: [T], width d: Int, rows: Int?, otherRows: Int?, matrix: Bool, _ reduction: Reduction,
    _ gradient: Bool, _ gradOutput: [T]?,
    _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, PairShape, LossOutputs<T>) throws(LossError) -> Void
) throws(LossError) -> PairResult<T> {
    guard d >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(d)") }
    guard d > 0 || (x1.isEmpty && x2.isEmpty) else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
    guard d == 0 || (x1.count % d == 0 && x2.count % d == 0) else {
        throw LossError(.shapeMismatch, "x1 has \(x1.count) and x2 \(x2.count) values: not whole rows of \(d)")
    }
    let n = d == 0 ? rows ?? 0 : x1.count / d, m = d == 0 ? otherRows ?? 0 : x2.count / d
    if let rows, rows != n { throw LossError(.shapeMismatch, "x1 has \(n) rows of \(d), rows is \(rows)") }
    if let otherRows, otherRows != m { throw LossError(.shapeMismatch, "x2 has \(m) rows of \(d), otherRows is \(otherRows)") }
    guard n >= 0, m >= 0 else { throw LossError(.invalidSize, "row counts must be >= 0") }
    if !matrix { try requireCount("x2", x2.count, x1.count, "x1") }
    let (pairs, overflow) = n.multipliedReportingOverflow(by: matrix ? m : 1)
    guard !overflow else { throw LossError(.invalidSize, "n × m overflows") }
    let outCount = reduction == .none ? pairs : 1
    if let gradOutput {
        try requireCount("gradOutput", gradOutput.count, outCount, reduction == .none ? "the pairs" : "a reduced value")
    }
    var value = [T](repeating: 0, count: outCount)
    var g1 = [T](repeating: 0, count: gradient ? x1.count : 0), g2 = [T](repeating: 0, count: gradient ? x2.count : 0)
    try value.withUnsafeMutableBufferPointer { out throws(LossError) in
        try g1.withUnsafeMutableBufferPointer { a throws(LossError) in
            try g2.withUnsafeMutableBufferPointer { b throws(LossError) in
                try gradOutput.withBuffer { upstream throws(LossError) in
                    try x1.withUnsafeBufferPointer { u throws(LossError) in
                        try x2.withUnsafeBufferPointer { w throws(LossError) in
                            let o = LossOutputs(reduction: reduction, out: out,
                                                gradients: Gradients(gradient ? a : nil, gradient ? b : nil),
                                                gradOutput: upstream)
                            try body(u, w, PairShape(n: n, m: matrix ? m : n, d: d, diagonal: !matrix), o)
                        }
                    }
                }
            }
        }
    }
    return PairResult(value: value, gradientX1: gradient ? g1 : nil, gradientX2: gradient ? g2 : nil)
}
