import Losses

/// What one call of a case produced: the values as the vectors list them (`out`: one per sample
/// for `none`, the reduced loss alone otherwise) and the gradients by C parameter name.
struct Outcome<T: LossFloat> {
    var values: [T]
    var gradients: [String: [T]]
    /// An update's tables after the call, by C parameter name (empty for a loss).
    var tables: [String: [T]] = [:]

    init(_ r: LossResult<T>) {
        values = r.reduction == .none ? r.values : [r.loss]
        gradients = r.gradient.map { ["grad_input": $0] } ?? [:]
    }

    init(_ r: PairResult<T>) {
        values = r.reduction == .none ? r.values : [r.loss]
        gradients = [:]
        gradients["grad_x1"] = r.gradientX1
        gradients["grad_x2"] = r.gradientX2
    }

    /// A loss of two inputs (margin ranking): its pair of gradients under the inputs' names.
    init(_ r: PairResult<T>, names: (String, String)) {
        values = r.reduction == .none ? r.values : [r.loss]
        gradients = [:]
        gradients[names.0] = r.gradientX1
        gradients[names.1] = r.gradientX2
    }

    init(values: [T], gradients: [String: [T]], tables: [String: [T]] = [:]) {
        (self.values, self.gradients, self.tables) = (values, gradients, tables)
    }

    /// The same values and gradients, bit for bit (a NaN equal to a NaN of the same bits).
    func sameBits(as other: Outcome) -> Bool {
        func bits(_ a: [T]) -> [T.RawSignificand] { a.map(\.significandBitPattern) }
        func same(_ a: [T], _ b: [T]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.sign == $1.sign && $0.exponentBitPattern == $1.exponentBitPattern }
                && bits(a) == bits(b)
        }
        return same(values, other.values) && gradients.keys == other.gradients.keys
            && gradients.allSatisfy { same($0.value, other.gradients[$0.key]!) }
            && tables.keys == other.tables.keys && tables.allSatisfy { same($0.value, other.tables[$0.key]!) }
    }
}

/// A case's arguments: its float arrays in one storage type, its labels in one integer type.
struct CaseArguments<T: LossFloat, Storage: ContiguousStorage<T>, Label: BinaryInteger> {
    let c: VectorCase
    let tensor: (String) -> Storage?

    /// `store` puts an array of the case's values in the storage under test.
    init(_ c: VectorCase, store: ([T]) -> Storage, labels _: Label.Type) {
        self.c = c
        var stored: [String: Storage] = [:]
        for (name, array) in c.arrays { stored[name] = store(array.values.map { T($0) }) }
        tensor = { stored[$0] }
    }

    /// A batch loss's labels (one per row).
    var batchLabels: [Label] { c.arrays["labels"]!.values.map { Label(exactly: $0)! } }

    /// The class-index targets (read only by the class losses, whose targets are integers; the
    /// largest label of the vectors, an out-of-range index, is 100).
    var labels: [Label] { integers("target") }
    /// An array of integers (class indices, labels) in the label type.
    func integers(_ name: String) -> [Label] { c.arrays[name]!.values.map { Label(exactly: $0)! } }

    var reduction: Reduction { ["none": .none, "mean": .mean, "sum": .sum][c.reduction]! }
    var layout: ClassLayout {
        let (n, classes, d) = c.classLayout
        return ClassLayout(batch: n, classes: classes, inner: d)
    }
    func scalar(_ name: String) -> Double? { c.scalars[name] }
    /// A case that leaves ignore_index or label_smoothing out means the reference default; the
    /// defaults cases are what check the Swift signatures carry the same.
    var ignoreIndex: Int { scalar("ignore_index").map { Int($0) } ?? -100 }
}

