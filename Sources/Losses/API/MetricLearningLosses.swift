// The public forms of the metric-learning losses (docs/metric_learning.md): PyTorch's names in
// Swift case and its defaults; each loss allocating, then in place. Their two gradients are
// those of `PairResult` (`gradientX1` w.r.t. input1, `gradientX2` w.r.t. input2).

/// `max(0, -target·(input1 - input2) + margin)`, PyTorch's `margin_ranking_loss`.
///
/// `target` is +1 where `input1` should rank above `input2` and -1 where below (not checked:
/// other values enter the formula as written). `margin` is finite. The gradient w.r.t. input1
/// is `-target` where the hinge is active and 0 elsewhere, the kink included; w.r.t. input2 its
/// negative. An empty input has a NaN mean and a 0 sum.
public func marginRankingLoss<T: LossFloat>(
    _ input1: some ContiguousStorage<T>,
    _ input2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try ranking(input1, input2, target, margin: margin) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `margin_ranking_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX1` (w.r.t. input1) and `gradientX2` (w.r.t. input2).
///
/// `.none` throws `.invalidOption`: its values need storage, `into:`. A call that throws has
/// written nothing. See <doc:CallingALoss>.
@discardableResult
public func marginRankingLoss<T: LossFloat>(
    _ input1: some ContiguousStorage<T>,
    _ input2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try ranking(input1, input2, target, margin: margin) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `margin_ranking_loss` in place: writes the values into `values` (one per element for `.none`,
/// one for `.mean` and `.sum`). A call that throws has written nothing.
public func marginRankingLoss<T: LossFloat>(
    _ input1: some ContiguousStorage<T>,
    _ input2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try ranking(input1, input2, target, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `margin_ranking_loss` in place: writes the values into `values` and its gradients into
/// `gradientX1` and `gradientX2`. A call that throws has written nothing.
public func marginRankingLoss<T: LossFloat>(
    _ input1: some ContiguousStorage<T>,
    _ input2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try ranking(input1, input2, target, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `1 - cos(x1, x2)` where `target` is 1, `max(0, cos(x1, x2) - margin)` where it is -1, 0 for any
/// other target: PyTorch's `cosine_embedding_loss`, whose cosine adds 1e-12 to each squared norm.
///
/// `x1` and `x2` are row-major with rows of `width`; `target` has one value per row; `margin` is
/// finite. The gradients are `PairResult`'s `gradientX1` and `gradientX2`.
public func cosineEmbeddingLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairsWithTarget(.cosineEmbedding, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `cosine_embedding_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX1` and `gradientX2`. `.none` throws `.invalidOption`. A call that
/// throws has written nothing.
@discardableResult
public func cosineEmbeddingLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairsWithTarget(.cosineEmbedding, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `cosine_embedding_loss` in place: writes the values into `values` (one per row for `.none`,
/// one for `.mean` and `.sum`). A call that throws has written nothing.
public func cosineEmbeddingLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairsWithTarget(.cosineEmbedding, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `cosine_embedding_loss` in place: writes the values and both gradients. A call that throws
/// has written nothing.
public func cosineEmbeddingLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairsWithTarget(.cosineEmbedding, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `(1 - target)·d² + target·max(0, margin - d)²` with `d` = `pairwise_distance(x1, x2)` (p = 2,
/// eps = 1e-6): the contrastive loss of Siamese networks, target 0 for a similar pair and 1 for a
/// dissimilar one. No ½ factor.
///
/// `x1` and `x2` are row-major with rows of `width`; `target` has one value per row; `margin` is
/// finite. The gradients are `PairResult`'s `gradientX1` and `gradientX2`.
public func contrastiveLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 2,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairsWithTarget(.contrastive, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `contrastive_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX1` and `gradientX2`. `.none` throws `.invalidOption`. A call that
/// throws has written nothing.
@discardableResult
public func contrastiveLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 2,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairsWithTarget(.contrastive, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `contrastive_loss` in place: writes the values into `values` (one per row for `.none`,
/// one for `.mean` and `.sum`). A call that throws has written nothing.
public func contrastiveLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 2,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairsWithTarget(.contrastive, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `contrastive_loss` in place: writes the values and both gradients. A call that throws
/// has written nothing.
public func contrastiveLoss<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    width: Int,
    margin: Double = 2,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairsWithTarget(.contrastive, x1, x2, target, width: width, margin: margin) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}
