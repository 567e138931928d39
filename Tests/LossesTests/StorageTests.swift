import Losses
import XCTest

/// Every conformance case again with its arrays in each other contiguous storage and its labels in
/// other integer types: the same bits as arrays of `[Int]` labels, which ConformanceTests checks
/// against the references.
final class StorageTests: XCTestCase {
    func testEveryStorageGivesTheBitsOfArrays() throws {
        for c in try VectorCase.all() {
            switch c.dtype {
            case "f32": try compareStorages(c, as: Float.self)
            default: try compareStorages(c, as: Double.self)
            }
        }
    }

    private func compareStorages<T: LossFloat>(_ c: VectorCase, as _: T.Type) throws {
        let reference = Result { () throws(LossError) in
            try VectorCalls.run(CaseArguments(c, store: { (a: [T]) in a }, labels: Int.self))
        }
        // Slices that do not start at index 0, into a larger array.
        expect(reference, Result { () throws(LossError) in
            try VectorCalls.run(CaseArguments(c, store: { (a: [T]) in ([0] + a + [0])[1..<(a.count + 1)] }, labels: Int64.self))
        }, c, "ArraySlice, Int64 labels")
        expect(reference, Result { () throws(LossError) in
            try VectorCalls.run(CaseArguments(c, store: { ContiguousArray($0) }, labels: Int32.self))
        }, c, "ContiguousArray, Int32 labels")
        let arena = Arena<T>()
        expect(reference, Result { () throws(LossError) in
            try VectorCalls.run(CaseArguments(c, store: { arena.buffer($0) }, labels: Int16.self))
        }, c, "UnsafeBufferPointer, Int16 labels")
    }

    private func expect<T>(_ reference: Result<Outcome<T>, LossError>, _ other: Result<Outcome<T>, LossError>,
                           _ c: VectorCase, _ what: String) {
        switch (reference, other) {
        case (.success(let a), .success(let b)): XCTAssertTrue(a.sameBits(as: b), "\(c.id): \(what)")
        case (.failure(let a), .failure(let b)): XCTAssertEqual(a, b, "\(c.id): \(what)")
        default: XCTFail("\(c.id): \(what): \(reference) against \(other)")
        }
    }

    func testLabelsIntTypesAgree() throws {
        let logits: [Float] = [2, -1, 0.5, 0, 1, 3]
        let layout = ClassLayout(batch: 2, classes: 3)
        let reference = try crossEntropy(logits, [Int64(0), 2], layout: layout, gradient: true)
        XCTAssertEqual(try crossEntropy(logits, [0, 2], layout: layout, gradient: true), reference)
        XCTAssertEqual(try crossEntropy(logits, [Int32(0), 2], layout: layout, gradient: true), reference)
        XCTAssertEqual(try crossEntropy(logits, [UInt64(0), 2], layout: layout, gradient: true), reference)
        XCTAssertEqual(try crossEntropy(logits, [Int8(0), 2][...], layout: layout, gradient: true), reference)
        // Not contiguous: converted once, like any other integer type.
        XCTAssertEqual(try crossEntropy(logits, [0, 2].lazy.map { $0 }, layout: layout, gradient: true), reference)
    }

    func testLabelsBeyondInt64AreRefused() {
        let logits: [Double] = [0, 0, 0, 0]
        XCTAssertThrowsError(try nllLoss(logits, [UInt64(1), .max], layout: ClassLayout(batch: 2, classes: 2))) { error in
            let error = error as! LossError
            XCTAssertEqual(error.kind, .labelOutOfRange)
            XCTAssertEqual(error.loss, "nll_loss")
            XCTAssertEqual(error.description, "nll_loss: target[1] = 18446744073709551615 is not representable as Int64")
        }
    }
}

/// Buffers that live as long as the arena: the storage of the `UnsafeBufferPointer` runs.
final class Arena<T> {
    private var buffers: [UnsafeMutableBufferPointer<T>] = []

    func buffer(_ values: [T]) -> UnsafeBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
        buffers.append(buffer)
        return UnsafeBufferPointer(buffer)
    }

    deinit { for buffer in buffers { buffer.deallocate() } }
}