/// Every shared conformance case through the allocating form of the Swift API.
enum VectorCalls {
    static func run<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> Outcome<T> {
        if isMetric(a.c.loss) { return Outcome(values: try metric(a), gradients: [:]) }
        if a.c.arrays["features"] != nil { return try reIdentification(a) }
        if a.c.loss == "ctc_loss" {
            let r = try ctc(a)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss],
                           gradients: r.gradient.map { ["grad_log_probs": $0] } ?? [:])
        }
        if a.c.arrays["x1"] != nil { return Outcome(try pairs(a)) }
        if a.c.arrays["input1"] != nil { return Outcome(try ranking(a), names: ("grad_input1", "grad_input2")) }
        if a.c.arrays["sp"] != nil { return Outcome(try circle(a), names: ("grad_sp", "grad_sn")) }
        if a.c.loss == "ssim_loss" { return Outcome(try ssim(a), names: ("grad_x", "grad_y")) }
        if a.c.arrays["words_emb"] != nil {
            return Outcome(try damsmWords(a), names: ("grad_img_features", "grad_words_emb"))
        }
        if a.c.arrays["sent_emb"] != nil { return Outcome(try damsmSentence(a), names: ("grad_img_global", "grad_sent_emb")) }
        if a.c.loss == "ms_ssim_loss" { return Outcome(try msssim(a), names: ("grad_x", "grad_y")) }
        if a.c.loss == "perceptual_loss" { return Outcome(try perceptual(a), names: ("grad_x", "grad_y")) }
        if a.c.loss == "dice_loss" { return Outcome(try dice(a), names: ("grad_pred", "grad_target")) }
        if a.c.loss.hasSuffix("tversky_loss") || a.c.loss == "total_variation" || a.c.loss.hasPrefix("lovasz_") {
            let r = a.c.loss == "total_variation" ? try totalVariation(a)
                : a.c.loss.hasPrefix("lovasz_") ? try lovasz(a) : try tversky(a)
            let name = a.c.loss == "total_variation" ? "grad_img" : "grad_pred"
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { [name: $0] } ?? [:])
        }
        if a.c.arrays["boxes1"] != nil { return Outcome(try boxes(a), names: ("grad_boxes1", "grad_boxes2")) }
        if a.c.arrays["logits"] != nil {
            let r = try dr(a)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { ["grad_logits": $0] } ?? [:])
        }
        if a.c.loss == "td_loss" {
            let r = try td(a)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { ["grad_values": $0] } ?? [:])
        }
        if a.c.loss == "iou_loss" {
            let r = try iou(a)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { ["grad_pred": $0] } ?? [:])
        }
        if a.c.arrays["x_hat"] != nil { return Outcome(try reconstruction(a), names: ("grad_x", "grad_x_hat")) }
        if a.c.arrays["embeddings"] != nil || a.c.arrays["dist"] != nil {
            let r = try batch(a)
            let name = a.c.arrays["dist"] != nil ? "grad_dist" : "grad_embeddings"
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { [name: $0] } ?? [:])
        }
        if a.c.arrays["f1"] != nil {
            let r = try verification(a)
            var gradients: [String: [T]] = [:]
            gradients["grad_f1"] = r.gradientF1
            gradients["grad_f2"] = r.gradientF2
            gradients["grad_weight"] = r.gradientWeight
            gradients["grad_bias"] = r.gradientBias.map { [$0] }
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: gradients)
        }
        if a.c.arrays["negative1"] != nil {
            let r = try quadruplet(a)
            var gradients: [String: [T]] = [:]
            gradients["grad_anchor"] = r.gradientAnchor
            gradients["grad_positive"] = r.gradientPositive
            gradients["grad_negative1"] = r.gradientNegative1
            gradients["grad_negative2"] = r.gradientNegative2
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: gradients)
        }
        if a.c.arrays["anchor"] != nil {
            let r = try triplet(a)
            var gradients: [String: [T]] = [:]
            gradients["grad_anchor"] = r.gradientAnchor
            gradients["grad_positive"] = r.gradientPositive
            gradients["grad_negative"] = r.gradientNegative
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: gradients)
        }
        if a.c.arrays["pk"] != nil { return Outcome(try divergence(a), names: ("grad_pk", "grad_qk")) }
        if a.c.arrays["real_scores"] != nil {
            return Outcome(try wganCritic(a), names: ("grad_real_scores", "grad_fake_scores"))
        }
        if a.c.arrays["fake_scores"] != nil || a.c.arrays["gradients"] != nil {
            let r = try a.c.arrays["gradients"] != nil ? penalty(a) : wganGenerator(a)
            let name = a.c.arrays["gradients"] != nil ? "grad_gradients" : "grad_fake_scores"
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: r.gradient.map { [name: $0] } ?? [:])
        }
        if a.c.arrays["linear_weight"] != nil {
            let r = try linearCE(a)
            var gradients: [String: [T]] = [:]
            gradients["grad_input"] = r.gradientInput
            gradients["grad_linear_weight"] = r.gradientLinearWeight
            if a.c.arrays["linear_bias"] != nil { gradients["grad_linear_bias"] = r.gradientLinearBias }
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: gradients)
        }
        if a.c.loss == "kl_div" { return Outcome(try klDivergenceOfLogs(a)) }
        if a.c.loss == "gaussian_nll_loss" { return Outcome(try gaussianNLL(a), names: ("grad_input", "grad_var")) }
        if a.c.loss.hasSuffix("_grad_target") { return Outcome(values: [], gradients: ["grad_target": try targetGradient(a)]) }
        return Outcome(a.c.defaults ? try defaults(a) : try withParameters(a))
    }

    /// The metrics: entries with a value and no gradient (ConformanceTests checks this list
    /// against the header: every entry with `out` and no gradient output nor table).
    static let metrics: Set<String> = ["wasserstein_distance", "inception_score", "td_error", "td_lambda_returns", "gae",
                                       "fid_from_stats", "fid", "r_precision",
                                       "r_precision_embeddings"]
    static func isMetric(_ loss: String) -> Bool { metrics.contains(loss) }

    /// A metric's values, through its allocating form.
    static func metric<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> [T] {
        let c = a.c
        switch c.loss {
        case "wasserstein_distance":
            let u = a.tensor("u_values")!, v = a.tensor("v_values")!
            if c.defaults { return [try wassersteinDistance(u, v)] }
            return [try wassersteinDistance(u, v, uWeights: a.tensor("u_weights"), vWeights: a.tensor("v_weights"))]
        case "inception_score":
            let p = a.tensor("probs")!, classes = c.arrays["probs"]!.shape.last ?? 0
            let r = c.defaults ? try inceptionScore(p, classes: classes)
                : try inceptionScore(p, classes: classes, splits: Int(c.scalars["splits"]!))
            return [r.mean, r.std]
        case "td_error":
            let r = a.tensor("rewards")!, v = a.tensor("values")!, next = a.tensor("next_values")!, d = a.tensor("dones")!
            if c.defaults { return try tdError(r, v, next, d) }
            return try tdError(r, v, next, d, gamma: a.scalar("gamma")!)
        case "td_lambda_returns":
            let r = a.tensor("rewards")!, d = a.tensor("discounts")!, next = a.tensor("next_values")!
            let rows = c.arrays["rewards"]!.shape[0]
            if c.defaults { return try tdLambdaReturns(r, d, next, trajectories: rows) }
            return try tdLambdaReturns(r, d, next, trajectories: rows, lambda: a.scalar("lambda_")!)
        case "gae":
            let r = a.tensor("rewards")!, d = a.tensor("discounts")!, v = a.tensor("values")!
            let rows = c.arrays["rewards"]!.shape[0]
            if c.defaults { return try gae(r, d, v, trajectories: rows) }
            return try gae(r, d, v, trajectories: rows, lambda: a.scalar("lambda_")!)
        case "fid_from_stats":
            let (m1, s1, m2, s2) = (a.tensor("mu1")!, a.tensor("sigma1")!, a.tensor("mu2")!, a.tensor("sigma2")!)
            if c.defaults { return [try frechetDistance(mu1: m1, sigma1: s1, mu2: m2, sigma2: s2)] }
            return [try frechetDistance(mu1: m1, sigma1: s1, mu2: m2, sigma2: s2, eps: a.scalar("eps")!)]
        case "fid":
            let width = c.arrays["features1"]!.shape.last ?? 0
            let (x1, x2) = (a.tensor("features1")!, a.tensor("features2")!)
            if c.defaults { return [try frechetDistance(features1: x1, features2: x2, width: width)] }
            return [try frechetDistance(features1: x1, features2: x2, width: width, eps: a.scalar("eps")!)]
        case "r_precision":
            let s = a.tensor("scores")!, relevance = a.integers("relevance")
            let k = c.arrays["scores"]!.shape.last ?? 0
            if c.defaults { return try rPrecision(s, relevance, candidates: k) }
            return try rPrecision(s, relevance, candidates: k, reduction: a.reduction)
        case "r_precision_embeddings":
            let shape = c.arrays["text"]!.shape, x = a.tensor("image")!, y = a.tensor("text")!
            if c.defaults { return try rPrecisionEmbeddings(x, y, candidates: shape[1], width: shape[2]) }
            return try rPrecisionEmbeddings(x, y, candidates: shape[1], width: shape[2], eps: a.scalar("eps")!,
                                            reduction: a.reduction)
        default:
            throw LossError(.invalidOption, "no Swift call for \(c.loss)")
        }
    }

    static func pairs<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let c = a.c, x1 = a.tensor("x1")!, x2 = a.tensor("x2")!
        let s1 = c.arrays["x1"]!.shape, s2 = c.arrays["x2"]!.shape
        let width = s1.last ?? 0, rows = s1.count == 2 ? s1[0] : 1, otherRows = s2.count == 2 ? s2[0] : 1
        if c.loss == "cosine_embedding_loss" {
            let y = a.tensor("target")!
            if c.defaults { return try cosineEmbeddingLoss(x1, x2, y, width: width, gradient: true) }
            return try cosineEmbeddingLoss(x1, x2, y, width: width, margin: c.scalars["margin"]!, reduction: a.reduction,
                                           gradient: true, gradOutput: a.tensor("grad_output"))
        }
        if c.loss == "contrastive_loss" {
            let y = a.tensor("target")!
            if c.defaults { return try contrastiveLoss(x1, x2, y, width: width, gradient: true) }
            return try contrastiveLoss(x1, x2, y, width: width, margin: c.scalars["margin"]!, reduction: a.reduction,
                                       gradient: true, gradOutput: a.tensor("grad_output"))
        }
        if c.defaults {
            switch c.loss {
            case "pairwise_distance": return try pairwiseDistance(x1, x2, width: width, gradient: true, rows: rows)
            case "cosine_similarity": return try cosineSimilarity(x1, x2, width: width, gradient: true, rows: rows)
            case "pairwise_distance_matrix":
                return try pairwiseDistanceMatrix(x1, x2, width: width, gradient: true, rows: rows, otherRows: otherRows)
            default:
                return try cosineSimilarityMatrix(x1, x2, width: width, gradient: true, rows: rows, otherRows: otherRows)
            }
        }
        let upstream = a.tensor("grad_output"), eps = c.scalars["eps"]!, reduction = a.reduction
        switch c.loss {
        case "pairwise_distance":
            return try pairwiseDistance(x1, x2, width: width, p: c.scalars["p"]!, eps: eps, reduction: reduction,
                                        gradient: true, gradOutput: upstream, rows: rows)
        case "cosine_similarity":
            return try cosineSimilarity(x1, x2, width: width, eps: eps, reduction: reduction, gradient: true,
                                        gradOutput: upstream, rows: rows)
        case "pairwise_distance_matrix":
            return try pairwiseDistanceMatrix(x1, x2, width: width, p: c.scalars["p"]!, eps: eps, reduction: reduction,
                                              gradient: true, gradOutput: upstream, rows: rows, otherRows: otherRows)
        case "cosine_similarity_matrix":
            return try cosineSimilarityMatrix(x1, x2, width: width, eps: eps, reduction: reduction, gradient: true,
                                              gradOutput: upstream, rows: rows, otherRows: otherRows)
        default:
            throw LossError(.invalidOption, "no Swift call for \(c.loss)")
        }
    }

    /// The re-identification entries: features, labels and caller-owned tables. An update runs
    /// on a copy of its tables, returned as the outcome's tables.
    static func reIdentification<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> Outcome<T> {
        let c = a.c, x = a.tensor("features")!
        let width = c.arrays["features"]!.shape[1]
        if c.loss.hasPrefix("oim") { return try oim(a, x, width: width) }
        let labels = a.integers("labels"), classes = c.arrays["centers"]!.shape[0]
        switch c.loss {
        case "center_loss":
            let centers = a.tensor("centers")!
            let r = c.defaults ? try centerLoss(x, labels, centers, width: width, gradient: true, classes: classes)
                : try centerLoss(x, labels, centers, width: width, reduction: a.reduction, gradient: true,
                                 gradOutput: a.tensor("grad_output"), classes: classes)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss],
                           gradients: ["grad_features": r.gradientFeatures!, "grad_centers": r.gradientCenters!])
        case "center_loss_update":
            var centers = c.arrays["centers"]!.values.map { T($0) }
            if c.defaults {
                try centerLossUpdate(x, labels, centers: &centers, width: width, classes: classes)
            } else {
                try centerLossUpdate(x, labels, centers: &centers, width: width, alpha: a.scalar("alpha")!, classes: classes)
            }
            return Outcome(values: [], gradients: [:], tables: ["centers": centers])
        default:
            throw LossError(.invalidOption, "no Swift call for \(c.loss)")
        }
    }

    /// oim_loss and oim_update: the tables' row counts passed too (a width of 0 cannot tell them).
    static func oim<T, S, L>(_ a: CaseArguments<T, S, L>, _ x: S, width: Int) throws(LossError) -> Outcome<T> {
        let c = a.c, targets = a.integers("targets")
        let l = c.arrays["lut"]!.shape[0], q = c.arrays["queue"]!.shape[0]
        if c.loss == "oim_loss" {
            let lut = a.tensor("lut")!, queue = a.tensor("queue")!
            let r = c.defaults ? try oimLoss(x, targets, lut, queue, width: width, gradient: true, lutRows: l, queueRows: q)
                : try oimLoss(x, targets, lut, queue, width: width, scalar: a.scalar("scalar")!,
                              ignoreIndex: Int(a.scalar("ignore_index")!), reduction: a.reduction, gradient: true,
                              gradOutput: a.tensor("grad_output"), lutRows: l, queueRows: q)
            return Outcome(values: r.reduction == .none ? r.values : [r.loss], gradients: ["grad_features": r.gradient!])
        }
        var lut = c.arrays["lut"]!.values.map { T($0) }, queue = c.arrays["queue"]!.values.map { T($0) }
        let head = Int(a.scalar("queue_head")!)
        let newHead = c.defaults
            ? try oimUpdate(x, targets, lut: &lut, queue: &queue, width: width, queueHead: head, lutRows: l, queueRows: q)
            : try oimUpdate(x, targets, lut: &lut, queue: &queue, width: width, queueHead: head,
                            momentum: a.scalar("momentum")!, ignoreIndex: Int(a.scalar("ignore_index")!), lutRows: l,
                            queueRows: q)
        return Outcome(values: [], gradients: [:], tables: ["lut": lut, "queue": queue, "new_head": [T(newHead)]])
    }

    /// The losses of input1, input2 and a target (margin_ranking_loss).
    static func ranking<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x1 = a.tensor("input1")!, x2 = a.tensor("input2")!, y = a.tensor("target")!
        if a.c.defaults { return try marginRankingLoss(x1, x2, y, gradient: true) }
        return try marginRankingLoss(x1, x2, y, margin: a.scalar("margin")!, reduction: a.reduction, gradient: true,
                                     gradOutput: a.tensor("grad_output"))
    }

    /// circle_loss: rows of sp and sn (one row for the authors' 1-D form).
    static func circle<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let sp = a.tensor("sp")!, sn = a.tensor("sn")!, shape = a.c.arrays["sp"]!.shape
        let rows = shape.count == 2 ? shape[0] : 1
        if a.c.defaults { return try circleLoss(sp, sn, gradient: true) }
        return try circleLoss(sp, sn, rows: rows, m: a.scalar("m")!, gamma: a.scalar("gamma")!, reduction: a.reduction,
                              gradient: true, gradOutput: a.tensor("grad_output"))
    }


    /// The box IoU losses: (n, 4) boxes1 and boxes2.
    static func boxes<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let b1 = a.tensor("boxes1")!, b2 = a.tensor("boxes2")!
        switch a.c.loss {
        case "generalized_box_iou_loss":
            if a.c.defaults { return try generalizedBoxIouLoss(b1, b2, gradient: true) }
            return try generalizedBoxIouLoss(b1, b2, reduction: a.reduction, eps: a.scalar("eps")!, gradient: true,
                                             gradOutput: a.tensor("grad_output"))
        case "distance_box_iou_loss":
            if a.c.defaults { return try distanceBoxIouLoss(b1, b2, gradient: true) }
            return try distanceBoxIouLoss(b1, b2, reduction: a.reduction, eps: a.scalar("eps")!, gradient: true,
                                          gradOutput: a.tensor("grad_output"))
        default:
            if a.c.defaults { return try completeBoxIouLoss(b1, b2, gradient: true) }
            return try completeBoxIouLoss(b1, b2, reduction: a.reduction, eps: a.scalar("eps")!, gradient: true,
                                          gradOutput: a.tensor("grad_output"))
        }
    }

    /// sigmoid_dr_loss: (n, c) logits and n integer targets.
    static func dr<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let logits = a.tensor("logits")!, targets = a.integers("targets"), shape = a.c.arrays["logits"]!.shape
        let classes = shape[1]
        if a.c.defaults { return try sigmoidDRLoss(logits, targets, classes: classes, gradient: true) }
        func s(_ name: String) -> Double { a.scalar(name)! }
        return try sigmoidDRLoss(logits, targets, classes: classes, posLambda: s("pos_lambda"), negLambda: s("neg_lambda"),
                                 L: s("L"), tau: s("tau"), margin: s("margin"), reduction: a.reduction, gradient: true,
                                 gradOutput: a.tensor("grad_output"))
    }

    /// iou_loss: (n, 4) pred and target, an optional weight, loss_type as FCOS's selector.
    static func iou<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let pred = a.tensor("pred")!, target = a.tensor("target")!
        if a.c.defaults { return try iouLoss(pred, target, gradient: true) }
        let type = try IoULossType(selector: Int32(a.scalar("loss_type")!))
        return try iouLoss(pred, target, weight: a.tensor("weight"), lossType: type, reduction: a.reduction,
                           gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// td_loss: rewards, values, next_values and dones, one transition per element; loss as the C selector.
    static func td<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let r = a.tensor("rewards")!, v = a.tensor("values")!, next = a.tensor("next_values")!, d = a.tensor("dones")!
        if a.c.defaults { return try tdLoss(r, v, next, d, gradient: true) }
        let type = try TDLossType(selector: Int32(a.scalar("loss")!))
        return try tdLoss(r, v, next, d, gamma: a.scalar("gamma")!, loss: type, reduction: a.reduction, gradient: true,
                          gradOutput: a.tensor("grad_output"))
    }

    /// The sizes of a ctc_loss case: (t, n, c) from log_probs; s from padded (N, S) targets, 0
    /// for concatenated (1-D) ones.
    static func ctcShape<T, S, L>(_ a: CaseArguments<T, S, L>) -> CTCShape {
        let x = a.c.arrays["log_probs"]!.shape, y = a.c.arrays["targets"]!.shape
        return CTCShape(t: x[0], n: x[1], c: x[2], s: y.count == 2 ? y[1] : 0)
    }

    /// ctc_loss: (T, N, C) log-probabilities, the targets, the input and target lengths.
    static func ctc<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let x = a.tensor("log_probs")!, y = a.integers("targets")
        let inputs = a.integers("input_lengths"), lengths = a.integers("target_lengths")
        if a.c.defaults {
            return try ctcLoss(x, targets: y, inputLengths: inputs, targetLengths: lengths, shape: ctcShape(a),
                               gradient: true)
        }
        return try ctcLoss(x, targets: y, inputLengths: inputs, targetLengths: lengths, shape: ctcShape(a),
                           blank: Int(a.scalar("blank")!), reduction: a.reduction,
                           zeroInfinity: a.scalar("zero_infinity")! != 0, gradient: true,
                           gradOutput: a.tensor("grad_output"))
    }

    /// The (N, C, H, W) shape of an image-quality case.
    static func imageShape<T, S, L>(_ a: CaseArguments<T, S, L>) -> ImageShape {
        let s = a.c.arrays["x"]!.shape
        return ImageShape(n: s[0], c: s[1], h: s[2], w: s[3])
    }

    /// The sizes of a DAMSM case: (n, d, r) from the images, t from the words (the sentence loss:
    /// (n, d)).
    static func damsmShape<T, S, L>(_ a: CaseArguments<T, S, L>) -> DAMSMShape {
        let image = (a.c.arrays["img_features"] ?? a.c.arrays["img_global"])!.shape
        return DAMSMShape(n: image[0], d: image[1], r: image.count > 2 ? image[2] : 0,
                          t: a.c.arrays["words_emb"]?.shape[2] ?? 0)
    }

    /// A DAMSM case's class ids, when it has them.
    static func classIds<T, S, L>(_ a: CaseArguments<T, S, L>) -> [Int]? {
        a.c.arrays["class_ids"]?.values.map { Int($0) }
    }

    /// damsm_words_loss: (N, D, R) regions, (N, D, T) words, the caption lengths.
    static func damsmWords<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let v = a.tensor("img_features")!, e = a.tensor("words_emb")!, lengths = a.integers("cap_lens")
        if a.c.defaults { return try damsmWordsLoss(v, e, capLens: lengths, shape: damsmShape(a), gradient: true) }
        return try damsmWordsLoss(v, e, capLens: lengths, classIds: classIds(a), shape: damsmShape(a),
                                  gamma1: a.scalar("gamma1")!, gamma2: a.scalar("gamma2")!, gamma3: a.scalar("gamma3")!,
                                  reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// damsm_sentence_loss: (N, D) global image features and sentences.
    static func damsmSentence<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("img_global")!, y = a.tensor("sent_emb")!
        if a.c.defaults { return try damsmSentenceLoss(x, y, shape: damsmShape(a), gradient: true) }
        return try damsmSentenceLoss(x, y, classIds: classIds(a), shape: damsmShape(a), gamma3: a.scalar("gamma3")!,
                                     reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// ssim_loss over (N, C, H, W) images.
    static func ssim<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = imageShape(a)
        if a.c.defaults { return try ssimLoss(x, y, shape: shape, gradient: true) }
        return try ssimLoss(x, y, shape: shape, dataRange: a.scalar("data_range")!, winSize: Int(a.scalar("win_size")!),
                            winSigma: a.scalar("win_sigma")!, k: (a.scalar("k1")!, a.scalar("k2")!),
                            reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// perceptual_loss of one layer's (N, C, H, W) maps.
    static func perceptual<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = imageShape(a)
        if a.c.defaults { return try perceptualLoss(x, y, shape: shape, gradient: true) }
        return try perceptualLoss(x, y, shape: shape, layerWeight: a.scalar("layer_weight")!,
                                  styleWeight: a.scalar("style_weight")!, reduction: a.reduction, gradient: true,
                                  gradOutput: a.tensor("grad_output"))
    }

    /// ms_ssim_loss over (N, C, H, W) images; the case's weights or the default five.
    static func msssim<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = imageShape(a)
        if a.c.defaults { return try msSsimLoss(x, y, shape: shape, gradient: true) }
        return try msSsimLoss(x, y, shape: shape, dataRange: a.scalar("data_range")!,
                              winSize: Int(a.scalar("win_size")!), winSigma: a.scalar("win_sigma")!,
                              weights: a.c.arrays["weights"]?.values ?? msssimDefaultWeights,
                              k: (a.scalar("k1")!, a.scalar("k2")!), reduction: a.reduction, gradient: true,
                              gradOutput: a.tensor("grad_output"))
    }

    /// dice_loss: (N, C, ...) pred and target, the batch and channels from pred's shape.
    static func dice<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let pred = a.tensor("pred")!, target = a.tensor("target")!, shape = a.c.arrays["pred"]!.shape
        if a.c.defaults { return try diceLoss(pred, target, batch: shape[0], channels: shape[1], gradient: true) }
        return try diceLoss(pred, target, batch: shape[0], channels: shape[1], smooth: a.scalar("smooth")!,
                            reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// tversky_loss and focal_tversky_loss: (N, C, H, W) logits and (N, H, W) labels; alpha and
    /// beta have no default and come from the case.
    static func tversky<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let pred = a.tensor("pred")!, shape = a.c.arrays["pred"]!.shape
        let layout = ClassLayout(batch: shape[0], classes: shape[1], inner: shape.dropFirst(2).reduce(1, *))
        let labels = a.integers("target"), alpha = a.scalar("alpha")!, beta = a.scalar("beta")!
        if a.c.loss == "focal_tversky_loss" {
            if a.c.defaults {
                return try focalTverskyLoss(pred, labels, layout: layout, alpha: alpha, beta: beta, gradient: true)
            }
            return try focalTverskyLoss(pred, labels, layout: layout, alpha: alpha, beta: beta, gamma: a.scalar("gamma")!,
                                        eps: a.scalar("eps")!, ignoreIndex: a.ignoreIndex, reduction: a.reduction,
                                        gradient: true, gradOutput: a.tensor("grad_output"))
        }
        if a.c.defaults { return try tverskyLoss(pred, labels, layout: layout, alpha: alpha, beta: beta, gradient: true) }
        return try tverskyLoss(pred, labels, layout: layout, alpha: alpha, beta: beta, eps: a.scalar("eps")!,
                               ignoreIndex: a.ignoreIndex, reduction: a.reduction, gradient: true,
                               gradOutput: a.tensor("grad_output"))
    }

    /// lovasz_hinge_loss ((N, 1, H, W) logits, labels 0 or 1) and lovasz_softmax_loss ((N, C, H, W)
    /// logits, labels, an optional weight per class); neither has a parameter with a default but the
    /// reduction and the weight.
    static func lovasz<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let pred = a.tensor("pred")!, shape = a.c.arrays["pred"]!.shape, labels = a.integers("target")
        let pixels = shape.dropFirst(2).reduce(1, *)
        if a.c.loss == "lovasz_hinge_loss" {
            if a.c.defaults { return try lovaszHingeLoss(pred, labels, batch: shape[0], pixels: pixels, gradient: true) }
            return try lovaszHingeLoss(pred, labels, batch: shape[0], pixels: pixels, reduction: a.reduction,
                                       gradient: true, gradOutput: a.tensor("grad_output"))
        }
        let layout = ClassLayout(batch: shape[0], classes: shape[1], inner: pixels)
        if a.c.defaults { return try lovaszSoftmaxLoss(pred, labels, layout: layout, gradient: true) }
        return try lovaszSoftmaxLoss(pred, labels, layout: layout, weight: a.tensor("weight"), reduction: a.reduction,
                                     gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// total_variation: img (*, H, W), its planes the product of the leading dimensions.
    static func totalVariation<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let img = a.tensor("img")!, shape = a.c.arrays["img"]!.shape
        let h = shape[shape.count - 2], w = shape[shape.count - 1], planes = shape.dropLast(2).reduce(1, *)
        if a.c.defaults { return try Losses.totalVariation(img, planes: planes, height: h, width: w, gradient: true) }
        return try Losses.totalVariation(img, planes: planes, height: h, width: w, mean: a.scalar("mean")! == 1,
                                         reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// reconstruction_loss: x and x_hat elementwise.
    static func reconstruction<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("x")!, xHat = a.tensor("x_hat")!
        if a.c.defaults { return try reconstructionLoss(x, xHat, gradient: true) }
        return try reconstructionLoss(x, xHat, p: a.scalar("p")!, reduction: a.reduction, gradient: true,
                                      gradOutput: a.tensor("grad_output"))
    }

    /// gaussian_nll_loss: rows of input's last dimension (one row for a 1-D input); var per element
    /// or per row, which the Swift API tells from its count.
    static func gaussianNLL<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let x = a.tensor("input")!, y = a.tensor("target")!, v = a.tensor("var")!
        let shape = a.c.arrays["input"]!.shape
        let width = shape.count >= 2 ? shape.last! : (shape.first ?? 1)
        if a.c.defaults { return try gaussianNLLLoss(x, y, variance: v, width: width, gradient: true) }
        return try gaussianNLLLoss(x, y, variance: v, width: width, full: a.scalar("full")! != 0, eps: a.scalar("eps")!,
                                   reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// kl_div: rows = input.shape[0] (the count of a 1-D input); log_target and batchmean flags.
    static func klDivergenceOfLogs<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let x = a.tensor("input")!, t = a.tensor("target")!, rows = a.c.arrays["input"]!.shape.first ?? 1
        if a.c.defaults { return try klDiv(x, t, rows: rows, gradient: true) }
        return try klDiv(x, t, rows: rows, logTarget: a.scalar("log_target")! != 0, reduction: a.reduction,
                         batchMean: a.scalar("batchmean")! != 0, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// kl_divergence and js_divergence: (…, d) p and q, one row per distribution.
    static func divergence<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let p = a.tensor("pk")!, q = a.tensor("qk")!, shape = a.c.arrays["pk"]!.shape
        let rows = shape.dropLast().reduce(1, *), js = a.c.loss == "js_divergence"
        if a.c.defaults {
            return js ? try jsDivergence(p, q, rows: rows, gradient: true) : try klDivergence(p, q, rows: rows, gradient: true)
        }
        if js { return try jsDivergence(p, q, rows: rows, reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output")) }
        return try klDivergence(p, q, rows: rows, reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// wgan_critic_loss: N real and M fake scores.
    static func wganCritic<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> PairResult<T> {
        let real = a.tensor("real_scores")!, fake = a.tensor("fake_scores")!
        if a.c.defaults { return try wganCriticLoss(real, fake, gradient: true) }
        return try wganCriticLoss(real, fake, reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// wgan_generator_loss: M fake scores.
    static func wganGenerator<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let fake = a.tensor("fake_scores")!
        if a.c.defaults { return try wganGeneratorLoss(fake, gradient: true) }
        return try wganGeneratorLoss(fake, reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// gradient_penalty: (N, …) gradients, one row per sample.
    static func penalty<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let g = a.tensor("gradients")!, rows = a.c.arrays["gradients"]!.shape.first ?? 1
        if a.c.defaults { return try gradientPenalty(g, rows: rows, gradient: true) }
        return try gradientPenalty(g, rows: rows, weight: a.scalar("weight")!, reduction: a.reduction, gradient: true,
                                   gradOutput: a.tensor("grad_output"))
    }

    /// triplet_margin_loss and triplet_margin_with_distance_loss: rows of the anchor's width.
    static func triplet<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> TripletResult<T> {
        let anchor = a.tensor("anchor")!, positive = a.tensor("positive")!, negative = a.tensor("negative")!
        let shape = a.c.arrays["anchor"]!.shape
        let width = shape.last ?? 0, rows = shape.count == 2 ? shape[0] : 1
        if a.c.loss == "triplet_margin_with_distance_loss" {
            if a.c.defaults {
                return try tripletMarginWithDistanceLoss(anchor, positive, negative, width: width, gradient: true, rows: rows)
            }
            let distance = try TripletDistanceFunction(selector: Int32(a.scalar("distance_function")!))
            return try tripletMarginWithDistanceLoss(anchor, positive, negative, width: width, distanceFunction: distance,
                                                     margin: a.scalar("margin")!, swap: a.scalar("swap")! != 0,
                                                     reduction: a.reduction, gradient: true,
                                                     gradOutput: a.tensor("grad_output"), rows: rows)
        }
        if a.c.defaults { return try tripletMarginLoss(anchor, positive, negative, width: width, gradient: true, rows: rows) }
        return try tripletMarginLoss(anchor, positive, negative, width: width, margin: a.scalar("margin")!, p: a.scalar("p")!,
                                     eps: a.scalar("eps")!, swap: a.scalar("swap")! != 0, reduction: a.reduction,
                                     gradient: true, gradOutput: a.tensor("grad_output"), rows: rows)
    }

    /// The losses over a whole batch: embeddings (rows of their width) or a distance matrix, labels.
    static func batch<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let c = a.c, upstream = a.tensor("grad_output"), r = a.reduction
        if c.loss == "batch_hard_quadruplet_loss" {
            let dist = a.tensor("dist")!
            if c.defaults { return try batchHardQuadrupletLoss(dist, a.batchLabels, gradient: true) }
            return try batchHardQuadrupletLoss(dist, a.batchLabels, margin1: a.scalar("margin1")!,
                                               margin2: a.scalar("margin2")!, reduction: r, gradient: true,
                                               gradOutput: upstream)
        }
        let x = a.tensor("embeddings")!, shape = c.arrays["embeddings"]!.shape
        let width = shape.last ?? 0, rows = shape.first ?? 0
        switch (c.loss, c.defaults) {
        case ("batch_hard_triplet_loss", true): return try batchHardTripletLoss(x, a.batchLabels, width: width, gradient: true)
        case ("batch_hard_triplet_loss", false):
            return try batchHardTripletLoss(x, a.batchLabels, width: width, margin: a.scalar("margin")!,
                                            squared: a.scalar("squared")! != 0, soft: a.scalar("soft")! != 0,
                                            reduction: r, gradient: true, gradOutput: upstream)
        case ("circle_loss_embeddings", true): return try circleLossEmbeddings(x, a.batchLabels, width: width, gradient: true)
        case ("circle_loss_embeddings", false):
            return try circleLossEmbeddings(x, a.batchLabels, width: width, m: a.scalar("m")!, gamma: a.scalar("gamma")!,
                                            reduction: r, gradient: true, gradOutput: upstream)
        case ("ntxent_loss", true): return try ntxentLoss(x, width: width, rows: rows, gradient: true)
        case ("ntxent_loss", false):
            return try ntxentLoss(x, width: width, rows: rows, temperature: a.scalar("temperature")!, reduction: r,
                                  gradient: true, gradOutput: upstream)
        default: throw LossError(.invalidOption, "no Swift call for \(c.loss)")
        }
    }

    /// verification_loss: rows of f1's width.
    static func verification<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> VerificationResult<T> {
        let f1 = a.tensor("f1")!, f2 = a.tensor("f2")!, label = a.tensor("label")!
        let width = a.c.arrays["f1"]!.shape.last ?? 0
        if a.c.defaults { return try verificationLoss(f1, f2, label, width: width, gradient: true) }
        return try verificationLoss(f1, f2, label, weight: a.tensor("weight"), bias: a.scalar("bias")!, width: width,
                                    reduction: a.reduction, gradient: true, gradOutput: a.tensor("grad_output"))
    }

    /// linear_cross_entropy: the class count is linear_weight's first dimension.
    static func linearCE<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LinearCrossEntropyResult<T> {
        let x = a.tensor("input")!, w = a.tensor("linear_weight")!
        let classes = a.c.arrays["linear_weight"]!.shape[0]
        if a.c.defaults { return try linearCrossEntropy(x, w, a.labels, classes: classes, gradient: true) }
        return try linearCrossEntropy(x, w, a.labels, classes: classes, linearBias: a.tensor("linear_bias"),
                                      weight: a.tensor("weight"), reduction: a.reduction, ignoreIndex: a.ignoreIndex,
                                      labelSmoothing: a.scalar("label_smoothing") ?? 0, gradient: true,
                                      gradOutput: a.tensor("grad_output"))
    }

    /// quadruplet_loss: rows of the anchor's width.
    static func quadruplet<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> QuadrupletResult<T> {
        let anchor = a.tensor("anchor")!, positive = a.tensor("positive")!
        let negative1 = a.tensor("negative1")!, negative2 = a.tensor("negative2")!
        let shape = a.c.arrays["anchor"]!.shape
        let width = shape.last ?? 0, rows = shape.count == 2 ? shape[0] : 1
        if a.c.defaults {
            return try quadrupletLoss(anchor, positive, negative1, negative2, width: width, gradient: true, rows: rows)
        }
        return try quadrupletLoss(anchor, positive, negative1, negative2, width: width, margin1: a.scalar("margin1")!,
                                  margin2: a.scalar("margin2")!, reduction: a.reduction, gradient: true,
                                  gradOutput: a.tensor("grad_output"), rows: rows)
    }

    /// The gradient with respect to the target (`<loss>_grad_target` cases): the loss's arguments,
    /// all of them as the case spells them out, or only the inputs for a defaults case.
    static func targetGradient<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> [T] {
        let x = a.tensor("input")!, y = a.tensor("target")!, weight = a.tensor("weight")
        let upstream = a.tensor("grad_output"), reduction = a.reduction
        if a.c.defaults {
            switch a.c.loss {
            case "mse_loss_grad_target": return try mseLossTargetGradient(x, y)
            case "l1_loss_grad_target": return try l1LossTargetGradient(x, y)
            case "huber_loss_grad_target": return try huberLossTargetGradient(x, y)
            case "smooth_l1_loss_grad_target": return try smoothL1LossTargetGradient(x, y)
            case "binary_cross_entropy_grad_target": return try binaryCrossEntropyTargetGradient(x, y)
            case "binary_cross_entropy_with_logits_grad_target": return try binaryCrossEntropyWithLogitsTargetGradient(x, y)
            case "cross_entropy_probs_grad_target": return try crossEntropyTargetGradient(x, probabilities: y, layout: a.layout)
            case "kl_div_grad_target": return try klDivTargetGradient(x, y, rows: a.c.arrays["input"]!.shape.first ?? 1)
            case "poisson_nll_loss_grad_target": return try poissonNLLLossTargetGradient(x, y)
            case "multilabel_soft_margin_loss_grad_target":
                return try multilabelSoftMarginLossTargetGradient(x, y, classes: a.layout.classes)
            case "poly_loss_cross_entropy_grad_target":
                return try polyLossCrossEntropyTargetGradient(x, labels: y, classes: a.layout.classes)
            default: throw LossError(.invalidOption, "no Swift call of \(a.c.loss) at its defaults")
            }
        }
        switch a.c.loss {
        case "mse_loss_grad_target":
            return try mseLossTargetGradient(x, y, weight: weight, reduction: reduction, gradOutput: upstream)
        case "l1_loss_grad_target":
            return try l1LossTargetGradient(x, y, weight: weight, reduction: reduction, gradOutput: upstream)
        case "huber_loss_grad_target":
            return try huberLossTargetGradient(x, y, reduction: reduction, delta: a.scalar("delta")!, weight: weight,
                                               gradOutput: upstream)
        case "smooth_l1_loss_grad_target":
            return try smoothL1LossTargetGradient(x, y, reduction: reduction, beta: a.scalar("beta")!, gradOutput: upstream)
        case "binary_cross_entropy_grad_target":
            return try binaryCrossEntropyTargetGradient(x, y, weight: weight, reduction: reduction, gradOutput: upstream)
        case "binary_cross_entropy_with_logits_grad_target":
            return try binaryCrossEntropyWithLogitsTargetGradient(x, y, weight: weight, reduction: reduction,
                                                                  posWeight: a.tensor("pos_weight"), gradOutput: upstream)
        case "cross_entropy_probs_grad_target":
            return try crossEntropyTargetGradient(x, probabilities: y, layout: a.layout, weight: weight,
                                                  reduction: reduction, labelSmoothing: a.scalar("label_smoothing") ?? 0,
                                                  gradOutput: upstream)
        case "poisson_nll_loss_grad_target":
            return try poissonNLLLossTargetGradient(x, y, logInput: a.scalar("log_input")! != 0,
                                                    full: a.scalar("full")! != 0, eps: a.scalar("eps")!,
                                                    reduction: reduction, gradOutput: upstream)
        case "multilabel_soft_margin_loss_grad_target":
            return try multilabelSoftMarginLossTargetGradient(x, y, classes: a.layout.classes, weight: weight,
                                                              reduction: reduction, gradOutput: upstream)
        case "kl_div_grad_target":
            return try klDivTargetGradient(x, y, rows: a.c.arrays["input"]!.shape.first ?? 1,
                                           logTarget: a.scalar("log_target")! != 0, reduction: reduction,
                                           batchMean: a.scalar("batchmean")! != 0, gradOutput: upstream)
        case "poly_loss_cross_entropy_grad_target":
            return try polyLossCrossEntropyTargetGradient(x, labels: y, classes: a.layout.classes,
                                                          epsilon: a.scalar("epsilon")!, reduction: reduction,
                                                          gradOutput: upstream)
        default:
            throw LossError(.invalidOption, "no Swift call for \(a.c.loss)")
        }
    }

    /// Only the inputs (and the layout, which is a shape, not a parameter).
    static func defaults<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let x = a.tensor("input")!, y = a.tensor("target")!, layout = a.layout
        switch a.c.loss {
        case "cross_entropy": return try crossEntropy(x, a.labels, layout: layout, gradient: true)
        case "cross_entropy_probs": return try crossEntropy(x, probabilities: y, layout: layout, gradient: true)
        case "nll_loss": return try nllLoss(x, a.labels, layout: layout, gradient: true)
        case "focal_loss": return try focalLoss(x, a.labels, layout: layout, gradient: true)
        case "multi_margin_loss": return try multiMarginLoss(x, a.labels, classes: layout.classes, gradient: true)
        case "binary_cross_entropy": return try binaryCrossEntropy(x, y, gradient: true)
        case "binary_cross_entropy_with_logits": return try binaryCrossEntropyWithLogits(x, y, gradient: true)
        case "sigmoid_focal_loss": return try sigmoidFocalLoss(x, y, gradient: true)
        case "hinge_loss": return try hingeLoss(x, y, gradient: true)
        case "hinge_embedding_loss": return try hingeEmbeddingLoss(x, y, gradient: true)
        case "soft_margin_loss": return try softMarginLoss(x, y, gradient: true)
        case "logistic_loss": return try logisticLoss(x, y, gradient: true)
        case "sparsemax_loss": return try sparsemaxLoss(x, y, gradient: true)
        case "mse_loss": return try mseLoss(x, y, gradient: true)
        case "l1_loss": return try l1Loss(x, y, gradient: true)
        case "huber_loss": return try huberLoss(x, y, gradient: true)
        case "smooth_l1_loss": return try smoothL1Loss(x, y, gradient: true)
        case "log_cosh_loss": return try logCoshLoss(x, y, gradient: true)
        case "quantile_loss": return try quantileLoss(x, y, gradient: true)
        case "poisson_nll_loss": return try poissonNLLLoss(x, y, gradient: true)
        case "multilabel_margin_loss": return try multilabelMarginLoss(x, a.labels, classes: layout.classes, gradient: true)
        case "multilabel_soft_margin_loss":
            return try multilabelSoftMarginLoss(x, y, classes: layout.classes, gradient: true)
        case "poly_loss_cross_entropy": return try polyLossCrossEntropy(x, labels: y, classes: layout.classes, gradient: true)
        default: throw LossError(.invalidOption, "no Swift call of \(a.c.loss) at its defaults")
        }
    }

    /// Every parameter as the case spells it out.
    static func withParameters<T, S, L>(_ a: CaseArguments<T, S, L>) throws(LossError) -> LossResult<T> {
        let x = a.tensor("input")!, y = a.tensor("target")!, weight = a.tensor("weight")
        let upstream = a.tensor("grad_output"), reduction = a.reduction, layout = a.layout
        switch a.c.loss {
        case "cross_entropy":
            return try crossEntropy(x, a.labels, layout: layout, weight: weight, ignoreIndex: a.ignoreIndex,
                                    reduction: reduction, labelSmoothing: a.scalar("label_smoothing") ?? 0,
                                    gradient: true, gradOutput: upstream)
        case "cross_entropy_probs":
            return try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: reduction,
                                    labelSmoothing: a.scalar("label_smoothing") ?? 0, gradient: true, gradOutput: upstream)
        case "nll_loss":
            return try nllLoss(x, a.labels, layout: layout, weight: weight, ignoreIndex: a.ignoreIndex,
                               reduction: reduction, gradient: true, gradOutput: upstream)
        case "focal_loss":
            return try focalLoss(x, a.labels, layout: layout, gamma: a.scalar("gamma")!, alpha: a.c.arrays["alpha"]?.values,
                                 ignoreIndex: a.ignoreIndex, reduction: reduction, gradient: true, gradOutput: upstream)
        case "multi_margin_loss":
            return try multiMarginLoss(x, a.labels, classes: layout.classes, p: Int(a.scalar("p")!),
                                       margin: a.scalar("margin")!, weight: weight, reduction: reduction,
                                       gradient: true, gradOutput: upstream)
        case "binary_cross_entropy":
            return try binaryCrossEntropy(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "binary_cross_entropy_with_logits":
            return try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: reduction,
                                                    posWeight: a.tensor("pos_weight"), gradient: true, gradOutput: upstream)
        case "sigmoid_focal_loss":
            return try sigmoidFocalLoss(x, y, alpha: a.scalar("alpha")!, gamma: a.scalar("gamma")!,
                                        reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_loss":
            return try hingeLoss(x, y, margin: a.scalar("margin")!, squared: a.scalar("squared")! != 0,
                                 reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_embedding_loss":
            return try hingeEmbeddingLoss(x, y, margin: a.scalar("margin")!, reduction: reduction,
                                          gradient: true, gradOutput: upstream)
        case "soft_margin_loss":
            return try softMarginLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "logistic_loss":
            return try logisticLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "sparsemax_loss":
            return try sparsemaxLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "mse_loss":
            return try mseLoss(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "l1_loss":
            return try l1Loss(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "huber_loss":
            return try huberLoss(x, y, reduction: reduction, delta: a.scalar("delta")!, weight: weight,
                                 gradient: true, gradOutput: upstream)
        case "smooth_l1_loss":
            return try smoothL1Loss(x, y, reduction: reduction, beta: a.scalar("beta")!, gradient: true,
                                    gradOutput: upstream)
        case "log_cosh_loss":
            return try logCoshLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "quantile_loss":
            return try quantileLoss(x, y, quantiles: a.c.arrays["quantile"]!.values, reduction: reduction,
                                    gradient: true, gradOutput: upstream)
        case "poisson_nll_loss":
            return try poissonNLLLoss(x, y, logInput: a.scalar("log_input")! != 0, full: a.scalar("full")! != 0,
                                      eps: a.scalar("eps")!, reduction: reduction, gradient: true, gradOutput: upstream)
        case "multilabel_margin_loss":
            return try multilabelMarginLoss(x, a.labels, classes: layout.classes, reduction: reduction, gradient: true,
                                            gradOutput: upstream)
        case "multilabel_soft_margin_loss":
            return try multilabelSoftMarginLoss(x, y, classes: layout.classes, weight: weight, reduction: reduction,
                                                gradient: true, gradOutput: upstream)
        case "poly_loss_cross_entropy":
            return try polyLossCrossEntropy(x, labels: y, classes: layout.classes, epsilon: a.scalar("epsilon")!,
                                            reduction: reduction, gradient: true, gradOutput: upstream)
        default:
            throw LossError(.invalidOption, "no Swift call for \(a.c.loss)")
        }
    }
}
