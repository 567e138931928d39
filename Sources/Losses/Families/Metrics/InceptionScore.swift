// The inception score as the improved-GAN code computes it: consecutive splits, each split's
// marginal p(y) the mean of its rows, exp of the mean KL(p(y|x) || p(y)).

import RealModule

extension Metrics {
    /// Refuses what the score cannot take: a split count outside 1 ... n, or an entry that is not
    /// finite and >= 0 (reading every entry once, before anything is computed).
    package static func checkInceptionScore<T: LossFloat>(
        _ probs: UnsafeBufferPointer<T>, rows n: Int, classes c: Int, splits: Int
    ) throws(LossError) {
        // No classes: nothing to score (and n empty rows would be a loop over nothing).
        guard c > 0 else { throw LossError(.invalidSize, "c must be > 0, got \(c)") }
        guard splits >= 1, splits <= n else {
            throw LossError(.invalidArgument, "splits must be in 1 ... n = \(n), got \(splits)")
        }
        for i in 0..<probs.count {
            let p = probs[i]
            guard p.isFinite, p >= 0 else {
                throw LossError(.invalidArgument, "probs[\(i)] must be finite and >= 0, got \(p)")
            }
        }
    }

    /// (mean, standard deviation with ddof 0) of the splits' scores, in double. `probs` is
    /// n × c row-major; split k holds rows k n / s ..< (k + 1) n / s.
    package static func inceptionScore<T: LossFloat>(
        _ probs: UnsafeBufferPointer<T>, rows n: Int, classes c: Int, splits s: Int
    ) throws(LossError) -> (mean: Double, std: Double) {
        try checkInceptionScore(probs, rows: n, classes: c, splits: s)
        let scratch = try Scratch<Double>(count: c &+ s)
        let marginal = scratch.base, scores = scratch.base + c
        for k in 0..<s {
            // k·n // s in full width: k·n may pass 2^63 though the quotient never passes n.
            func bound(_ k: Int) -> Int { s.dividingFullWidth(k.multipliedFullWidth(by: n)).quotient }
            let start = bound(k), end = bound(k &+ 1)
            let rows = Double(end &- start)
            for j in 0..<c { marginal[j] = 0 }
            for i in start..<end {
                for j in 0..<c { marginal[j] += Double(probs[i &* c &+ j]) }
            }
            for j in 0..<c { marginal[j] /= rows }
            var kl = CompensatedSum()
            for i in start..<end {
                var row = 0.0
                for j in 0..<c {
                    let p = Double(probs[i &* c &+ j])
                    if p > 0 { row += p * (Double.log(p) - Double.log(marginal[j])) }
                }
                kl.add(row)
            }
            scores[k] = Double.exp(kl.value / rows)
        }
        var total = CompensatedSum()
        for k in 0..<s { total.add(scores[k]) }
        let mean = total.value / Double(s)
        var spread = CompensatedSum()
        for k in 0..<s { spread.add((scores[k] - mean) * (scores[k] - mean)) }
        return (mean, (spread.value / Double(s)).squareRoot())
    }
}
