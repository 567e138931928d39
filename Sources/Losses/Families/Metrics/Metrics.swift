// The metrics (docs/metrics.md): evaluation quantities with no gradient. Each reads validated
// buffers and returns its values; the caller writes them, so a refused call writes nothing.

/// The metrics over validated buffers.
@usableFromInline package enum Metrics {}

/// One value of an empirical distribution with its weight, in double.
struct WeightedValue {
    var value: Double
    var weight: Double
}

extension Metrics {
    /// Refuses weights that are not a distribution, as scipy's `_validate_distribution` does:
    /// a negative (or NaN) weight, or a total (in double) that is not positive and finite.
    package static func checkWeights<T: LossFloat>(_ w: UnsafeBufferPointer<T>?, _ name: StaticString)
        throws(LossError)
    {
        guard let w else { return }
        var total = 0.0
        for i in 0..<w.count {
            let x = Double(w[i])
            // !(x >= 0) also catches NaN, whose total scipy refuses.
            guard x >= 0 else { throw LossError(.invalidArgument, "\(name)[\(i)] must be >= 0, got \(x)") }
            total += x
        }
        guard total > 0, total.isFinite else {
            throw LossError(.invalidArgument, "\(name) must sum to a positive finite number, got \(total)")
        }
    }

    /// Sorts `count` pairs by value in place, stably (bottom-up merge sort through `temp`, which
    /// holds `count` pairs). The values hold no NaN, so `<` is a total order.
    static func sortByValue(_ a: UnsafeMutablePointer<WeightedValue>, _ temp: UnsafeMutablePointer<WeightedValue>,
                            count n: Int) {
        var width = 1
        var source = a, target = temp
        while width < n {
            var start = 0
            while start < n {
                let middle = Swift.min(start &+ width, n), end = Swift.min(start &+ 2 &* width, n)
                var i = start, j = middle, k = start
                while i < middle && j < end {
                    if source[j].value < source[i].value {
                        target[k] = source[j]; j &+= 1
                    } else {
                        target[k] = source[i]; i &+= 1
                    }
                    k &+= 1
                }
                while i < middle { target[k] = source[i]; i &+= 1; k &+= 1 }
                while j < end { target[k] = source[j]; j &+= 1; k &+= 1 }
                start = end
            }
            swap(&source, &target)
            width &*= 2
        }
        if source != a { a.update(from: source, count: n) }
    }
}
