import CLossesSupport
import Losses

// The checks every exported function makes before any arithmetic that could trap: a Swift trap
// inside the library kills the host process (SIGILL, no message), so nothing here may trap
// and nothing is computed until every argument has passed.

/// Runs one exported call. A thrown `LossError` becomes its status code and, prefixed with the
/// loss's name, the calling thread's `losses_last_error()` message.
@inline(__always)
func exported(_ loss: StaticString, _ body: () throws(LossError) -> Void) -> Int32 {
    do {
        try body()
        return 0
    } catch {
        "\(loss): \(error.message)".withCString { _losses_set_error($0) }
        return error.kind.rawValue
    }
}

/// The largest element count of one buffer: its size in bytes then fits an Int64 with room to
/// spare, so no byte or index arithmetic below can overflow.
let maxElements = 1 << 60

/// No process address reaches past 2^57 (x86-64 with five-level paging; 2^47 with four, 2^52 or
/// less on AArch64): a buffer said to end beyond it cannot exist, whatever its size argument.
let addressSpaceEnd: UInt = 1 << 57

/// Collects the validated buffers of one call so that overlaps can be refused.
///
/// Held inline, not in a Swift Array: an array's first use on a thread instantiates generic
/// metadata through the runtime's demangler, whose recursion overflowed a 16 KiB thread stack;
/// and a call should allocate nothing it does not need.
struct CallArguments {
    private struct Region {
        var name: StaticString
        var start: UInt
        var end: UInt
        var isOutput: Bool
    }

    /// More buffers than any function of the header has (verification loss will have 10).
    private static let capacity = 16
    private var storage: (Region, Region, Region, Region, Region, Region, Region, Region,
                          Region, Region, Region, Region, Region, Region, Region, Region)
    private var used = 0

    init() {
        let empty = Region(name: "", start: 0, end: 0, isOutput: false)
        storage = (empty, empty, empty, empty, empty, empty, empty, empty,
                   empty, empty, empty, empty, empty, empty, empty, empty)
    }

    private var regions: UnsafeBufferPointer<Region> {
        mutating get {
            withUnsafeMutableBytes(of: &storage) { raw in
                UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: Region.self), count: used)
            }
        }
    }

    /// A size argument: non-negative and at most `maxElements`.
    func count(_ value: Int64, _ name: StaticString) throws(LossError) -> Int {
        guard value >= 0 else {
            throw LossError(.invalidSize, "\(name) must be >= 0, got \(value)")
        }
        guard value <= Int64(maxElements), let count = Int(exactly: value) else {
            throw LossError(.invalidSize, "\(name) must be at most 2^60, got \(value)")
        }
        return count
    }

    /// The element count of an `a` by `b` array, refusing products that overflow.
    func product(_ a: Int, _ b: Int, _ name: StaticString) throws(LossError) -> Int {
        let (n, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow, n <= maxElements else {
            throw LossError(.invalidSize, "\(name) = \(a) × \(b) elements is too large")
        }
        return n
    }

    mutating func input<T>(_ p: UnsafePointer<T>?, _ count: Int, _ name: StaticString)
        throws(LossError) -> UnsafeBufferPointer<T>
    {
        guard let p else { throw LossError(.nullPointer, "\(name) is NULL") }
        try record(UnsafeRawPointer(p), count, MemoryLayout<T>.stride, MemoryLayout<T>.alignment, name, false)
        return UnsafeBufferPointer(start: p, count: count)
    }

    mutating func optionalInput<T>(_ p: UnsafePointer<T>?, _ count: Int, _ name: StaticString)
        throws(LossError) -> UnsafeBufferPointer<T>?
    {
        guard p != nil else { return nil }
        return try input(p, count, name)
    }

    mutating func output<T>(_ p: UnsafeMutablePointer<T>?, _ count: Int, _ name: StaticString)
        throws(LossError) -> UnsafeMutableBufferPointer<T>
    {
        guard let p else { throw LossError(.nullPointer, "\(name) is NULL") }
        try record(UnsafeRawPointer(p), count, MemoryLayout<T>.stride, MemoryLayout<T>.alignment, name, true)
        return UnsafeMutableBufferPointer(start: p, count: count)
    }

    mutating func optionalOutput<T>(_ p: UnsafeMutablePointer<T>?, _ count: Int, _ name: StaticString)
        throws(LossError) -> UnsafeMutableBufferPointer<T>?
    {
        guard p != nil else { return nil }
        return try output(p, count, name)
    }

    /// The outputs of a loss over `elements` values: `out` and `grad_output` hold one value per
    /// sample for `none` (`samples`, the elements unless a class axis is reduced) and one
    /// otherwise; the gradient holds `elements` values.
    mutating func lossOutputs<T: LossFloat>(
        reduction raw: Int32, elements: Int, samples: Int? = nil, out: UnsafeMutablePointer<T>?,
        gradient: UnsafeMutablePointer<T>?, gradientName: StaticString,
        gradOutput: UnsafePointer<T>?
    ) throws(LossError) -> LossOutputs<T> {
        let reduction = try Reduction.validated(raw)
        let outCount = reduction == .none ? samples ?? elements : 1
        return LossOutputs(
            reduction: reduction,
            out: try output(out, outCount, "out"),
            gradient: try optionalOutput(gradient, elements, gradientName),
            gradOutput: try optionalInput(gradOutput, outCount, "grad_output"))
    }

    /// Refuses an output that overlaps any other buffer of the call (empty buffers never do).
    mutating func checkOverlaps() throws(LossError) {
        let regions = self.regions
        for (i, a) in regions.enumerated() where a.isOutput {
            for (j, b) in regions.enumerated() where j != i {
                if a.start < b.end && b.start < a.end {
                    throw LossError(.overlap, "\(a.name) overlaps \(b.name)")
                }
            }
        }
    }

    private mutating func record(
        _ p: UnsafeRawPointer, _ count: Int, _ stride: Int, _ alignment: Int,
        _ name: StaticString, _ isOutput: Bool
    ) throws(LossError) {
        let start = UInt(bitPattern: p)
        guard start % UInt(alignment) == 0 else {
            throw LossError(.misaligned, "\(name) is not aligned to \(alignment) bytes")
        }
        // count <= 2^60 and stride <= 8, so the byte length cannot overflow; the end address
        // can only wrap for a pointer no allocation could have.
        let (end, wrapped) = start.addingReportingOverflow(UInt(count) &* UInt(stride))
        guard !wrapped, end <= addressSpaceEnd else {
            throw LossError(.invalidSize, "\(name) of \(count) elements extends past the address space")
        }
        guard used < Self.capacity else {
            throw LossError(.invalidOption, "internal: more than \(Self.capacity) buffers in one call")
        }
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.baseAddress!.assumingMemoryBound(to: Region.self)[used] = Region(
                name: name, start: start, end: end, isOutput: isOutput)
        }
        used += 1
    }
}
