import Losses
import XCTest

/// The Swift API refuses what it cannot compute with a `LossError` naming the loss and the
/// argument, never a trap.
final class ValidationTests: XCTestCase {
    func testMismatchedCounts() {
        XCTAssertThrowsError(try mseLoss([1.0, 2.0], [1.0])) { error in
            let error = error as! LossError
            XCTAssertEqual(error.kind, .shapeMismatch)
            XCTAssertEqual(error.loss, "mse_loss")
            XCTAssertEqual(error.message, "target has 1 elements, expected 2 (as input)")
            XCTAssertEqual(error.description, "mse_loss: target has 1 elements, expected 2 (as input)")
        }
        XCTAssertThrowsError(try l1Loss([1.0, 2.0], [1.0, 2.0], weight: [1.0]))
        XCTAssertThrowsError(try huberLoss([Float(1)], [1], reduction: .sum, gradOutput: [1, 2])) { error in
            XCTAssertEqual("\(error)", "huber_loss: gradOutput has 2 elements, expected 1 (as a reduced loss)")
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
        XCTAssertThrowsError(try multiMarginLoss([0.0, 1.0], [1], classes: 2, p: .max)) { error in
            XCTAssertEqual("\(error)", "multi_margin_loss: p must be 1 or 2, got \(Int.max)")
        }
    }

    /// Each loss names itself, also where two share a kernel (logistic and soft margin) or a
    /// Swift name (the two cross entropies).
    func testErrorsNameTheirLoss() {
        func name(_ call: () throws -> Void) -> String? {
            do { try call() } catch { return (error as? LossError)?.loss }
            return nil
        }
        let two: [Double] = [0, 0], one: [Double] = [0]
        XCTAssertEqual(name { _ = try logisticLoss(two, one) }, "logistic_loss")
        XCTAssertEqual(name { _ = try softMarginLoss(two, one) }, "soft_margin_loss")
        XCTAssertEqual(name { _ = try binaryCrossEntropy([2.0], [1.0]) }, "binary_cross_entropy")
        XCTAssertEqual(name { _ = try crossEntropy(two, probabilities: one, layout: ClassLayout(batch: 1, classes: 2)) },
                       "cross_entropy")
        XCTAssertEqual(name { _ = try crossEntropy(two, [5], layout: ClassLayout(batch: 1, classes: 2)) }, "cross_entropy")
        XCTAssertEqual(name { _ = try cosineSimilarityMatrix(two, one, width: 2) }, "cosine_similarity_matrix")
        var gradient = [Double](repeating: 0, count: 2)
        XCTAssertEqual(name { try focalLoss(two, [0], layout: ClassLayout(batch: 1, classes: 2), reduction: .none,
                                            gradient: &gradient) }, "focal_loss")
        XCTAssertNil(LossError(.invalidOption, "no loss").loss)
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
        XCTAssertTrue(try mseLoss([Float](), []).loss.isNaN, "mean of nothing is NaN, as in PyTorch")
        XCTAssertEqual(try mseLoss([Double](), [], reduction: .sum).loss, 0)
        XCTAssertEqual(try mseLoss([Double](), [], reduction: .none, gradient: true),
                       LossResult(reduction: .none, loss: 0, values: [], gradient: []))
    }

    /// A reduced call has its loss alone; `.none` has one value per sample, and `loss` is then
    /// their sum, as `.sum` gives it.
    func testScalarLossAndUnreducedValues() throws {
        let x: [Float] = [0.5, 2, -3], y: [Float] = [0, 0, 0]
        let mean = try huberLoss(x, y, gradient: true), sum = try huberLoss(x, y, reduction: .sum)
        let none = try huberLoss(x, y, reduction: .none)
        XCTAssertEqual(mean.values, [])
        XCTAssertEqual(none.values.count, 3)
        XCTAssertEqual(none.loss, sum.loss)
        XCTAssertEqual(mean.loss, sum.loss / 3, accuracy: 1e-6)
        XCTAssertEqual(mean.gradient?.count, 3)
    }
}
