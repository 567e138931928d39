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
        for (i, (g, w)) in zip(got, want.values).enumerated() where !c.close(Double(g), w) {
            return XCTFail("\(c.id): \(what)[\(i)] = \(g), expected \(w)")
        }
    }

    private func run<T: LossFloat>(_ c: VectorCase) throws(LossError) -> LossResult<T> {
        func tensor(_ name: String) -> [T]? { c.arrays[name].map { $0.values.map { T($0) } } }
        let x = tensor("input")!, y = tensor("target")!, weight = tensor("weight")
        let upstream = tensor("grad_output")
        let reduction: Reduction = ["none": .none, "mean": .mean, "sum": .sum][c.reduction]!
        switch c.loss {
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
