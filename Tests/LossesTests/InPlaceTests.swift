import Losses
import XCTest

/// Every conformance case (but the defaults ones, whose signatures the allocating forms check,
/// and the target gradients, which have no in-place form)
/// through the three in-place forms: the bits of the allocating form where it succeeds; where it
/// throws, the same error and not one element written.
final class InPlaceTests: XCTestCase {
    func testInPlaceFormsAgreeWithAllocatingAndWriteNothingOnError() throws {
        // The target gradients have an allocating form only; an update is its own in-place form
        // (testUpdatesThatThrowLeaveTheirTables).
        // A metric has no gradient: testMetricsIntoStorage.
        for c in try VectorCase.all() where !c.defaults && !c.loss.hasSuffix("_grad_target") && !c.loss.hasSuffix("_update")
            && !VectorCalls.isMetric(c.loss) {
            switch c.dtype {
            case "f32": check(c, as: Float.self)
            default: check(c, as: Double.self)
            }
        }
    }

    /// What no loss computes: an element still equal to it after a call was not written.
    private static let sentinel = -7.25

    private func check<T: LossFloat>(_ c: VectorCase, as _: T.Type) {
        let a = CaseArguments(c, store: { (a: [T]) in a }, labels: Int.self)
        let reference = Result { () throws(LossError) in try VectorCalls.run(a) }
        let reduced = a.reduction != .none
        // Exact counts where the call succeeds; where it throws, its arguments are refused before
        // any output is looked at, so the counts do not matter.
        let outCount = (try? reference.get().values.count) ?? 1
        let inputs = c.arrays["linear_weight"] != nil
            ? ["input", "linear_weight"] + (c.arrays["linear_bias"] != nil ? ["linear_bias"] : [])
            : c.loss == "ctc_loss" ? ["log_probs"] : c.arrays["f1"] != nil ? ["f1", "f2", "weight", "bias"] : c.arrays["x1"] != nil ? ["x1", "x2"] : c.arrays["input1"] != nil ? ["input1", "input2"]
            : c.arrays["sp"] != nil ? ["sp", "sn"] : c.loss.hasSuffix("ssim_loss") || c.loss == "perceptual_loss" ? ["x", "y"]
            : c.arrays["words_emb"] != nil ? ["img_features", "words_emb"]
            : c.arrays["sent_emb"] != nil ? ["img_global", "sent_emb"]
            : c.loss == "dice_loss" ? ["pred", "target"] : c.arrays["x_hat"] != nil ? ["x", "x_hat"]
            : c.arrays["boxes1"] != nil ? ["boxes1", "boxes2"]
            : c.arrays["pred"] != nil ? ["pred"] : c.arrays["logits"] != nil ? ["logits"]
            : c.loss == "td_loss" ? ["values"]
            : c.arrays["negative1"] != nil ? ["anchor", "positive", "negative1", "negative2"]
            : c.arrays["anchor"] != nil ? ["anchor", "positive", "negative"]
            : c.arrays["embeddings"] != nil ? ["embeddings"] : c.arrays["dist"] != nil ? ["dist"]
            : c.arrays["centers"] != nil ? ["features", "centers"] : c.arrays["features"] != nil ? ["features"]
            : c.arrays["pk"] != nil ? ["pk", "qk"] : c.arrays["real_scores"] != nil ? ["real_scores", "fake_scores"]
            : c.arrays["fake_scores"] != nil ? ["fake_scores"] : c.arrays["gradients"] != nil ? ["gradients"]
            : c.arrays["img"] != nil ? ["img"] : c.arrays["var"] != nil ? ["input", "var"] : ["input"]
        let gradientNames = inputs.map { "grad_\($0)" }
        func fresh(_ count: Int) -> [T] { [T](repeating: T(Self.sentinel), count: count) }
        let gradientCounts = inputs.map { $0 == "bias" ? 1 : c.arrays[$0]!.values.count }

        var values = fresh(outCount), gradients = gradientCounts.map(fresh)
        let both = catching { try InPlaceCalls.run(a, .both, values: &values, gradients: &gradients) }
        expect(both.map { _ in Outcome(values: values, gradients: Dictionary(uniqueKeysWithValues: zip(gradientNames, gradients))) },
               reference, c, "into: values and gradients", written: values + gradients.joined())

        (values, gradients) = (fresh(outCount), gradientCounts.map(fresh))
        let valuesOnly = catching { try InPlaceCalls.run(a, .values, values: &values, gradients: &gradients) }
        expect(valuesOnly.map { _ in Outcome(values: values, gradients: [:]) },
               reference.map { Outcome(values: $0.values, gradients: [:]) }, c, "into: values", written: values)
        XCTAssertTrue(gradients.joined().allSatisfy { $0 == T(Self.sentinel) }, "\(c.id): gradients written")

        (values, gradients) = (fresh(outCount), gradientCounts.map(fresh))
        let loss = catching { try InPlaceCalls.run(a, .reduced, values: &values, gradients: &gradients) }
        if reduced {
            expect(loss.map { Outcome(values: [$0], gradients: Dictionary(uniqueKeysWithValues: zip(gradientNames, gradients))) },
                   reference, c, "reduced, gradient:", written: Array(gradients.joined()))
        } else {
            // The reduced form refuses .none before anything else.
            XCTAssertEqual((loss.map { _ in () } as Result<Void, LossError>).error?.kind, .invalidOption, c.id)
            XCTAssertTrue(gradients.joined().allSatisfy { $0 == T(Self.sentinel) }, "\(c.id): written on .none")
        }
    }

    private func expect<T: LossFloat>(_ got: Result<Outcome<T>, LossError>, _ reference: Result<Outcome<T>, LossError>,
                                      _ c: VectorCase, _ what: String, written: [T]) {
        switch (got, reference) {
        case (.success(let a), .success(let b)): XCTAssertTrue(a.sameBits(as: b), "\(c.id): \(what)")
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual(a, b, "\(c.id): \(what)")
            XCTAssertTrue(written.allSatisfy { $0 == T(Self.sentinel) }, "\(c.id): \(what) wrote on error")
        default: XCTFail("\(c.id): \(what): \(got) against \(reference)")
        }
    }

    /// Every metric case through its form into the caller's storage: the allocating form's bits,
    /// or its error with nothing written.
    func testMetricsIntoStorage() throws {
        let cases = try VectorCase.all().filter { VectorCalls.isMetric($0.loss) && !$0.defaults }
        XCTAssertFalse(cases.isEmpty)
        for c in cases {
            switch c.dtype {
            case "f32": checkMetric(c, as: Float.self)
            default: checkMetric(c, as: Double.self)
            }
        }
    }

    private func checkMetric<T: LossFloat>(_ c: VectorCase, as _: T.Type) {
        let a = CaseArguments(c, store: { (a: [T]) in a }, labels: Int.self)
        let reference = Result { () throws(LossError) in try VectorCalls.run(a) }
        // Where the call throws, its arguments are refused before the storage is looked at.
        var values = [T](repeating: T(Self.sentinel), count: (try? reference.get().values.count) ?? 1)
        let into = catching { try InPlaceCalls.metric(a, into: &values) }
        expect(into.map { Outcome(values: values, gradients: [:]) }, reference, c, "into: values", written: values)
        // A count other than the metric's is refused before anything is written.
        var wrong = [T](repeating: T(Self.sentinel), count: values.count + 1)
        let refused = catching { try InPlaceCalls.metric(a, into: &wrong) }
        XCTAssertEqual(refused.error?.kind, c.status == 0 ? .shapeMismatch : LossError.Kind(rawValue: c.status),
                       "\(c.id): a wrong count")
        XCTAssertTrue(wrong.allSatisfy { $0 == T(Self.sentinel) }, "\(c.id): written with a wrong count")
    }

