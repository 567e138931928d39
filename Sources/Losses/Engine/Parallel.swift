import CLossesSupport

/// Elements (or samples) per chunk: the unit of parallel work and of the fixed summation order.
/// A chunk's result depends only on its own elements, and chunk results are combined in chunk
/// order, so every result is bitwise the same whatever the thread count.
@usableFromInline let chunkLength = 1 << 16

/// Inputs smaller than this stay on the calling thread: starting workers costs more.
@usableFromInline let parallelThreshold = 1 << 18

/// How many threads a large input uses, the calling thread included (`losses_get_num_threads`:
/// LOSSES_NUM_THREADS as read at load, or `losses_set_num_threads`).
@usableFromInline
func workerCount() -> Int { Int(losses_get_num_threads()) }

/// Lets the C pool run a non-escaping body whose iterations touch disjoint memory.
@usableFromInline
struct ParallelBody {
    @usableFromInline let run: (Int) -> Void
    @inlinable init(_ run: @escaping (Int) -> Void) { self.run = run }
}

/// Calls `body(c)` for every chunk c in 0..<chunks: on the calling thread and, when `parallel`,
/// up to `workerCount() - 1` pool threads, each claiming the next chunk in turn. If no pool
/// thread can start, the calling thread does every chunk: the call never waits for a thread.
@inlinable @inline(__always)
func forEachChunk(_ chunks: Int, parallel: Bool, _ body: (Int) -> Void) {
    let threads = parallel ? Swift.min(workerCount(), chunks) : 1
    if threads <= 1 {
        for c in 0..<chunks { body(c) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        var work = ParallelBody(escapable)
        withUnsafeMutablePointer(to: &work) { context in
            _losses_parallel_for(Int64(chunks), Int32(threads), { context, c in
                context!.assumingMemoryBound(to: ParallelBody.self).pointee.run(Int(c))
            }, context)
        }
    }
}

/// Chunk sums held at once: chunks are summed in groups of this many, each group's sums added
/// to the total in chunk order before the next group starts. The order of additions is that of
/// one pass over every chunk, so the result does not depend on the group size either; and the
/// scratch is a fixed 2 KiB on the stack whatever the input size: no allocation that could fail.
@usableFromInline let chunkGroup = 256

/// The chunked sum of `count` items: `chunkSum(range)` sums one chunk; chunk sums are combined
/// in order with compensation. The same for any thread count.
@inlinable @inline(__always)
func chunkedSum(
    count n: Int, unit: Int = chunkLength, parallel: Bool? = nil, _ chunkSum: (Range<Int>) -> Double
) -> Double {
    let chunks = (n + unit - 1) / unit
    if chunks <= 1 { return n == 0 ? 0 : chunkSum(0..<n) }
    let inParallel = parallel ?? (n >= parallelThreshold)
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: chunkGroup) { sums in
        var total = CompensatedSum()
        var first = 0
        while first < chunks {
            let count = Swift.min(chunkGroup, chunks &- first)
            forEachChunk(count, parallel: inParallel) { k in
                let c = first &+ k
                sums[k] = chunkSum(c &* unit ..< Swift.min(n, (c &+ 1) &* unit))
            }
            for k in 0..<count { total.add(sums[k]) }
            first &+= count
        }
        return total.value
    }
}
