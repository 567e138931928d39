/// Every loss of class-index targets: (N, C, D) scores, (N, D) labels and an optional weight per
/// class, over borrowed buffers. The labels are already `Int64` (`withLabels`).
struct ClassCall<T: LossFloat>: BufferCall {
    enum Loss {
        case crossEntropy(ignoreIndex: Int64, labelSmoothing: Double)
        case nll(ignoreIndex: Int64)
        case focal(gamma: Double, alpha: [Double]?, ignoreIndex: Int64)
        /// `p` as given, narrowed to the C type only once it has passed its check.
        case multiMargin(p: Int, margin: Double)

        var name: StaticString {
            switch self {
            case .crossEntropy: "cross_entropy"
            case .nll: "nll_loss"
            case .focal: "focal_loss"
            case .multiMargin: "multi_margin_loss"
            }
        }
    }

    let loss: Loss
    let input: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, layout: ClassLayout
    let weight: UnsafeBufferPointer<T>?

    var name: StaticString { loss.name }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let ignoreIndex: Int64?
        switch loss {
        case .crossEntropy(let ignore, let labelSmoothing):
            try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
            ignoreIndex = ignore
        case .nll(let ignore): ignoreIndex = ignore
        case .focal(let gamma, let alpha, let ignore):
            try BinaryParameters.checkGamma(gamma)
            try alpha.withBuffer { (a) throws(LossError) in
                try ClassificationParameters.checkFocalAlpha(a, classes: layout.classes)
            }
            ignoreIndex = ignore
        case .multiMargin(let p, let margin):
            guard p == 1 || p == 2 else { throw LossError(.invalidArgument, "p must be 1 or 2, got \(p)") }
            try BinaryParameters.checkMargin(margin)
            ignoreIndex = nil
        }
        try ClassTargets.checkClasses(layout.classes)
        guard layout.batch >= 0, layout.inner >= 0 else { throw LossError(.invalidSize, "negative layout \(layout)") }
        let (perSample, o1) = layout.classes.multipliedReportingOverflow(by: layout.inner)
        let (elements, o2) = perSample.multipliedReportingOverflow(by: layout.batch)
        guard !o1, !o2 else { throw LossError(.invalidSize, "the layout \(layout) overflows") }
        try requireCount("input", input.count, elements, "N × C × D")
        try requireCount("target", labels.count, layout.samples, "N × D")
        if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
        try ClassTargets.check(labels, classes: layout.classes, ignoreIndex: ignoreIndex)
        return CallShape(samples: layout.samples, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        switch loss {
        case .crossEntropy(let ignoreIndex, let labelSmoothing):
            Classification.crossEntropy(input: input, target: labels, weight: weight, layout: layout,
                                        ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, into: o)
        case .nll(let ignoreIndex):
            Classification.nllLoss(input: input, target: labels, weight: weight, layout: layout,
                                   ignoreIndex: ignoreIndex, into: o)
        case .focal(let gamma, let alpha, let ignoreIndex):
            alpha.withBuffer {
                Classification.focalLoss(input: input, target: labels, alpha: $0, layout: layout, gamma: gamma,
                                         ignoreIndex: ignoreIndex, into: o)
            }
        case .multiMargin(let p, let margin):
            // p is 1 or 2 here (check).
            Classification.multiMarginLoss(input: input, target: labels, weight: weight, layout: layout,
                                           p: Int32(p), margin: margin, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, labels) { return "target" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of a class-index loss and hands `body` the call over it; labels of another
/// integer type are converted first (`withLabels`).
func classIndex<T: LossFloat, Labels: Collection, R>(
    _ loss: ClassCall<T>.Loss, _ input: some ContiguousStorage<T>, _ labels: Labels, layout: (Int) -> ClassLayout,
    _ weight: (any ContiguousStorage<T>)?, _ body: (ClassCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(labels, loss: loss.name) { (y) throws(LossError) in
        try input.withUnsafeBufferPointer { (x) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(ClassCall(loss: loss, input: x, labels: y, layout: layout(y.count), weight: w))
            }
        }
    }
}

/// A loss of probability targets shaped like the input, over borrowed buffers: `cross_entropy`
/// ((N, C, D), optional weight) or `poly_loss_cross_entropy` ((N, C) rows, no weight).
struct ProbabilitiesCall<T: LossFloat>: BufferCall {
    enum Loss {
        case crossEntropy(labelSmoothing: Double)
        case poly(epsilon: Double)
    }

    let loss: Loss
    let input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, layout: ClassLayout
    let weight: UnsafeBufferPointer<T>?

    var name: StaticString {
        switch loss {
        case .crossEntropy: "cross_entropy"
        case .poly: "poly_loss_cross_entropy"
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        switch loss {
        case .crossEntropy(let labelSmoothing): try ClassificationParameters.checkLabelSmoothing(labelSmoothing)
        case .poly(let epsilon): try ClassificationParameters.checkPolyEpsilon(epsilon)
        }
        try ClassTargets.checkClasses(layout.classes)
        guard layout.batch >= 0, layout.inner >= 0 else { throw LossError(.invalidSize, "negative layout \(layout)") }
        let (perSample, o1) = layout.classes.multipliedReportingOverflow(by: layout.inner)
        let (elements, o2) = perSample.multipliedReportingOverflow(by: layout.batch)
        guard !o1, !o2 else { throw LossError(.invalidSize, "the layout \(layout) overflows") }
        try requireCount("input", input.count, elements, "N × C × D")
        try requireCount("target", target.count, elements, "input")
        if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
        return CallShape(samples: layout.samples, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        switch loss {
        case .crossEntropy(let labelSmoothing):
            Classification.crossEntropyProbabilities(input: input, target: target, weight: weight, layout: layout,
                                                     labelSmoothing: labelSmoothing, into: o)
        case .poly(let epsilon):
            // The layout has D = 1 here (polyLabels).
            Classification.polyLossCrossEntropy(input: input, target: target, layout: layout, epsilon: epsilon, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, target) { return "target" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of `cross_entropy` with probability targets and hands `body` the call.
func probabilities<T: LossFloat, R>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, _ layout: ClassLayout,
    _ weight: (any ContiguousStorage<T>)?, _ labelSmoothing: Double, _ body: (ProbabilitiesCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(ProbabilitiesCall(loss: .crossEntropy(labelSmoothing: labelSmoothing), input: x, target: t,
                                           layout: layout, weight: w))
            }
        }
    }
}

/// Opens the storage of `poly_loss_cross_entropy` ((N, C) rows of `classes` logits and labels) and
/// hands `body` the call. A count that is not a whole number of rows throws.
func polyLabels<T: LossFloat, R>(
    _ logits: some ContiguousStorage<T>, _ labels: some ContiguousStorage<T>, classes: Int, epsilon: Double,
    _ body: (ProbabilitiesCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try namingErrors("poly_loss_cross_entropy") { () throws(LossError) in
        try ClassTargets.checkClasses(classes)
        guard logits.count % classes == 0 else {
            throw LossError(.shapeMismatch, "input has \(logits.count) values, not a whole number of rows of \(classes) classes")
        }
    }
    return try logits.withUnsafeBufferPointer { (x) throws(LossError) in
        try labels.withUnsafeBufferPointer { (t) throws(LossError) in
            try body(ProbabilitiesCall(loss: .poly(epsilon: epsilon), input: x, target: t,
                                       layout: ClassLayout(batch: x.count / classes, classes: classes), weight: nil))
        }
    }
}
