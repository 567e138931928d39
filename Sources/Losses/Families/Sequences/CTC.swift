import RealModule

// Connectionist temporal classification (Graves et al. 2006), as PyTorch's `F.ctc_loss`:
// sample b's target l of L labels becomes the extended sequence l' = (blank, l1, blank, l2, …,
// lL, blank) of S' = 2L + 1 states, and
//
//   α_t(s) = lse(α_{t-1}(s), α_{t-1}(s-1), α_{t-1}(s-2) if l'_s ≠ blank and l'_s ≠ l'_{s-2}) + lp[t, l'_s]
//   β_t(s) = lse(β_{t+1}(s), β_{t+1}(s+1), β_{t+1}(s+2) if that skip is allowed)            + lp[t, l'_s]
//   log p  = lse(α_{T-1}(S'-1), α_{T-1}(S'-2)),    loss = -log p,
//   ∂loss/∂lp[t, k] = -Σ_{s: l'_s = k} exp(α_t(s) + β_t(s) - lp[t, l'_s] - log p) = -γ_t(k)
//
// for t below the sample's input length T (0 beyond). Everything is in log space in double.
// "log 0" is the finite floor -1e300 rather than -inf, so that a log-add-exp needs no branch
// (floor - floor = 0 would only ever add to a result that stays at the floor: -1e300 plus any
// sane log-probability rounds back to -1e300), and the step runs on the vectorised exp and log
// of BlockMath over all S' states of a time step at once. A log p at or below half the floor is
// an impossible alignment: -inf.
//
// Samples are independent: each is computed whole (forward, backward, its gradient rows) by one
// task, which writes only its own rows of the gradient; the per-sample losses are reduced in
// sample order afterwards. So the bits never depend on the thread count, which decides only how
// many workspaces are allocated.

/// "log 0": finite, so that differences of two of them are 0, not NaN.
private let floorLog = -1e300

/// One task's workspace: α for every (t, s) of the longest sample (rows of S' + 2, the first two
/// slots the floor, so that α_{t-1}(s-1) and (s-2) need no bounds test), the two β rows (the last
/// two slots the floor), rows of S' for the gathered log-probabilities and the log-add-exp, a row
/// of c for a gradient row, and the extended labels and their skip states.
private struct CTCWork {
    let alpha, beta, next, lpe, p, d, a, z, row: UnsafeMutablePointer<Double>
    let ext, skips, positions: UnsafeMutablePointer<Int>
    let width: Int

    static func doubles(_ t: Int, states: Int, classes c: Int) -> Int { (t &+ 8) &* (states &+ 2) &+ c }

    init(_ base: UnsafeMutablePointer<Double>, _ ints: UnsafeMutablePointer<Int>, t: Int, states: Int) {
        width = states &+ 2
        alpha = base; beta = alpha + t &* width; next = beta + width; lpe = next + width; p = lpe + width
        d = p + width; a = d + width; z = a + width; row = z + width
        ext = ints; skips = ints + states; positions = skips + states
    }
}

/// out[i] = log(exp(x[i]) + exp(y[i])) = max + log1p(exp(-|x[i] - y[i]|)) over `count` pairs, on
/// the vectorised exp and log1p (d: scratch). Two floors give the floor (+ log 2, absorbed);
/// a NaN gives NaN.
@inline(__always)
private func pairLogAddExp(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>,
                           _ d: UnsafeMutablePointer<Double>, _ count: Int) {
    guard count > 0 else { return }
    for i in 0..<count {
        let u = x[i], v = y[i]
        out[i] = Swift.max(u, v)
        d[i] = -abs(u - v)
    }
    BlockMath.exp(d, d, count)
    BlockMath.log1pUnit(d, d, count)
    for i in 0..<count { out[i] += d[i] }
}

/// One sample's forward and backward passes over log_probs (t, n, c). At time t only the states
/// lo(t) ≤ s ≤ hi(t) can be on a complete path (reached from the start by t, and able to reach
/// the end by T - 1): every other stays at the floor and is not computed.
private struct CTCSample<T: LossFloat> {
    let lp: UnsafePointer<T>
    let sh: CTCShape
    let w: CTCWork
    let b: Int, inputLength: Int, states: Int, skipCount: Int

    @inline(__always) func lo(_ t: Int) -> Int { Swift.max(0, states &- 2 &* (inputLength &- t)) }
    @inline(__always) func hi(_ t: Int) -> Int { Swift.min(states &- 1, 2 &* t &+ 1) }
    @inline(__always) func alphaRow(_ t: Int) -> UnsafeMutablePointer<Double> { w.alpha + (t &* w.width &+ 2) }

