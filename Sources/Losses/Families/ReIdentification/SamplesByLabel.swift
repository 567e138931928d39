// The samples of each row of a caller's table (a centre, an identity), in ascending sample
// order: what lets the owner of a row gather over its samples instead of having samples scatter
// into it (the race-freedom rule, Sources/Losses/README.md).

/// The re-identification losses and their updates over validated buffers
/// (docs/metric_learning.md, "Re-identification").
@usableFromInline package enum ReIdentification {}

/// Labels grouped by row: `samples(j)` are the samples labelled j, ascending. Built in one pass
/// that reads each caller label exactly once into a local: a label another thread changes during
/// the call is either the value checked before or is dropped (`label(s)` is then nil), never an
/// index out of range.
package struct SamplesByLabel: ~Copyable {
    private let scratch: Scratch<Int>
    let n: Int, rows: Int

    /// Allocates 2n + rows + 1 indices (`.outOfMemory` before anything is written when it cannot).
    package init(_ labels: UnsafeBufferPointer<Int64>, rows: Int) throws(LossError) {
        n = labels.count
        self.rows = rows
        let (a, o1) = n.multipliedReportingOverflow(by: 2)
        let (total, o2) = a.addingReportingOverflow(rows)
        guard !o1, !o2, total < Int.max else {
            throw LossError(.outOfMemory, "cannot allocate \(n) × 2 + \(rows) indices of scratch")
        }
        scratch = try Scratch<Int>(count: total &+ 1)
        // [0, n): each sample's label (-1: dropped); [n, n + rows + 1): row offsets;
        // [n + rows + 1, 2n + rows + 1): the samples in row order.
        let base = scratch.base, offsets = base + n, order = base + (n &+ rows &+ 1)
        for j in 0...rows { offsets[j] = 0 }
        let bound = Int64(rows)
        for s in 0..<n {
            let y = labels[s]  // read once
            let label = y >= 0 && y < bound ? Int(truncatingIfNeeded: y) : -1
            base[s] = label
            if label >= 0 { offsets[label &+ 1] &+= 1 }
        }
        for j in 0..<rows { offsets[j &+ 1] &+= offsets[j] }
        // A second pass over the local copy (not the caller's labels) fills each row in
        // ascending sample order; offsets[j] runs to the end of row j and is restored after.
        for s in 0..<n where base[s] >= 0 {
            order[offsets[base[s]]] = s
            offsets[base[s]] &+= 1
        }
        var j = rows
        while j > 0 { offsets[j] = offsets[j &- 1]; j &-= 1 }
        offsets[0] = 0
    }

    /// Every sample's label as read, -1 for one that was out of range.
    var labelsRead: UnsafePointer<Int> { UnsafePointer(scratch.base) }

    /// Sample s's label as read, or nil when it was out of range.
    @inline(__always) func label(_ s: Int) -> Int? {
        let y = scratch.base[s]
        return y >= 0 ? y : nil
    }

    /// The samples labelled j, ascending.
    @inline(__always) func samples(_ j: Int) -> UnsafeBufferPointer<Int> {
        let offsets = scratch.base + n
        return UnsafeBufferPointer(start: scratch.base + (n &+ rows &+ 1 &+ offsets[j]), count: offsets[j &+ 1] &- offsets[j])
    }
}
