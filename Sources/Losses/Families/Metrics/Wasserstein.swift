// The 1-D Wasserstein distance, as scipy.stats.wasserstein_distance computes it (its
// `_cdf_distance` with p = 1): the CDF difference integrated over the sorted union of both
// value sets.

extension Metrics {
    /// W(u, v) = Σ_k |U(z_k) - V(z_k)| (z_{k+1} - z_k) over the sorted union z of both value
    /// sets, U and V the CDFs (running sums of the sorted weights, 1 each when `nil`, over their
    /// totals), in double. The arguments are validated (non-empty; `checkWeights`) before
    /// anything is computed. A NaN value gives NaN, as scipy's sort and differences do.
    /// Allocates 2 (n + m) pairs of scratch (`.outOfMemory` when it cannot).
    package static func wassersteinDistance<T: LossFloat>(
        u: UnsafeBufferPointer<T>, v: UnsafeBufferPointer<T>,
        uWeights: UnsafeBufferPointer<T>?, vWeights: UnsafeBufferPointer<T>?
    ) throws(LossError) -> Double {
        guard !u.isEmpty else { throw LossError(.invalidSize, "u_values is empty (a distribution needs a value)") }
        guard !v.isEmpty else { throw LossError(.invalidSize, "v_values is empty (a distribution needs a value)") }
        try checkWeights(uWeights, "u_weights")
        try checkWeights(vWeights, "v_weights")
        let n = u.count, m = v.count
        // n, m <= 2^60 each (checked by the callers), so 2 (n + m) cannot overflow.
        let scratch = try Scratch<WeightedValue>(count: 2 &* (n &+ m))
        let su = scratch.base, sv = su + n, temp = sv + m
        // Read once: the values and weights the checks saw are the ones summed (a caller changing
        // them meanwhile changes nothing here).
        var hasNaN = false
        for i in 0..<n {
            su[i] = WeightedValue(value: Double(u[i]), weight: uWeights.map { Double($0[i]) } ?? 1)
            hasNaN = hasNaN || su[i].value.isNaN
        }
        for j in 0..<m {
            sv[j] = WeightedValue(value: Double(v[j]), weight: vWeights.map { Double($0[j]) } ?? 1)
            hasNaN = hasNaN || sv[j].value.isNaN
        }
        if hasNaN { return .nan }
        sortByValue(su, temp, count: n)
        sortByValue(sv, temp, count: m)
        // The totals as scipy's: the last of the running sums of the sorted weights.
        var totalU = 0.0, totalV = 0.0
        for i in 0..<n { totalU += su[i].weight }
        for j in 0..<m { totalV += sv[j].weight }

        // Walk the merged sequence z_0 <= z_1 <= ...; at z_k the CDFs count every value <= z_k
        // (scipy's searchsorted 'right'), and the term uses the gap to the next merged value.
        var nextU = 0, nextV = 0       // the merge's positions
        var belowU = 0, belowV = 0     // the values <= the current z
        var cumulativeU = 0.0, cumulativeV = 0.0
        var sum = CompensatedSum()
        @inline(__always) func takeNext() -> Double {
            if nextU < n && (nextV >= m || su[nextU].value <= sv[nextV].value) {
                nextU &+= 1
                return su[nextU &- 1].value
            }
            nextV &+= 1
            return sv[nextV &- 1].value
        }
        var z = takeNext()
        for _ in 1..<(n &+ m) {
            let following = takeNext()
            while belowU < n && su[belowU].value <= z { cumulativeU += su[belowU].weight; belowU &+= 1 }
            while belowV < m && sv[belowV].value <= z { cumulativeV += sv[belowV].weight; belowV &+= 1 }
            sum.add(abs(cumulativeU / totalU - cumulativeV / totalV) * (following - z))
            z = following
        }
        return sum.value
    }
}
