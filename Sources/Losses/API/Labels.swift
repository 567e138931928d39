/// Calls `body` with the class labels as the `Int64` buffer the kernels read.
///
/// Labels of `Int64`, or of `Int` where it has 64 bits, held contiguously (`[Int]`, `[Int64]`,
/// their slices and buffers) are read where they are: the two types have one layout. Any other
/// integer type or layout is converted once, into one allocation; a label that `Int64` cannot
/// represent (a `UInt64` above `Int64.max`, a wider integer) throws `.labelOutOfRange` before
/// anything is computed, naming `loss`.
func withLabels<Labels: Collection, R>(
    _ labels: Labels, loss: StaticString, _ body: (UnsafeBufferPointer<Int64>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    if Labels.Element.self == Int64.self || (Labels.Element.self == Int.self && Int.bitWidth == 64) {
        // withContiguousStorageIfAvailable rethrows untyped errors: carry ours out in a Result.
        let borrowed = labels.withContiguousStorageIfAvailable { buffer in
            UnsafeRawBufferPointer(buffer).withMemoryRebound(to: Int64.self) { labels in
                Result { () throws(LossError) in try body(labels) }
            }
        }
        if let borrowed { return try borrowed.get() }
    }
    var converted = [Int64](repeating: 0, count: labels.count)
    try converted.withUnsafeMutableBufferPointer { (out) throws(LossError) in
        let contiguous = labels.withContiguousStorageIfAvailable { labels in
            Result { () throws(LossError) in try convert(labels, into: out, loss: loss) }
        }
        if let contiguous { return try contiguous.get() }
        try convert(labels, into: out, loss: loss)
    }
    return try converted.withUnsafeBufferPointer { (buffer) throws(LossError) -> R in try body(buffer) }
}

/// `labels` as `Int64` into `out` (of their count). Specialised for the integer types labels
/// come in, whose generic conversion goes through the runtime for every element.
@_specialize(where Labels == UnsafeBufferPointer<Int32>)
@_specialize(where Labels == UnsafeBufferPointer<Int16>)
@_specialize(where Labels == UnsafeBufferPointer<Int8>)
@_specialize(where Labels == UnsafeBufferPointer<UInt8>)
@_specialize(where Labels == UnsafeBufferPointer<UInt16>)
@_specialize(where Labels == UnsafeBufferPointer<UInt32>)
@_specialize(where Labels == UnsafeBufferPointer<UInt64>)
@_specialize(where Labels == UnsafeBufferPointer<UInt>)
@_specialize(where Labels == UnsafeBufferPointer<Int>)
@_specialize(where Labels == UnsafeBufferPointer<Int64>)
func convert<Labels: Collection>(
    _ labels: Labels, into out: UnsafeMutableBufferPointer<Int64>, loss: StaticString
) throws(LossError) where Labels.Element: BinaryInteger {
    for (i, label) in labels.enumerated() {
        guard let value = Int64(exactly: label) else {
            throw LossError(.labelOutOfRange, "target[\(i)] = \(label) is not representable as Int64",
                            loss: "\(loss)")
        }
        out[i] = value
    }
}