    /// lpe[s] = lp[t, b, l'_s] in double for s in lo...hi, -inf (and anything below the floor)
    /// raised to the floor.
    @inline(__always)
    func gather(_ t: Int, _ lo: Int, _ hi: Int) {
        let base = lp + (t &* sh.n &+ b) &* sh.c
        for s in lo..<(hi &+ 1) {
            let x = Double(base[w.ext[s]])
            w.lpe[s] = x < floorLog ? floorLog : x  // NaN stays NaN
        }
    }

    /// The skip terms, for every skip state u (l'_u a label unlike l'_{u-2}) whose `target(u)` is in
    /// lo...hi: p[target(u)] = lse(p[target(u)], source(u)), gathered into a compact row first so
    /// that the log-add-exp runs vectorised over the skip states alone.
    @inline(__always)
    func addSkips(_ lo: Int, _ hi: Int, target: (Int) -> Int, source: (Int) -> Double) {
        var k = 0
        for j in 0..<skipCount {
            let u = w.skips[j], s = target(u)
            guard s >= lo, s <= hi else { continue }
            w.a[k] = w.p[s]; w.z[k] = source(u); w.positions[k] = s
            k &+= 1
        }
        pairLogAddExp(w.a, w.z, w.a, w.d, k)
        for i in 0..<k { w.p[w.positions[i]] = w.a[i] }
    }

    /// α for t < inputLength into the α rows; returns log p.
    func forward() -> Double {
        let first = alphaRow(0)
        (first - 2).update(repeating: floorLog, count: w.width)
        gather(0, 0, Swift.min(states &- 1, 1))
        if lo(0) == 0 { first[0] = w.lpe[0] }
        if states > 1, lo(0) <= 1 { first[1] = w.lpe[1] }
        for t in 1..<Swift.max(inputLength, 1) {
            let prev = alphaRow(t &- 1), out = alphaRow(t)
            let l = lo(t), h = hi(t)
            (out - 2).update(repeating: floorLog, count: w.width)
            guard l <= h else { continue }
            gather(t, l, h)
            // α_{t-1}(s) with α_{t-1}(s-1), then with α_{t-1}(s-2) at the skip states.
            pairLogAddExp(prev + l, prev + (l &- 1), w.p + l, w.d, h &- l &+ 1)
            addSkips(l, h, target: { $0 }, source: { prev[$0 &- 2] })
            for s in l..<(h &+ 1) { out[s] = w.p[s] + w.lpe[s] }
        }
        let last = alphaRow(inputLength &- 1)
        let end = last[states &- 1], before = last[states &- 2]  // [-1] is the floor for S' = 1
        let top = Swift.max(end, before)
        let logp = top + Double.log(Double.exp(end - top) + Double.exp(before - top))
        return logp <= floorLog / 2 ? -.infinity : logp
    }

    /// The gradient rows t < inputLength of this sample, -scale·γ_t, from α (forward's) and β.
    func backward(logp: Double, scale: Double, into g: UnsafeMutablePointer<T>) {
        var beta = w.beta, next = w.next
        for t in stride(from: inputLength &- 1, through: 0, by: -1) {
            let l = lo(t), h = hi(t)
            beta.update(repeating: floorLog, count: w.width)
            let out = g + (t &* sh.n &+ b) &* sh.c
            guard l <= h else {  // unreachable when log p is finite: an empty window empties every path
                out.update(repeating: 0, count: sh.c)
                swap(&beta, &next)
                continue
            }
            gather(t, l, h)
            if t == inputLength &- 1 {
                for s in l..<(h &+ 1) { beta[s] = w.lpe[s] }  // the window is the last two states
            } else {
                // β_{t+1}(s) with β_{t+1}(s+1), then with β_{t+1}(s+2) where the skip into s+2 is allowed.
                pairLogAddExp(next + l, next + (l &+ 1), w.p + l, w.d, h &- l &+ 1)
                let from = next
                addSkips(l, h, target: { $0 &- 2 }, source: { from[$0] })
                for s in l..<(h &+ 1) { beta[s] = w.p[s] + w.lpe[s] }
            }
            // γ_t(s) = exp(α + β - lp - log p), gathered by class into the row.
            let a = alphaRow(t), e = w.d, row = w.row
            for s in l..<(h &+ 1) { e[s] = a[s] + beta[s] - w.lpe[s] - logp }
            BlockMath.exp(e + l, e + l, h &- l &+ 1)
            row.update(repeating: 0, count: sh.c)
            for s in l..<(h &+ 1) { row[w.ext[s]] += e[s] }
            for k in 0..<sh.c { out[k] = T(-scale * row[k]) }
            swap(&beta, &next)
        }
    }
}

