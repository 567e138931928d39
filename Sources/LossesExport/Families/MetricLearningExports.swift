import Losses

// The generic bodies of the metric-learning exports (include/losses.h, "Metric learning"):
// validate, convert, call. Their `@_cdecl` twins are generated from the header.

func marginRankingLossExport<T: LossFloat>(
    input1: UnsafePointer<T>?, input2: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, margin: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradInput1: UnsafeMutablePointer<T>?,
    gradInput2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("margin_ranking_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let x1 = try args.input(input1, n, "input1")
        let x2 = try args.input(input2, n, "input2")
        let y = try args.input(target, n, "target")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradInput1, gradientName: "grad_input1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradInput2, n, "grad_input2")
        try args.checkOverlaps()
        try MetricLearningParameters.checkMargin(margin)
        MetricLearning.marginRankingLoss(input1: x1, input2: x2, target: y, margin: margin, into: o)
    }
}

func tripletMarginLossExport<T: LossFloat>(
    anchor: UnsafePointer<T>?, positive: UnsafePointer<T>?, negative: UnsafePointer<T>?, n: Int64, d: Int64,
    margin: Double, p: Double, eps: Double, swap: Int32, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradAnchor: UnsafeMutablePointer<T>?, gradPositive: UnsafeMutablePointer<T>?,
    gradNegative: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("triplet_margin_loss") { () throws(LossError) in
        let t = try TripletArguments(anchor, positive, negative, n, d, reduction, out, gradAnchor, gradPositive,
                                     gradNegative, gradOutput)
        try MetricLearningParameters.checkTripletMargin(margin)
        try DistanceParameters.checkDistance(p: p, eps: eps)
        let swapped = try flag(swap, "swap")
        try MetricLearning.tripletMarginLoss(anchor: t.anchor, positive: t.positive, negative: t.negative, rows: t.rows,
                                             width: t.width, margin: margin, p: p, eps: eps, swap: swapped,
                                             into: t.outputs)
    }
}

/// The (anchor, positive, negative) rows of n × d of a triplet loss and their three gradients,
/// sizes, pointers and overlaps checked; the loss's own parameters are left to it.
struct TripletArguments<T: LossFloat> {
    let anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative: UnsafeBufferPointer<T>
    let rows: Int, width: Int
    let outputs: LossOutputs<T>

    init(_ anchor: UnsafePointer<T>?, _ positive: UnsafePointer<T>?, _ negative: UnsafePointer<T>?, _ n: Int64,
         _ d: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?, _ gradAnchor: UnsafeMutablePointer<T>?,
         _ gradPositive: UnsafeMutablePointer<T>?, _ gradNegative: UnsafeMutablePointer<T>?,
         _ gradOutput: UnsafePointer<T>?) throws(LossError) {
        var args = CallArguments()
        rows = try args.count(n, "n")
        width = try args.count(d, "d")
        let elements = try args.product(rows, width, "anchor")
        _ = try args.product(3, elements, "the gradients' scratch")
        self.anchor = try args.input(anchor, elements, "anchor")
        self.positive = try args.input(positive, elements, "positive")
        self.negative = try args.input(negative, elements, "negative")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: rows, out: out,
            gradient: gradAnchor, gradientName: "grad_anchor", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradPositive, elements, "grad_positive")
        o.gradients.third = try args.optionalOutput(gradNegative, elements, "grad_negative")
        try args.checkOverlaps()
        outputs = o
    }
}

func quadrupletLossExport<T: LossFloat>(
    anchor: UnsafePointer<T>?, positive: UnsafePointer<T>?, negative1: UnsafePointer<T>?,
    negative2: UnsafePointer<T>?, n: Int64, d: Int64, margin1: Double, margin2: Double, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradAnchor: UnsafeMutablePointer<T>?, gradPositive: UnsafeMutablePointer<T>?,
    gradNegative1: UnsafeMutablePointer<T>?, gradNegative2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("quadruplet_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "anchor")
        let a = try args.input(anchor, elements, "anchor")
        let pos = try args.input(positive, elements, "positive")
        let neg1 = try args.input(negative1, elements, "negative1")
        let neg2 = try args.input(negative2, elements, "negative2")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradAnchor, gradientName: "grad_anchor", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradPositive, elements, "grad_positive")
        o.gradients.third = try args.optionalOutput(gradNegative1, elements, "grad_negative1")
        o.gradients.fourth = try args.optionalOutput(gradNegative2, elements, "grad_negative2")
        try args.checkOverlaps()
        try MetricLearningParameters.checkQuadrupletMargins(margin1, margin2)
        MetricLearning.quadrupletLoss(anchor: a, positive: pos, negative1: neg1, negative2: neg2, rows: n, width: d,
                                      margin1: margin1, margin2: margin2, into: o)
    }
}

