// The OIM loss and its table update (Xiao et al. 2017; docs/metric_learning.md,
// "Re-identification"): cross entropy of scaled similarities against a lookup table of labelled
// identities and a circular queue of unlabelled features, both the caller's.

/// Sample s of `oim_loss`: its logits against [lut; queue] in a double scratch row, the
/// library's cross-entropy row on them, and its features' gradient from that row's gradient.
/// Each sample owns its scratch rows and its gradient row.
@usableFromInline
struct OIMKernel<T: LossFloat>: SampleKernel {
    let x: UnsafeBufferPointer<T>, lut: UnsafeBufferPointer<T>, queue: UnsafeBufferPointer<T>
    let d: Int, l: Int, q: Int, scalar: Double
    /// The targets as read once: a row index, or -1 for an unlabelled sample, -2 for a target
    /// that left its range after the check.
    let targets: UnsafePointer<Int>
    /// Per sample: l + q logits, then (with a gradient) l + q logit gradients and d accumulators.
    let scratch: UnsafeMutablePointer<Double>
    let gradient: UnsafeMutableBufferPointer<T>?

    /// Column j of the logits: row j of [lut; queue] (only called with d > 0: the rows exist).
    @inline(__always) func row(_ j: Int) -> UnsafePointer<T> {
        j < l ? lut.baseAddress! + j &* d : queue.baseAddress! + (j &- l) &* d
    }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let columns = l &+ q, base = s &* d
        let label = targets[s]
        guard label >= 0 else {
            if let gradient { for k in 0..<d { gradient[base &+ k] = 0 } }
            return label == -1 ? 0 : .nan
        }
        let width = gradient == nil ? columns : 2 &* columns &+ d
        let z = scratch + s &* width
        for j in 0..<columns {
            var dot = 0.0
            if d > 0 {
                let r = row(j)
                for k in 0..<d { dot += Double(x[base &+ k]) * Double(r[k]) }
            }
            z[j] = scalar * dot
        }
        guard let gradient else {
            return T(crossEntropyRow(UnsafePointer(z), columns, label: label, labelWeight: 1.0, weight: nil, epsilon: 0,
                                     uniform: 0, weightSum: 1, gradient: nil, scale: 1))
        }
        let g = z + columns, sum = g + columns
        let loss = crossEntropyRow(UnsafePointer(z), columns, label: label, labelWeight: 1.0, weight: nil, epsilon: 0,
                                   uniform: 0, weightSum: 1, gradient: g, scale: Double(scale))
        // ∂loss/∂x = scalar · Σ_j g_j [lut; queue]_j, the columns in ascending order.
        for k in 0..<d { sum[k] = 0 }
        for j in 0..<columns where d > 0 {
            let r = row(j), c = g[j]
            for k in 0..<d { sum[k] += c * Double(r[k]) }
        }
        for k in 0..<d { gradient[base &+ k] = T(scalar * sum[k]) }
        return T(loss)
    }
}

extension ReIdentification {
    /// `oim_loss` of (n, d) features, n targets (checked by the caller: in [0, l) or
    /// `ignoreIndex`), the (l, d) lookup table and the (q, d) queue; the gradient is
    /// `o.gradients.first` (features). Throws `.outOfMemory` before anything is written when
    /// its scratch (n targets, n·(2(l + q) + d) doubles) cannot be had.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func oimLoss<T: LossFloat>(
        features x: UnsafeBufferPointer<T>, targets: UnsafeBufferPointer<Int64>, lut: UnsafeBufferPointer<T>,
        queue: UnsafeBufferPointer<T>, rows n: Int, width d: Int, identities l: Int, queueRows q: Int,
        scalar: Double, ignoreIndex: Int64, into o: LossOutputs<T>
    ) throws(LossError) {
        let columns = l &+ q
        let perSample = o.gradient == nil ? columns : 2 &* columns &+ d
        let (doubles, overflow) = n.multipliedReportingOverflow(by: perSample)
        guard !overflow else { throw LossError(.outOfMemory, "cannot allocate \(n) × \(perSample) doubles of scratch") }
        let read = try Scratch<Int>(count: n)
        let scratch = try Scratch<Double>(count: doubles)
        // Each target read once: the kernel and the mean's denominator see the same labels.
        var labelled = 0
        for s in 0..<n {
            let y = targets[s]
            let label = y == ignoreIndex ? -1 : (y >= 0 && y < Int64(l) ? Int(truncatingIfNeeded: y) : -2)
            read.base[s] = label
            if label != -1 { labelled &+= 1 }
        }
        let kernel = OIMKernel(x: x, lut: lut, queue: queue, d: d, l: l, q: q, scalar: scalar, targets: read.base,
                               scratch: scratch.base, gradient: o.gradient)
        reduceSamples(count: n, elementsPerSample: Swift.max(1, columns &* Swift.max(d, 1)),
                      meanDenominator: Double(labelled), into: o, kernel)
    }

    /// `oim_update`, sample by sample in ascending order (checked by the caller: the targets,
    /// the head, q > 0 when a sample is unlabelled). Returns the head after the call. Each target
    /// is read once; one that changed after the check is skipped, and an unlabelled one with no
    /// queue too.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func oimUpdate<T: LossFloat>(
        features x: UnsafeBufferPointer<T>, targets: UnsafeBufferPointer<Int64>, lut: UnsafeMutableBufferPointer<T>,
        queue: UnsafeMutableBufferPointer<T>, rows n: Int, width d: Int, identities l: Int, queueRows q: Int,
        head start: Int, momentum: Double, ignoreIndex: Int64
    ) -> Int {
        var head = start
        for s in 0..<n {
            let y = targets[s]  // read once
            let base = s &* d
            if y == ignoreIndex {
                guard q > 0 else { continue }
                let slot = head &* d
                for k in 0..<d { queue[slot &+ k] = x[base &+ k] }
                head = head &+ 1 == q ? 0 : head &+ 1
                continue
            }
            guard y >= 0, y < Int64(l) else { continue }
            let slot = Int(truncatingIfNeeded: y) &* d
            // v = m·lut[y] + (1 - m)·x, then v/‖v‖ with the norm scaled by the largest |v_k|.
            var largest = 0.0
            for k in 0..<d {
                let v = momentum * Double(lut[slot &+ k]) + (1 - momentum) * Double(x[base &+ k])
                largest = v.isNaN ? v : Swift.max(largest, Swift.abs(v))
            }
            var sum = 0.0
            if largest > 0 && largest.isFinite {
                for k in 0..<d {
                    let v = (momentum * Double(lut[slot &+ k]) + (1 - momentum) * Double(x[base &+ k])) / largest
                    sum += v * v
                }
            }
            let norm = largest.isFinite ? largest * sum.squareRoot() : largest
            for k in 0..<d {
                let v = momentum * Double(lut[slot &+ k]) + (1 - momentum) * Double(x[base &+ k])
                lut[slot &+ k] = T(norm > 0 ? v / norm : (norm.isNaN ? .nan : v))
            }
        }
        return head
    }
}
