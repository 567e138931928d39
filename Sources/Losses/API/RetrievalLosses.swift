// The public forms of the retrieval losses (docs/retrieval.md): AttnGAN's DAMSM, `damsmWordsLoss`
// and `damsmSentenceLoss`, allocating, then in place. Their two gradients are those of
// `PairResult` (`gradientX1` w.r.t. the image features, `gradientX2` w.r.t. the text features).

/// A DAMSM loss over borrowed buffers: the words loss (image regions, words, caption lengths) or
/// the sentence loss (global image features, sentences).
struct DAMSMCall<T: LossFloat>: BufferCall {
    let words: Bool
    let image: UnsafeBufferPointer<T>, text: UnsafeBufferPointer<T>
    let capLens: UnsafeBufferPointer<Int64>?, classIds: UnsafeBufferPointer<Int64>?
    let shape: DAMSMShape, parameters: DAMSMParameters

    var name: StaticString { words ? "damsm_words_loss" : "damsm_sentence_loss" }

    static func names(words: Bool) -> GradientNames {
        words ? GradientNames(first: "gradientImgFeatures", firstInput: "imgFeatures", second: "gradientWordsEmb",
                              secondInput: "wordsEmb")
            : GradientNames(first: "gradientImgGlobal", firstInput: "imgGlobal", second: "gradientSentEmb",
                            secondInput: "sentEmb")
    }

