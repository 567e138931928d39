import CLossesMath

/// The matrix products the batch losses and the similarity matrix stand on, in Double, blocked
/// and on every core: the dot products of every row of one matrix with every row of another (a
/// Gram or similarity matrix), and the combination of rows by a coefficient matrix (the gradient
/// flowing back through it).
///
/// Exactness: every entry is one fused multiply-add chain over the summed index in ascending
/// order (`row_products.c`), so its bits depend on neither the CPU, nor the blocking, nor the
/// split of rows between threads. For float32 inputs converted to Double each product is exact
/// and only the sum rounds: the error of an entry is at most d·2⁻⁵³ of Σ|a_k b_k|.
package enum RowProducts {
    /// Rows of the output per parallel task: a multiple of the micro-tile's 4 rows and of the
    /// panels' 8 columns, small enough that two cores share a 512-row batch evenly.
    static let taskRows = 32

    /// Whether n × m × d multiply-adds are worth waking the pool for.
    static func parallel(_ n: Int, _ m: Int, _ d: Int) -> Bool {
        n.multipliedReportingOverflow(by: m).partialValue.multipliedReportingOverflow(by: Swift.max(d, 1)).partialValue
            >= parallelThreshold
    }

    /// `out[i][j] = a_i · b_j` for the n rows of a and the m rows of b (d values each,
    /// contiguous): the n × m matrix of their dot products.
    package static func dots(_ a: UnsafePointer<Double>, rows n: Int, _ b: UnsafePointer<Double>, rows m: Int,
                             width d: Int, into out: UnsafeMutablePointer<Double>) throws(LossError) {
        guard n > 0, m > 0 else { return }
        let panels = try Scratch<Double>(count: gramPanels(rows: m, width: d))
        packRows(b, rows: m, width: d, into: panels.base)
        dots(a, rows: n, packed: panels.base, rows: m, width: d, into: out)
    }

    /// Packs the m rows of b (d values each) into `panels` (`gramPanels(rows: m, width: d)`
    /// doubles) for `dots(_:rows:packed:rows:width:into:)`: a caller that multiplies many blocks of
    /// rows by the same b packs it once.
    package static func packRows(_ b: UnsafePointer<Double>, rows m: Int, width d: Int,
                                 into panels: UnsafeMutablePointer<Double>) {
        _losses_pack_rows_f64(b, Int64(d), Int64(m), Int64(d), panels)
    }

    /// `dots` against the m rows `packRows` packed: allocates nothing; the same bits as `dots`.
    package static func dots(_ a: UnsafePointer<Double>, rows n: Int, packed panels: UnsafePointer<Double>,
                             rows m: Int, width d: Int, into out: UnsafeMutablePointer<Double>) {
        guard n > 0, m > 0 else { return }
        let tasks = (n &+ taskRows &- 1) / taskRows
        forEachChunk(tasks, parallel: parallel(n, m, d)) { t in
            let i0 = t &* taskRows, rows = Swift.min(taskRows, n &- i0)
            _losses_row_dots_f64(a + i0 &* d, Int64(d), Int64(rows), panels, Int64(m), 0, Int64(d),
                                 out + i0 &* m, Int64(m))
        }
    }

    /// `s[i][j] = x_i · x_j` for the n rows of x: the n × n Gram matrix, symmetric bit for bit.
    /// The upper triangle is computed by blocks of rows and mirrored, which changes no bit (the
    /// products of an fma chain commute exactly): half the work of `dots(x, x)`.
    package static func gram(_ x: UnsafePointer<Double>, rows n: Int, width d: Int,
                             into s: UnsafeMutablePointer<Double>) throws(LossError) {
        guard n > 0 else { return }
        let panels = try Scratch<Double>(count: gramPanels(rows: n, width: d))
        gram(x, rows: n, width: d, into: s, panels: panels.base)
    }

    /// The doubles of packed panels `gram` needs for n rows of d values.
    package static func gramPanels(rows n: Int, width d: Int) -> Int { ((n &+ 7) / 8) &* 8 &* Swift.max(d, 1) }

    /// `gram` on the caller's `panels` (`gramPanels(rows:width:)` doubles): allocates nothing,
    /// so a caller that allocated first cannot fail between writes.
    package static func gram(_ x: UnsafePointer<Double>, rows n: Int, width d: Int,
                             into s: UnsafeMutablePointer<Double>, panels: UnsafeMutablePointer<Double>) {
        guard n > 0 else { return }
        _losses_pack_rows_f64(x, Int64(d), Int64(n), Int64(d), panels)
        let tasks = (n &+ taskRows &- 1) / taskRows
        let inParallel = parallel(n, n, d)
        forEachChunk(tasks, parallel: inParallel) { t in
            let i0 = t &* taskRows, rows = Swift.min(taskRows, n &- i0)
            let j0 = (i0 / 8) &* 8
            _losses_row_dots_f64(x + i0 &* d, Int64(d), Int64(rows), panels, Int64(n), Int64(j0), Int64(d),
                                 s + i0 &* n, Int64(n))
        }
        // The lower triangle from the upper: entry (i, j), j < i, is the chain of (j, i). By square
        // tiles, which stay in L1 where a column walk over the matrix would miss on every entry.
        forEachChunk(tasks, parallel: inParallel) { t in
            let rows = (t &* taskRows)..<Swift.min(n, (t &+ 1) &* taskRows)
            var j0 = 0
            while j0 < rows.upperBound {
                for i in rows {
                    for j in j0..<Swift.min(i, j0 &+ taskRows) { s[i &* n &+ j] = s[j &* n &+ i] }
                }
                j0 &+= taskRows
            }
        }
    }

    /// `out[i][k] = Σ_j g[i][j] x[j][k]` for the n × m coefficients g and the m rows of x: the
    /// dot products of g's rows with x's columns, each a chain over j in ascending order.
    package static func combine(_ g: UnsafePointer<Double>, rows n: Int, columns m: Int, _ x: UnsafePointer<Double>,
                                width d: Int, into out: UnsafeMutablePointer<Double>) throws(LossError) {
        guard n > 0, d > 0 else { return }
        guard m > 0 else {
            out.update(repeating: 0, count: n &* d)
            return
        }
        let panels = try Scratch<Double>(count: combinePanels(columns: m, width: d))
        combine(g, rows: n, columns: m, x, width: d, into: out, panels: panels.base)
    }

    /// The doubles of packed panels `combine` needs for m rows of d values.
    package static func combinePanels(columns m: Int, width d: Int) -> Int { ((d &+ 7) / 8) &* 8 &* Swift.max(m, 1) }

    /// `combine` on the caller's `panels` (`combinePanels(columns:width:)` doubles): allocates
    /// nothing.
    package static func combine(_ g: UnsafePointer<Double>, rows n: Int, columns m: Int, _ x: UnsafePointer<Double>,
                                width d: Int, into out: UnsafeMutablePointer<Double>,
                                panels: UnsafeMutablePointer<Double>) {
        guard n > 0, d > 0 else { return }
        guard m > 0 else {
            out.update(repeating: 0, count: n &* d)
            return
        }
        packColumns(x, rows: m, width: d, into: panels)
        combine(g, rows: n, columns: m, packed: panels, width: d, into: out)
    }

    /// Packs the columns of the m rows of x (d values each) into `panels`
    /// (`combinePanels(columns: m, width: d)` doubles) for
    /// `combine(_:rows:columns:packed:width:into:)`: once for many coefficient blocks.
    package static func packColumns(_ x: UnsafePointer<Double>, rows m: Int, width d: Int,
                                    into panels: UnsafeMutablePointer<Double>) {
        _losses_pack_columns_f64(x, Int64(d), Int64(m), Int64(d), panels)
    }

    /// `combine` with x's columns packed by `packColumns`: allocates nothing; the same bits.
    package static func combine(_ g: UnsafePointer<Double>, rows n: Int, columns m: Int,
                                packed panels: UnsafePointer<Double>, width d: Int,
                                into out: UnsafeMutablePointer<Double>) {
        guard n > 0, d > 0 else { return }
        guard m > 0 else {
            out.update(repeating: 0, count: n &* d)
            return
        }
        let tasks = (n &+ taskRows &- 1) / taskRows
        forEachChunk(tasks, parallel: parallel(n, m, d)) { t in
            let i0 = t &* taskRows, rows = Swift.min(taskRows, n &- i0)
            _losses_row_dots_f64(g + i0 &* m, Int64(m), Int64(rows), panels, Int64(d), 0, Int64(m),
                                 out + i0 &* d, Int64(d))
        }
    }

    /// `out` (m × n) = the transpose of `g` (n × m), by blocks of rows of `out` on every core.
    package static func transpose(_ g: UnsafePointer<Double>, rows n: Int, columns m: Int,
                                  into out: UnsafeMutablePointer<Double>) {
        let tasks = (m &+ taskRows &- 1) / taskRows
        forEachChunk(tasks, parallel: parallel(n, m, 1)) { t in
            for j in (t &* taskRows)..<Swift.min(m, (t &+ 1) &* taskRows) {
                for i in 0..<n { out[j &* n &+ i] = g[i &* m &+ j] }
            }
        }
    }
}
