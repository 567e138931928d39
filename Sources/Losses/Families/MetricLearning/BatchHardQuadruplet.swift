// Batch-hard quadruplet loss (Chen et al. 2017, "Beyond triplet loss"), mined over a given
// distance matrix: per anchor, its farthest positive, its closest negative, and the closest pair
// of two other classes, neither the anchor's. The seeds' TensorFlow code builds that last mask as
// `negative AND (same XOR eye)`, which is always empty; here it is the pairs (k, l) with
// labels[k] != labels[l] and both different from the anchor's.

/// The closest pair (k, l), k != l, of different labels, neither equal to `excluded` (nil: any
/// labels): the first in row-major order on ties, the first NaN if any. (-1, -1) for none.
func closestOtherPair(_ dist: UnsafePointer<Double>, _ y: UnsafePointer<Int64>, _ n: Int, excluding excluded: Int64?)
    -> (Int, Int) {
    var best = (-1, -1), value = Double.infinity
    for k in 0..<n where y[k] != excluded {
        for l in 0..<n where l != k && y[l] != y[k] && y[l] != excluded {
            let v = dist[k &* n &+ l]
            if best.0 < 0 || takes(v, over: value, largest: false) { (best, value) = ((k, l), v) }
        }
    }
    return best
}

extension MetricLearning {
    /// `batch_hard_quadruplet_loss` of an n × n distance matrix and n labels; the gradient is
    /// `o.gradient` (n × n, with respect to the distances).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func batchHardQuadrupletLoss<T: LossFloat>(
        dist input: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, rows n: Int,
        margin1: Double, margin2: Double, into o: LossOutputs<T>
    ) throws(LossError) {
        let label = try Scratch<Int64>(count: n), matrix = try Scratch<Double>(count: n &* n)
        let chosen = try Scratch<(Int, Int, Int, Int)>(count: n), slopes = try Scratch<(Double, Double)>(count: n)
        let losses = try Scratch<Double>(count: n), counted = try Scratch<Bool>(count: n)
        let weights = try Scratch<Double>(count: o.gradient == nil ? 0 : n)
        let gradient = try Scratch<Double>(count: o.gradient == nil ? 0 : n &* n)
        // Read once: labels decide indices below, so they must not change under us.
        for i in 0..<n { label.base[i] = labels[i] }
        for k in 0..<(n &* n) { matrix.base[k] = Double(input[k]) }
        let y = label.base, dist = matrix.base

        // The closest pair of different labels overall, and the closest avoiding each of its
        // two labels: every anchor's pair is one of these three.
        let overall = closestOtherPair(dist, y, n, excluding: nil)
        let avoidingFirst = overall.0 < 0 ? overall : closestOtherPair(dist, y, n, excluding: y[overall.0])
        let avoidingSecond = overall.0 < 0 ? overall : closestOtherPair(dist, y, n, excluding: y[overall.1])

        let choice = chosen.base, slope = slopes.base, loss = losses.base, counts = counted.base
        for i in 0..<n {
            var p = -1, q = -1
            for j in 0..<n {
                let v = dist[i &* n &+ j]
                if y[j] == y[i] {
                    if j != i && (p < 0 || takes(v, over: dist[i &* n &+ p], largest: true)) { p = j }
                } else if q < 0 || takes(v, over: dist[i &* n &+ q], largest: false) {
                    q = j
                }
            }
            guard p >= 0, q >= 0 else {
                (loss[i], counts[i], slope[i], choice[i]) = (0, false, (0, 0), (-1, -1, -1, -1))
                continue
            }
            let pair = overall.0 < 0 ? overall
                : (y[i] == y[overall.0] ? avoidingFirst : (y[i] == y[overall.1] ? avoidingSecond : overall))
            let dap = dist[i &* n &+ p], dan = dist[i &* n &+ q]
            let z1 = dap - dan + margin1
            // Without a pair of two other classes (a batch of two classes) the second term is 0.
            let z2 = pair.0 < 0 ? -Double.infinity : dap - dist[pair.0 &* n &+ pair.1] + margin2
            loss[i] = positivePart(z1) + (pair.0 < 0 ? 0 : positivePart(z2))
            // PyTorch's clamp: slope 1 where active, 0 elsewhere, a NaN hinge included.
            let h1 = z1 > 0 ? 1.0 : 0, h2 = z2 > 0 ? 1.0 : 0
            (counts[i], slope[i], choice[i]) = (true, (h1, h2), (p, q, pair.0, pair.1))
        }
        reduceAnchors(loss, counts, count: n, into: o, weights: o.gradient == nil ? nil : weights.base)
        guard let out = o.gradient else { return }
        // Scattered in anchor order on this thread: a fixed order for any thread count.
        let g = gradient.base, w = weights.base
        for k in 0..<(n &* n) { g[k] = 0 }
        for i in 0..<n where counts[i] {
            let (h1, h2) = slope[i], (p, q, k, l) = choice[i]
            let c1 = w[i] * h1, c2 = w[i] * h2
            if c1 != 0 {
                g[i &* n &+ p] += c1
                g[i &* n &+ q] -= c1
            }
            if k >= 0 && c2 != 0 {
                g[i &* n &+ p] += c2
                g[k &* n &+ l] -= c2
            }
        }
        for k in 0..<(n &* n) { out[k] = T(g[k]) }
    }
}
