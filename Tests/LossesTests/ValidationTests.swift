import Losses
import XCTest

/// The Swift API refuses what it cannot compute with a `LossError` naming the argument, never a
/// trap.
final class ValidationTests: XCTestCase {
    func testMismatchedCounts() {
        XCTAssertThrowsError(try mseLoss([1.0, 2.0], [1.0])) { error in
            XCTAssertEqual((error as? LossError)?.kind, .shapeMismatch)
            XCTAssertEqual((error as? LossError)?.message, "target has 1 elements, expected 2 (as input)")
        }
        XCTAssertThrowsError(try l1Loss([1.0, 2.0], [1.0, 2.0], weight: [1.0]))
        XCTAssertThrowsError(try huberLoss([Float(1)], [1], reduction: .sum, gradOutput: [1, 2])) { error in
            XCTAssertEqual((error as? LossError)?.message,
                           "gradOutput has 2 elements, expected 1 (as a reduced loss)")
        }
        XCTAssertThrowsError(try quantileLoss([1.0, 2.0, 3.0], [1.0, 2.0], quantiles: [0.1, 0.9]))
    }

    func testParameterDomains() {
        for delta in [0.0, -1.0, .nan, .infinity] {
            XCTAssertThrowsError(try huberLoss([1.0], [0.0], delta: delta)) { error in
                XCTAssertEqual((error as? LossError)?.kind, .invalidArgument)
            }
        }
        XCTAssertThrowsError(try smoothL1Loss([1.0], [0.0], beta: -0.1))
        XCTAssertThrowsError(try quantileLoss([1.0], [0.0], quantiles: [1.5])) { error in
            XCTAssertEqual((error as? LossError)?.message, "quantile[0] must be in [0, 1], got 1.5")
        }
    }

    func testReductionSelectorsAreValidated() {
        XCTAssertEqual(try Reduction.validated(2), .sum)
        for raw: Int32 in [-1, 3, .max] {
            XCTAssertThrowsError(try Reduction.validated(raw)) { error in
                XCTAssertEqual((error as? LossError)?.kind, .invalidOption)
            }
        }
    }

    func testEmptyInputs() throws {
        XCTAssertTrue(try mseLoss([Float](), []).value[0].isNaN, "mean of nothing is NaN, as in PyTorch")
        XCTAssertEqual(try mseLoss([Double](), [], reduction: .sum).value, [0])
        XCTAssertEqual(try mseLoss([Double](), [], reduction: .none, gradient: true), LossResult(value: [], gradient: []))
    }
}
