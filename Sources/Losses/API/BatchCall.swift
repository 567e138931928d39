/// The losses over a whole labelled batch (`batch_hard_triplet_loss`, `circle_loss_embeddings`,
/// `ntxent_loss`: embeddings of `width` values per row; `batch_hard_quadruplet_loss`: an n × n
/// distance matrix) over borrowed buffers. One label per row, `Int64` (other integer types are
/// converted once, `withLabels`); `ntxent_loss` has none.
struct BatchCall<T: LossFloat>: BufferCall {
    enum Loss {
        case batchHardTriplet(margin: Double, squared: Bool, soft: Bool)
        case batchHardQuadruplet(margin1: Double, margin2: Double)
        case circle(m: Double, gamma: Double)
        case ntxent(temperature: Double)

        var name: StaticString {
            switch self {
            case .batchHardTriplet: "batch_hard_triplet_loss"
            case .batchHardQuadruplet: "batch_hard_quadruplet_loss"
            case .circle: "circle_loss_embeddings"
            case .ntxent: "ntxent_loss"
            }
        }

        /// The first input's name in the errors.
        var inputName: StaticString {
            if case .batchHardQuadruplet = self { return "dist" }
            return "embeddings"
        }
    }

    let loss: Loss
    let input: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>?
    /// Values per row of embeddings; `rows` is needed only for ntxent_loss with a width of 0.
    let width: Int, rows: Int?

    var name: StaticString { loss.name }

    private func rowCount() throws(LossError) -> Int {
        if let labels {
            if case .batchHardQuadruplet = loss {
                let (square, overflow) = labels.count.multipliedReportingOverflow(by: labels.count)
                guard !overflow else { throw LossError(.invalidSize, "\(labels.count) labels: n × n overflows") }
                try requireCount("dist", input.count, square, "labels × labels")
                return labels.count
            }
            let (elements, overflow) = labels.count.multipliedReportingOverflow(by: width)
            guard !overflow else { throw LossError(.invalidSize, "\(labels.count) rows of \(width) overflow") }
            try requireCount("embeddings", input.count, elements, "labels × width")
            return labels.count
        }
        guard width > 0 || input.isEmpty else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
        guard width == 0 || input.count % width == 0 else {
            throw LossError(.shapeMismatch, "embeddings has \(input.count) values: not whole rows of \(width)")
        }
        let n = width == 0 ? rows ?? 0 : input.count / width
        if let rows, rows != n { throw LossError(.shapeMismatch, "embeddings has \(n) rows of \(width), rows is \(rows)") }
        return n
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        let n = try rowCount()
        guard !n.multipliedReportingOverflow(by: n).overflow else { throw LossError(.invalidSize, "n × n overflows") }
        switch loss {
        case .batchHardTriplet(let margin, _, _): try MetricLearningParameters.checkMargin(margin)
        case .batchHardQuadruplet(let margin1, let margin2):
            try MetricLearningParameters.checkMargin(margin1, "margin1")
            try MetricLearningParameters.checkMargin(margin2, "margin2")
        case .circle(let m, let gamma): try MetricLearningParameters.checkCircle(m: m, gamma: gamma)
        case .ntxent(let temperature): try MetricLearningParameters.checkNTXent(rows: n, temperature: temperature)
        }
        return CallShape(samples: n, elements: input.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let n = o.reduction == .none ? o.out.count : (try? rowCount()) ?? 0
        let y = labels ?? UnsafeBufferPointer(start: nil, count: 0)
        switch loss {
        case .batchHardTriplet(let margin, let squared, let soft):
            try MetricLearning.batchHardTripletLoss(embeddings: input, labels: y, rows: n, width: width, margin: margin,
                                                    squared: squared, soft: soft, into: o)
        case .batchHardQuadruplet(let margin1, let margin2):
            try MetricLearning.batchHardQuadrupletLoss(dist: input, labels: y, rows: n, margin1: margin1,
                                                       margin2: margin2, into: o)
        case .circle(let m, let gamma):
            try MetricLearning.circleLossEmbeddings(embeddings: input, labels: y, rows: n, width: width, m: m,
                                                    gamma: gamma, into: o)
        case .ntxent(let temperature):
            try MetricLearning.ntxentLoss(embeddings: input, rows: n, width: width, temperature: temperature, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return loss.inputName }
        if let labels, overlaps(region, labels) { return "labels" }
        return nil
    }
}

/// Opens the storage of a batch loss and hands `body` the call over it.
func batch<T: LossFloat, Labels: Collection, R>(
    _ loss: BatchCall<T>.Loss, _ input: some ContiguousStorage<T>, _ labels: Labels?, width: Int, rows: Int? = nil,
    _ body: (BatchCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    guard let labels else {
        return try input.withUnsafeBufferPointer { (x) throws(LossError) in
            try body(BatchCall(loss: loss, input: x, labels: nil, width: width, rows: rows))
        }
    }
    return try withLabels(labels, loss: loss.name) { (y) throws(LossError) in
        try input.withUnsafeBufferPointer { (x) throws(LossError) in
            try body(BatchCall(loss: loss, input: x, labels: y, width: width, rows: rows))
        }
    }
}
