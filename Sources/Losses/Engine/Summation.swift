/// Fixed-order summation that keeps float32 reductions within a few ulp of the float64 result.
///
/// Values are summed in blocks of `blockLength` in `Double` lanes (`LossFloat.blockSum`); block
/// totals are combined with Neumaier's compensated addition, and chunks of blocks likewise
/// (`chunkedSum`). A naive float32 running sum is off by about 1e-4 at 10^7 elements; this stays
/// below 1e-7 relative (tested). The order of additions depends only on the element count, so
/// the result is bitwise reproducible, whatever the thread count.
@usableFromInline
struct CompensatedSum {
    @usableFromInline var sum: Double = 0
    @usableFromInline var compensation: Double = 0

    @inlinable init() {}

    /// Neumaier's variant of Kahan summation: also exact when the addend is the larger term.
    @inlinable @inline(__always)
    mutating func add(_ value: Double) {
        let t = sum + value
        if abs(sum) >= abs(value) {
            compensation += (sum - t) + value
        } else {
            compensation += (value - t) + sum
        }
        sum = t
    }

    @inlinable var value: Double {
        // A NaN or infinite addend leaves the compensation NaN; the plain sum is then the answer.
        sum.isFinite ? sum + compensation : sum
    }
}

/// Elements per block of the fixed-order summation (and of the vectorised loops' scratch).
@usableFromInline let blockLength = 512

/// The total of per-row values (`rowTotals`, `count` of them), summed in blocks of `blockLength`
/// rows, each block plainly and the blocks in order with compensation: the fixed order of the
/// pair-matrix, batch and similarity drivers' totals, the same for any thread count.
package func orderedRowTotal(_ rowTotals: UnsafePointer<Double>, count n: Int) -> Double {
    var sum = CompensatedSum()
    var start = 0
    while start < n {
        let end = Swift.min(n, start &+ blockLength)
        var block = 0.0
        for i in start..<end { block += rowTotals[i] }
        sum.add(block)
        start = end
    }
    return sum.value
}

/// The sum of `count` values in `Double`, in a fixed lane order: the one per-block sum of every
/// driver. Dispatches on the element type, which specialisation folds away.
@inlinable @inline(__always)
func blockSum<T: LossFloat>(_ p: UnsafePointer<T>, _ count: Int) -> Double {
    if T.self == Float.self {
        return Float._blockSum(UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), count)
    }
    return Double._blockSum(UnsafeRawPointer(p).assumingMemoryBound(to: Double.self), count)
}

extension Float {
    /// The sum of `count` floats in eight `Double` lanes, lanes combined pairwise.
    @inlinable
    static func _blockSum(_ p: UnsafePointer<Float>, _ count: Int) -> Double {
        var acc = SIMD8<Double>(), i = 0
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= count {
            acc += SIMD8<Double>(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
            i &+= 8
        }
        var tail = 0.0
        while i < count {
            tail += Double(p[i])
            i &+= 1
        }
        return acc.sum() + tail
    }
}

extension Double {
    /// The sum of `count` doubles in eight lanes, lanes combined pairwise.
    @inlinable
    static func _blockSum(_ p: UnsafePointer<Double>, _ count: Int) -> Double {
        var acc = SIMD8<Double>(), i = 0
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= count {
            acc += raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Double>.self)
            i &+= 8
        }
        var tail = 0.0
        while i < count {
            tail += p[i]
            i &+= 1
        }
        return acc.sum() + tail
    }
}

extension UnsafeBufferPointer where Element: LossFloat {
    /// The sum of the elements in `Double`, in the fixed chunked, blocked order.
    @inlinable
    func blockedSum() -> Double {
        guard let base = baseAddress else { return 0 }
        return chunkedSum(count: count) { range in
            var total = CompensatedSum()
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start &+ blockLength, range.upperBound)
                total.add(blockSum(base + start, end &- start))
                start = end
            }
            return total.value
        }
    }
}
