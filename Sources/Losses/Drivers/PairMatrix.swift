#if canImport(Glibc)
import Glibc
#endif

// The two-pass driver of every loss built on a matrix of pairs: distances or similarities
// between the rows of x1 (n × d) and the rows of x2 (m × d).
//
//   pass 1  S[i, j] = kernel(x1[i], x2[j]) for every pair, one block of rows of x1 per task,
//           with whatever the gradient needs kept per pair (norms, the distance itself);
//   pass 2  a per-row reduction turns row i of S into the loss and the coefficients
//           G[i, j] = ∂loss/∂S[i, j] (for the primitives, the identity and the upstream gradient;
//           for mining losses, the hardest positive, a log-sum-exp, ...);
//   pass 3  the gradients: grad_x1[i] = Σ_j G[i, j] ∂S[i, j]/∂x1[i] and
//           grad_x2[j] = Σ_i G[i, j] ∂S[i, j]/∂x2[j].
//
// THE RACE-FREEDOM RULE, for every kernel and driver of this library: a task writes only the
// output rows it owns. Pass 3 therefore never scatters: grad_x2[j] is *gathered* by the task that
// owns row j, reading column j of G, so a gradient that a loss would naturally scatter "to any
// row" (a negative chosen by mining, a positive in another row) is summed by its owner, in
// ascending i. Every sum has a fixed order that depends only on the sizes, so results are
// bitwise the same for any thread count.

/// A function of one pair of rows and its derivatives.
package protocol PairKernel {
    associatedtype Scalar: LossFloat
    /// What a row contributes on its own (its norm): computed once per row of x1 and of x2.
    associatedtype RowState
    func firstRow(_ i: Int) -> RowState
    func secondRow(_ j: Int) -> RowState
    /// S[i, j].
    func value(_ i: Int, _ j: Int, _ a: RowState, _ b: RowState) -> Double
    /// Adds `coefficient · ∂S[i, j]/∂x1[i]` to `into` (d values); `s` is S[i, j].
    func addFirstGradient(_ i: Int, _ j: Int, _ a: RowState, _ b: RowState, _ s: Double, _ coefficient: Double,
                          into: UnsafeMutablePointer<Double>)
    /// Adds `coefficient · ∂S[i, j]/∂x2[j]` to `into` (d values).
    func addSecondGradient(_ i: Int, _ j: Int, _ a: RowState, _ b: RowState, _ s: Double, _ coefficient: Double,
                           into: UnsafeMutablePointer<Double>)
}

/// The shape of a pair matrix: n rows of x1, m rows of x2, d values per row. `diagonal` pairs
/// row i with row i only (n == m): PyTorch's row-wise functions, an n-vector instead of a matrix.
package struct PairShape: Sendable {
    package var n: Int
    package var m: Int
    package var d: Int
    package var diagonal: Bool

    package init(n: Int, m: Int, d: Int, diagonal: Bool) {
        (self.n, self.m, self.d, self.diagonal) = (n, m, d, diagonal)
    }

    /// Values of S: one per pair.
    package var pairs: Int { diagonal ? n : n &* m }
    /// Columns of row i of S.
    @inline(__always) func columns(_ i: Int) -> Range<Int> { diagonal ? i..<(i &+ 1) : 0..<m }
}

/// A block of scratch from malloc: a failed allocation is a status, never a trap.
package struct Scratch<T>: ~Copyable {
    package let base: UnsafeMutablePointer<T>

    package init(count: Int) throws(LossError) {
        let (bytes, overflow) = Swift.max(count, 1).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, let raw = malloc(bytes) else {
            throw LossError(.outOfMemory, "cannot allocate \(count) × \(MemoryLayout<T>.stride) bytes of scratch")
        }
        base = raw.bindMemory(to: T.self, capacity: Swift.max(count, 1))
    }

    deinit { free(base) }
}

/// Runs the three passes for the identity reduction: `out` receives S itself (reduced as asked)
/// and G is the upstream gradient. The loss families build on `pairMatrixPasses` with their own
/// pass 2.
package func reducePairMatrix<K: PairKernel>(
    _ shape: PairShape, into o: LossOutputs<K.Scalar>, _ kernel: K
) throws(LossError) {
    let denominator = o.reduction == .mean ? Double(shape.pairs) : 1
    try pairMatrixPasses(shape, gradients: (o.gradients.first, o.gradients.second), kernel,
                         rows: { s, row, i, columns in
        // Pass 2, identity: the values go out, the coefficients are the upstream gradient.
        var total = 0.0
        for (k, j) in columns.enumerated() {
            let pair = shape.diagonal ? i : i &* shape.m &+ j
            if o.reduction == .none { o.out[pair] = K.Scalar(s[k]) }
            total += s[k]
            row?[k] = Double(o.upstream(pair)) / denominator
        }
        return total
    }, total: { total in
        if o.reduction != .none { o.out[0] = K.Scalar(total / denominator) }
    })
}

