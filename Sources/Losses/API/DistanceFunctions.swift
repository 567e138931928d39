// The public forms of the distances and similarities between rows (docs/primitives.md), row-wise
// and as (n, m) matrices; each allocating, then in place. Their default reduction is `.none`.

/// `‖x1[i] - x2[i] + eps‖_p` for every row i, PyTorch's `pairwise_distance`.
///
/// `x1` and `x2` are row-major with rows of `width`; `rows` is needed only when `width` is 0, where
/// the storage cannot tell it. `p` is finite and >= 0; the gradient is 0 at zero distance.
public func pairwiseDistance<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairs(.distance(p: p, eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `pairwise_distance` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX1` and `gradientX2`, which have the counts of `x1` and `x2`.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func pairwiseDistance<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairs(.distance(p: p, eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `pairwise_distance` in place: writes the values into `values`, which has one element per pair
/// for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func pairwiseDistance<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.distance(p: p, eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `pairwise_distance` in place: writes the values into `values` (one per pair for `.none`, one for
/// `.mean` and `.sum`) and its gradients into `gradientX1` and `gradientX2`, which have the counts
/// of `x1` and `x2`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func pairwiseDistance<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.distance(p: p, eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `Σ (x1[i]/max(‖x1[i]‖, eps))·(x2[i]/max(‖x2[i]‖, eps))` for every row i, PyTorch's
/// `cosine_similarity` over the last axis (each norm clamped on its own).
///
/// `eps` is finite and > 0; `rows` is needed only when `width` is 0.
public func cosineSimilarity<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairs(.cosine(eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `cosine_similarity` reduced (`.mean` or `.sum`), in place: returns the loss and writes its
/// gradients into `gradientX1` and `gradientX2`, which have the counts of `x1` and `x2`.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func cosineSimilarity<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairs(.cosine(eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `cosine_similarity` in place: writes the values into `values`, which has one element per pair
/// for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func cosineSimilarity<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.cosine(eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `cosine_similarity` in place: writes the values into `values` (one per pair for `.none`, one for
/// `.mean` and `.sum`) and its gradients into `gradientX1` and `gradientX2`, which have the counts
/// of `x1` and `x2`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func cosineSimilarity<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.cosine(eps: eps), matrix: false, x1, x2, width: width, rows: rows, otherRows: rows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// The (n, m) matrix of `pairwiseDistance` between every row of `x1` (n rows) and every row of `x2`
/// (m rows); `rows` and `otherRows` are needed only when `width` is 0.
public func pairwiseDistanceMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairs(.distance(p: p, eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `pairwise_distance_matrix` reduced (`.mean` or `.sum`), in place: returns the loss and writes
/// its gradients into `gradientX1` and `gradientX2`, which have the counts of `x1` and `x2`.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func pairwiseDistanceMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairs(.distance(p: p, eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `pairwise_distance_matrix` in place: writes the values into `values`, which has one element per
/// pair for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func pairwiseDistanceMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.distance(p: p, eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `pairwise_distance_matrix` in place: writes the values into `values` (one per pair for `.none`,
/// one for `.mean` and `.sum`) and its gradients into `gradientX1` and `gradientX2`, which have the
/// counts of `x1` and `x2`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func pairwiseDistanceMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    p: Double = 2,
    eps: Double = 1e-6,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.distance(p: p, eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// The (n, m) matrix of `cosineSimilarity` between every row of `x1` (n rows) and every row of `x2`
/// (m rows); `rows` and `otherRows` are needed only when `width` is 0.
public func cosineSimilarityMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil
) throws(LossError) -> PairResult<T> {
    try rowPairs(.cosine(eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `cosine_similarity_matrix` reduced (`.mean` or `.sum`), in place: returns the loss and writes
/// its gradients into `gradientX1` and `gradientX2`, which have the counts of `x1` and `x2`.
///
/// Arguments as for the allocating form; `gradOutput`, when given, holds one value. `.none` throws
/// `.invalidOption`: its values need storage, `into:`. A call that throws has written nothing. See
/// <doc:CallingALoss>.
@discardableResult
public func cosineSimilarityMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try rowPairs(.cosine(eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}

/// `cosine_similarity_matrix` in place: writes the values into `values`, which has one element per
/// pair for `.none` and one for `.mean` and `.sum`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func cosineSimilarityMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.cosine(eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `cosine_similarity_matrix` in place: writes the values into `values` (one per pair for `.none`,
/// one for `.mean` and `.sum`) and its gradients into `gradientX1` and `gradientX2`, which have the
/// counts of `x1` and `x2`.
///
/// A call that throws has written nothing. See <doc:CallingALoss>.
public func cosineSimilarityMatrix<T: LossFloat>(
    _ x1: some ContiguousStorage<T>,
    _ x2: some ContiguousStorage<T>,
    width: Int,
    eps: Double = 1e-8,
    reduction: Reduction = .none,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    rows: Int? = nil,
    otherRows: Int? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX1: inout some MutableContiguousStorage<T>,
    gradientX2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try rowPairs(.cosine(eps: eps), matrix: true, x1, x2, width: width, rows: rows, otherRows: otherRows) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX1, gradientX2: &gradientX2)
    }
}
