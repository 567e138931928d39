import Foundation
import Losses
import XCTest

/// Every shared conformance vector through the Swift API (arrays, `[Int]` labels), in the case's
/// own dtype: the same files the C harness and pytest read. A "defaults" case passes nothing
/// optional, so the Swift signatures' defaults are checked against the reference's. A refused
/// case must throw the expected kind and name its loss.
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
        // abi/header.py HAND_WRITTEN: FID's statistics update (a double state in both dtypes),
        // outside the generated tables and the vectors; Tests/python/test_fid.py tests it.
        let tested = names.subtracting(["fid_statistics_update"])
        let cases = try VectorCase.all()
        XCTAssertEqual(Set(cases.map(\.loss)), tested)
        for name in tested {
            XCTAssertEqual(Set(cases.filter { $0.loss == name && $0.defaults }.map(\.dtype)), ["f32", "f64"], name)
        }
    }

    /// The metrics the test tables call (VectorCalls.metrics) are the header's: the entries with
    /// `out` and neither a gradient output nor a table (a non-const pointer other than out).
    func testTheMetricsAreTheHeaders() throws {
        let header = try String(contentsOf: VectorCase.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("include/losses.h"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\blosses_(\w+)_f32\(([^;]*)\);"#)
        var found = Set<String>()
        for match in regex.matches(in: header, range: NSRange(header.startIndex..., in: header)) {
            let name = String(header[Range(match.range(at: 1), in: header)!])
            let parameters = header[Range(match.range(at: 2), in: header)!].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let outputs = parameters.filter { $0.contains("*") && !$0.hasPrefix("const") }
            if outputs.contains(where: { $0.hasSuffix(" *out") || $0.hasSuffix("*out") })
                && outputs.allSatisfy({ $0.hasSuffix("out") && !$0.contains("grad_") }) {
                found.insert(name)
            }
        }
        XCTAssertEqual(found, VectorCalls.metrics)
    }

    private func check<T: LossFloat>(_ c: VectorCase, as _: T.Type) {
        do {
            let outcome = try VectorCalls.run(CaseArguments(c, store: { (a: [T]) in a }, labels: Int.self))
            XCTAssertEqual(c.status, 0, "\(c.id): expected status \(c.status), the call succeeded")
            // A target gradient has no value; an update has none either, but its tables.
            if c.expect["out"] != nil || (!c.loss.hasSuffix("_grad_target") && outcome.tables.isEmpty) {
                compare(outcome.values, c.expect["out"], c, "value")
            }
            for name in c.expect.keys where name.hasPrefix("grad_") {
                compare(outcome.gradients[name] ?? [], c.expect[name], c, name)
            }
            for name in c.expect.keys where name != "out" && !name.hasPrefix("grad_") {
                compare(outcome.tables[name] ?? [], c.expect[name], c, name)
            }
        } catch {
            XCTAssertEqual(error.kind.rawValue, c.status, "\(c.id): \(error.message)")
            // Errors name the C entry, cross_entropy_probs by its Python name (cross_entropy).
            XCTAssertEqual(error.loss, c.loss.replacingOccurrences(of: "_probs", with: ""), "\(c.id): the loss named")
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
}
