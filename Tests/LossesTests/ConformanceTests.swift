import Foundation
import Losses
import XCTest

/// Every shared conformance vector through the Swift array API, in the case's own dtype: the
/// same files the C harness and pytest read. A "defaults" case passes nothing optional, so the
/// Swift signatures' defaults are checked against the reference's.
final class ConformanceTests: XCTestCase {
    func testSharedVectors() throws {
        let cases = try VectorCase.all()
        XCTAssertGreaterThan(cases.count, 200)
        for c in cases {
            switch c.dtype {
            case "f32": check(c, as: Float.self)
            default: check(c, as: Double.self)
            }
        }
    }

    /// The losses come from include/losses.h, never from a list typed here: each has vectors,
    /// among them a defaults case in both dtypes.
    func testEveryLossOfTheHeaderHasVectorsAndDefaults() throws {
        let header = try String(contentsOf: VectorCase.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("include/losses.h"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\blosses_(\w+)_f32\("#)
        let names = Set(regex.matches(in: header, range: NSRange(header.startIndex..., in: header)).map {
            String(header[Range($0.range(at: 1), in: header)!])
        })
        XCTAssertGreaterThan(names.count, 20)
        let cases = try VectorCase.all()
        XCTAssertEqual(Set(cases.map(\.loss)), names)
        for name in names {
            XCTAssertEqual(Set(cases.filter { $0.loss == name && $0.defaults }.map(\.dtype)), ["f32", "f64"], name)
        }
    }

    private func check<T: LossFloat>(_ c: VectorCase, as _: T.Type) {
        do {
            let (value, gradients): ([T], [String: [T]]) = try run(c)
            XCTAssertEqual(c.status, 0, "\(c.id): expected status \(c.status), the call succeeded")
            compare(value, c.expect["out"], c, "value")
            for name in c.expect.keys where name.hasPrefix("grad_") {
                compare(gradients[name] ?? [], c.expect[name], c, name)
            }
        } catch {
            XCTAssertEqual(error.kind.rawValue, c.status, "\(c.id): \(error.message)")
        }
    }

    private func compare<T: LossFloat>(_ got: [T], _ want: VectorCase.Array?, _ c: VectorCase, _ what: String) {
        guard let want else { return XCTFail("\(c.id): no expected \(what)") }
        XCTAssertEqual(got.count, want.values.count, "\(c.id): \(what) count")
        let scale = want.values.filter(\.isFinite).map(abs).max() ?? 0
        for (i, (g, w)) in zip(got, want.values).enumerated() where !c.close(Double(g), w, scale: scale) {
            return XCTFail("\(c.id): \(what)[\(i)] = \(g), expected \(w)")
        }
    }

    /// The case's loss through the Swift API: its value and its gradients by C parameter name.
    private func run<T: LossFloat>(_ c: VectorCase) throws(LossError) -> ([T], [String: [T]]) {
        let loss: LossResult<T>
        if c.arrays["x1"] != nil {
            let r: PairResult<T> = try runPairs(c)
            var gradients: [String: [T]] = [:]
            gradients["grad_x1"] = r.gradientX1
            gradients["grad_x2"] = r.gradientX2
            return (r.value, gradients)
        }
        loss = c.defaults ? try runDefaults(c) : try runWithParameters(c)
        return (loss.value, loss.gradient.map { ["grad_input": $0] } ?? [:])
    }

    private func runPairs<T: LossFloat>(_ c: VectorCase) throws(LossError) -> PairResult<T> {
        func tensor(_ name: String) -> [T]? { c.arrays[name].map { $0.values.map { T($0) } } }
        let x1 = tensor("x1")!, x2 = tensor("x2")!
        let s1 = c.arrays["x1"]!.shape, s2 = c.arrays["x2"]!.shape
        let width = s1.last ?? 0, rows = s1.count == 2 ? s1[0] : 1, otherRows = s2.count == 2 ? s2[0] : 1
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
        let reduction: Reduction = ["none": .none, "mean": .mean, "sum": .sum][c.reduction]!
        let upstream = tensor("grad_output"), eps = c.scalars["eps"]!
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
            XCTFail("\(c.id): no Swift call for this function")
            throw LossError(.invalidOption, "unknown function \(c.loss)")
        }
    }

    /// Only the inputs (and the layout, which is a shape, not a parameter).
    private func runDefaults<T: LossFloat>(_ c: VectorCase) throws(LossError) -> LossResult<T> {
        func tensor(_ name: String) -> [T]? { c.arrays[name].map { $0.values.map { T($0) } } }
        let x = tensor("input")!, y = tensor("target")!
        let labels = c.arrays["target"]!.values.map { Int64($0) }
        let (n, classes, d) = c.classLayout
        let layout = ClassLayout(batch: n, classes: classes, inner: d)
        switch c.loss {
        case "cross_entropy": return try crossEntropy(x, labels, layout: layout, gradient: true)
        case "cross_entropy_probs": return try crossEntropy(x, probabilities: y, layout: layout, gradient: true)
        case "nll_loss": return try nllLoss(x, labels, layout: layout, gradient: true)
        case "focal_loss": return try focalLoss(x, labels, layout: layout, gradient: true)
        case "multi_margin_loss": return try multiMarginLoss(x, labels, classes: classes, gradient: true)
        case "binary_cross_entropy": return try binaryCrossEntropy(x, y, gradient: true)
        case "binary_cross_entropy_with_logits": return try binaryCrossEntropyWithLogits(x, y, gradient: true)
        case "sigmoid_focal_loss": return try sigmoidFocalLoss(x, y, gradient: true)
        case "hinge_loss": return try hingeLoss(x, y, gradient: true)
        case "hinge_embedding_loss": return try hingeEmbeddingLoss(x, y, gradient: true)
        case "soft_margin_loss": return try softMarginLoss(x, y, gradient: true)
        case "logistic_loss": return try logisticLoss(x, y, gradient: true)
        case "mse_loss": return try mseLoss(x, y, gradient: true)
        case "l1_loss": return try l1Loss(x, y, gradient: true)
        case "huber_loss": return try huberLoss(x, y, gradient: true)
        case "smooth_l1_loss": return try smoothL1Loss(x, y, gradient: true)
        case "log_cosh_loss": return try logCoshLoss(x, y, gradient: true)
        case "quantile_loss": return try quantileLoss(x, y, gradient: true)
        default:
            XCTFail("\(c.id): no Swift call of this loss at its defaults")
            throw LossError(.invalidOption, "unknown loss \(c.loss)")
        }
    }

    /// Every parameter as the case spells it out.
    private func runWithParameters<T: LossFloat>(_ c: VectorCase) throws(LossError) -> LossResult<T> {
        func tensor(_ name: String) -> [T]? { c.arrays[name].map { $0.values.map { T($0) } } }
        let x = tensor("input")!, y = tensor("target")!, weight = tensor("weight")
        let upstream = tensor("grad_output")
        let reduction: Reduction = ["none": .none, "mean": .mean, "sum": .sum][c.reduction]!
        let labels = c.arrays["target"]!.values.map { Int64($0) }
        let (n, classes, d) = c.classLayout
        let layout = ClassLayout(batch: n, classes: classes, inner: d)
        // A case that leaves ignore_index or label_smoothing out means the reference default; the
        // defaults cases (runDefaults) are what check the Swift signatures carry the same.
        func scalar(_ name: String) -> Double? { c.scalars[name] }
        switch c.loss {
        case "cross_entropy":
            return try crossEntropy(x, labels, layout: layout, weight: weight,
                                    ignoreIndex: scalar("ignore_index").map { Int64($0) } ?? -100, reduction: reduction,
                                    labelSmoothing: scalar("label_smoothing") ?? 0, gradient: true, gradOutput: upstream)
        case "cross_entropy_probs":
            return try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: reduction,
                                    labelSmoothing: scalar("label_smoothing") ?? 0, gradient: true, gradOutput: upstream)
        case "nll_loss":
            return try nllLoss(x, labels, layout: layout, weight: weight,
                               ignoreIndex: scalar("ignore_index").map { Int64($0) } ?? -100,
                               reduction: reduction, gradient: true, gradOutput: upstream)
        case "focal_loss":
            return try focalLoss(x, labels, layout: layout, gamma: scalar("gamma")!, alpha: c.arrays["alpha"]?.values,
                                 ignoreIndex: scalar("ignore_index").map { Int64($0) } ?? -100, reduction: reduction,
                                 gradient: true, gradOutput: upstream)
        case "multi_margin_loss":
            return try multiMarginLoss(x, labels, classes: classes, p: Int32(scalar("p")!), margin: scalar("margin")!,
                                       weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "binary_cross_entropy":
            return try binaryCrossEntropy(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "binary_cross_entropy_with_logits":
            return try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: reduction,
                                                    posWeight: tensor("pos_weight"), gradient: true, gradOutput: upstream)
        case "sigmoid_focal_loss":
            return try sigmoidFocalLoss(x, y, alpha: scalar("alpha")!, gamma: scalar("gamma")!,
                                        reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_loss":
            return try hingeLoss(x, y, margin: scalar("margin")!, squared: scalar("squared")! != 0,
                                 reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_embedding_loss":
            return try hingeEmbeddingLoss(x, y, margin: scalar("margin")!, reduction: reduction,
                                          gradient: true, gradOutput: upstream)
        case "soft_margin_loss":
            return try softMarginLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "logistic_loss":
            return try logisticLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "mse_loss":
            return try mseLoss(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "l1_loss":
            return try l1Loss(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "huber_loss":
            return try huberLoss(x, y, reduction: reduction, delta: scalar("delta")!, weight: weight,
                                 gradient: true, gradOutput: upstream)
        case "smooth_l1_loss":
            return try smoothL1Loss(x, y, reduction: reduction, beta: scalar("beta")!, gradient: true, gradOutput: upstream)
        case "log_cosh_loss":
            return try logCoshLoss(x, y, reduction: reduction, gradient: true, gradOutput: upstream)
        case "quantile_loss":
            return try quantileLoss(x, y, quantiles: c.arrays["quantile"]!.values, reduction: reduction,
                                    gradient: true, gradOutput: upstream)
        default:
            XCTFail("\(c.id): no Swift call for this loss")
            throw LossError(.invalidOption, "unknown loss \(c.loss)")
        }
    }
}
