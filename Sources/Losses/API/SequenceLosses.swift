// The public forms of the sequence losses (docs/sequences.md): CTC, allocating, then in place.
// Its one gradient is w.r.t. logProbs.

/// `ctc_loss` over borrowed buffers: log_probs (t, n, c), the targets (padded rows of s, or
/// concatenated for s = 0) and the two length vectors.
struct CTCCall<T: LossFloat>: BufferCall {
    let logProbs: UnsafeBufferPointer<T>
    let targets: UnsafeBufferPointer<Int64>, inputLengths: UnsafeBufferPointer<Int64>
    let targetLengths: UnsafeBufferPointer<Int64>
    let shape: CTCShape, parameters: CTCParameters

    var name: StaticString { "ctc_loss" }

    /// What the in-place forms' errors call the gradient and its input.
    static var names: GradientNames { GradientNames(first: "gradient", firstInput: "logProbs") }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let s = shape
        guard s.t >= 0, s.n >= 0, s.c >= 0, s.s >= 0 else {
            throw LossError(.invalidSize, "t, n, c and s must be >= 0, got (\(s.t), \(s.n), \(s.c), \(s.s))")
        }
        let (tn, o1) = s.t.multipliedReportingOverflow(by: s.n)
        let (elements, o2) = tn.multipliedReportingOverflow(by: s.c)
        guard !o1, !o2, !s.n.multipliedReportingOverflow(by: s.s).overflow else {
            throw LossError(.invalidSize, "t × n × c or n × s is too large")
        }
        try requireCount("logProbs", logProbs.count, elements, "t × n × c")
        try requireCount("inputLengths", inputLengths.count, s.n, "n")
        try requireCount("targetLengths", targetLengths.count, s.n, "n")
        try Sequences.check(parameters, classes: s.c)
        // The targets' count follows from the lengths, checked again (read once) when the call runs.
        let labels = try Sequences.CTCLabels(inputLengths: inputLengths, targetLengths: targetLengths, shape: s)
        try requireCount("targets", targets.count, labels.targetCount, s.concatenated ? "sum(targetLengths)" : "n × s")
        try labels.read(targets: targets, shape: s, blank: parameters.blank)
        return CallShape(samples: s.n, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let labels = try Sequences.CTCLabels(inputLengths: inputLengths, targetLengths: targetLengths, shape: shape)
        try labels.read(targets: targets, shape: shape, blank: parameters.blank)
        try Sequences.ctcLoss(logProbs: logProbs, labels: labels, shape: shape, parameters: parameters, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, logProbs) { return "logProbs" }
        if overlaps(region, targets) { return "targets" }
        if overlaps(region, inputLengths) { return "inputLengths" }
        if overlaps(region, targetLengths) { return "targetLengths" }
        return nil
    }
}

/// Opens the storage of `ctc_loss` and hands `body` the call over it.
func connectionist<T: LossFloat, Targets: Collection, Inputs: Collection, Lengths: Collection, R>(
    _ logProbs: some ContiguousStorage<T>, _ targets: Targets, _ inputLengths: Inputs, _ targetLengths: Lengths,
    shape: CTCShape, parameters: CTCParameters, _ body: (CTCCall<T>) throws(LossError) -> R
) throws(LossError) -> R
where Targets.Element: BinaryInteger, Inputs.Element: BinaryInteger, Lengths.Element: BinaryInteger {
    try logProbs.withUnsafeBufferPointer { (x) throws(LossError) in
        try withLabels(targets, loss: "ctc_loss") { (y) throws(LossError) in
            try withLabels(inputLengths, loss: "ctc_loss") { (il) throws(LossError) in
                try withLabels(targetLengths, loss: "ctc_loss") { (tl) throws(LossError) in
                    try body(CTCCall(logProbs: x, targets: y, inputLengths: il, targetLengths: tl, shape: shape,
                                     parameters: parameters))
                }
            }
        }
    }
}

