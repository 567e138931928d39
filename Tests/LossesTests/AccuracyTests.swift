import Losses
import XCTest

/// Float reductions against the same computation carried out in Double on the same Float
/// inputs, summed exactly enough (Double, pairwise by construction of the small blocks here).
final class AccuracyTests: XCTestCase {
    func testFloatMeanWithinOneTenMillionth() throws {
        var generator = SystemRandomNumberGenerator()
        let n = 1_000_000
        let x = (0..<n).map { _ in Float.random(in: -3...3, using: &generator) }
        let y = (0..<n).map { _ in Float.random(in: -1...1, using: &generator) }
        var reference = 0.0
        var compensation = 0.0
        for (a, b) in zip(x, y) {
            let d = Double(a) - Double(b)
            let term = d * d - compensation
            let t = reference + term
            compensation = (t - reference) - term
            reference = t
        }
        let mean = try mseLoss(x, y).loss
        XCTAssertLessThanOrEqual(abs(Double(mean) - reference / Double(n)), 1e-7 * reference / Double(n))
    }

    func testLogCoshIsFiniteForHugeResiduals() throws {
        let result = try logCoshLoss([Float(1e30), -1e30, 100], [0, 0, 0], reduction: .none, gradient: true)
        XCTAssertEqual(result.values[0], Float(1e30) - Float(0.6931472), accuracy: 1e24)
        XCTAssertTrue(result.values.allSatisfy(\.isFinite))
        XCTAssertEqual(result.gradient, [1, -1, 1])
    }
}
