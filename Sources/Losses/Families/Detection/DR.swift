import RealModule

// The distributional ranking loss (docs/detection.md; Qian et al. 2020), as the seed's and
// idstcv/DR_loss's `SigmoidDRLoss`: one value for a whole batch of (n, c) per-class logits,
// because both softmaxes run over every selected entry of the batch. Computed serially in one
// fixed order (row by row, class by class), in double: the same bits for any thread count.

/// The sigmoid DR loss's parameters.
@usableFromInline package struct DRParameters: Sendable {
    package var posLambda: Double, negLambda: Double, L: Double, tau: Double, margin: Double

    package init(posLambda: Double, negLambda: Double, L: Double, tau: Double, margin: Double) {
        (self.posLambda, self.negLambda, self.L, self.tau, self.margin) = (posLambda, negLambda, L, tau, margin)
    }
}

extension Detection {
    /// `sigmoid_dr_loss` of n rows of c logits and n targets (0 background, 1...c a class, -1
    /// ignored); the gradient w.r.t. the logits is `o.gradients.first`. The one value goes to
    /// `o.out[0]` for every reduction, its gradient scaled by `o.gradOutput?[0] ?? 1`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func sigmoidDRLoss<T: LossFloat>(
        logits x: UnsafeBufferPointer<T>, targets: UnsafeBufferPointer<Int64>, rows n: Int, classes c: Int,
        parameters p: DRParameters, into o: LossOutputs<T>
    ) {
        // Which entries are selected: positive where target == k + 1, negative where target >= 0
        // and target != k + 1, neither on an ignored row (target -1).
        @inline(__always) func kind(_ i: Int, _ k: Int) -> Int {  // 1 positive, -1 negative, 0 neither
            let t = targets[i]
            if t < 0 { return 0 }
            return t == Int64(k &+ 1) ? 1 : -1
        }
        // Pass 1: the largest exponent of each softmax (q / negLambda and -p / posLambda).
        var negMax = -Double.infinity, posMax = -Double.infinity, positives = 0
        for i in 0..<n {
            for k in 0..<c {
                let s = kind(i, k)
                if s == 0 { continue }
                let q = Logistic.sigmoid(Double(x[i &* c &+ k]))
                if s > 0 {
                    posMax = Swift.max(posMax, -q / p.posLambda)
                    positives &+= 1
                } else {
                    negMax = Swift.max(negMax, q / p.negLambda)
                }
            }
        }
        // Pass 2: the softmaxes' sums and their weighted sums of the probabilities.
        var negZ = CompensatedSum(), negW = CompensatedSum(), posZ = CompensatedSum(), posW = CompensatedSum()
        for i in 0..<n {
            for k in 0..<c {
                let s = kind(i, k)
                if s == 0 { continue }
                let q = Logistic.sigmoid(Double(x[i &* c &+ k]))
                if s > 0 {
                    let e = Double.exp(-q / p.posLambda - posMax)
                    posZ.add(e)
                    posW.add(e * q)
                } else {
                    let e = Double.exp(q / p.negLambda - negMax)
                    negZ.add(e)
                    negW.add(e * q)
                }
            }
        }
        // A softmax over nothing: torch.sum of an empty product, 0.
        let negDist = negZ.value > 0 ? negW.value / negZ.value : 0
        let posDist = positives > 0 ? posW.value / posZ.value : 0
        let z = p.L * (negDist - posDist + p.margin)
        o.out[0] = T(p.tau * Logistic.softplus(z) / p.L)
        guard let g = o.gradients.first else { return }
        // d loss / d negDist = tau sigmoid(z), d loss / d posDist = -tau sigmoid(z); through each
        // softmax-weighted mean: d/dq_k = w_k (1 ± (q_k - dist) / lambda); through the sigmoid:
        // sigma(x) sigma(-x).
        let upstream = Double(o.gradOutput?[0] ?? 1)
        let outer = upstream * p.tau * Logistic.sigmoid(z)
        for i in 0..<n {
            for k in 0..<c {
                let j = i &* c &+ k, s = kind(i, k)
                if s == 0 {
                    g[j] = 0
                    continue
                }
                let xj = Double(x[j]), q = Logistic.sigmoid(xj), slope = q * Logistic.sigmoid(-xj)
                if s > 0 {
                    let w = Double.exp(-q / p.posLambda - posMax) / posZ.value
                    g[j] = T(-outer * w * (1 - (q - posDist) / p.posLambda) * slope)
                } else {
                    let w = Double.exp(q / p.negLambda - negMax) / negZ.value
                    g[j] = T(outer * w * (1 + (q - negDist) / p.negLambda) * slope)
                }
            }
        }
    }
}

extension DetectionParameters {
    /// pos_lambda, neg_lambda and L finite and > 0; tau and margin finite.
    package static func checkDR(_ p: DRParameters) throws(LossError) {
        guard p.posLambda.isFinite, p.posLambda > 0 else {
            throw LossError(.invalidArgument, "pos_lambda must be finite and > 0, got \(p.posLambda)")
        }
        guard p.negLambda.isFinite, p.negLambda > 0 else {
            throw LossError(.invalidArgument, "neg_lambda must be finite and > 0, got \(p.negLambda)")
        }
        guard p.L.isFinite, p.L > 0 else { throw LossError(.invalidArgument, "L must be finite and > 0, got \(p.L)") }
        guard p.tau.isFinite else { throw LossError(.invalidArgument, "tau must be finite, got \(p.tau)") }
        guard p.margin.isFinite else { throw LossError(.invalidArgument, "margin must be finite, got \(p.margin)") }
    }

    /// DR's targets: 0 (background), 1...c (a class) or -1 (ignored), and at least one class.
    package static func checkDRTargets(_ targets: UnsafeBufferPointer<Int64>, classes c: Int) throws(LossError) {
        guard c >= 1 else { throw LossError(.invalidSize, "the class count must be >= 1, got \(c)") }
        for (i, t) in targets.enumerated() where !(t >= -1 && t <= Int64(c)) {
            throw LossError(.labelOutOfRange, "targets[\(i)] = \(t) is out of range for \(c) classes "
                            + "(0 background, 1...\(c) a class, -1 ignored)")
        }
    }
}
