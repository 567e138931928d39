import Foundation

/// One case of the shared conformance vectors (Tests/vectors/<family>/<loss>.vec; the format is described in
/// Tests/vectors/vectorfile.py).
struct VectorCase {
    struct Array {
        var shape: [Int]
        var values: [Double]
    }

    var loss = "", label = "", dtype = "", reduction = "mean"
    var scalars: [String: Double] = [:]
    var arrays: [String: Array] = [:]
    var expect: [String: Array] = [:]
    var status: Int32 = 0
    /// A case that passes no optional parameter, reduction included: it runs through the
    /// defaults of the API under test, which must be the reference's own.
    var defaults = false
    var rtol = 0.0, atol = 0.0, stol = 0.0

    var id: String { "\(loss)/\(label)/\(dtype)" }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("vectors")

    static func all() throws -> [VectorCase] {
        // One folder per family, one file per loss.
        let families = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var cases: [VectorCase] = []
        for family in families {
            let folder = directory.appendingPathComponent(family)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                continue
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            where file.hasSuffix(".vec") {
                cases += try read(folder.appendingPathComponent(file))
            }
        }
        return cases
    }

    static func read(_ url: URL) throws -> [VectorCase] {
        var cases: [VectorCase] = []
        var current = VectorCase()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let t = line.split(separator: " ").map(String.init)
            guard let kind = t.first, !kind.hasPrefix("#") else { continue }
            switch kind {
            case "case": current = VectorCase(); (current.loss, current.label, current.dtype) = (t[1], t[2], t[3])
            case "reduction": current.reduction = t[1]
            case "defaults": current.defaults = true
            case "scalar": current.scalars[t[1]] = Double(t[2])!
            case "array": current.arrays[t[1]] = array(t.dropFirst(2))
            case "expect": current.expect[t[1]] = array(t.dropFirst(2))
            case "status": current.status = Int32(t[1])!
            case "tolerance": (current.rtol, current.atol, current.stol) = (Double(t[1])!, Double(t[2])!, Double(t[3])!)
            case "end": cases.append(current)
            default: throw CocoaError(.fileReadCorruptFile)
            }
        }
        return cases
    }

    private static func array(_ tokens: ArraySlice<String>) -> Array {
        let t = Swift.Array(tokens)
        let ndim = Int(t[0])!
        let shape = t[1..<(ndim + 1)].map { Int($0)! }
        return Array(shape: shape, values: t[(ndim + 1)...].map { Double($0)! })
    }

    /// |got - want| <= atol + rtol |want| + stol·scale, NaN matching NaN and infinities matching
    /// exactly; `scale` is the largest finite magnitude of the expected array.
    func close(_ got: Double, _ want: Double, scale: Double) -> Bool {
        if want.isNaN { return got.isNaN }
        if want.isInfinite { return got == want }
        return abs(got - want) <= atol + rtol * abs(want) + stol * scale
    }

    /// (n, c, d) of PyTorch's (N, C, d1..dk) or unbatched (C) input.
    var classLayout: (n: Int, c: Int, d: Int) {
        let shape = arrays["input"]!.shape
        if shape.count == 1 { return (1, shape[0], 1) }
        return (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }
}