/// Connectionist temporal classification loss, PyTorch's `F.ctc_loss`. `logProbs` is (t, n, c)
/// row-major log-probabilities (normally a log-softmax over c); `targets` holds n padded rows of
/// `shape.s` labels (sample b's first `targetLengths[b]` read), or, for `shape.s == 0`, every
/// sample's labels concatenated. `inputLengths[b]` in 0...t, `targetLengths[b]` ≥ 0 (≤ s when
/// padded), every label in 0..<c and not `blank` (`.labelOutOfRange` otherwise), `blank` in
/// 0..<c (`.invalidArgument`).
///
/// loss_b = -log Σ over the alignments of the target with the first T_b frames (blank between
/// and around the labels, repeats merged) of the product of their probabilities, in log space in
/// double. An impossible alignment gives +inf, or 0 with `zeroInfinity` (its gradient 0 too).
/// `.mean` is the batch mean of loss_b / max(L_b, 1) (PyTorch's); n = 0 gives NaN.
///
/// The gradient is the true partial derivative w.r.t. `logProbs`, -γ (the posterior probability of
/// class k at frame t), 0 in frames t ≥ T_b; PyTorch's kernel returns exp(logProbs) - γ, the same
/// after a log-softmax's backward. An infinite loss without `zeroInfinity` has NaN gradient rows
/// t < T_b, as PyTorch.
public func ctcLoss<T: LossFloat, Targets: Collection, Inputs: Collection, Lengths: Collection>(
    _ logProbs: some ContiguousStorage<T>,
    targets: Targets,
    inputLengths: Inputs,
    targetLengths: Lengths,
    shape: CTCShape,
    blank: Int = 0,
    reduction: Reduction = .mean,
    zeroInfinity: Bool = false,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T>
where Targets.Element: BinaryInteger, Inputs.Element: BinaryInteger, Lengths.Element: BinaryInteger {
    try connectionist(logProbs, targets, inputLengths, targetLengths, shape: shape,
                      parameters: CTCParameters(blank: blank, zeroInfinity: zeroInfinity)) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `ctc_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// w.r.t. logProbs into `gradient`. `.none` throws `.invalidOption`. A call that throws has
/// written nothing.
@discardableResult
public func ctcLoss<T: LossFloat, Targets: Collection, Inputs: Collection, Lengths: Collection>(
    _ logProbs: some ContiguousStorage<T>,
    targets: Targets,
    inputLengths: Inputs,
    targetLengths: Lengths,
    shape: CTCShape,
    blank: Int = 0,
    reduction: Reduction = .mean,
    zeroInfinity: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T
where Targets.Element: BinaryInteger, Inputs.Element: BinaryInteger, Lengths.Element: BinaryInteger {
    try connectionist(logProbs, targets, inputLengths, targetLengths, shape: shape,
                      parameters: CTCParameters(blank: blank, zeroInfinity: zeroInfinity)) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient, names: CTCCall<T>.names)
    }
}

/// `ctc_loss` in place: writes the values into `values` (one per sample for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func ctcLoss<T: LossFloat, Targets: Collection, Inputs: Collection, Lengths: Collection>(
    _ logProbs: some ContiguousStorage<T>,
    targets: Targets,
    inputLengths: Inputs,
    targetLengths: Lengths,
    shape: CTCShape,
    blank: Int = 0,
    reduction: Reduction = .mean,
    zeroInfinity: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError)
where Targets.Element: BinaryInteger, Inputs.Element: BinaryInteger, Lengths.Element: BinaryInteger {
    try connectionist(logProbs, targets, inputLengths, targetLengths, shape: shape,
                      parameters: CTCParameters(blank: blank, zeroInfinity: zeroInfinity)) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `ctc_loss` in place: writes the values into `values` and the gradient w.r.t. logProbs into
/// `gradient`. A call that throws has written nothing.
public func ctcLoss<T: LossFloat, Targets: Collection, Inputs: Collection, Lengths: Collection>(
    _ logProbs: some ContiguousStorage<T>,
    targets: Targets,
    inputLengths: Inputs,
    targetLengths: Lengths,
    shape: CTCShape,
    blank: Int = 0,
    reduction: Reduction = .mean,
    zeroInfinity: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError)
where Targets.Element: BinaryInteger, Inputs.Element: BinaryInteger, Lengths.Element: BinaryInteger {
    try connectionist(logProbs, targets, inputLengths, targetLengths, shape: shape,
                      parameters: CTCParameters(blank: blank, zeroInfinity: zeroInfinity)) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient,
                      names: CTCCall<T>.names)
    }
}
