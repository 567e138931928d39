// The public forms of the losses over a whole labelled batch (docs/metric_learning.md):
// PyTorch's and pytorch-metric-learning's names in Swift case and their defaults; each loss
// allocating, then in place. Labels of any integer type (one per row, compared for equality);
// anchors without a positive or a negative contribute 0 and leave the mean, which is 0 when no
// anchor counts. Ties take the first index.

/// Batch-hard triplet loss (Hermans et al. 2017): each anchor of `embeddings` (rows of `width`)
/// against its farthest positive and closest negative, `max(0, d(a, p) - d(a, n) + margin)`, or
/// `softplus(d(a, p) - d(a, n))` when `soft` (the paper's soft margin, which has no margin).
///
/// `d` is the Euclidean distance (squared when `squared`), mined on the batch's Gram matrix and
/// then summed directly for the chosen pairs, so the value keeps full accuracy. The gradient
/// (w.r.t. the embeddings) flows through the two chosen distances and is 0 at zero distance; a
/// NaN embedding makes the loss of every anchor it reaches NaN. `margin` is finite.
public func batchHardTripletLoss<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    margin: Double = 0.3,
    squared: Bool = false,
    soft: Bool = false,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try batch(.batchHardTriplet(margin: margin, squared: squared, soft: soft), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `batchHardTripletLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the first input's count. `.none` throws `.invalidOption`: its values
/// need storage, `into:`. A call that throws has written nothing. See <doc:CallingALoss>.
@discardableResult
public func batchHardTripletLoss<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    margin: Double = 0.3,
    squared: Bool = false,
    soft: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try batch(.batchHardTriplet(margin: margin, squared: squared, soft: soft), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `batchHardTripletLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func batchHardTripletLoss<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    margin: Double = 0.3,
    squared: Bool = false,
    soft: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.batchHardTriplet(margin: margin, squared: squared, soft: soft), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `batchHardTripletLoss` in place: writes the values into `values` and the gradient into `gradient`. A call
/// that throws has written nothing.
public func batchHardTripletLoss<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    margin: Double = 0.3,
    squared: Bool = false,
    soft: Bool = false,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.batchHardTriplet(margin: margin, squared: squared, soft: soft), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Batch-hard quadruplet loss (Chen et al. 2017) over `dist`, an n × n distance matrix for the n
/// `labels`: per anchor, `max(0, d_ap - d_an + margin1) + max(0, d_ap - d_nn + margin2)` with its
/// farthest positive, its closest negative and the closest pair of two different labels, neither
/// the anchor's (the second term is 0 when the batch has fewer than three labels).
///
/// `dist` need not be symmetric; its diagonal is never a pair. The gradient is w.r.t. `dist`:
/// ±1 (times the upstream weight) on the chosen entries where each hinge is active.
public func batchHardQuadrupletLoss<T: LossFloat, Labels: Collection>(
    _ dist: some ContiguousStorage<T>,
    _ labels: Labels,
    margin1: Double = 1,
    margin2: Double = 0.5,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try batch(.batchHardQuadruplet(margin1: margin1, margin2: margin2), dist, labels, width: 0) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `batchHardQuadrupletLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the first input's count. `.none` throws `.invalidOption`: its values
/// need storage, `into:`. A call that throws has written nothing. See <doc:CallingALoss>.
@discardableResult
public func batchHardQuadrupletLoss<T: LossFloat, Labels: Collection>(
    _ dist: some ContiguousStorage<T>,
    _ labels: Labels,
    margin1: Double = 1,
    margin2: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try batch(.batchHardQuadruplet(margin1: margin1, margin2: margin2), dist, labels, width: 0) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `batchHardQuadrupletLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func batchHardQuadrupletLoss<T: LossFloat, Labels: Collection>(
    _ dist: some ContiguousStorage<T>,
    _ labels: Labels,
    margin1: Double = 1,
    margin2: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.batchHardQuadruplet(margin1: margin1, margin2: margin2), dist, labels, width: 0) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `batchHardQuadrupletLoss` in place: writes the values into `values` and the gradient into `gradient`. A call
/// that throws has written nothing.
public func batchHardQuadrupletLoss<T: LossFloat, Labels: Collection>(
    _ dist: some ContiguousStorage<T>,
    _ labels: Labels,
    margin1: Double = 1,
    margin2: Double = 0.5,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.batchHardQuadruplet(margin1: margin1, margin2: margin2), dist, labels, width: 0) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// Circle loss over a labelled batch (Sun et al. 2020), as pytorch-metric-learning's
/// `CircleLoss(m, gamma)`: cosine similarities of the rows of `embeddings` (each divided by
/// max(‖x‖, 1e-12)), and per anchor `softplus(lse_p(-γ a_p (s - 1 + m)) + lse_n(γ a_n (s - m)))`
/// over its positives and negatives, the weights `a_p = relu(1 + m - s)`, `a_n = relu(s + m)` held
/// constant. `m` is finite, `gamma` finite and > 0. The gradient is w.r.t. the embeddings.
public func circleLossEmbeddings<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    m: Double = 0.4,
    gamma: Double = 80,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try batch(.circle(m: m, gamma: gamma), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `circleLossEmbeddings` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the first input's count. `.none` throws `.invalidOption`: its values
/// need storage, `into:`. A call that throws has written nothing. See <doc:CallingALoss>.
@discardableResult
public func circleLossEmbeddings<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    m: Double = 0.4,
    gamma: Double = 80,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try batch(.circle(m: m, gamma: gamma), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `circleLossEmbeddings` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func circleLossEmbeddings<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    m: Double = 0.4,
    gamma: Double = 80,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.circle(m: m, gamma: gamma), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `circleLossEmbeddings` in place: writes the values into `values` and the gradient into `gradient`. A call
/// that throws has written nothing.
public func circleLossEmbeddings<T: LossFloat, Labels: Collection>(
    _ embeddings: some ContiguousStorage<T>,
    _ labels: Labels,
    width: Int,
    m: Double = 0.4,
    gamma: Double = 80,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try batch(.circle(m: m, gamma: gamma), embeddings, labels, width: width) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// NT-Xent of SimCLR, as pytorch-metric-learning's `NTXentLoss(temperature)` with the labels of
/// two views: rows i and i + n/2 of `embeddings` (rows of `width`; `rows` only needed when
/// `width` is 0) are the two views of one example, every other row a negative; per row,
/// `-log(e^{s_ip/t} / Σ_{j≠i} e^{s_ij/t})` with `s` the cosine similarity. The row count must be
/// even; `temperature` finite and > 0. The gradient is w.r.t. the embeddings.
public func ntxentLoss<T: LossFloat>(
    _ embeddings: some ContiguousStorage<T>,
    width: Int,
    rows: Int? = nil,
    temperature: Double = 0.07,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try batch(.ntxent(temperature: temperature), embeddings, [Int]?.none, width: width, rows: rows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `ntxentLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient into
/// `gradient`, which has the first input's count. `.none` throws `.invalidOption`: its values
/// need storage, `into:`. A call that throws has written nothing. See <doc:CallingALoss>.
@discardableResult
public func ntxentLoss<T: LossFloat>(
    _ embeddings: some ContiguousStorage<T>,
    width: Int,
    rows: Int? = nil,
    temperature: Double = 0.07,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try batch(.ntxent(temperature: temperature), embeddings, [Int]?.none, width: width, rows: rows) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `ntxentLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func ntxentLoss<T: LossFloat>(
    _ embeddings: some ContiguousStorage<T>,
    width: Int,
    rows: Int? = nil,
    temperature: Double = 0.07,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try batch(.ntxent(temperature: temperature), embeddings, [Int]?.none, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `ntxentLoss` in place: writes the values into `values` and the gradient into `gradient`. A call
/// that throws has written nothing.
public func ntxentLoss<T: LossFloat>(
    _ embeddings: some ContiguousStorage<T>,
    width: Int,
    rows: Int? = nil,
    temperature: Double = 0.07,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try batch(.ntxent(temperature: temperature), embeddings, [Int]?.none, width: width, rows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
