// The ranking losses of metric learning (docs/metric_learning.md): elementwise in (input1,
// input2, target), on the elementwise driver, with a gradient for each input.

@usableFromInline package enum RankingKernels {
    /// `max(0, -y·(x1 - x2) + margin)`; derivative w.r.t. x1 `-y` where the hinge is active, 0
    /// elsewhere and at the kink (PyTorch's `clamp_min`); a NaN argument gives a NaN value and 0.
    @inlinable @inline(__always)
    package static func marginRanking<T: LossFloat>(_ x1: T, _ x2: T, _ y: T, margin: T) -> (value: T, derivative: T) {
        let z = -y * (x1 - x2) + margin
        return (positivePart(z), z > 0 ? -y : 0)
    }
}

/// Element i of `margin_ranking_loss`, its derivative taken w.r.t. input1.
@usableFromInline
struct MarginRankingKernel<T: LossFloat>: PointwiseKernel {
    @usableFromInline let x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>
    @usableFromInline let margin: T

    @inlinable init(_ x1: UnsafeBufferPointer<T>, _ x2: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, _ margin: Double) {
        (self.x1, self.x2, self.y, self.margin) = (x1, x2, y, T(margin))
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> (value: T, derivative: T) {
        RankingKernels.marginRanking(x1[i], x2[i], y[i], margin: margin)
    }
}

/// The metric-learning losses over validated buffers.
@usableFromInline package enum MetricLearning {
    /// `margin_ranking_loss` of input1, input2 and target, all of one count. The gradient w.r.t.
    /// input2 is the exact negative of input1's: it is computed as input1's (into whichever of
    /// the two buffers is given first) and negated.
    @inlinable
    package static func marginRankingLoss<T: LossFloat>(
        input1: UnsafeBufferPointer<T>, input2: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>,
        margin: Double, into o: LossOutputs<T>
    ) {
        let kernel = MarginRankingKernel(input1, input2, target, margin)
        let first = o.gradients.first, second = o.gradients.second
        var driven = o
        driven.gradients = Gradients(first ?? second)
        reduceElementwise(count: input1.count, weight: nil, into: driven, kernel)
        guard let second else { return }
        if let first {
            for i in 0..<first.count { second[i] = -first[i] }
        } else {
            for i in 0..<second.count { second[i] = -second[i] }
        }
    }
}

/// Parameter checks shared by the Swift API and the C exports.
@usableFromInline package enum MetricLearningParameters {
    package static func checkMargin(_ margin: Double, _ name: StaticString = "margin") throws(LossError) {
        guard margin.isFinite else { throw LossError(.invalidArgument, "\(name) must be finite, got \(margin)") }
    }

    /// circle loss: m finite, gamma finite and > 0.
    package static func checkCircle(m: Double, gamma: Double) throws(LossError) {
        guard m.isFinite else { throw LossError(.invalidArgument, "m must be finite, got \(m)") }
        guard gamma.isFinite, gamma > 0 else {
            throw LossError(.invalidArgument, "gamma must be finite and > 0, got \(gamma)")
        }
    }

    /// NT-Xent: an even number of rows (two views of each example), temperature finite and > 0.
    package static func checkNTXent(rows n: Int, temperature: Double) throws(LossError) {
        guard n % 2 == 0 else {
            throw LossError(.shapeMismatch, "n must be even (rows i and i + n/2 are the two views of one example), got \(n)")
        }
        guard temperature.isFinite, temperature > 0 else {
            throw LossError(.invalidArgument, "temperature must be finite and > 0, got \(temperature)")
        }
    }
}
