// Uses the Losses product as a user's package would: contiguous storage of any kind in, labels as
// [Int], a reduced loss as a number, the in-place form into caller storage, and an error that
// names its loss. Exits 1 on the first check that fails.
import Losses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var failures = 0
@MainActor func check(_ condition: Bool, _ what: String) {
    print(condition ? "ok   " : "FAIL ", what)
    if !condition { failures += 1 }
}

let batch: [Float] = [9, 0.5, 2, -3, 9]
let prediction = batch[1..<4]              // an ArraySlice, read in place
let target = ContiguousArray<Float>(repeating: 0, count: 3)

do {
    // Allocating form: the reduced loss is a Float, the gradient an array.
    let r = try huberLoss(prediction, target, delta: 1, gradient: true)
    let loss: Float = r.loss
    check(r.gradient?.count == 3 && loss.isFinite && loss > 0, "huberLoss(ArraySlice, ContiguousArray).loss = \(loss)")

    // In place: the same loss returned, the gradient written into caller storage.
    var gradient = [Float](repeating: 0, count: 3)
    let inPlace = try huberLoss(prediction, target, delta: 1, gradient: &gradient)
    check(inPlace == loss && gradient == r.gradient!, "huberLoss(..., gradient: &gradient) = \(inPlace), \(gradient)")

    // Class labels as [Int]; the same loss from [Int64] and [Int32].
    let logits: [Double] = [2, -1, 0.5, 0, 1, 3]
    let layout = ClassLayout(batch: 2, classes: 3)
    let fromInt = try crossEntropy(logits, [0, 2], layout: layout).loss
    let fromInt64 = try crossEntropy(logits, [Int64(0), 2], layout: layout).loss
    let fromInt32 = try crossEntropy(logits, [Int32(0), 2], layout: layout).loss
    check(fromInt == fromInt64 && fromInt == fromInt32, "crossEntropy([Int] / [Int64] / [Int32] labels) = \(fromInt)")

    // Unreduced values and buffer pointers.
    let values = try logits.withUnsafeBufferPointer { x in
        try crossEntropy(x, [0, 2], layout: layout, reduction: .none).values
    }
    check(values.count == 2, "crossEntropy(UnsafeBufferPointer, reduction: .none).values = \(values)")
} catch {
    check(false, "unexpected error: \(error)")
}

// An error names the loss and writes nothing.
var gradient = [Float](repeating: 7, count: 2)
do throws(LossError) {
    _ = try mseLoss(prediction, target, gradient: &gradient)
    check(false, "a gradient of the wrong count was accepted")
} catch {
    check(error.loss == "mse_loss" && error.kind == .shapeMismatch && "\(error)".hasPrefix("mse_loss: "),
          "error: \(error)")
    check(gradient == [7, 7], "nothing written on error")
}

if failures > 0 {
    print("\(failures) check(s) failed")
    exit(1)
}
print("the Losses product works from a package that depends on it")