/// The passes of a pair-matrix loss. `rows(S_i, G_i, i, columns)` is pass 2 for row i: it reads
/// S[i, columns] from `S_i`, writes the coefficients G[i, columns] into `G_i` (nil when no
/// gradient is wanted: a value-only call pays for S alone) and returns the row's contribution
/// to the total; `total` receives the fixed-order sum of the rows'
/// contributions once every row is done. Gradients are computed only when asked for.
package func pairMatrixPasses<K: PairKernel>(
    _ shape: PairShape,
    gradients: (UnsafeMutableBufferPointer<K.Scalar>?, UnsafeMutableBufferPointer<K.Scalar>?),
    _ kernel: K,
    rows: (UnsafePointer<Double>, UnsafeMutablePointer<Double>?, Int, Range<Int>) -> Double,
    total: (Double) -> Void
) throws(LossError) {
    let (n, d) = (shape.n, shape.d)
    let width = shape.diagonal ? 1 : shape.m
    let wantsGradients = gradients.0 != nil || gradients.1 != nil
    let work = Swift.max(1, width &* Swift.max(d, 1))
    let unit = Swift.max(1, chunkLength / work)                       // rows of x1 per task
    let parallel = n.multipliedReportingOverflow(by: work).partialValue >= parallelThreshold
    let chunks = (n + unit - 1) / unit
    let m = shape.diagonal ? n : shape.m
    let unit2 = Swift.max(1, chunkLength / Swift.max(1, (shape.diagonal ? 1 : n) &* Swift.max(d, 1)))
    let chunks2 = (m + unit2 - 1) / unit2

    // Every allocation comes first: a call that cannot have its scratch fails before it writes.
    // S (n × width), and G only when a gradient is wanted.
    let scratch = try Scratch<Double>(count: (wantsGradients ? 2 : 1) &* n &* width)
    let s = scratch.base, g = scratch.base + (wantsGradients ? n &* width : 0)
    let rowTotals = try Scratch<Double>(count: n)
    let firstStates = try Scratch<K.RowState>(count: n), secondStates = try Scratch<K.RowState>(count: m)
    let accumulator = try Scratch<Double>(count: gradients.0 == nil ? 0 : chunks &* Swift.max(d, 1))
    let accumulator2 = try Scratch<Double>(count: gradients.1 == nil ? 0 : chunks2 &* Swift.max(d, 1))

    // Row states (norms), once per row; trivial values, so the memory needs no deinitialisation.
    let first = firstStates.base, second = secondStates.base
    forEachChunk(chunks, parallel: parallel) { c in
        for i in (c &* unit)..<Swift.min(n, (c &+ 1) &* unit) { (first + i).initialize(to: kernel.firstRow(i)) }
    }
    forEachChunk(chunks2, parallel: parallel) { c in
        for j in (c &* unit2)..<Swift.min(m, (c &+ 1) &* unit2) { (second + j).initialize(to: kernel.secondRow(j)) }
    }

    // Passes 1 and 2, rows of x1 in fixed blocks.
    let totals = rowTotals.base
    forEachChunk(chunks, parallel: parallel) { c in
        for i in (c &* unit)..<Swift.min(n, (c &+ 1) &* unit) {
            let columns = shape.columns(i)
            let rowS = s + i &* width, rowG = wantsGradients ? g + i &* width : nil
            for (k, j) in columns.enumerated() { rowS[k] = kernel.value(i, j, first[i], second[j]) }
            totals[i] = rows(rowS, rowG, i, columns)
        }
    }
    total(orderedRowTotal(totals, count: n))

    // Pass 3: each task owns rows of grad_x1 (then of grad_x2) and gathers into them.
    guard wantsGradients else { return }
    if let g1 = gradients.0 {
        forEachChunk(chunks, parallel: parallel) { c in
            let acc = accumulator.base + c &* Swift.max(d, 1)
            for i in (c &* unit)..<Swift.min(n, (c &+ 1) &* unit) {
                acc.update(repeating: 0, count: d)
                for (k, j) in shape.columns(i).enumerated() {
                    kernel.addFirstGradient(i, j, first[i], second[j], s[i &* width &+ k], g[i &* width &+ k],
                                            into: acc)
                }
                for k in 0..<d { g1[i &* d &+ k] = K.Scalar(acc[k]) }
            }
        }
    }
    if let g2 = gradients.1 {
        forEachChunk(chunks2, parallel: parallel) { c in
            let acc = accumulator2.base + c &* Swift.max(d, 1)
            for j in (c &* unit2)..<Swift.min(m, (c &+ 1) &* unit2) {
                acc.update(repeating: 0, count: d)
                // Column j of G, in ascending i: the pairs that involve row j of x2.
                let owners = shape.diagonal ? j..<(j &+ 1) : 0..<n
                for i in owners {
                    let k = shape.diagonal ? i : i &* width &+ j
                    kernel.addSecondGradient(i, j, first[i], second[j], s[k], g[k], into: acc)
                }
                for k in 0..<d { g2[j &* d &+ k] = K.Scalar(acc[k]) }
            }
        }
    }
}
