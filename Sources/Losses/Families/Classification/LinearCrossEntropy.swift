// linear_cross_entropy (docs/classification.md): cross entropy of the logits z = x Wᵀ + b of a
// linear layer, PyTorch's F.linear_cross_entropy, without ever holding the N × C logits. Rows go
// by blocks of `blockRows(classes:)`: the block's logits are RowProducts' fma chains, each row's
// loss and logit gradient G the cross-entropy row kernel (Primitives/CrossEntropyRow.swift), and
// the gradients flow back through RowProducts again: grad_x = G W, grad_W += Gᵀ x, grad_b += Σ G.
//
// Determinism: the block size depends on C alone, each product is one fixed fma chain, the rows'
// losses and the blocks' contributions to grad_W and grad_b are added in row order on one task:
// the same bits for any thread count.

@usableFromInline package enum LinearCrossEntropy {
    /// Rows of one block: about 2 MiB of logits (2^18 doubles), a multiple of RowProducts' 32-row
    /// tasks, at least 32 and at most 1024. A function of C alone, so of no thread count.
    package static func blockRows(classes c: Int) -> Int {
        let rows = (1 << 18) / Swift.max(c, 1)
        return Swift.min(1024, Swift.max(RowProducts.taskRows, rows / RowProducts.taskRows &* RowProducts.taskRows))
    }

    /// The doubles of scratch one call needs besides its n labels, or nil when that count does
    /// not fit an Int (the caller reports it as out of memory).
    static func scratchCount(rows n: Int, classes c: Int, features d: Int, float: Bool,
                             gradients: (input: Bool, weight: Bool, bias: Bool)) -> Int? {
        let b = Swift.min(blockRows(classes: c), Swift.max(n, 1))
        var total = 0
        func add(_ x: Int, _ y: Int) -> Bool {
            let (p, o1) = x.multipliedReportingOverflow(by: y)
            let (t, o2) = total.addingReportingOverflow(p)
            total = t
            return !o1 && !o2
        }
        let g = gradients.input || gradients.weight || gradients.bias
        guard add(float ? c : 0, d), add(2, c),                          // W in double; class weights, bias
              add(RowProducts.gramPanels(rows: c, width: d), 1),        // W's rows packed for the logits
              add(b, c), add(g ? b : 0, c), add(b, 1),                  // logits, G, the rows' losses
              add(b, Swift.max(d, 1)),                                  // x's block in double
              add(gradients.input ? b : 0, d),                          // grad_x's block
              add(gradients.input ? RowProducts.combinePanels(columns: c, width: d) : 0, 1),
              add(gradients.weight ? c : 0, b),                         // Gᵀ
              add(gradients.weight ? RowProducts.combinePanels(columns: b, width: d) : 0, 1),
              add(gradients.weight ? c : 0, d),                         // grad_W's sum
              add(gradients.weight && n > b ? c : 0, d),                // one block's grad_W
              add(gradients.bias ? c : 0, 1)
        else { return nil }
        return total
    }

    /// `linear_cross_entropy` of n rows of d features `x`, a (c, d) `linearWeight`, an optional
    /// `linearBias` (c) and class `weight` (c), with class-index targets: cross entropy's formula
    /// (`Classification.crossEntropy`) on z = x Wᵀ + b. Gradients: `o.gradients.first` (x, n·d),
    /// `.second` (W, c·d), `.third` (b, c values: Σ_rows G, also when there is no bias).
    ///
    /// Everything is checked and every scratch buffer allocated before the first write: the labels
    /// are copied once and the copy checked (`.labelOutOfRange`) and used, so a caller changing
    /// them mid-call cannot reach an index; `.outOfMemory` when the scratch cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func loss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, linearWeight w: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>,
        linearBias bias: UnsafeBufferPointer<T>?, weight: UnsafeBufferPointer<T>?,
        rows n: Int, classes c: Int, features d: Int, ignoreIndex: Int64, labelSmoothing: Double,
        into o: LossOutputs<T>
    ) throws(LossError) {
        let gx = o.gradients.first, gw = o.gradients.second, gb = o.gradients.third
        let wantG = gx != nil || gw != nil || gb != nil
        let float = T.self != Double.self
        guard let count = scratchCount(rows: n, classes: c, features: d, float: float,
                                       gradients: (gx != nil, gw != nil, gb != nil)) else {
            throw LossError(.outOfMemory, "the scratch of \(n) rows, \(c) classes and \(d) features does not fit memory")
        }
        let labelScratch = try Scratch<Int64>(count: n)
        let scratch = try Scratch<Double>(count: count)
        // The labels, read once; the copy is checked and used.
        let labels = labelScratch.base
        for s in 0..<n { labels[s] = target[s] }
        try ClassTargets.check(UnsafeBufferPointer(start: labels, count: n), classes: c, ignoreIndex: ignoreIndex)

        let b = Swift.min(blockRows(classes: c), Swift.max(n, 1))
        var next = scratch.base
        func take(_ k: Int) -> UnsafeMutablePointer<Double> {
            defer { next += k }
            return next
        }
        let wd = float || d == 0 ? take(c &* d) : UnsafeMutableRawPointer(mutating: w.baseAddress!).assumingMemoryBound(to: Double.self)
        let classWeight = take(c), biasD = take(c)
        let rowPanels = take(RowProducts.gramPanels(rows: c, width: d))
        let logits = take(b &* c), g = wantG ? take(b &* c) : logits, rowLoss = take(b)
        let xd = take(b &* Swift.max(d, 1))
        let gxBlock = gx != nil ? take(b &* d) : xd
        let wColumns = gx != nil ? take(RowProducts.combinePanels(columns: c, width: d)) : xd
        let gT = gw != nil ? take(c &* b) : xd
        let xColumns = gw != nil ? take(RowProducts.combinePanels(columns: b, width: d)) : xd
        let gwSum = gw != nil ? take(c &* d) : xd
        let gwBlock = gw != nil && n > b ? take(c &* d) : gwSum
        let gbSum = gb != nil ? take(c) : xd

        if float || d == 0 { for k in 0..<(c &* d) { wd[k] = Double(w[k]) } }
        var weightSum = 0.0
        for k in 0..<c {
            classWeight[k] = weight.map { Double($0[k]) } ?? 1
            weightSum += classWeight[k]
            biasD[k] = bias.map { Double($0[k]) } ?? 0
        }
        if weight == nil { weightSum = Double(c) }  // as CrossEntropyKernel
        RowProducts.packRows(wd, rows: c, width: d, into: rowPanels)
        if gx != nil { RowProducts.packColumns(wd, rows: c, width: d, into: wColumns) }
        if gw != nil && n == 0 { gwSum.update(repeating: 0, count: c &* d) }
        if gb != nil { gbSum.update(repeating: 0, count: c) }

        let epsilon = labelSmoothing, uniform = labelSmoothing / Double(c)
        let kept = Classification.keptWeight(UnsafeBufferPointer(start: labels, count: n), weight, ignoreIndex: ignoreIndex)
        let denominator = o.reduction == .sum ? 1 : kept
        // grad_output holds one value for a reduced call; for .none its n values are read per row.
        let reducedScale = o.reduction == .none ? 1 : Double(o.gradOutput?[0] ?? 1) / denominator
        var total = CompensatedSum()
        var i0 = 0
        while i0 < n {
            let rows = Swift.min(b, n &- i0)
            let xb: UnsafePointer<Double>
            if float || d == 0 {
                for k in 0..<(rows &* d) { xd[k] = Double(x[i0 &* d &+ k]) }
                xb = UnsafePointer(xd)
            } else {
                xb = UnsafeRawPointer(x.baseAddress! + i0 &* d).assumingMemoryBound(to: Double.self)
            }
            RowProducts.dots(xb, rows: rows, packed: rowPanels, rows: c, width: d, into: logits)
            // Each row's loss and G row, on the task that owns the row.
            let tasks = (rows &+ RowProducts.taskRows &- 1) / RowProducts.taskRows
            forEachChunk(tasks, parallel: RowProducts.parallel(rows, c, 8)) { t in
                for r in (t &* RowProducts.taskRows)..<Swift.min(rows, (t &+ 1) &* RowProducts.taskRows) {
                    let z = logits + r &* c, gr = wantG ? g + r &* c : nil
                    if bias != nil { for k in 0..<c { z[k] += biasD[k] } }
                    let y = labels[i0 &+ r]
                    guard y != ignoreIndex else {
                        gr?.update(repeating: 0, count: c)
                        rowLoss[r] = 0
                        continue
                    }
                    let label = Int(truncatingIfNeeded: y)  // checked above, on this copy
                    let scale = o.reduction == .none ? Double(o.gradOutput?[i0 &+ r] ?? 1) : reducedScale
                    rowLoss[r] = crossEntropyRow(
                        UnsafePointer(z), c, label: label, labelWeight: classWeight[label],
                        weight: weight == nil ? nil : UnsafePointer(classWeight), epsilon: epsilon, uniform: uniform,
                        weightSum: weightSum, gradient: gr, scale: scale)
                }
            }
            for r in 0..<rows {
                if o.reduction == .none { o.out[i0 &+ r] = T(rowLoss[r]) } else { total.add(rowLoss[r]) }
            }
            if let gx {
                RowProducts.combine(g, rows: rows, columns: c, packed: wColumns, width: d, into: gxBlock)
                for k in 0..<(rows &* d) { gx[i0 &* d &+ k] = T(gxBlock[k]) }
            }
            if gw != nil {
                RowProducts.transpose(g, rows: rows, columns: c, into: gT)
                RowProducts.packColumns(xb, rows: rows, width: d, into: xColumns)
                let into = i0 == 0 ? gwSum : gwBlock
                RowProducts.combine(gT, rows: c, columns: rows, packed: xColumns, width: d, into: into)
                if i0 > 0 { addInto(gwSum, gwBlock, c &* d) }
            }
            if gb != nil {
                for r in 0..<rows { for k in 0..<c { gbSum[k] += g[r &* c &+ k] } }
            }
            i0 &+= rows
        }
        if o.reduction != .none { o.out[0] = T(total.value / denominator) }
        if let gw { for k in 0..<(c &* d) { gw[k] = T(gwSum[k]) } }
        if let gb { for k in 0..<c { gb[k] = T(gbSum[k]) } }
    }

    /// sum += block, elementwise, by fixed chunks on every core.
    private static func addInto(_ sum: UnsafeMutablePointer<Double>, _ block: UnsafeMutablePointer<Double>, _ count: Int) {
        let chunks = (count &+ chunkLength &- 1) / chunkLength
        forEachChunk(chunks, parallel: count >= parallelThreshold) { t in
            for k in (t &* chunkLength)..<Swift.min(count, (t &+ 1) &* chunkLength) { sum[k] += block[k] }
        }
    }
}

extension ClassificationParameters {
    /// linear_cross_entropy's sizes: c >= 1 classes, and n·d, c·d and n·c representable.
    package static func checkLinearSizes(rows n: Int, classes c: Int, features d: Int) throws(LossError) {
        try ClassTargets.checkClasses(c)
        for (a, b, what) in [(n, d, "input"), (c, d, "linear_weight"), (n, c, "the logits")] {
            let (p, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow, p <= 1 << 60 else { throw LossError(.invalidSize, "\(what) = \(a) × \(b) elements is too large") }
        }
    }
}
