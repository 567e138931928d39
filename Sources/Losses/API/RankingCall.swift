/// The ranking losses of two inputs and a target, all of one count, over borrowed buffers: a
/// value per element and a gradient for each input.
struct RankingCall<T: LossFloat>: BufferCall {
    let input1: UnsafeBufferPointer<T>, input2: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>
    let margin: Double

    var name: StaticString { "margin_ranking_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try requireCount("input2", input2.count, input1.count, "input1")
        try requireCount("target", target.count, input1.count, "input1")
        try MetricLearningParameters.checkMargin(margin)
        return CallShape(samples: input1.count, elements: input1.count, secondElements: input2.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        MetricLearning.marginRankingLoss(input1: input1, input2: input2, target: target, margin: margin, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input1) { return "input1" }
        if overlaps(region, input2) { return "input2" }
        if overlaps(region, target) { return "target" }
        return nil
    }
}

/// Opens the storage of a ranking loss and hands `body` the call over it.
func ranking<T: LossFloat, R>(
    _ input1: some ContiguousStorage<T>, _ input2: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    margin: Double, _ body: (RankingCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input1.withUnsafeBufferPointer { (a) throws(LossError) in
        try input2.withUnsafeBufferPointer { (b) throws(LossError) in
            try target.withUnsafeBufferPointer { (y) throws(LossError) in
                try body(RankingCall(input1: a, input2: b, target: y, margin: margin))
            }
        }
    }
}