    /// Every refused update case: the same error as the reference says, and its tables as they
    /// were, element for element.
    func testUpdatesThatThrowLeaveTheirTables() throws {
        let refused = try VectorCase.all().filter { $0.loss.hasSuffix("_update") && $0.status != 0 }
        XCTAssertFalse(refused.isEmpty)
        for c in refused {
            let a = CaseArguments(c, store: { (a: [Double]) in a }, labels: Int.self)
            let before = Dictionary(uniqueKeysWithValues: ["centers", "lut", "queue"].compactMap { name in
                c.arrays[name].map { (name, $0.values) }
            })
            var tables = before
            let result = catching { try InPlaceCalls.update(a, tables: &tables) }
            XCTAssertEqual(result.error?.kind.rawValue, c.status, c.id)
            XCTAssertEqual(result.error?.loss, c.loss, c.id)
            XCTAssertFalse(before.isEmpty, c.id)
            XCTAssertEqual(tables, before, "\(c.id): a table written on error")
        }
    }

    func testOutputCountsAndOverlapsAreCheckedFirst() throws {
        let x: [Float] = [0.5, 2, -3], y: [Float] = [0, 0, 0]
        var gradient = [Float](repeating: 9, count: 2)
        XCTAssertThrowsError(try huberLoss(x, y, gradient: &gradient)) { error in
            XCTAssertEqual(error as? LossError,
                           LossError(.shapeMismatch, "gradient has 2 elements, expected 3 (as input)", loss: "huber_loss"))
        }
        XCTAssertEqual(gradient, [9, 9])
        var values = [Float](repeating: 9, count: 1)
        XCTAssertThrowsError(try l1Loss(x, y, reduction: .none, into: &values)) { error in
            XCTAssertEqual((error as? LossError)?.description,
                           "l1_loss: values has 1 elements, expected 3 (as the unreduced loss)")
        }
        XCTAssertEqual(values, [9])

        // Buffer pointers can alias; arrays cannot (exclusivity). A gradient written over the
        // input is refused.
        var storage: [Float] = [0.5, 2, -3, 0, 0, 0]
        // (`try`: the closure counts as throwing for the `try` in its autoclosure.)
        try storage.withUnsafeMutableBufferPointer { (all) -> Void in
            var aliased = UnsafeMutableBufferPointer(rebasing: all[0..<3])
            XCTAssertThrowsError(try mseLoss(UnsafeBufferPointer(aliased), UnsafeBufferPointer(rebasing: all[3...]),
                                             gradient: &aliased)) { error in
                XCTAssertEqual(error as? LossError, LossError(.overlap, "gradient overlaps input", loss: "mse_loss"))
            }
        }
        XCTAssertEqual(storage, [0.5, 2, -3, 0, 0, 0])
    }

    func testInPlaceWritesIntoSlicesOfLargerStorage() throws {
        let x: [Double] = [0.5, 2, -3], y: [Double] = [0, 0, 0]
        var parameters = [Double](repeating: 0, count: 5)
        let loss = try huberLoss(x, y, delta: 1, gradient: &parameters[1..<4])
        let reference = try huberLoss(x, y, delta: 1, gradient: true)
        XCTAssertEqual(loss, reference.loss)
        XCTAssertEqual(Array(parameters[1..<4]), reference.gradient)
        XCTAssertEqual([parameters[0], parameters[4]], [0, 0])
    }
}

