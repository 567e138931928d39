// The public forms of `sigmoid_dr_loss` (docs/detection.md): (N, C) per-class logits and N labels
// of any integer type (0 background, 1...C a class, -1 ignored); allocating, then in place. The
// loss is one value for the whole batch, whatever the reduction.

/// `sigmoid_dr_loss` over borrowed buffers.
struct DRCall<T: LossFloat>: BufferCall {
    let logits: UnsafeBufferPointer<T>, targets: UnsafeBufferPointer<Int64>
    let classes: Int, parameters: DRParameters

    var name: StaticString { "sigmoid_dr_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try DetectionParameters.checkDR(parameters)
        guard classes >= 1 else { throw LossError(.invalidSize, "the class count must be >= 1, got \(classes)") }
        let (rows, extra) = logits.count.quotientAndRemainder(dividingBy: classes)
        guard extra == 0 else {
            throw LossError(.shapeMismatch, "logits has \(logits.count) values: not whole rows of \(classes) classes")
        }
        try requireCount("targets", targets.count, rows, "one per row of logits")
        try DetectionParameters.checkDRTargets(targets, classes: classes)
        return CallShape(samples: 1, elements: logits.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Detection.sigmoidDRLoss(logits: logits, targets: targets, rows: logits.count / classes, classes: classes,
                                parameters: parameters, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, logits) { return "logits" }
        if overlaps(region, targets) { return "targets" }
        return nil
    }
}

/// Opens the storage of `sigmoid_dr_loss` and hands `body` the call over it.
func dr<T: LossFloat, Labels: Collection, R>(
    _ logits: some ContiguousStorage<T>, _ targets: Labels, classes: Int, parameters: DRParameters,
    _ body: (DRCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try logits.withUnsafeBufferPointer { (x) throws(LossError) in
        try withLabels(targets, loss: "sigmoid_dr_loss") { (t) throws(LossError) in
            try body(DRCall(logits: x, targets: t, classes: classes, parameters: parameters))
        }
    }
}

/// The distributional ranking loss (Qian et al. 2020), as `SigmoidDRLoss` of idstcv/DR_loss: over
/// every selected entry of the batch, the softmax(q/negLambda)-weighted mean of the negatives'
/// probabilities q = sigmoid(x) and the softmax(-p/posLambda)-weighted mean of the positives', compared
/// through `tau · softplus(L · (neg - pos + margin)) / L` (pos = 0 when the batch has no positive).
///
/// `logits` is (N, C) row-major with `classes` = C; `targets` N labels: 0 background, 1...C a
/// class (its logit k = label - 1 is the positive, the others negatives), -1 ignored (else
/// `.labelOutOfRange`). posLambda, negLambda and L finite and > 0; tau and margin finite. The loss is
/// one value for the whole batch (the softmaxes couple every entry): every reduction returns it
/// (`.none` as one value). The gradient is w.r.t. the logits, 0 on ignored rows.
public func sigmoidDRLoss<T: LossFloat, Labels: Collection>(
    _ logits: some ContiguousStorage<T>,
    _ targets: Labels,
    classes: Int,
    posLambda: Double = 1,
    negLambda: Double = 0.07982356001479281,  // 0.1 / ln 3.5
    L: Double = 6,
    tau: Double = 4,
    margin: Double = 0.5,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    let p = DRParameters(posLambda: posLambda, negLambda: negLambda, L: L, tau: tau, margin: margin)
    return try dr(logits, targets, classes: classes, parameters: p) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `sigmoid_dr_loss` reduced (`.mean` or `.sum`, the same value), in place: returns the loss and
/// writes its gradient w.r.t. the logits into `gradient`. `.none` throws `.invalidOption`. A call
/// that throws has written nothing.
@discardableResult
public func sigmoidDRLoss<T: LossFloat, Labels: Collection>(
    _ logits: some ContiguousStorage<T>,
    _ targets: Labels,
    classes: Int,
    posLambda: Double = 1,
    negLambda: Double = 0.07982356001479281,  // 0.1 / ln 3.5
    L: Double = 6,
    tau: Double = 4,
    margin: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    let p = DRParameters(posLambda: posLambda, negLambda: negLambda, L: L, tau: tau, margin: margin)
    return try dr(logits, targets, classes: classes, parameters: p) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `sigmoid_dr_loss` in place: writes its one value into `values`. A call that throws has written
/// nothing.
public func sigmoidDRLoss<T: LossFloat, Labels: Collection>(
    _ logits: some ContiguousStorage<T>,
    _ targets: Labels,
    classes: Int,
    posLambda: Double = 1,
    negLambda: Double = 0.07982356001479281,  // 0.1 / ln 3.5
    L: Double = 6,
    tau: Double = 4,
    margin: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    let p = DRParameters(posLambda: posLambda, negLambda: negLambda, L: L, tau: tau, margin: margin)
    try dr(logits, targets, classes: classes, parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `sigmoid_dr_loss` in place: writes its one value into `values` and its gradient w.r.t. the
/// logits into `gradient`. A call that throws has written nothing.
public func sigmoidDRLoss<T: LossFloat, Labels: Collection>(
    _ logits: some ContiguousStorage<T>,
    _ targets: Labels,
    classes: Int,
    posLambda: Double = 1,
    negLambda: Double = 0.07982356001479281,  // 0.1 / ln 3.5
    L: Double = 6,
    tau: Double = 4,
    margin: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    let p = DRParameters(posLambda: posLambda, negLambda: negLambda, L: L, tau: tau, margin: margin)
    try dr(logits, targets, classes: classes, parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
