/// The distances and similarities between rows of `x1` and `x2` (row-major, rows of `width`),
/// row by row or every row against every row, over borrowed buffers.
struct RowPairCall<T: LossFloat>: BufferCall {
    enum Function {
        case distance(p: Double, eps: Double)
        case cosine(eps: Double)
    }

    let function: Function
    /// Every row of x1 against every row of x2 (an n × m matrix), rather than row i against row i.
    let matrix: Bool
    let x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>
    let width: Int
    /// The row counts, needed only when `width` is 0, where the buffers cannot tell them.
    let rows: Int?, otherRows: Int?

    var name: StaticString {
        switch (function, matrix) {
        case (.distance, false): "pairwise_distance"
        case (.distance, true): "pairwise_distance_matrix"
        case (.cosine, false): "cosine_similarity"
        case (.cosine, true): "cosine_similarity_matrix"
        }
    }

    func check() throws(LossError) -> CallShape {
        switch function {
        case .distance(let p, let eps): try DistanceParameters.checkDistance(p: p, eps: eps)
        case .cosine(let eps): try DistanceParameters.checkCosine(eps: eps)
        }
        let shape = try pairShape()
        let (pairs, overflow) = shape.n.multipliedReportingOverflow(by: matrix ? shape.m : 1)
        guard !overflow else { throw LossError(.invalidSize, "n × m overflows") }
        return CallShape(samples: pairs, elements: x1.count, secondElements: x2.count)
    }

    /// The (n, m, d) of the call, from the buffers and, for empty rows, the row counts.
    private func pairShape() throws(LossError) -> PairShape {
        let d = width
        guard d >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(d)") }
        guard d > 0 || (x1.isEmpty && x2.isEmpty) else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
        guard d == 0 || (x1.count % d == 0 && x2.count % d == 0) else {
            throw LossError(.shapeMismatch, "x1 has \(x1.count) and x2 \(x2.count) values: not whole rows of \(d)")
        }
        let n = d == 0 ? rows ?? 0 : x1.count / d, m = d == 0 ? otherRows ?? 0 : x2.count / d
        if let rows, rows != n { throw LossError(.shapeMismatch, "x1 has \(n) rows of \(d), rows is \(rows)") }
        if let otherRows, otherRows != m {
            throw LossError(.shapeMismatch, "x2 has \(m) rows of \(d), otherRows is \(otherRows)")
        }
        guard n >= 0, m >= 0 else { throw LossError(.invalidSize, "row counts must be >= 0") }
        if !matrix { try requireCount("x2", x2.count, x1.count, "x1") }
        return PairShape(n: n, m: matrix ? m : n, d: d, diagonal: !matrix)
    }

    // Distances.* are specialised themselves (Primitives/Distances.swift).
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let shape = try pairShape()
        switch function {
        case .distance(let p, let eps): try Distances.pairwiseDistance(x1: x1, x2: x2, shape: shape, p: p, eps: eps, into: o)
        case .cosine(let eps): try Distances.cosineSimilarity(x1: x1, x2: x2, shape: shape, eps: eps, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x1) { return "x1" }
        if overlaps(region, x2) { return "x2" }
        return nil
    }
}

/// Opens the storage of a pair function and hands `body` the call over it.
func rowPairs<T: LossFloat, R>(
    _ function: RowPairCall<T>.Function, matrix: Bool, _ x1: some ContiguousStorage<T>, _ x2: some ContiguousStorage<T>,
    width: Int, rows: Int?, otherRows: Int?, _ body: (RowPairCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x1.withUnsafeBufferPointer { (a) throws(LossError) in
        try x2.withUnsafeBufferPointer { (b) throws(LossError) in
            try body(RowPairCall(function: function, matrix: matrix, x1: a, x2: b, width: width,
                                 rows: rows, otherRows: otherRows))
        }
    }
}
