import Losses
import XCTest

/// perceptualLoss over several layers is its layers' calls added up: each group of the shared
/// one-layer cases with the same dtype, reduction, batch and style weight (and no grad_output),
/// called as one list, gives the sum of the cases' reference values and each case's reference
/// gradients.
final class PerceptualLayersTests: XCTestCase {
    func testLayersAddUpToTheirReferences() throws {
        let cases = try VectorCase.all().filter {
            $0.loss == "perceptual_loss" && $0.status == 0 && !$0.defaults && $0.arrays["grad_output"] == nil
        }
        let groups = Dictionary(grouping: cases) {
            "\($0.dtype) \($0.reduction) \($0.arrays["x"]!.shape[0]) \($0.scalars["style_weight"]!)"
        }.values.filter { $0.count >= 2 }
        XCTAssertGreaterThanOrEqual(groups.count, 2)
        for group in groups {
            if group[0].dtype == "f32" { try check(group, Float.self) } else { try check(group, Double.self) }
        }
    }

    func check<T: LossFloat>(_ group: [VectorCase], _: T.Type) throws {
        let reduction: Reduction = group[0].reduction == "none" ? .none : group[0].reduction == "sum" ? .sum : .mean
        let shapes = group.map { c -> ImageShape in
            let s = c.arrays["x"]!.shape
            return ImageShape(n: s[0], c: s[1], h: s[2], w: s[3])
        }
        let result = try perceptualLoss(group.map { $0.arrays["x"]!.values.map { T($0) } },
                                        group.map { $0.arrays["y"]!.values.map { T($0) } }, shapes: shapes,
                                        layerWeights: group.map { $0.scalars["layer_weight"]! },
                                        styleWeight: group[0].scalars["style_weight"]!, reduction: reduction,
                                        gradient: true)
        let ids = group.map(\.id).joined(separator: " + ")
        let got = reduction == .none ? result.values.map { Double($0) } : [Double(result.loss)]
        var want = [Double](repeating: 0, count: got.count)
        for c in group { for (i, v) in c.expect["out"]!.values.enumerated() { want[i] += v } }
        for (g, w) in zip(got, want) { close(g, w, group[0], "\(ids): value") }
        for (l, c) in group.enumerated() {
            for (name, grads) in [("grad_x", result.gradientsX!), ("grad_y", result.gradientsY!)] {
                for (g, w) in zip(grads[l], c.expect[name]!.values) { close(Double(g), w, c, "\(c.id): \(name)") }
            }
        }
    }

    func close(_ got: Double, _ want: Double, _ c: VectorCase, _ what: String) {
        if got.isNaN && want.isNaN { return }
        XCTAssertLessThanOrEqual(abs(got - want), c.atol + c.rtol * abs(want) + c.stol * abs(want), what)
    }

    func testListsOfDifferentLengthsOrShapesAreRefused() {
        let x: [[Double]] = [[1, 2, 3, 4], [1, 2]]
        let one = ImageShape(n: 1, c: 2, h: 2, w: 1)
        XCTAssertThrowsError(try perceptualLoss(x, [x[0]], shapes: [one, one]))
        XCTAssertThrowsError(try perceptualLoss(x, x, shapes: [one, one]))  // layer 1 holds 2 values, not 4
        XCTAssertThrowsError(try perceptualLoss(x, x, shapes: [one, ImageShape(n: 2, c: 1, h: 1, w: 1)]))
        XCTAssertThrowsError(try perceptualLoss([x[0]], [x[0]], shapes: [one], layerWeights: [1, 2]))
        XCTAssertThrowsError(try perceptualLoss([x[0]], [x[0]], shapes: [one], layerWeights: [-1]))
        XCTAssertThrowsError(try perceptualLoss([[Double]](), [], shapes: []))
    }
}
