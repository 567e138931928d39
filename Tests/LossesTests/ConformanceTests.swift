import Losses
import XCTest

/// Every shared conformance vector through the Swift array API, in the case's own dtype: the
/// same files the C harness and pytest read.
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

    private func check<T: LossFloat>(_ c: VectorCase, as _: T.Type) {
        do {
            let result: LossResult<T> = try run(c)
            XCTAssertEqual(c.status, 0, "\(c.id): expected status \(c.status), the call succeeded")
            compare(result.value, c.expect["out"], c, "value")
            compare(result.gradient ?? [], c.expect["grad_input"], c, "gradient")
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

    private func run<T: LossFloat>(_ c: VectorCase) throws(LossError) -> LossResult<T> {
        func tensor(_ name: String) -> [T]? { c.arrays[name].map { $0.values.map { T($0) } } }
        let x = tensor("input")!, y = tensor("target")!, weight = tensor("weight")
        let upstream = tensor("grad_output")
        let reduction: Reduction = ["none": .none, "mean": .mean, "sum": .sum][c.reduction]!
        let labels = c.arrays["target"]!.values.map { Int64($0) }
        let (n, classes, d) = c.classLayout
        let layout = ClassLayout(batch: n, classes: classes, inner: d)
        func scalar(_ name: String, _ fallback: Double) -> Double { c.scalars[name] ?? fallback }
        switch c.loss {
        case "cross_entropy":
            return try crossEntropy(x, labels, layout: layout, weight: weight,
                                    ignoreIndex: Int64(scalar("ignore_index", -100)), reduction: reduction,
                                    labelSmoothing: scalar("label_smoothing", 0), gradient: true, gradOutput: upstream)
        case "cross_entropy_probs":
            return try crossEntropy(x, probabilities: y, layout: layout, weight: weight, reduction: reduction,
                                    labelSmoothing: scalar("label_smoothing", 0), gradient: true, gradOutput: upstream)
        case "nll_loss":
            return try nllLoss(x, labels, layout: layout, weight: weight, ignoreIndex: Int64(scalar("ignore_index", -100)),
                               reduction: reduction, gradient: true, gradOutput: upstream)
        case "focal_loss":
            return try focalLoss(x, labels, layout: layout, gamma: scalar("gamma", 2), alpha: c.arrays["alpha"]?.values,
                                 ignoreIndex: Int64(scalar("ignore_index", -100)), reduction: reduction,
                                 gradient: true, gradOutput: upstream)
        case "multi_margin_loss":
            return try multiMarginLoss(x, labels, classes: classes, p: Int32(scalar("p", 1)), margin: scalar("margin", 1),
                                       weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "binary_cross_entropy":
            return try binaryCrossEntropy(x, y, weight: weight, reduction: reduction, gradient: true, gradOutput: upstream)
        case "binary_cross_entropy_with_logits":
            return try binaryCrossEntropyWithLogits(x, y, weight: weight, reduction: reduction,
                                                    posWeight: tensor("pos_weight"), gradient: true, gradOutput: upstream)
        case "sigmoid_focal_loss":
            return try sigmoidFocalLoss(x, y, alpha: scalar("alpha", 0.25), gamma: scalar("gamma", 2),
                                        reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_loss":
            return try hingeLoss(x, y, margin: scalar("margin", 1), squared: scalar("squared", 0) != 0,
                                 reduction: reduction, gradient: true, gradOutput: upstream)
        case "hinge_embedding_loss":
            return try hingeEmbeddingLoss(x, y, margin: scalar("margin", 1), reduction: reduction,
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
            return try huberLoss(x, y, reduction: reduction, delta: c.scalars["delta"] ?? 1, weight: weight,
                                 gradient: true, gradOutput: upstream)
        case "smooth_l1_loss":
            return try smoothL1Loss(x, y, reduction: reduction, beta: c.scalars["beta"] ?? 1,
                                    gradient: true, gradOutput: upstream)
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