extension Sequences {
    /// `ctc_loss`: log_probs (t, n, c) row-major, the labels already read and checked; the
    /// gradient w.r.t. log_probs (`o.gradient`): -γ, the true partial derivative (PyTorch's
    /// kernel returns exp(lp) - γ instead, the same after log_softmax's backward). Allocates the
    /// per-sample losses and, per task (at most the thread count), α of t × (2·maxTarget + 1).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func ctcLoss<T: LossFloat>(
        logProbs: UnsafeBufferPointer<T>, labels: borrowing CTCLabels, shape sh: CTCShape,
        parameters p: CTCParameters, into o: LossOutputs<T>
    ) throws(LossError) {
        let n = sh.n, states = 2 &* labels.maxTarget &+ 1
        let (cells, o1) = Swift.max(n, 1).multipliedReportingOverflow(by: Swift.max(sh.t, 1) &* states)
        let parallel = !o1 && cells >= 1 << 14 && n > 1
        let tasks = Swift.max(1, Swift.min(n, parallel ? workerCount() : 1))
        let (perTask, o2) = (sh.t &+ 8).multipliedReportingOverflow(by: states &+ 2)
        let (perTaskAll, o3) = perTask.addingReportingOverflow(sh.c)
        let (doubles, o4) = tasks.multipliedReportingOverflow(by: perTaskAll)
        guard !o2, !o3, !o4 else { throw LossError(.outOfMemory, "the scratch of \(tasks) tasks is too large") }
        // Every allocation first: a call that cannot have its scratch fails before it writes.
        let losses = try Scratch<Double>(count: n)
        let work = try Scratch<Double>(count: doubles)
        let ints = try Scratch<Int>(count: tasks &* 3 &* states)

        let denominatorN = o.reduction == .mean ? Double(n) : 1
        let gradient = o.gradient, lp = logProbs.baseAddress!, loss = losses.base
        let workBase = work.base, intBase = ints.base
        // The labels' own memory, read by every task (the closure cannot capture a borrow).
        let lengths = labels.lengths.base, labelBase = labels.labels.base
        forEachChunk(tasks, parallel: parallel) { task in
            let w = CTCWork(workBase + task &* perTaskAll, intBase + task &* 3 &* states, t: sh.t, states: states)
            for b in (task &* n / tasks)..<((task &+ 1) &* n / tasks) {
                let input = lengths[b], length = lengths[n &+ b], own = labelBase + lengths[2 &* n &+ b]
                let sampleStates = 2 &* length &+ 1
                var skipCount = 0
                for s in 0..<sampleStates {
                    w.ext[s] = s & 1 == 0 ? p.blank : own[s >> 1]
                    if s & 1 == 1, s >= 3, own[s >> 1] != own[(s >> 1) &- 1] {
                        w.skips[skipCount] = s
                        skipCount &+= 1
                    }
                }
                let sample = CTCSample(lp: lp, sh: sh, w: w, b: b, inputLength: input, states: sampleStates,
                                       skipCount: skipCount)
                // No frames: the empty target has probability 1, any other 0.
                let logp = input == 0 ? (length == 0 ? 0 : -.infinity) : sample.forward()
                let infinite = logp == -.infinity
                let zeroed = infinite && p.zeroInfinity
                loss[b] = zeroed ? 0 : -logp
                guard let g = gradient?.baseAddress else { continue }
                // Rows t ≥ T of the sample get 0; so does every row of a zeroed infinite loss.
                for t in (zeroed ? 0 : input)..<sh.t { (g + (t &* n &+ b) &* sh.c).update(repeating: 0, count: sh.c) }
                guard !zeroed, input > 0 else { continue }
                if infinite {
                    // As PyTorch: exp(-inf - (-inf)) is NaN in every class of the rows t < T.
                    for t in 0..<input { (g + (t &* n &+ b) &* sh.c).update(repeating: .nan, count: sh.c) }
                    continue
                }
                let divisor = o.reduction == .mean ? Double(Swift.max(length, 1)) * denominatorN : 1
                sample.backward(logp: logp, scale: Double(o.upstream(b)) / divisor, into: g)
            }
        }
        switch o.reduction {
        case .none: for b in 0..<n { o.out[b] = T(loss[b]) }
        case .sum: o.out[0] = T(orderedRowTotal(loss, count: n))
        case .mean:
            // PyTorch: each loss divided by its target length clamped to ≥ 1, then the batch mean.
            for b in 0..<n { loss[b] /= Double(Swift.max(lengths[n &+ b], 1)) }
            o.out[0] = T(orderedRowTotal(loss, count: n) / Double(n))
        }
    }
}
