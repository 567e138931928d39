/// The losses of two rows and a target per pair (`cosine_embedding_loss`, `contrastive_loss`) over
/// borrowed buffers: rows of `width` in x1 and x2, one target per row, a gradient for each input.
struct RowPairTargetCall<T: LossFloat>: BufferCall {
    enum Loss { case cosineEmbedding, contrastive }

    let loss: Loss
    let x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>
    let width: Int, margin: Double

    var name: StaticString {
        switch loss {
        case .cosineEmbedding: "cosine_embedding_loss"
        case .contrastive: "contrastive_loss"
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try MetricLearningParameters.checkMargin(margin)
        let n = try rows()
        try requireCount("x2", x2.count, x1.count, "x1")
        try requireCount("target", target.count, n, "the rows of x1")
        return CallShape(samples: n, elements: x1.count, secondElements: x2.count)
    }

    private func rows() throws(LossError) -> Int {
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        guard width > 0 else {
            guard x1.isEmpty else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
            return target.count  // rows of no values: one per target
        }
        guard x1.count % width == 0 else {
            throw LossError(.shapeMismatch, "x1 has \(x1.count) values: not whole rows of \(width)")
        }
        return x1.count / width
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let n = try rows()
        switch loss {
        case .cosineEmbedding:
            MetricLearning.cosineEmbeddingLoss(x1: x1, x2: x2, target: target, rows: n, width: width, margin: margin, into: o)
        case .contrastive:
            MetricLearning.contrastiveLoss(x1: x1, x2: x2, target: target, rows: n, width: width, margin: margin, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x1) { return "x1" }
        if overlaps(region, x2) { return "x2" }
        if overlaps(region, target) { return "target" }
        return nil
    }
}

/// Opens the storage of a loss of row pairs with targets and hands `body` the call over it.
func rowPairsWithTarget<T: LossFloat, R>(
    _ loss: RowPairTargetCall<T>.Loss,
    _ x1: some ContiguousStorage<T>, _ x2: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    width: Int, margin: Double, _ body: (RowPairTargetCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x1.withUnsafeBufferPointer { (a) throws(LossError) in
        try x2.withUnsafeBufferPointer { (b) throws(LossError) in
            try target.withUnsafeBufferPointer { (y) throws(LossError) in
                try body(RowPairTargetCall(loss: loss, x1: a, x2: b, target: y, width: width, margin: margin))
            }
        }
    }
}
