import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Elements (or samples) per chunk: the unit of parallel work and of the fixed summation order.
/// A chunk's result depends only on its own elements, and chunk results are combined in chunk
/// order, so every result is bitwise the same whatever the thread count.
@usableFromInline let chunkLength = 1 << 16

/// Inputs smaller than this stay on the calling thread: starting workers costs more.
@usableFromInline let parallelThreshold = 1 << 18

/// How many threads a large input uses: `LOSSES_NUM_THREADS` when set to a positive integer,
/// else the online processors. Read per large call, so it can be changed between calls.
@usableFromInline
func workerCount() -> Int {
    if let value = getenv("LOSSES_NUM_THREADS"), let n = Int(String(cString: value)), n >= 1 {
        return Swift.min(n, 256)
    }
    return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Lets Dispatch run a non-escaping body whose iterations touch disjoint memory.
@usableFromInline
struct ParallelBody: @unchecked Sendable {
    @usableFromInline let run: (Int) -> Void
    @inlinable init(_ run: @escaping (Int) -> Void) { self.run = run }
}

/// Calls `body(c)` for every chunk c in 0..<chunks, on up to `workerCount()` threads when
/// `parallel`, each thread taking a contiguous run of chunks.
@inlinable @inline(__always)
func forEachChunk(_ chunks: Int, parallel: Bool, _ body: (Int) -> Void) {
    let threads = parallel ? Swift.min(workerCount(), chunks) : 1
    if threads <= 1 {
        for c in 0..<chunks { body(c) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let work = ParallelBody(escapable)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let first = chunks * t / threads, last = chunks * (t + 1) / threads
            for c in first..<last { work.run(c) }
        }
    }
}

/// The chunked sum of `count` items: `chunkSum(range)` sums one chunk; chunk sums are combined
/// in order with compensation. The same for any thread count.
@inlinable @inline(__always)
func chunkedSum(
    count n: Int, unit: Int = chunkLength, parallel: Bool? = nil, _ chunkSum: (Range<Int>) -> Double
) -> Double {
    let chunks = (n + unit - 1) / unit
    if chunks <= 1 { return n == 0 ? 0 : chunkSum(0..<n) }
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: chunks) { sums in
        forEachChunk(chunks, parallel: parallel ?? (n >= parallelThreshold)) { c in
            sums[c] = chunkSum(c * unit ..< Swift.min(n, (c + 1) * unit))
        }
        var total = CompensatedSum()
        for s in sums { total.add(s) }
        return total.value
    }
}