/// The result of a call of the Swift API, whose errors are all `LossError`s.
func catching<R>(_ body: () throws -> R) -> Result<R, LossError> {
    do { return .success(try body()) } catch { return .failure(error as! LossError) }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// The in-place forms of every loss, called as a case spells its parameters.
enum InPlaceCalls {
    enum Form {
        /// The reduced loss returned, the gradients written.
        case reduced
        /// The values written, no gradient.
        case values
        /// The values and the gradients written.
        case both
    }

    /// Calls `form` with the storage it writes: `values` and one array per gradient. Returns the
    /// loss of the reduced form (0 for the others).
    static func run<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        if a.c.loss == "ctc_loss" { return try ctc(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["x1"] != nil { return try pairs(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["input1"] != nil { return try ranking(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["sp"] != nil { return try circle(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "ssim_loss" { return try ssim(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["words_emb"] != nil { return try damsmWords(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["sent_emb"] != nil { return try damsmSentence(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "ms_ssim_loss" { return try msssim(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "perceptual_loss" { return try perceptual(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "dice_loss" { return try dice(a, form, values: &values, gradients: &gradients) }
        if a.c.loss.hasSuffix("tversky_loss") { return try tversky(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "total_variation" { return try totalVariation(a, form, values: &values, gradients: &gradients) }
        if a.c.loss.hasPrefix("lovasz_") { return try lovasz(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["boxes1"] != nil { return try boxes(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["pred"] != nil { return try iou(a, form, values: &values, gradients: &gradients) }
        if a.c.loss == "td_loss" { return try td(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["logits"] != nil { return try dr(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["x_hat"] != nil { return try reconstruction(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["f1"] != nil { return try verification(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["linear_weight"] != nil { return try linearCE(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["negative1"] != nil { return try quadruplet(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["anchor"] != nil { return try triplet(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["embeddings"] != nil || a.c.arrays["dist"] != nil {
            return try batch(a, form, values: &values, gradients: &gradients)
        }
        if a.c.arrays["centers"] != nil { return try center(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["features"] != nil { return try oim(a, form, values: &values, gradients: &gradients) }
        if a.c.arrays["pk"] != nil || a.c.arrays["fake_scores"] != nil || a.c.arrays["gradients"] != nil {
            return try distributions(a, form, values: &values, gradients: &gradients)
        }
        if a.c.arrays["var"] != nil { return try gaussianNLL(a, form, values: &values, gradients: &gradients) }
        let c = a.c, x = a.tensor("input")!, y = a.tensor("target")!, weight = a.tensor("weight")
        let upstream = a.tensor("grad_output"), r = a.reduction, layout = a.layout
        func s(_ name: String) -> Double { a.scalar(name)! }
        /// One loss's three forms; each closure is handed the storage it writes.
        // Untyped closures: a closure's thrown type is not inferred from its context.
        func forms(_ reduced: (inout [T]) throws -> T, _ into: (inout [T]) throws -> Void,
                   _ both: (inout [T], inout [T]) throws -> Void) throws -> T {
            switch form {
            case .reduced: return try reduced(&gradients[0])
            case .values: try into(&values)
            case .both: try both(&values, &gradients[0])
            }
            return 0
        }
        switch c.loss {
        case "cross_entropy":
            let (i, ls) = (a.ignoreIndex, a.scalar("label_smoothing") ?? 0)
            return try forms(
                { try crossEntropy(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, labelSmoothing: ls, gradOutput: upstream, gradient: &$0) },
                { try crossEntropy(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, labelSmoothing: ls, gradOutput: upstream, into: &$0) },
                { try crossEntropy(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, labelSmoothing: ls, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "cross_entropy_probs":
            let ls = a.scalar("label_smoothing") ?? 0
            return try forms(
                { try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: r, labelSmoothing: ls, gradOutput: upstream, gradient: &$0) },
                { try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: r, labelSmoothing: ls, gradOutput: upstream, into: &$0) },
                { try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: r, labelSmoothing: ls, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "nll_loss":
            let i = a.ignoreIndex
            return try forms(
                { try nllLoss(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try nllLoss(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, gradOutput: upstream, into: &$0) },
                { try nllLoss(x, a.labels, layout: layout, weight: weight, ignoreIndex: i, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "focal_loss":
            let (i, alpha) = (a.ignoreIndex, c.arrays["alpha"]?.values)
            return try forms(
                { try focalLoss(x, a.labels, layout: layout, gamma: s("gamma"), alpha: alpha, ignoreIndex: i, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try focalLoss(x, a.labels, layout: layout, gamma: s("gamma"), alpha: alpha, ignoreIndex: i, reduction: r, gradOutput: upstream, into: &$0) },
                { try focalLoss(x, a.labels, layout: layout, gamma: s("gamma"), alpha: alpha, ignoreIndex: i, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "multi_margin_loss":
            let (k, p, m) = (layout.classes, Int(s("p")), s("margin"))
            return try forms(
                { try multiMarginLoss(x, a.labels, classes: k, p: p, margin: m, weight: weight, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try multiMarginLoss(x, a.labels, classes: k, p: p, margin: m, weight: weight, reduction: r, gradOutput: upstream, into: &$0) },
                { try multiMarginLoss(x, a.labels, classes: k, p: p, margin: m, weight: weight, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "binary_cross_entropy":
            return try forms(
                { try binaryCrossEntropy(x, y, weight: weight, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try binaryCrossEntropy(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0) },
                { try binaryCrossEntropy(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "binary_cross_entropy_with_logits":
            let pw = a.tensor("pos_weight")
            return try forms(
                { try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: r, posWeight: pw, gradOutput: upstream, gradient: &$0) },
                { try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: r, posWeight: pw, gradOutput: upstream, into: &$0) },
                { try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: r, posWeight: pw, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "sigmoid_focal_loss":
            return try forms(
                { try sigmoidFocalLoss(x, y, alpha: s("alpha"), gamma: s("gamma"), reduction: r, gradOutput: upstream, gradient: &$0) },
                { try sigmoidFocalLoss(x, y, alpha: s("alpha"), gamma: s("gamma"), reduction: r, gradOutput: upstream, into: &$0) },
                { try sigmoidFocalLoss(x, y, alpha: s("alpha"), gamma: s("gamma"), reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "hinge_loss":
            let sq = s("squared") != 0
            return try forms(
                { try hingeLoss(x, y, margin: s("margin"), squared: sq, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try hingeLoss(x, y, margin: s("margin"), squared: sq, reduction: r, gradOutput: upstream, into: &$0) },
                { try hingeLoss(x, y, margin: s("margin"), squared: sq, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "kl_div":
            let rows = c.arrays["input"]!.shape.first ?? 1, lt = s("log_target") != 0, bm = s("batchmean") != 0
            return try forms(
                { try klDiv(x, y, rows: rows, logTarget: lt, reduction: r, batchMean: bm, gradOutput: upstream, gradient: &$0) },
                { try klDiv(x, y, rows: rows, logTarget: lt, reduction: r, batchMean: bm, gradOutput: upstream, into: &$0) },
                { try klDiv(x, y, rows: rows, logTarget: lt, reduction: r, batchMean: bm, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "hinge_embedding_loss":
            return try forms(
                { try hingeEmbeddingLoss(x, y, margin: s("margin"), reduction: r, gradOutput: upstream, gradient: &$0) },
                { try hingeEmbeddingLoss(x, y, margin: s("margin"), reduction: r, gradOutput: upstream, into: &$0) },
                { try hingeEmbeddingLoss(x, y, margin: s("margin"), reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "soft_margin_loss":
            return try forms(
                { try softMarginLoss(x, y, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try softMarginLoss(x, y, reduction: r, gradOutput: upstream, into: &$0) },
                { try softMarginLoss(x, y, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "logistic_loss":
            return try forms(
                { try logisticLoss(x, y, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try logisticLoss(x, y, reduction: r, gradOutput: upstream, into: &$0) },
                { try logisticLoss(x, y, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "sparsemax_loss":
            return try forms(
                { try sparsemaxLoss(x, y, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try sparsemaxLoss(x, y, reduction: r, gradOutput: upstream, into: &$0) },
                { try sparsemaxLoss(x, y, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "mse_loss":
            return try forms(
                { try mseLoss(x, y, weight: weight, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try mseLoss(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0) },
                { try mseLoss(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "l1_loss":
            return try forms(
                { try l1Loss(x, y, weight: weight, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try l1Loss(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0) },
                { try l1Loss(x, y, weight: weight, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "huber_loss":
            return try forms(
                { try huberLoss(x, y, reduction: r, delta: s("delta"), weight: weight, gradOutput: upstream, gradient: &$0) },
                { try huberLoss(x, y, reduction: r, delta: s("delta"), weight: weight, gradOutput: upstream, into: &$0) },
                { try huberLoss(x, y, reduction: r, delta: s("delta"), weight: weight, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "smooth_l1_loss":
            return try forms(
                { try smoothL1Loss(x, y, reduction: r, beta: s("beta"), gradOutput: upstream, gradient: &$0) },
                { try smoothL1Loss(x, y, reduction: r, beta: s("beta"), gradOutput: upstream, into: &$0) },
                { try smoothL1Loss(x, y, reduction: r, beta: s("beta"), gradOutput: upstream, into: &$0, gradient: &$1) })
        case "log_cosh_loss":
            return try forms(
                { try logCoshLoss(x, y, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try logCoshLoss(x, y, reduction: r, gradOutput: upstream, into: &$0) },
                { try logCoshLoss(x, y, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "quantile_loss":
            let q = c.arrays["quantile"]!.values
            return try forms(
                { try quantileLoss(x, y, quantiles: q, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try quantileLoss(x, y, quantiles: q, reduction: r, gradOutput: upstream, into: &$0) },
                { try quantileLoss(x, y, quantiles: q, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "poisson_nll_loss":
            let (li, fu, eps) = (s("log_input") != 0, s("full") != 0, s("eps"))
            return try forms(
                { try poissonNLLLoss(x, y, logInput: li, full: fu, eps: eps, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try poissonNLLLoss(x, y, logInput: li, full: fu, eps: eps, reduction: r, gradOutput: upstream, into: &$0) },
                { try poissonNLLLoss(x, y, logInput: li, full: fu, eps: eps, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "multilabel_margin_loss":
            let k = layout.classes
            return try forms(
                { try multilabelMarginLoss(x, a.labels, classes: k, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try multilabelMarginLoss(x, a.labels, classes: k, reduction: r, gradOutput: upstream, into: &$0) },
                { try multilabelMarginLoss(x, a.labels, classes: k, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "multilabel_soft_margin_loss":
            let k = layout.classes
            return try forms(
                { try multilabelSoftMarginLoss(x, y, classes: k, weight: weight, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try multilabelSoftMarginLoss(x, y, classes: k, weight: weight, reduction: r, gradOutput: upstream, into: &$0) },
                { try multilabelSoftMarginLoss(x, y, classes: k, weight: weight, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "poly_loss_cross_entropy":
            let (k, e) = (layout.classes, s("epsilon"))
            return try forms(
                { try polyLossCrossEntropy(x, labels: y, classes: k, epsilon: e, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try polyLossCrossEntropy(x, labels: y, classes: k, epsilon: e, reduction: r, gradOutput: upstream, into: &$0) },
                { try polyLossCrossEntropy(x, labels: y, classes: k, epsilon: e, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        default:
            throw LossError(.invalidOption, "no in-place Swift call for \(c.loss)")
        }
    }

    /// The losses over a whole batch, at the case's parameters.
    static func batch<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let c = a.c, upstream = a.tensor("grad_output"), r = a.reduction
        let y = c.arrays["labels"] == nil ? [] : a.batchLabels  // ntxent_loss has none
        func s(_ name: String) -> Double { a.scalar(name)! }
        func forms(_ reduced: (inout [T]) throws -> T, _ into: (inout [T]) throws -> Void,
                   _ both: (inout [T], inout [T]) throws -> Void) throws -> T {
            switch form {
            case .reduced: return try reduced(&gradients[0])
            case .values: try into(&values)
            case .both: try both(&values, &gradients[0])
            }
            return 0
        }
        if c.loss == "batch_hard_quadruplet_loss" {
            let dist = a.tensor("dist")!, (m1, m2) = (s("margin1"), s("margin2"))
            return try forms(
                { try batchHardQuadrupletLoss(dist, y, margin1: m1, margin2: m2, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try batchHardQuadrupletLoss(dist, y, margin1: m1, margin2: m2, reduction: r, gradOutput: upstream, into: &$0) },
                { try batchHardQuadrupletLoss(dist, y, margin1: m1, margin2: m2, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        }
        let x = a.tensor("embeddings")!, shape = c.arrays["embeddings"]!.shape
        let width = shape.last ?? 0, rows = shape.first ?? 0
        switch c.loss {
        case "batch_hard_triplet_loss":
            let (m, sq, soft) = (s("margin"), s("squared") != 0, s("soft") != 0)
            return try forms(
                { try batchHardTripletLoss(x, y, width: width, margin: m, squared: sq, soft: soft, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try batchHardTripletLoss(x, y, width: width, margin: m, squared: sq, soft: soft, reduction: r, gradOutput: upstream, into: &$0) },
                { try batchHardTripletLoss(x, y, width: width, margin: m, squared: sq, soft: soft, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        case "circle_loss_embeddings":
            let (m, gamma) = (s("m"), s("gamma"))
            return try forms(
                { try circleLossEmbeddings(x, y, width: width, m: m, gamma: gamma, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try circleLossEmbeddings(x, y, width: width, m: m, gamma: gamma, reduction: r, gradOutput: upstream, into: &$0) },
                { try circleLossEmbeddings(x, y, width: width, m: m, gamma: gamma, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        default:
            let t = s("temperature")
            return try forms(
                { try ntxentLoss(x, width: width, rows: rows, temperature: t, reduction: r, gradOutput: upstream, gradient: &$0) },
                { try ntxentLoss(x, width: width, rows: rows, temperature: t, reduction: r, gradOutput: upstream, into: &$0) },
                { try ntxentLoss(x, width: width, rows: rows, temperature: t, reduction: r, gradOutput: upstream, into: &$0, gradient: &$1) })
        }
    }

    /// triplet_margin_loss's and triplet_margin_with_distance_loss's three in-place forms (three
    /// gradients).
    static func triplet<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let anchor = a.tensor("anchor")!, positive = a.tensor("positive")!, negative = a.tensor("negative")!
        let shape = a.c.arrays["anchor"]!.shape
        let width = shape.last ?? 0, rows = shape.count == 2 ? shape[0] : 1
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1, g2) = (gradients[0], gradients[1], gradients[2])
        gradients = []
        defer { gradients = [g0, g1, g2] }
        if a.c.loss == "triplet_margin_with_distance_loss" {
            let distance = try TripletDistanceFunction(selector: Int32(a.scalar("distance_function")!))
            let (m, swap) = (a.scalar("margin")!, a.scalar("swap")! != 0)
            switch form {
            case .reduced:
                return try tripletMarginWithDistanceLoss(
                    anchor, positive, negative, width: width, distanceFunction: distance, margin: m, swap: swap,
                    reduction: r, gradOutput: upstream, rows: rows, gradientAnchor: &g0, gradientPositive: &g1,
                    gradientNegative: &g2)
            case .values:
                try tripletMarginWithDistanceLoss(anchor, positive, negative, width: width, distanceFunction: distance,
                                                  margin: m, swap: swap, reduction: r, gradOutput: upstream, rows: rows,
                                                  into: &values)
            case .both:
                try tripletMarginWithDistanceLoss(
                    anchor, positive, negative, width: width, distanceFunction: distance, margin: m, swap: swap,
                    reduction: r, gradOutput: upstream, rows: rows, into: &values, gradientAnchor: &g0,
                    gradientPositive: &g1, gradientNegative: &g2)
            }
            return 0
        }
        let (m, p, eps, swap) = (a.scalar("margin")!, a.scalar("p")!, a.scalar("eps")!, a.scalar("swap")! != 0)
        switch form {
        case .reduced:
            return try tripletMarginLoss(anchor, positive, negative, width: width, margin: m, p: p, eps: eps, swap: swap,
                                         reduction: r, gradOutput: upstream, rows: rows, gradientAnchor: &g0,
                                         gradientPositive: &g1, gradientNegative: &g2)
        case .values:
            try tripletMarginLoss(anchor, positive, negative, width: width, margin: m, p: p, eps: eps, swap: swap,
                                  reduction: r, gradOutput: upstream, rows: rows, into: &values)
        case .both:
            try tripletMarginLoss(anchor, positive, negative, width: width, margin: m, p: p, eps: eps, swap: swap,
                                  reduction: r, gradOutput: upstream, rows: rows, into: &values, gradientAnchor: &g0,
                                  gradientPositive: &g1, gradientNegative: &g2)
        }
        return 0
    }

    /// verification_loss's three in-place forms (four gradients: f1, f2, weight, bias).
    static func verification<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let f1 = a.tensor("f1")!, f2 = a.tensor("f2")!, label = a.tensor("label")!, weight = a.tensor("weight")
        let width = a.c.arrays["f1"]!.shape.last ?? 0, bias = a.scalar("bias")!
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1, g2, g3) = (gradients[0], gradients[1], gradients[2], gradients[3])
        gradients = []
        defer { gradients = [g0, g1, g2, g3] }
        switch form {
        case .reduced:
            return try verificationLoss(f1, f2, label, weight: weight, bias: bias, width: width, reduction: r,
                                        gradOutput: upstream, gradientF1: &g0, gradientF2: &g1, gradientWeight: &g2,
                                        gradientBias: &g3)
        case .values:
            try verificationLoss(f1, f2, label, weight: weight, bias: bias, width: width, reduction: r,
                                 gradOutput: upstream, into: &values)
        case .both:
            try verificationLoss(f1, f2, label, weight: weight, bias: bias, width: width, reduction: r,
                                 gradOutput: upstream, into: &values, gradientF1: &g0, gradientF2: &g1,
                                 gradientWeight: &g2, gradientBias: &g3)
        }
        return 0
    }

    /// linear_cross_entropy's three in-place forms (three gradients: input, linear weight, linear
    /// bias; without a bias in the case, its gradient goes to storage of its own, not compared).
    static func linearCE<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("input")!, w = a.tensor("linear_weight")!, bias = a.tensor("linear_bias")
        let classes = a.c.arrays["linear_weight"]!.shape[0]
        let upstream = a.tensor("grad_output"), r = a.reduction, weight = a.tensor("weight")
        let (i, ls) = (a.ignoreIndex, a.scalar("label_smoothing") ?? 0)
        let hasBias = gradients.count == 3
        var (g0, g1, g2) = (gradients[0], gradients[1], hasBias ? gradients[2] : [T](repeating: 0, count: classes))
        gradients = []
        defer { gradients = hasBias ? [g0, g1, g2] : [g0, g1] }
        switch form {
        case .reduced:
            return try linearCrossEntropy(x, w, a.labels, classes: classes, linearBias: bias, weight: weight, reduction: r,
                                          ignoreIndex: i, labelSmoothing: ls, gradOutput: upstream, gradientInput: &g0,
                                          gradientLinearWeight: &g1, gradientLinearBias: &g2)
        case .values:
            try linearCrossEntropy(x, w, a.labels, classes: classes, linearBias: bias, weight: weight, reduction: r,
                                   ignoreIndex: i, labelSmoothing: ls, gradOutput: upstream, into: &values)
        case .both:
            try linearCrossEntropy(x, w, a.labels, classes: classes, linearBias: bias, weight: weight, reduction: r,
                                   ignoreIndex: i, labelSmoothing: ls, gradOutput: upstream, into: &values,
                                   gradientInput: &g0, gradientLinearWeight: &g1, gradientLinearBias: &g2)
        }
        return 0
    }

    /// quadruplet_loss's three in-place forms (four gradients).
    static func quadruplet<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let anchor = a.tensor("anchor")!, positive = a.tensor("positive")!
        let negative1 = a.tensor("negative1")!, negative2 = a.tensor("negative2")!
        let shape = a.c.arrays["anchor"]!.shape
        let width = shape.last ?? 0, rows = shape.count == 2 ? shape[0] : 1
        let (m1, m2) = (a.scalar("margin1")!, a.scalar("margin2")!)
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1, g2, g3) = (gradients[0], gradients[1], gradients[2], gradients[3])
        gradients = []
        defer { gradients = [g0, g1, g2, g3] }
        switch form {
        case .reduced:
            return try quadrupletLoss(anchor, positive, negative1, negative2, width: width, margin1: m1, margin2: m2,
                                      reduction: r, gradOutput: upstream, rows: rows, gradientAnchor: &g0,
                                      gradientPositive: &g1, gradientNegative1: &g2, gradientNegative2: &g3)
        case .values:
            try quadrupletLoss(anchor, positive, negative1, negative2, width: width, margin1: m1, margin2: m2,
                               reduction: r, gradOutput: upstream, rows: rows, into: &values)
        case .both:
            try quadrupletLoss(anchor, positive, negative1, negative2, width: width, margin1: m1, margin2: m2,
                               reduction: r, gradOutput: upstream, rows: rows, into: &values, gradientAnchor: &g0,
                               gradientPositive: &g1, gradientNegative1: &g2, gradientNegative2: &g3)
        }
        return 0
    }

    /// margin_ranking_loss's three in-place forms (its gradients take the pair functions' labels).
    static func ranking<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x1 = a.tensor("input1")!, x2 = a.tensor("input2")!, y = a.tensor("target")!
        let m = a.scalar("margin")!, upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try marginRankingLoss(x1, x2, y, margin: m, reduction: r, gradOutput: upstream, gradientX1: &g0, gradientX2: &g1)
        case .values:
            try marginRankingLoss(x1, x2, y, margin: m, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try marginRankingLoss(x1, x2, y, margin: m, reduction: r, gradOutput: upstream, into: &values,
                                  gradientX1: &g0, gradientX2: &g1)
        }
        return 0
    }

    /// circle_loss's three in-place forms (gradients w.r.t. sp and sn).
    static func circle<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let sp = a.tensor("sp")!, sn = a.tensor("sn")!, shape = a.c.arrays["sp"]!.shape
        let rows = shape.count == 2 ? shape[0] : 1, (m, gamma) = (a.scalar("m")!, a.scalar("gamma")!)
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try circleLoss(sp, sn, rows: rows, m: m, gamma: gamma, reduction: r, gradOutput: upstream,
                                  gradientSp: &g0, gradientSn: &g1)
        case .values:
            try circleLoss(sp, sn, rows: rows, m: m, gamma: gamma, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try circleLoss(sp, sn, rows: rows, m: m, gamma: gamma, reduction: r, gradOutput: upstream, into: &values,
                           gradientSp: &g0, gradientSn: &g1)
        }
        return 0
    }

    /// The box IoU losses' three in-place forms (gradients w.r.t. boxes1 and boxes2).
    static func boxes<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let b1 = a.tensor("boxes1")!, b2 = a.tensor("boxes2")!, eps = a.scalar("eps") ?? 1e-7
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch (a.c.loss, form) {
        case ("generalized_box_iou_loss", .reduced):
            return try generalizedBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream,
                                             gradientBoxes1: &g0, gradientBoxes2: &g1)
        case ("generalized_box_iou_loss", .values):
            try generalizedBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values)
        case ("generalized_box_iou_loss", .both):
            try generalizedBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values,
                                      gradientBoxes1: &g0, gradientBoxes2: &g1)
        case ("distance_box_iou_loss", .reduced):
            return try distanceBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream,
                                          gradientBoxes1: &g0, gradientBoxes2: &g1)
        case ("distance_box_iou_loss", .values):
            try distanceBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values)
        case ("distance_box_iou_loss", .both):
            try distanceBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values,
                                   gradientBoxes1: &g0, gradientBoxes2: &g1)
        case (_, .reduced):
            return try completeBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream,
                                          gradientBoxes1: &g0, gradientBoxes2: &g1)
        case (_, .values):
            try completeBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values)
        case (_, .both):
            try completeBoxIouLoss(b1, b2, reduction: r, eps: eps, gradOutput: upstream, into: &values,
                                   gradientBoxes1: &g0, gradientBoxes2: &g1)
        }
        return 0
    }

    /// sigmoid_dr_loss's three in-place forms (the gradient w.r.t. the logits).
    static func dr<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let logits = a.tensor("logits")!, targets = a.integers("targets"), classes = a.c.arrays["logits"]!.shape[1]
        func s(_ name: String, _ fallback: Double) -> Double { a.scalar(name) ?? fallback }
        let (pl, nl, l, tau, m) = (s("pos_lambda", 1), s("neg_lambda", 0.1 / log(3.5)), s("L", 6), s("tau", 4),
                                   s("margin", 0.5))
        let upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        switch form {
        case .reduced:
            return try sigmoidDRLoss(logits, targets, classes: classes, posLambda: pl, negLambda: nl, L: l, tau: tau,
                                     margin: m, reduction: r, gradOutput: upstream, gradient: &g)
        case .values:
            try sigmoidDRLoss(logits, targets, classes: classes, posLambda: pl, negLambda: nl, L: l, tau: tau, margin: m,
                              reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try sigmoidDRLoss(logits, targets, classes: classes, posLambda: pl, negLambda: nl, L: l, tau: tau, margin: m,
                              reduction: r, gradOutput: upstream, into: &values, gradient: &g)
        }
        return 0
    }

    /// iou_loss's three in-place forms (the gradient w.r.t. pred).
    static func iou<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let pred = a.tensor("pred")!, target = a.tensor("target")!, weight = a.tensor("weight")
        let type = try IoULossType(selector: Int32(a.scalar("loss_type") ?? 0))
        let upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        switch form {
        case .reduced:
            return try iouLoss(pred, target, weight: weight, lossType: type, reduction: r, gradOutput: upstream,
                               gradient: &g)
        case .values:
            try iouLoss(pred, target, weight: weight, lossType: type, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try iouLoss(pred, target, weight: weight, lossType: type, reduction: r, gradOutput: upstream, into: &values,
                        gradient: &g)
        }
        return 0
    }

    /// td_loss's three in-place forms (the gradient w.r.t. values).
    static func td<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let rewards = a.tensor("rewards")!, v = a.tensor("values")!, next = a.tensor("next_values")!
        let dones = a.tensor("dones")!, gamma = a.scalar("gamma")!
        let type = try TDLossType(selector: Int32(a.scalar("loss")!))
        let upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        switch form {
        case .reduced:
            return try tdLoss(rewards, v, next, dones, gamma: gamma, loss: type, reduction: r, gradOutput: upstream,
                              gradient: &g)
        case .values:
            try tdLoss(rewards, v, next, dones, gamma: gamma, loss: type, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try tdLoss(rewards, v, next, dones, gamma: gamma, loss: type, reduction: r, gradOutput: upstream,
                       into: &values, gradient: &g)
        }
        return 0
    }

    /// ctc_loss's three in-place forms (the gradient w.r.t. log_probs).
    static func ctc<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("log_probs")!, y = a.integers("targets"), shape = VectorCalls.ctcShape(a)
        let inputs = a.integers("input_lengths"), lengths = a.integers("target_lengths")
        let blank = Int(a.scalar("blank")!), zero = a.scalar("zero_infinity")! != 0
        let upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        switch form {
        case .reduced:
            return try ctcLoss(x, targets: y, inputLengths: inputs, targetLengths: lengths, shape: shape, blank: blank,
                               reduction: r, zeroInfinity: zero, gradOutput: upstream, gradient: &g)
        case .values:
            try ctcLoss(x, targets: y, inputLengths: inputs, targetLengths: lengths, shape: shape, blank: blank,
                        reduction: r, zeroInfinity: zero, gradOutput: upstream, into: &values)
        case .both:
            try ctcLoss(x, targets: y, inputLengths: inputs, targetLengths: lengths, shape: shape, blank: blank,
                        reduction: r, zeroInfinity: zero, gradOutput: upstream, into: &values, gradient: &g)
        }
        return 0
    }

    /// ms_ssim_loss's three in-place forms (gradients w.r.t. x and y).
    static func msssim<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = VectorCalls.imageShape(a)
        let (range, size, sigma) = (a.scalar("data_range")!, Int(a.scalar("win_size")!), a.scalar("win_sigma")!)
        let k = (a.scalar("k1")!, a.scalar("k2")!), upstream = a.tensor("grad_output"), r = a.reduction
        let weights = a.c.arrays["weights"]?.values ?? msssimDefaultWeights
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try msSsimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, weights: weights,
                                  k: k, reduction: r, gradOutput: upstream, gradientX: &g0, gradientY: &g1)
        case .values:
            try msSsimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, weights: weights, k: k,
                           reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try msSsimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, weights: weights, k: k,
                           reduction: r, gradOutput: upstream, into: &values, gradientX: &g0, gradientY: &g1)
        }
        return 0
    }

    /// damsm_words_loss's three in-place forms (gradients w.r.t. the regions and the words).
    static func damsmWords<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let v = a.tensor("img_features")!, e = a.tensor("words_emb")!, lengths = a.integers("cap_lens")
        let classes = VectorCalls.classIds(a), shape = VectorCalls.damsmShape(a)
        let (g1, g2, g3) = (a.scalar("gamma1")!, a.scalar("gamma2")!, a.scalar("gamma3")!)
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (d0, d1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [d0, d1] }
        switch form {
        case .reduced:
            return try damsmWordsLoss(v, e, capLens: lengths, classIds: classes, shape: shape, gamma1: g1, gamma2: g2,
                                      gamma3: g3, reduction: r, gradOutput: upstream, gradientImgFeatures: &d0,
                                      gradientWordsEmb: &d1)
        case .values:
            try damsmWordsLoss(v, e, capLens: lengths, classIds: classes, shape: shape, gamma1: g1, gamma2: g2,
                               gamma3: g3, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try damsmWordsLoss(v, e, capLens: lengths, classIds: classes, shape: shape, gamma1: g1, gamma2: g2,
                               gamma3: g3, reduction: r, gradOutput: upstream, into: &values,
                               gradientImgFeatures: &d0, gradientWordsEmb: &d1)
        }
        return 0
    }

    /// damsm_sentence_loss's three in-place forms (gradients w.r.t. both features).
    static func damsmSentence<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("img_global")!, y = a.tensor("sent_emb")!
        let classes = VectorCalls.classIds(a), shape = VectorCalls.damsmShape(a)
        let g3 = a.scalar("gamma3")!, upstream = a.tensor("grad_output"), r = a.reduction
        var (d0, d1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [d0, d1] }
        switch form {
        case .reduced:
            return try damsmSentenceLoss(x, y, classIds: classes, shape: shape, gamma3: g3, reduction: r,
                                         gradOutput: upstream, gradientImgGlobal: &d0, gradientSentEmb: &d1)
        case .values:
            try damsmSentenceLoss(x, y, classIds: classes, shape: shape, gamma3: g3, reduction: r, gradOutput: upstream,
                                  into: &values)
        case .both:
            try damsmSentenceLoss(x, y, classIds: classes, shape: shape, gamma3: g3, reduction: r, gradOutput: upstream,
                                  into: &values, gradientImgGlobal: &d0, gradientSentEmb: &d1)
        }
        return 0
    }

    /// ssim_loss's three in-place forms (gradients w.r.t. x and y).
    static func ssim<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = VectorCalls.imageShape(a)
        let (range, size, sigma) = (a.scalar("data_range")!, Int(a.scalar("win_size")!), a.scalar("win_sigma")!)
        let k = (a.scalar("k1")!, a.scalar("k2")!), upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try ssimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, k: k, reduction: r,
                                gradOutput: upstream, gradientX: &g0, gradientY: &g1)
        case .values:
            try ssimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, k: k, reduction: r,
                         gradOutput: upstream, into: &values)
        case .both:
            try ssimLoss(x, y, shape: shape, dataRange: range, winSize: size, winSigma: sigma, k: k, reduction: r,
                         gradOutput: upstream, into: &values, gradientX: &g0, gradientY: &g1)
        }
        return 0
    }

    /// perceptual_loss's three in-place forms (gradients w.r.t. x and y).
    static func perceptual<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("x")!, y = a.tensor("y")!, shape = VectorCalls.imageShape(a)
        let (lw, sw) = (a.scalar("layer_weight")!, a.scalar("style_weight")!)
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try perceptualLoss(x, y, shape: shape, layerWeight: lw, styleWeight: sw, reduction: r,
                                      gradOutput: upstream, gradientX: &g0, gradientY: &g1)
        case .values:
            try perceptualLoss(x, y, shape: shape, layerWeight: lw, styleWeight: sw, reduction: r,
                               gradOutput: upstream, into: &values)
        case .both:
            try perceptualLoss(x, y, shape: shape, layerWeight: lw, styleWeight: sw, reduction: r,
                               gradOutput: upstream, into: &values, gradientX: &g0, gradientY: &g1)
        }
        return 0
    }

    /// dice_loss's three in-place forms (gradients w.r.t. pred and target).
    static func dice<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let pred = a.tensor("pred")!, target = a.tensor("target")!, shape = a.c.arrays["pred"]!.shape
        let (n, c, smooth) = (shape[0], shape[1], a.scalar("smooth")!)
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try diceLoss(pred, target, batch: n, channels: c, smooth: smooth, reduction: r, gradOutput: upstream,
                                gradientPred: &g0, gradientTarget: &g1)
        case .values:
            try diceLoss(pred, target, batch: n, channels: c, smooth: smooth, reduction: r, gradOutput: upstream,
                         into: &values)
        case .both:
            try diceLoss(pred, target, batch: n, channels: c, smooth: smooth, reduction: r, gradOutput: upstream,
                         into: &values, gradientPred: &g0, gradientTarget: &g1)
        }
        return 0
    }

    /// tversky_loss's and focal_tversky_loss's three in-place forms (the gradient w.r.t. pred).
    static func tversky<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let pred = a.tensor("pred")!, shape = a.c.arrays["pred"]!.shape
        let layout = ClassLayout(batch: shape[0], classes: shape[1], inner: shape.dropFirst(2).reduce(1, *))
        let y = a.integers("target"), alpha = a.scalar("alpha")!, beta = a.scalar("beta")!, eps = a.scalar("eps")!
        let ignore = a.ignoreIndex, upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        if let gamma = a.scalar("gamma") {
            switch form {
            case .reduced:
                return try focalTverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                                            ignoreIndex: ignore, reduction: r, gradOutput: upstream, gradient: &g)
            case .values:
                try focalTverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                                     ignoreIndex: ignore, reduction: r, gradOutput: upstream, into: &values)
            case .both:
                try focalTverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                                     ignoreIndex: ignore, reduction: r, gradOutput: upstream, into: &values, gradient: &g)
            }
            return 0
        }
        switch form {
        case .reduced:
            return try tverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, eps: eps, ignoreIndex: ignore,
                                   reduction: r, gradOutput: upstream, gradient: &g)
        case .values:
            try tverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, eps: eps, ignoreIndex: ignore,
                            reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try tverskyLoss(pred, y, layout: layout, alpha: alpha, beta: beta, eps: eps, ignoreIndex: ignore,
                            reduction: r, gradOutput: upstream, into: &values, gradient: &g)
        }
        return 0
    }

    /// lovasz_hinge_loss's and lovasz_softmax_loss's three in-place forms (the gradient w.r.t. pred).
    static func lovasz<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let pred = a.tensor("pred")!, shape = a.c.arrays["pred"]!.shape, y = a.integers("target")
        let pixels = shape.dropFirst(2).reduce(1, *), upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        if a.c.loss == "lovasz_hinge_loss" {
            switch form {
            case .reduced:
                return try lovaszHingeLoss(pred, y, batch: shape[0], pixels: pixels, reduction: r, gradOutput: upstream,
                                           gradient: &g)
            case .values:
                try lovaszHingeLoss(pred, y, batch: shape[0], pixels: pixels, reduction: r, gradOutput: upstream,
                                    into: &values)
            case .both:
                try lovaszHingeLoss(pred, y, batch: shape[0], pixels: pixels, reduction: r, gradOutput: upstream,
                                    into: &values, gradient: &g)
            }
            return 0
        }
        let layout = ClassLayout(batch: shape[0], classes: shape[1], inner: pixels), w = a.tensor("weight")
        switch form {
        case .reduced:
            return try lovaszSoftmaxLoss(pred, y, layout: layout, weight: w, reduction: r, gradOutput: upstream,
                                         gradient: &g)
        case .values:
            try lovaszSoftmaxLoss(pred, y, layout: layout, weight: w, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try lovaszSoftmaxLoss(pred, y, layout: layout, weight: w, reduction: r, gradOutput: upstream, into: &values,
                                  gradient: &g)
        }
        return 0
    }

    /// total_variation's three in-place forms (the gradient w.r.t. img).
    static func totalVariation<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let img = a.tensor("img")!, shape = a.c.arrays["img"]!.shape
        let h = shape[shape.count - 2], w = shape[shape.count - 1], planes = shape.dropLast(2).reduce(1, *)
        let mean = a.scalar("mean")! == 1, upstream = a.tensor("grad_output"), r = a.reduction
        var g = gradients[0]
        gradients = []
        defer { gradients = [g] }
        switch form {
        case .reduced:
            return try Losses.totalVariation(img, planes: planes, height: h, width: w, mean: mean, reduction: r,
                                             gradOutput: upstream, gradient: &g)
        case .values:
            try Losses.totalVariation(img, planes: planes, height: h, width: w, mean: mean, reduction: r,
                                      gradOutput: upstream, into: &values)
        case .both:
            try Losses.totalVariation(img, planes: planes, height: h, width: w, mean: mean, reduction: r,
                                      gradOutput: upstream, into: &values, gradient: &g)
        }
        return 0
    }

    /// reconstruction_loss's three in-place forms (gradients w.r.t. x and x_hat).
    static func reconstruction<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("x")!, xHat = a.tensor("x_hat")!, p = a.scalar("p")!
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try reconstructionLoss(x, xHat, p: p, reduction: r, gradOutput: upstream, gradientX: &g0,
                                          gradientXHat: &g1)
        case .values:
            try reconstructionLoss(x, xHat, p: p, reduction: r, gradOutput: upstream, into: &values)
        case .both:
            try reconstructionLoss(x, xHat, p: p, reduction: r, gradOutput: upstream, into: &values, gradientX: &g0,
                                   gradientXHat: &g1)
        }
        return 0
    }

    /// gaussian_nll_loss's three in-place forms (gradients w.r.t. input and var).
    static func gaussianNLL<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let x = a.tensor("input")!, y = a.tensor("target")!, v = a.tensor("var")!
        let shape = a.c.arrays["input"]!.shape
        let width = shape.count >= 2 ? shape.last! : (shape.first ?? 1)
        let (full, eps, upstream, r) = (a.scalar("full")! != 0, a.scalar("eps")!, a.tensor("grad_output"), a.reduction)
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try gaussianNLLLoss(x, y, variance: v, width: width, full: full, eps: eps, reduction: r,
                                       gradOutput: upstream, gradientInput: &g0, gradientVar: &g1)
        case .values:
            try gaussianNLLLoss(x, y, variance: v, width: width, full: full, eps: eps, reduction: r, gradOutput: upstream,
                                into: &values)
        case .both:
            try gaussianNLLLoss(x, y, variance: v, width: width, full: full, eps: eps, reduction: r, gradOutput: upstream,
                                into: &values, gradientInput: &g0, gradientVar: &g1)
        }
        return 0
    }

    /// The distribution losses' three in-place forms but kl_div's: wgan_generator_loss and
    /// gradient_penalty (one gradient), kl_divergence, js_divergence and wgan_critic_loss (two).
    static func distributions<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let upstream = a.tensor("grad_output"), r = a.reduction
        if a.c.arrays["real_scores"] == nil, let fake = a.tensor("fake_scores") {
            switch form {
            case .reduced: return try wganGeneratorLoss(fake, reduction: r, gradOutput: upstream, gradient: &gradients[0])
            case .values: try wganGeneratorLoss(fake, reduction: r, gradOutput: upstream, into: &values)
            case .both: try wganGeneratorLoss(fake, reduction: r, gradOutput: upstream, into: &values, gradient: &gradients[0])
            }
            return 0
        }
        if let g = a.tensor("gradients") {
            let rows = a.c.arrays["gradients"]!.shape.first ?? 1, w = a.scalar("weight")!
            switch form {
            case .reduced:
                return try gradientPenalty(g, rows: rows, weight: w, reduction: r, gradOutput: upstream, gradient: &gradients[0])
            case .values: try gradientPenalty(g, rows: rows, weight: w, reduction: r, gradOutput: upstream, into: &values)
            case .both:
                try gradientPenalty(g, rows: rows, weight: w, reduction: r, gradOutput: upstream, into: &values,
                                    gradient: &gradients[0])
            }
            return 0
        }
        var (g0, g1) = (gradients[0], gradients[1])
        gradients = []
        defer { gradients = [g0, g1] }
        if let real = a.tensor("real_scores"), let fake = a.tensor("fake_scores") {
            switch form {
            case .reduced:
                return try wganCriticLoss(real, fake, reduction: r, gradOutput: upstream, gradientReal: &g0, gradientFake: &g1)
            case .values: try wganCriticLoss(real, fake, reduction: r, gradOutput: upstream, into: &values)
            case .both:
                try wganCriticLoss(real, fake, reduction: r, gradOutput: upstream, into: &values, gradientReal: &g0,
                                   gradientFake: &g1)
            }
            return 0
        }
        let p = a.tensor("pk")!, q = a.tensor("qk")!, rows = a.c.arrays["pk"]!.shape.dropLast().reduce(1, *)
        let js = a.c.loss == "js_divergence"
        switch (form, js) {
        case (.reduced, false):
            return try klDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, gradientP: &g0, gradientQ: &g1)
        case (.reduced, true):
            return try jsDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, gradientP: &g0, gradientQ: &g1)
        case (.values, false): try klDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, into: &values)
        case (.values, true): try jsDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, into: &values)
        case (.both, false):
            try klDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, into: &values, gradientP: &g0, gradientQ: &g1)
        case (.both, true):
            try jsDivergence(p, q, rows: rows, reduction: r, gradOutput: upstream, into: &values, gradientP: &g0, gradientQ: &g1)
        }
        return 0
    }

    /// center_loss's three in-place forms (gradients w.r.t. the features and the centres).
    static func center<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let c = a.c, x = a.tensor("features")!, y = a.integers("labels"), centers = a.tensor("centers")!
        let width = c.arrays["features"]!.shape[1], k = c.arrays["centers"]!.shape[0]
        let upstream = a.tensor("grad_output"), r = a.reduction
        var (g0, g1) = (gradients[0], gradients[1])
        defer { gradients = [g0, g1] }
        switch form {
        case .reduced:
            return try centerLoss(x, y, centers, width: width, reduction: r, gradOutput: upstream, classes: k,
                                  gradientFeatures: &g0, gradientCenters: &g1)
        case .values:
            try centerLoss(x, y, centers, width: width, reduction: r, gradOutput: upstream, classes: k, into: &values)
        case .both:
            try centerLoss(x, y, centers, width: width, reduction: r, gradOutput: upstream, classes: k, into: &values,
                           gradientFeatures: &g0, gradientCenters: &g1)
        }
        return 0
    }

    /// oim_loss's three in-place forms (the features' gradient).
    static func oim<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let c = a.c, x = a.tensor("features")!, y = a.integers("targets"), lut = a.tensor("lut")!, queue = a.tensor("queue")!
        let width = c.arrays["features"]!.shape[1], l = c.arrays["lut"]!.shape[0], q = c.arrays["queue"]!.shape[0]
        let upstream = a.tensor("grad_output"), r = a.reduction, s = a.scalar("scalar")!, i = Int(a.scalar("ignore_index")!)
        switch form {
        case .reduced:
            return try oimLoss(x, y, lut, queue, width: width, scalar: s, ignoreIndex: i, reduction: r, gradOutput: upstream,
                               lutRows: l, queueRows: q, gradient: &gradients[0])
        case .values:
            try oimLoss(x, y, lut, queue, width: width, scalar: s, ignoreIndex: i, reduction: r, gradOutput: upstream,
                        lutRows: l, queueRows: q, into: &values)
        case .both:
            try oimLoss(x, y, lut, queue, width: width, scalar: s, ignoreIndex: i, reduction: r, gradOutput: upstream,
                        lutRows: l, queueRows: q, into: &values, gradient: &gradients[0])
        }
        return 0
    }

    /// A metric's form into the caller's storage, as a case spells its arguments.
    static func metric<T, L>(_ a: CaseArguments<T, [T], L>, into values: inout [T]) throws {
        let c = a.c
        switch c.loss {
        case "wasserstein_distance":
            try wassersteinDistance(a.tensor("u_values")!, a.tensor("v_values")!, uWeights: a.tensor("u_weights"),
                                    vWeights: a.tensor("v_weights"), into: &values)
        case "inception_score":
            try inceptionScore(a.tensor("probs")!, classes: c.arrays["probs"]!.shape.last ?? 0,
                               splits: Int(c.scalars["splits"]!), into: &values)
        case "td_error":
            try tdError(a.tensor("rewards")!, a.tensor("values")!, a.tensor("next_values")!, a.tensor("dones")!,
                        gamma: a.scalar("gamma")!, into: &values)
        case "td_lambda_returns":
            try tdLambdaReturns(a.tensor("rewards")!, a.tensor("discounts")!, a.tensor("next_values")!,
                                trajectories: c.arrays["rewards"]!.shape[0], lambda: a.scalar("lambda_")!, into: &values)
        case "gae":
            try gae(a.tensor("rewards")!, a.tensor("discounts")!, a.tensor("values")!,
                    trajectories: c.arrays["rewards"]!.shape[0], lambda: a.scalar("lambda_")!, into: &values)
        case "fid_from_stats":
            try frechetDistance(mu1: a.tensor("mu1")!, sigma1: a.tensor("sigma1")!, mu2: a.tensor("mu2")!,
                                sigma2: a.tensor("sigma2")!, eps: a.scalar("eps") ?? 1e-6, into: &values)
        case "fid":
            try frechetDistance(features1: a.tensor("features1")!, features2: a.tensor("features2")!,
                                width: c.arrays["features1"]!.shape.last ?? 0, eps: a.scalar("eps") ?? 1e-6,
                                into: &values)
        case "r_precision":
            try rPrecision(a.tensor("scores")!, a.integers("relevance"), candidates: c.arrays["scores"]!.shape.last ?? 0,
                           reduction: a.reduction, into: &values)
        case "r_precision_embeddings":
            let shape = c.arrays["text"]!.shape
            try rPrecisionEmbeddings(a.tensor("image")!, a.tensor("text")!, candidates: shape[1], width: shape[2],
                                     eps: a.scalar("eps") ?? 1e-8, reduction: a.reduction, into: &values)
        default:
            throw LossError(.invalidOption, "no in-place Swift call for \(c.loss)")
        }
    }

    /// An update as a case spells it, on `tables` (its tables by name), written in place.
    static func update<L>(_ a: CaseArguments<Double, [Double], L>, tables: inout [String: [Double]]) throws {
        let c = a.c, x = a.tensor("features")!
        let width = c.arrays["features"]!.shape[1]
        switch c.loss {
        case "center_loss_update":
            var centers = tables["centers"]!
            defer { tables["centers"] = centers }
            try centerLossUpdate(x, a.integers("labels"), centers: &centers, width: width, alpha: a.scalar("alpha")!,
                                 classes: c.arrays["centers"]!.shape[0])
        case "oim_update":
            var (lut, queue) = (tables["lut"]!, tables["queue"]!)
            defer { (tables["lut"], tables["queue"]) = (lut, queue) }
            _ = try oimUpdate(x, c.arrays["targets"]!.values.map { Int($0) }, lut: &lut, queue: &queue, width: width,
                              queueHead: Int(a.scalar("queue_head")!), momentum: a.scalar("momentum")!,
                              ignoreIndex: Int(a.scalar("ignore_index")!), lutRows: c.arrays["lut"]!.shape[0],
                              queueRows: c.arrays["queue"]!.shape[0])
        default:
            throw LossError(.invalidOption, "no Swift call for \(c.loss)")
        }
    }

    static func pairs<T, L>(
        _ a: CaseArguments<T, [T], L>, _ form: Form, values: inout [T], gradients: inout [[T]]
    ) throws -> T {
        let c = a.c, x1 = a.tensor("x1")!, x2 = a.tensor("x2")!, upstream = a.tensor("grad_output"), r = a.reduction
        let s1 = c.arrays["x1"]!.shape, s2 = c.arrays["x2"]!.shape
        let width = s1.last ?? 0, rows = s1.count == 2 ? s1[0] : 1, otherRows = s2.count == 2 ? s2[0] : 1
        let eps = c.scalars["eps"] ?? 0, p = c.scalars["p"] ?? 2  // cosine_embedding_loss has neither
        func forms(_ reduced: (inout [T], inout [T]) throws -> T, _ into: (inout [T]) throws -> Void,
                   _ all: (inout [T], inout [T], inout [T]) throws -> Void) throws -> T {
            // Two elements of one array cannot both be inout at once: each gradient on its own.
            var (g0, g1) = (gradients[0], gradients[1])
            gradients = []
            defer { gradients = [g0, g1] }
            switch form {
            case .reduced: return try reduced(&g0, &g1)
            case .values: try into(&values)
            case .both: try all(&values, &g0, &g1)
            }
            return 0
        }
        switch c.loss {
        case "cosine_embedding_loss":
            let (y, m) = (a.tensor("target")!, c.scalars["margin"]!)
            return try forms(
                { try cosineEmbeddingLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, gradientX1: &$0, gradientX2: &$1) },
                { try cosineEmbeddingLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, into: &$0) },
                { try cosineEmbeddingLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        case "contrastive_loss":
            let (y, m) = (a.tensor("target")!, c.scalars["margin"]!)
            return try forms(
                { try contrastiveLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, gradientX1: &$0, gradientX2: &$1) },
                { try contrastiveLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, into: &$0) },
                { try contrastiveLoss(x1, x2, y, width: width, margin: m, reduction: r, gradOutput: upstream, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        case "pairwise_distance":
            return try forms(
                { try pairwiseDistance(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, gradientX1: &$0, gradientX2: &$1) },
                { try pairwiseDistance(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, into: &$0) },
                { try pairwiseDistance(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        case "cosine_similarity":
            return try forms(
                { try cosineSimilarity(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, gradientX1: &$0, gradientX2: &$1) },
                { try cosineSimilarity(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, into: &$0) },
                { try cosineSimilarity(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        case "pairwise_distance_matrix":
            return try forms(
                { try pairwiseDistanceMatrix(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, gradientX1: &$0, gradientX2: &$1) },
                { try pairwiseDistanceMatrix(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, into: &$0) },
                { try pairwiseDistanceMatrix(x1, x2, width: width, p: p, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        case "cosine_similarity_matrix":
            return try forms(
                { try cosineSimilarityMatrix(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, gradientX1: &$0, gradientX2: &$1) },
                { try cosineSimilarityMatrix(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, into: &$0) },
                { try cosineSimilarityMatrix(x1, x2, width: width, eps: eps, reduction: r, gradOutput: upstream, rows: rows, otherRows: otherRows, into: &$0, gradientX1: &$1, gradientX2: &$2) })
        default:
            throw LossError(.invalidOption, "no in-place Swift call for \(c.loss)")
        }
    }
}
