// R-precision: per query, the share of its R relevant candidates found among its top R by
// score, ties ranked by candidate index (a strict order, so the top R is one set).

extension Metrics {
    /// Refuses relevance other than 0 and 1, reading every entry once before anything is computed.
    package static func checkRelevance(_ relevance: UnsafeBufferPointer<Int64>) throws(LossError) {
        for i in 0..<relevance.count {
            let r = relevance[i]
            guard r == 0 || r == 1 else {
                throw LossError(.labelOutOfRange, "relevance[\(i)] must be 0 or 1, got \(r)")
            }
        }
    }

    /// Whether candidate i (score a) ranks before candidate j (score b): the higher score first,
    /// equal scores in index order, a NaN after every number (as a stable argsort of -scores).
    @inline(__always) static func ranksBefore(_ a: Double, _ i: Int, _ b: Double, _ j: Int) -> Bool {
        if a.isNaN { return b.isNaN && i < j }
        if b.isNaN { return true }
        return a > b || (a == b && i < j)
    }

    /// Per query (row of k candidates) the R-precision, NaN for a query with no relevant
    /// candidate; `relevance` already checked. The row's scores are read once into `keys` (in
    /// double) and its candidates sorted in `order` (k indices each).
    @inline(__always)
    static func rPrecisionRow<T: LossFloat>(
        _ scores: UnsafeBufferPointer<T>, _ relevance: UnsafeBufferPointer<Int64>, row q: Int, candidates k: Int,
        keys: UnsafeMutablePointer<Double>, order: UnsafeMutableBufferPointer<Int>
    ) -> Double {
        let base = q &* k
        var r = 0
        for j in 0..<k where relevance[base &+ j] == 1 { r &+= 1 }
        guard r > 0 else { return .nan }
        if r == k { return 1 }  // every candidate is in the top k
        for j in 0..<k {
            keys[j] = Double(scores[base &+ j])
            order[j] = j
        }
        var order = order
        order.sort { ranksBefore(keys[$0], $0, keys[$1], $1) }
        var hits = 0
        for t in 0..<r where relevance[base &+ order[t]] == 1 { hits &+= 1 }
        return Double(hits) / Double(r)
    }

    /// R-precision of n queries over k candidates each, `scores` and `relevance` n × k row-major,
    /// reduced into `out` (n values for `.none`, else one): the mean and the sum run over the
    /// queries with at least one relevant candidate (the mean of none is NaN, the sum 0).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func rPrecision<T: LossFloat>(
        _ scores: UnsafeBufferPointer<T>, _ relevance: UnsafeBufferPointer<Int64>, rows n: Int, candidates k: Int,
        reduction: Reduction, into out: UnsafeMutableBufferPointer<T>
    ) throws(LossError) {
        try checkRelevance(relevance)
        let values = try Scratch<Double>(count: n)
        let order = try Scratch<Int>(count: k), keys = try Scratch<Double>(count: k)
        let indices = UnsafeMutableBufferPointer(start: order.base, count: k)
        var total = CompensatedSum(), counted = 0
        for q in 0..<n {
            let v = rPrecisionRow(scores, relevance, row: q, candidates: k, keys: keys.base, order: indices)
            values.base[q] = v
            if !v.isNaN { total.add(v); counted &+= 1 }
        }
        switch reduction {
        case .none: for q in 0..<n { out[q] = T(values.base[q]) }
        case .sum: out[0] = T(total.value)
        case .mean: out[0] = T(counted == 0 ? .nan : total.value / Double(counted))
        }
    }
}

extension Metrics {
    /// AttnGAN's R-precision of n images against k candidate captions each, the true one first:
    /// per image 1 when caption 0 ranks first by cosine similarity (in double, the library's
    /// `cosine_similarity` kernel with its per-norm `eps` clamp; ties in index order, so a tie with
    /// caption 0 is a hit; a NaN similarity after every number), else 0; reduced into `out`
    /// (n values for `.none`, else one: the mean of no image is NaN, the sum 0).
    package static func rPrecisionEmbeddings<T: LossFloat>(
        image: UnsafeBufferPointer<T>, text: UnsafeBufferPointer<T>, rows n: Int, candidates k: Int, width d: Int,
        eps: Double, reduction: Reduction, into out: UnsafeMutableBufferPointer<T>
    ) throws(LossError) {
        try DistanceParameters.checkCosine(eps: eps)
        let cosine = CosineSimilarityKernel(x1: image, x2: text, d: d, eps: eps)
        let values = try Scratch<Double>(count: n)
        var total = CompensatedSum()
        for i in 0..<n {
            let a = cosine.firstRow(i)
            func similarity(_ j: Int) -> Double {
                let row = i &* k &+ j
                return cosine.value(i, row, a, cosine.secondRow(row))
            }
            // Candidate 0 ranks first unless a later one ranks before it (k = 0: no candidate, a miss).
            var hit = k > 0
            if k > 1 {
                let first = similarity(0)
                for j in 1..<k where ranksBefore(similarity(j), j, first, 0) { hit = false; break }
            }
            values.base[i] = hit ? 1 : 0
            total.add(values.base[i])
        }
        switch reduction {
        case .none: for i in 0..<n { out[i] = T(values.base[i]) }
        case .sum: out[0] = T(total.value)
        case .mean: out[0] = T(n == 0 ? .nan : total.value / Double(n))
        }
    }
}
