import Losses

// The generic bodies of the batch metric-learning exports (include/losses.h, "Metric learning
// over a whole batch"): validate, convert, call. Their `@_cdecl` twins are generated.

/// n rows of d embeddings and n labels, one value per anchor, the gradient of the embeddings:
/// the shape of batch_hard_triplet_loss and circle_loss_embeddings (labels nil: ntxent_loss).
func batchEmbeddings<T: LossFloat>(
    _ name: StaticString, _ embeddings: UnsafePointer<T>?, _ labels: UnsafePointer<Int64>?, labelled: Bool,
    _ n: Int64, _ d: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?,
    _ gradEmbeddings: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?,
    checkParameters: () throws(LossError) -> Void,
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<Int64>, Int, Int, LossOutputs<T>) throws(LossError) -> Void
) -> Int32 {
    exported(name) { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "embeddings")
        _ = try args.product(n, n, "the similarity matrix")
        let x = try args.input(embeddings, elements, "embeddings")
        let y: UnsafeBufferPointer<Int64> = labelled ? try args.input(labels, n, "labels") : UnsafeBufferPointer(start: nil, count: 0)
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradEmbeddings, gradientName: "grad_embeddings", gradOutput: gradOutput)
        try args.checkOverlaps()
        try checkParameters()
        try run(x, y, n, d, o)
    }
}

func batchHardTripletLossExport<T: LossFloat>(
    embeddings: UnsafePointer<T>?, labels: UnsafePointer<Int64>?, n: Int64, d: Int64, margin: Double,
    squared: Int32, soft: Int32, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradEmbeddings: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    var (isSquared, isSoft) = (false, false)
    return batchEmbeddings("batch_hard_triplet_loss", embeddings, labels, labelled: true, n, d, reduction, out,
                           gradEmbeddings, gradOutput, checkParameters: { () throws(LossError) in
        try MetricLearningParameters.checkMargin(margin)
        isSquared = try flag(squared, "squared")
        isSoft = try flag(soft, "soft")
    }) { (x, y, n, d, o) throws(LossError) in
        try MetricLearning.batchHardTripletLoss(embeddings: x, labels: y, rows: n, width: d, margin: margin,
                                                squared: isSquared, soft: isSoft, into: o)
    }
}

func circleLossEmbeddingsExport<T: LossFloat>(
    embeddings: UnsafePointer<T>?, labels: UnsafePointer<Int64>?, n: Int64, d: Int64, m: Double, gamma: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradEmbeddings: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    batchEmbeddings("circle_loss_embeddings", embeddings, labels, labelled: true, n, d, reduction, out,
                    gradEmbeddings, gradOutput, checkParameters: { () throws(LossError) in
        try MetricLearningParameters.checkCircle(m: m, gamma: gamma)
    }) { (x, y, n, d, o) throws(LossError) in
        try MetricLearning.circleLossEmbeddings(embeddings: x, labels: y, rows: n, width: d, m: m, gamma: gamma, into: o)
    }
}

func ntxentLossExport<T: LossFloat>(
    embeddings: UnsafePointer<T>?, n: Int64, d: Int64, temperature: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradEmbeddings: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    batchEmbeddings("ntxent_loss", embeddings, nil, labelled: false, n, d, reduction, out, gradEmbeddings, gradOutput,
                    checkParameters: { () throws(LossError) in
        try MetricLearningParameters.checkNTXent(rows: Int(truncatingIfNeeded: n), temperature: temperature)
    }) { (x, _, n, d, o) throws(LossError) in
        try MetricLearning.ntxentLoss(embeddings: x, rows: n, width: d, temperature: temperature, into: o)
    }
}

func batchHardQuadrupletLossExport<T: LossFloat>(
    dist: UnsafePointer<T>?, labels: UnsafePointer<Int64>?, n: Int64, margin1: Double, margin2: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradDist: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("batch_hard_quadruplet_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let elements = try args.product(n, n, "dist")
        let x = try args.input(dist, elements, "dist")
        let y = try args.input(labels, n, "labels")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradDist, gradientName: "grad_dist", gradOutput: gradOutput)
        try args.checkOverlaps()
        try MetricLearningParameters.checkMargin(margin1, "margin1")
        try MetricLearningParameters.checkMargin(margin2, "margin2")
        try MetricLearning.batchHardQuadrupletLoss(dist: x, labels: y, rows: n, margin1: margin1, margin2: margin2,
                                                   into: o)
    }
}