    /// n·d·last, or `.invalidSize` when it overflows.
    private func elements(_ last: Int) throws(LossError) -> Int {
        let (nd, o1) = shape.n.multipliedReportingOverflow(by: shape.d)
        let (all, o2) = nd.multipliedReportingOverflow(by: last)
        guard !o1, !o2 else { throw LossError(.invalidSize, "n × d × \(last) is too large") }
        return all
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        let s = shape
        guard s.n >= 0, s.d >= 0, s.r >= 0, s.t >= 0 else {
            throw LossError(.invalidSize, "n, d, r and t must be >= 0, got (\(s.n), \(s.d), \(s.r), \(s.t))")
        }
        guard !s.n.multipliedReportingOverflow(by: s.n).overflow else { throw LossError(.invalidSize, "n × n overflows") }
        let first = try elements(words ? s.r : 1), second = try elements(words ? s.t : 1)
        try requireCount(words ? "imgFeatures" : "imgGlobal", image.count, first, words ? "n × d × r" : "n × d")
        try requireCount(words ? "wordsEmb" : "sentEmb", text.count, second, words ? "n × d × t" : "n × d")
        if words { try requireCount("capLens", capLens?.count ?? 0, s.n, "n") }
        if let classIds { try requireCount("classIds", classIds.count, s.n, "n") }
        try Retrieval.check(parameters)
        return CallShape(samples: s.n, elements: first, secondElements: second)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        let labels = try Retrieval.CaptionLabels(lengths: words ? capLens : nil, classIds: classIds, n: shape.n,
                                                 words: shape.t)
        if words {
            try Retrieval.damsmWordsLoss(imgFeatures: image, wordsEmb: text, labels: labels, shape: shape,
                                         parameters: parameters, into: o)
        } else {
            try Retrieval.damsmSentenceLoss(imgGlobal: image, sentEmb: text, labels: labels, shape: shape,
                                            parameters: parameters, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, image) { return words ? "imgFeatures" : "imgGlobal" }
        if overlaps(region, text) { return words ? "wordsEmb" : "sentEmb" }
        if let capLens, overlaps(region, capLens) { return "capLens" }
        if let classIds, overlaps(region, classIds) { return "classIds" }
        return nil
    }
}

/// Opens the storage of a DAMSM loss (the lengths only for the words loss) and hands `body` the call.
func damsm<T: LossFloat, Lengths: Collection, R>(
    words: Bool, _ image: some ContiguousStorage<T>, _ text: some ContiguousStorage<T>, capLens: Lengths?,
    classIds: [Int]?, shape: DAMSMShape, parameters: DAMSMParameters,
    _ body: (DAMSMCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Lengths.Element: BinaryInteger {
    let name: StaticString = words ? "damsm_words_loss" : "damsm_sentence_loss"
    func open(_ lengths: UnsafeBufferPointer<Int64>?, _ classes: UnsafeBufferPointer<Int64>?) throws(LossError) -> R {
        try image.withUnsafeBufferPointer { (v) throws(LossError) in
            try text.withUnsafeBufferPointer { (e) throws(LossError) in
                try body(DAMSMCall(words: words, image: v, text: e, capLens: lengths, classIds: classes, shape: shape,
                                   parameters: parameters))
            }
        }
    }
    func withClasses(_ lengths: UnsafeBufferPointer<Int64>?) throws(LossError) -> R {
        guard let classIds else { return try open(lengths, nil) }
        return try withLabels(classIds, loss: name) { (classes) throws(LossError) in try open(lengths, classes) }
    }
    guard let capLens else { return try withClasses(nil) }
    return try withLabels(capLens, loss: name) { (lengths) throws(LossError) in try withClasses(lengths) }
}

/// DAMSM words loss, AttnGAN's `words_loss` as its released code computes it: `imgFeatures` is
/// (n, d, r) (the regions of each image), `wordsEmb` (n, d, t) (each caption's words, padded),
/// `capLens` the n caption lengths in 1...t (`.labelOutOfRange` otherwise), `classIds` n classes
/// or nil (pairs of different samples of one class are masked). For image b and caption i, each
/// word attends over the regions (softmax over the words, then over the regions of γ1 times it),
/// S[b, i] = log Σ_t exp(γ2 cos(context_t, word_t)) with the cosine's norm product clamped at
/// 1e-8; γ3 S goes to the image → text (rows) and text → image (columns) cross entropies, label
/// i. `.none` gives sample i's two terms summed; `.mean` is AttnGAN's w_loss0 + w_loss1. The
/// gradients (``PairResult/gradientX1`` w.r.t. imgFeatures, ``PairResult/gradientX2`` w.r.t.
/// wordsEmb) are analytic, in double.
public func damsmWordsLoss<T: LossFloat, Lengths: Collection>(
    _ imgFeatures: some ContiguousStorage<T>,
    _ wordsEmb: some ContiguousStorage<T>,
    capLens: Lengths,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma1: Double = 4,
    gamma2: Double = 5,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> where Lengths.Element: BinaryInteger {
    let p = DAMSMParameters(gamma1: gamma1, gamma2: gamma2, gamma3: gamma3)
    return try damsm(words: true, imgFeatures, wordsEmb, capLens: capLens, classIds: classIds, shape: shape,
                     parameters: p) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `damsm_words_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientImgFeatures` and `gradientWordsEmb`. `.none` throws `.invalidOption`:
/// its values need storage, `into:`. A call that throws has written nothing.
@discardableResult
public func damsmWordsLoss<T: LossFloat, Lengths: Collection>(
    _ imgFeatures: some ContiguousStorage<T>,
    _ wordsEmb: some ContiguousStorage<T>,
    capLens: Lengths,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma1: Double = 4,
    gamma2: Double = 5,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientImgFeatures: inout some MutableContiguousStorage<T>,
    gradientWordsEmb: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Lengths.Element: BinaryInteger {
    let p = DAMSMParameters(gamma1: gamma1, gamma2: gamma2, gamma3: gamma3)
    return try damsm(words: true, imgFeatures, wordsEmb, capLens: capLens, classIds: classIds, shape: shape,
                     parameters: p) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientImgFeatures,
                         gradientX2: &gradientWordsEmb, names: DAMSMCall<T>.names(words: true))
    }
}

/// `damsm_words_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// for `.mean` and `.sum`). A call that throws has written nothing.
public func damsmWordsLoss<T: LossFloat, Lengths: Collection>(
    _ imgFeatures: some ContiguousStorage<T>,
    _ wordsEmb: some ContiguousStorage<T>,
    capLens: Lengths,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma1: Double = 4,
    gamma2: Double = 5,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Lengths.Element: BinaryInteger {
    let p = DAMSMParameters(gamma1: gamma1, gamma2: gamma2, gamma3: gamma3)
    try damsm(words: true, imgFeatures, wordsEmb, capLens: capLens, classIds: classIds, shape: shape,
              parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `damsm_words_loss` in place: writes the values into `values` and its gradients into
/// `gradientImgFeatures` and `gradientWordsEmb`. A call that throws has written nothing.
public func damsmWordsLoss<T: LossFloat, Lengths: Collection>(
    _ imgFeatures: some ContiguousStorage<T>,
    _ wordsEmb: some ContiguousStorage<T>,
    capLens: Lengths,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma1: Double = 4,
    gamma2: Double = 5,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientImgFeatures: inout some MutableContiguousStorage<T>,
    gradientWordsEmb: inout some MutableContiguousStorage<T>
) throws(LossError) where Lengths.Element: BinaryInteger {
    let p = DAMSMParameters(gamma1: gamma1, gamma2: gamma2, gamma3: gamma3)
    try damsm(words: true, imgFeatures, wordsEmb, capLens: capLens, classIds: classIds, shape: shape,
              parameters: p) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientImgFeatures,
                      gradientX2: &gradientWordsEmb, names: DAMSMCall<T>.names(words: true))
    }
}

/// DAMSM sentence loss, AttnGAN's `sent_loss`: `imgGlobal` and `sentEmb` are (n, d) (`shape.d`
/// values per row; `shape.r` and `shape.t` unused), scores γ3 x_b·y_i / max(‖x_b‖‖y_i‖, 1e-8),
/// masked by `classIds` and reduced as ``damsmWordsLoss(_:_:capLens:classIds:shape:gamma1:gamma2:gamma3:reduction:gradient:gradOutput:)``
/// (`.mean` is AttnGAN's s_loss0 + s_loss1; n = 1 gives 0). Gradients w.r.t. imgGlobal
/// (``PairResult/gradientX1``) and sentEmb (``PairResult/gradientX2``).
public func damsmSentenceLoss<T: LossFloat>(
    _ imgGlobal: some ContiguousStorage<T>,
    _ sentEmb: some ContiguousStorage<T>,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try damsm(words: false, imgGlobal, sentEmb, capLens: [Int]?.none, classIds: classIds, shape: shape,
              parameters: DAMSMParameters(gamma3: gamma3)) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `damsm_sentence_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientImgGlobal` and `gradientSentEmb`. `.none` throws `.invalidOption`. A
/// call that throws has written nothing.
@discardableResult
public func damsmSentenceLoss<T: LossFloat>(
    _ imgGlobal: some ContiguousStorage<T>,
    _ sentEmb: some ContiguousStorage<T>,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientImgGlobal: inout some MutableContiguousStorage<T>,
    gradientSentEmb: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try damsm(words: false, imgGlobal, sentEmb, capLens: [Int]?.none, classIds: classIds, shape: shape,
              parameters: DAMSMParameters(gamma3: gamma3)) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientImgGlobal,
                         gradientX2: &gradientSentEmb, names: DAMSMCall<T>.names(words: false))
    }
}

/// `damsm_sentence_loss` in place: writes the values into `values` (one per sample for `.none`,
/// one for `.mean` and `.sum`). A call that throws has written nothing.
public func damsmSentenceLoss<T: LossFloat>(
    _ imgGlobal: some ContiguousStorage<T>,
    _ sentEmb: some ContiguousStorage<T>,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try damsm(words: false, imgGlobal, sentEmb, capLens: [Int]?.none, classIds: classIds, shape: shape,
              parameters: DAMSMParameters(gamma3: gamma3)) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `damsm_sentence_loss` in place: writes the values into `values` and its gradients into
/// `gradientImgGlobal` and `gradientSentEmb`. A call that throws has written nothing.
public func damsmSentenceLoss<T: LossFloat>(
    _ imgGlobal: some ContiguousStorage<T>,
    _ sentEmb: some ContiguousStorage<T>,
    classIds: [Int]? = nil,
    shape: DAMSMShape,
    gamma3: Double = 10,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientImgGlobal: inout some MutableContiguousStorage<T>,
    gradientSentEmb: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try damsm(words: false, imgGlobal, sentEmb, capLens: [Int]?.none, classIds: classIds, shape: shape,
              parameters: DAMSMParameters(gamma3: gamma3)) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientImgGlobal,
                      gradientX2: &gradientSentEmb, names: DAMSMCall<T>.names(words: false))
    }
}