func verificationLossExport<T: LossFloat>(
    f1: UnsafePointer<T>?, f2: UnsafePointer<T>?, label: UnsafePointer<T>?, weight: UnsafePointer<T>?, n: Int64,
    d: Int64, bias: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradF1: UnsafeMutablePointer<T>?,
    gradF2: UnsafeMutablePointer<T>?, gradWeight: UnsafeMutablePointer<T>?, gradBias: UnsafeMutablePointer<T>?,
    gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("verification_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "f1")
        let a = try args.input(f1, elements, "f1")
        let b = try args.input(f2, elements, "f2")
        let y = try args.input(label, n, "label")
        let w = try args.optionalInput(weight, d, "weight")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradF1, gradientName: "grad_f1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradF2, elements, "grad_f2")
        o.gradients.third = try args.optionalOutput(gradWeight, d, "grad_weight")
        o.gradients.fourth = try args.optionalOutput(gradBias, 1, "grad_bias")
        try args.checkOverlaps()
        try MetricLearningParameters.checkBias(bias)
        try MetricLearning.verificationLoss(f1: a, f2: b, label: y, weight: w, bias: bias, rows: n, width: d, into: o)
    }
}

func cosineEmbeddingLossExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, d: Int64, margin: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    rowPairsWithTarget("cosine_embedding_loss", x1, x2, target, n, d, margin, reduction, out, gradX1, gradX2,
                       gradOutput) {
        MetricLearning.cosineEmbeddingLoss(x1: $0, x2: $1, target: $2, rows: $3, width: $4, margin: margin, into: $5)
    }
}

func contrastiveLossExport<T: LossFloat>(
    x1: UnsafePointer<T>?, x2: UnsafePointer<T>?, target: UnsafePointer<T>?, n: Int64, d: Int64, margin: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradX1: UnsafeMutablePointer<T>?,
    gradX2: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    rowPairsWithTarget("contrastive_loss", x1, x2, target, n, d, margin, reduction, out, gradX1, gradX2,
                       gradOutput) {
        MetricLearning.contrastiveLoss(x1: $0, x2: $1, target: $2, rows: $3, width: $4, margin: margin, into: $5)
    }
}

/// x1 and x2 (n, d), one target and one value per pair of rows, a finite margin, gradients for
/// both inputs: the shape of cosine_embedding_loss and contrastive_loss.
func rowPairsWithTarget<T: LossFloat>(
    _ name: StaticString, _ x1: UnsafePointer<T>?, _ x2: UnsafePointer<T>?, _ target: UnsafePointer<T>?,
    _ n: Int64, _ d: Int64, _ margin: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?,
    _ gradX1: UnsafeMutablePointer<T>?, _ gradX2: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?,
    _ run: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, Int, Int, LossOutputs<T>) -> Void
) -> Int32 {
    exported(name) { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let d = try args.count(d, "d")
        let elements = try args.product(n, d, "x1")
        let a = try args.input(x1, elements, "x1")
        let b = try args.input(x2, elements, "x2")
        let y = try args.input(target, n, "target")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, samples: n, out: out,
            gradient: gradX1, gradientName: "grad_x1", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradX2, elements, "grad_x2")
        try args.checkOverlaps()
        try MetricLearningParameters.checkMargin(margin)
        run(a, b, y, n, d, o)
    }
}

func circleLossExport<T: LossFloat>(
    sp: UnsafePointer<T>?, sn: UnsafePointer<T>?, n: Int64, k: Int64, l: Int64, m: Double, gamma: Double,
    reduction: Int32, out: UnsafeMutablePointer<T>?, gradSp: UnsafeMutablePointer<T>?,
    gradSn: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("circle_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let k = try args.count(k, "k")
        let l = try args.count(l, "l")
        let positives = try args.product(n, k, "sp")
        let negatives = try args.product(n, l, "sn")
        _ = try args.product(n, k &+ l, "the logits")  // k, l <= 2^60: their sum does not overflow
        let p = try args.input(sp, positives, "sp")
        let q = try args.input(sn, negatives, "sn")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: positives, samples: n, out: out,
            gradient: gradSp, gradientName: "grad_sp", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradSn, negatives, "grad_sn")
        try args.checkOverlaps()
        try MetricLearningParameters.checkCircle(m: m, gamma: gamma)
        try MetricLearning.circleLoss(sp: p, sn: q, rows: n, positives: k, negatives: l, m: m, gamma: gamma, into: o)
    }
}

func tripletMarginWithDistanceLossExport<T: LossFloat>(
    anchor: UnsafePointer<T>?, positive: UnsafePointer<T>?, negative: UnsafePointer<T>?, n: Int64, d: Int64,
    distanceFunction: Int32, margin: Double, swap: Int32, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradAnchor: UnsafeMutablePointer<T>?, gradPositive: UnsafeMutablePointer<T>?,
    gradNegative: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("triplet_margin_with_distance_loss") { () throws(LossError) in
        let t = try TripletArguments(anchor, positive, negative, n, d, reduction, out, gradAnchor, gradPositive,
                                     gradNegative, gradOutput)
        let distance = try MetricLearningParameters.tripletDistance(distanceFunction)
        try MetricLearningParameters.checkTripletMargin(margin)
        let swapped = try flag(swap, "swap")
        try MetricLearning.tripletMarginWithDistanceLoss(anchor: t.anchor, positive: t.positive, negative: t.negative,
                                                         rows: t.rows, width: t.width, distance: distance,
                                                         margin: margin, swap: swapped, into: t.outputs)
    }
}
