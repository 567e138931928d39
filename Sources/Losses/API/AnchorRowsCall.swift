/// The losses of an anchor row and the rows compared with it (`triplet_margin_loss`,
/// `triplet_margin_with_distance_loss`, `quadruplet_loss`) over borrowed buffers: every input row-major with rows of `width`, one
/// value per row, one gradient per input, each shaped like the anchor.
struct AnchorRowsCall<T: LossFloat>: BufferCall {
    enum Loss {
        case triplet(margin: Double, p: Double, eps: Double, swap: Bool)
        case quadruplet(margin1: Double, margin2: Double)
        case tripletWithDistance(distance: TripletDistanceFunction, margin: Double, swap: Bool)
    }

    let loss: Loss
    let anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative: UnsafeBufferPointer<T>
    /// The quadruplet's second negative; nil for the triplet.
    let negative2: UnsafeBufferPointer<T>?
    /// `rows` is needed only when `width` is 0 (rows of no values).
    let width: Int, rows: Int?

    var name: StaticString {
        switch loss {
        case .triplet: "triplet_margin_loss"
        case .quadruplet: "quadruplet_loss"
        case .tripletWithDistance: "triplet_margin_with_distance_loss"
        }
    }

    /// The in-place forms' gradient arguments, each counted as the anchor.
    var names: GradientNames {
        switch loss {
        case .triplet, .tripletWithDistance:
            GradientNames(first: "gradientAnchor", firstInput: "anchor", second: "gradientPositive", secondInput: "anchor",
                          third: "gradientNegative", thirdInput: "anchor")
        case .quadruplet:
            GradientNames(first: "gradientAnchor", firstInput: "anchor", second: "gradientPositive", secondInput: "anchor",
                          third: "gradientNegative1", thirdInput: "anchor", fourth: "gradientNegative2",
                          fourthInput: "anchor")
        }
    }

    private var negativeName: StaticString {
        if case .quadruplet = loss { return "negative1" }
        return "negative"
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        switch loss {
        case let .triplet(margin, p, eps, _):
            try MetricLearningParameters.checkTripletMargin(margin)
            try DistanceParameters.checkDistance(p: p, eps: eps)
        case let .quadruplet(margin1, margin2):
            try MetricLearningParameters.checkQuadrupletMargins(margin1, margin2)
        case let .tripletWithDistance(_, margin, _):
            try MetricLearningParameters.checkTripletMargin(margin)
        }
        guard width >= 0 else { throw LossError(.invalidSize, "width must be >= 0, got \(width)") }
        try requireCount("positive", positive.count, anchor.count, "anchor")
        try requireCount(negativeName, negative.count, anchor.count, "anchor")
        if let negative2 { try requireCount("negative2", negative2.count, anchor.count, "anchor") }
        let n = try rowCount()
        let isQuadruplet = negative2 != nil
        return CallShape(samples: n, elements: anchor.count, secondElements: anchor.count, thirdElements: anchor.count,
                         fourthElements: isQuadruplet ? anchor.count : nil)
    }

    private func rowCount() throws(LossError) -> Int {
        let a = anchor.count
        guard width > 0 || a == 0 else { throw LossError(.shapeMismatch, "width 0 with non-empty rows") }
        guard width == 0 || a % width == 0 else {
            throw LossError(.shapeMismatch, "anchor has \(a) values: not whole rows of \(width)")
        }
        let n = width == 0 ? rows ?? 0 : a / width
        if let rows, rows != n { throw LossError(.shapeMismatch, "anchor has \(n) rows of \(width), rows is \(rows)") }
        return n
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let n = try rowCount()
        switch loss {
        case let .triplet(margin, p, eps, swap):
            try MetricLearning.tripletMarginLoss(anchor: anchor, positive: positive, negative: negative, rows: n,
                                                 width: width, margin: margin, p: p, eps: eps, swap: swap, into: o)
        case let .quadruplet(margin1, margin2):
            MetricLearning.quadrupletLoss(anchor: anchor, positive: positive, negative1: negative, negative2: negative2!,
                                          rows: n, width: width, margin1: margin1, margin2: margin2, into: o)
        case let .tripletWithDistance(distance, margin, swap):
            try MetricLearning.tripletMarginWithDistanceLoss(anchor: anchor, positive: positive, negative: negative,
                                                             rows: n, width: width, distance: distance, margin: margin,
                                                             swap: swap, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, anchor) { return "anchor" }
        if overlaps(region, positive) { return "positive" }
        if overlaps(region, negative) { return negativeName }
        if overlaps(region, negative2) { return "negative2" }
        return nil
    }
}

/// Opens the storage of an anchor-rows loss and hands `body` the call over it.
func anchorRows<T: LossFloat, R>(
    _ loss: AnchorRowsCall<T>.Loss, _ anchor: some ContiguousStorage<T>, _ positive: some ContiguousStorage<T>,
    _ negative: some ContiguousStorage<T>, _ negative2: (any ContiguousStorage<T>)? = nil, width: Int, rows: Int?,
    _ body: (AnchorRowsCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try anchor.withUnsafeBufferPointer { (a) throws(LossError) in
        try positive.withUnsafeBufferPointer { (p) throws(LossError) in
            try negative.withUnsafeBufferPointer { (n1) throws(LossError) in
                try negative2.withBuffer { (n2) throws(LossError) in
                    try body(AnchorRowsCall(loss: loss, anchor: a, positive: p, negative: n1, negative2: n2, width: width,
                                            rows: rows))
                }
            }
        }
    }
}
