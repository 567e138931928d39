/// The layout of a class-index loss: `input` is (N, C, D) row-major with D = d1·…·dk (1 for a
/// plain (N, C) batch), one sample per (n, j) and the class axis strided by D, as PyTorch lays
/// out (N, C, d1, …, dk). Targets and per-sample outputs are (N, D).
public struct ClassLayout: Sendable, Equatable {
    public var batch: Int
    public var classes: Int
    public var inner: Int

    @inlinable
    public init(batch: Int, classes: Int, inner: Int = 1) {
        self.batch = batch
        self.classes = classes
        self.inner = inner
    }

    /// N·D, the number of samples (targets).
    @inlinable public var samples: Int { batch &* inner }
    /// N·C·D, the number of logits.
    @inlinable public var elements: Int { batch &* classes &* inner }

    /// The offset of sample `s`'s class 0 in `input`; class c is `stride·c` further.
    @inlinable @inline(__always)
    public func base(_ s: Int) -> Int {
        if inner == 1 { return s &* classes }
        let (n, j) = s.quotientAndRemainder(dividingBy: inner)
        return n &* classes &* inner &+ j
    }

    @inlinable public var stride: Int { inner }
}

/// Class-index targets: every label is in [0, C) or is `ignoreIndex`.
@usableFromInline package enum ClassTargets {
    package static func check(
        _ target: UnsafeBufferPointer<Int64>, classes: Int, ignoreIndex: Int64?
    ) throws(LossError) {
        let c = Int64(classes)
        for (i, y) in target.enumerated() where y != ignoreIndex && !(y >= 0 && y < c) {
            let ignored = ignoreIndex.map { " and is not ignore_index (\($0))" } ?? ""
            throw LossError(.labelOutOfRange,
                            "target[\(i)] = \(y) is out of range for \(classes) classes\(ignored)")
        }
    }

    /// At least one class: a softmax over nothing has no value.
    @usableFromInline package static func checkClasses(_ classes: Int) throws(LossError) {
        guard classes >= 1 else { throw LossError(.invalidSize, "the class count must be >= 1, got \(classes)") }
    }
}

/// One class-index loss over its buffers: `kernel(s, scale)` returns sample s's loss and writes
/// its gradient entries times `scale` when a gradient is wanted. A type, like `PointwiseKernel`,
/// so that the driver is specialised for it on every thread.
@usableFromInline
protocol SampleKernel {
    associatedtype Scalar: LossFloat
    func callAsFunction(_ s: Int, _ scale: Scalar) -> Scalar
}

/// Applies the reduction to a per-sample loss. `kernel(s, scale)` returns sample s's loss and,
/// when the caller asked for a gradient, writes that sample's gradient entries multiplied by
/// `scale` (zeros for an ignored sample). `.mean` divides by `meanDenominator` (the summed
/// target weights, the kept-sample count, …: each loss says which).
///
/// Samples are split into fixed chunks of about `chunkLength` input elements, run on several
/// threads for large inputs and combined in order (the same result for any thread count).
@inlinable @inline(__always)
func reduceSamples<T, K: SampleKernel>(
    count n: Int, elementsPerSample: Int, meanDenominator: Double, into o: LossOutputs<T>, _ kernel: K
) where K.Scalar == T {
    let unit = Swift.max(1, chunkLength / Swift.max(1, elementsPerSample))
    let parallel = n.multipliedReportingOverflow(by: elementsPerSample).partialValue >= parallelThreshold
    if o.reduction == .none {
        forEachChunk((n + unit - 1) / unit, parallel: parallel) { c in
            var s = c &* unit
            let end = Swift.min(n, s &+ unit)
            while s < end {
                o.out[s] = kernel(s, o.gradOutput?[s] ?? 1)
                s &+= 1
            }
        }
        return
    }
    let denominator = o.reduction == .sum ? 1 : meanDenominator
    let scale = T(Double(o.gradOutput?[0] ?? 1) / denominator)
    let total = chunkedSum(count: n, unit: unit, parallel: parallel) { range in
        var sum = CompensatedSum()
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(start &+ blockLength, range.upperBound)
            var block = 0.0
            var s = start
            while s < end {
                block += Double(kernel(s, scale))
                s &+= 1
            }
            sum.add(block)
            start = end
        }
        return sum.value
    }
    o.out[0] = T(total / denominator)
}
