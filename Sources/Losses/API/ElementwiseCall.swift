/// Every loss of one value per element: an input, a target of its length and an optional weight
/// of its length, over borrowed buffers.
///
/// One type for all of them, with the loss as a case, so that the specialised `check` and `run`
/// are written once. Checks come in the order the C exports make them, so that an argument list
/// with two faults reports the same one in every language.
struct ElementwiseCall<T: LossFloat>: BufferCall {
    enum Loss {
        case mse, l1, logCosh, softMargin, logistic
        case huber(delta: Double)
        case smoothL1(beta: Double)
        case binaryCrossEntropy
        /// `posWeight` as the caller gave it: opened where it is read.
        case binaryCrossEntropyWithLogits(posWeight: (any ContiguousStorage<T>)?)
        case sigmoidFocal(alpha: Double, gamma: Double)
        case hinge(margin: Double, squared: Bool)
        case hingeEmbedding(margin: Double)
        case poissonNLL(logInput: Bool, full: Bool, eps: Double)
        case sparsemax
    }

    let loss: Loss
    let input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?

    var name: StaticString {
        switch loss {
        case .mse: "mse_loss"
        case .l1: "l1_loss"
        case .logCosh: "log_cosh_loss"
        case .softMargin: "soft_margin_loss"
        case .logistic: "logistic_loss"
        case .huber: "huber_loss"
        case .smoothL1: "smooth_l1_loss"
        case .binaryCrossEntropy: "binary_cross_entropy"
        case .binaryCrossEntropyWithLogits: "binary_cross_entropy_with_logits"
        case .sigmoidFocal: "sigmoid_focal_loss"
        case .hinge: "hinge_loss"
        case .hingeEmbedding: "hinge_embedding_loss"
        case .poissonNLL: "poisson_nll_loss"
        case .sparsemax: "sparsemax_loss"
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        switch loss {
        case .huber(let delta): try RegressionParameters.checkDelta(delta)
        case .smoothL1(let beta): try RegressionParameters.checkBeta(beta)
        case .sigmoidFocal(let alpha, let gamma):
            try BinaryParameters.checkFocalAlpha(alpha)
            try BinaryParameters.checkGamma(gamma)
        case .hinge(let margin, _), .hingeEmbedding(let margin): try BinaryParameters.checkMargin(margin)
        case .poissonNLL(_, _, let eps): try LikelihoodParameters.checkPoissonEps(eps)
        default: break
        }
        try requireCount("target", target.count, input.count, "input")
        if let weight { try requireCount("weight", weight.count, input.count, "input") }
        switch loss {
        case .binaryCrossEntropy: try BinaryParameters.checkProbabilities(input)
        case .binaryCrossEntropyWithLogits(let posWeight?): try BinaryParameters.checkRepeats(posWeight.count, input.count)
        default: break
        }
        return CallShape(samples: input.count, elements: input.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        let (x, y, w) = (input, target, weight)
        switch loss {
        case .mse: Regression.mseLoss(input: x, target: y, weight: w, into: o)
        case .l1: Regression.l1Loss(input: x, target: y, weight: w, into: o)
        case .logCosh: Regression.logCoshLoss(input: x, target: y, into: o)
        case .softMargin, .logistic: Binary.softMarginLoss(input: x, target: y, into: o)
        case .huber(let delta): Regression.huberLoss(input: x, target: y, weight: w, delta: delta, into: o)
        case .smoothL1(let beta): Regression.smoothL1Loss(input: x, target: y, beta: beta, into: o)
        case .binaryCrossEntropy: Binary.binaryCrossEntropy(input: x, target: y, weight: w, into: o)
        case .binaryCrossEntropyWithLogits(let posWeight):
            posWeight.withBuffer { Binary.binaryCrossEntropyWithLogits(input: x, target: y, weight: w, posWeight: $0, into: o) }
        case .sigmoidFocal(let alpha, let gamma):
            Binary.sigmoidFocalLoss(input: x, target: y, alpha: alpha, gamma: gamma, into: o)
        case .hinge(let margin, let squared): Binary.hingeLoss(input: x, target: y, margin: margin, squared: squared, into: o)
        case .hingeEmbedding(let margin): Binary.hingeEmbeddingLoss(input: x, target: y, margin: margin, into: o)
        case .poissonNLL(let logInput, let full, let eps):
            Likelihood.poissonNLLLoss(input: x, target: y, logInput: logInput, full: full, eps: eps, into: o)
        case .sparsemax: Binary.sparsemaxLoss(input: x, target: y, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, target) { return "target" }
        if overlaps(region, weight) { return "weight" }
        if case .binaryCrossEntropyWithLogits(let posWeight) = loss, posWeight.withBuffer({ overlaps(region, $0) }) {
            return "posWeight"
        }
        return nil
    }
}

/// Opens the storage of an elementwise loss and hands `body` the call over it.
func elementwise<T: LossFloat, R>(
    _ loss: ElementwiseCall<T>.Loss, _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>,
    _ weight: (any ContiguousStorage<T>)?, _ body: (ElementwiseCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (y) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(ElementwiseCall(loss: loss, input: x, target: y, weight: w))
            }
        }
    }
}
