// Center loss and its centre update (Wen et al. 2016; docs/metric_learning.md,
// "Re-identification"): the squared distance of each sample to its class centre, and the
// caller's centres moved towards their samples.

/// The clamp of center loss's per-sample distance (part of the definition).
@usableFromInline let centerDistanceMin = 1e-12, centerDistanceMax = 1e12

/// Sample s of `center_loss`: Σ_k (x_sk - c_yk)² summed directly in double, clamped, and its
/// features' gradient; `coefficient[s]` keeps 2·scale where the clamp passes (0 where it bites),
/// for the centres' gathered gradient. Each sample owns its row and its coefficient.
@usableFromInline
struct CenterKernel<T: LossFloat>: SampleKernel {
    let x: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, centers: UnsafeBufferPointer<T>
    let d: Int, classes: Int
    /// The labels as read once when the centres' gradient groups them; else each is read once here.
    let groups: UnsafePointer<Int>?
    let gradient: UnsafeMutableBufferPointer<T>?, coefficient: UnsafeMutablePointer<Double>?

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let row = s &* d
        let label: Int
        if let groups {
            label = groups[s]
        } else {
            let y = labels[s]  // read once
            label = y >= 0 && y < Int64(classes) ? Int(truncatingIfNeeded: y) : -1
        }
        guard label >= 0 else {  // changed by another thread after the check: NaN, no gradient
            if let gradient { for k in 0..<d { gradient[row &+ k] = 0 } }
            coefficient?[s] = 0
            return .nan
        }
        let center = label &* d
        var sum = 0.0
        for k in 0..<d {
            let v = Double(x[row &+ k]) - Double(centers[center &+ k])
            sum += v * v
        }
        let passes = sum >= centerDistanceMin && sum <= centerDistanceMax
        let value = sum.isNaN ? sum : Swift.min(Swift.max(sum, centerDistanceMin), centerDistanceMax)
        let c = passes ? 2 * Double(scale) : 0
        coefficient?[s] = c
        if let gradient {
            for k in 0..<d { gradient[row &+ k] = T(c * (Double(x[row &+ k]) - Double(centers[center &+ k]))) }
        }
        return T(value)
    }
}

extension ReIdentification {
    /// `center_loss` of (n, d) features, n labels in [0, c) (checked by the caller) and (c, d)
    /// centres; the gradients are `o.gradients.first` (features) and `.second` (centres).
    /// Throws `.outOfMemory` (before anything is written) when the centres' gradient cannot have
    /// its scratch: 3n + c + 1 indices and coefficients.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func centerLoss<T: LossFloat>(
        features x: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, centers: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, classes c: Int, into o: LossOutputs<T>
    ) throws(LossError) {
        let elementsPerSample = Swift.max(d, 1)
        guard let gradCenters = o.gradients.second else {
            let kernel = CenterKernel(x: x, labels: labels, centers: centers, d: d, classes: c, groups: nil,
                                      gradient: o.gradients.first, coefficient: nil)
            return reduceSamples(count: n, elementsPerSample: elementsPerSample, meanDenominator: Double(n), into: o, kernel)
        }
        let groups = try SamplesByLabel(labels, rows: c)
        let coefficients = try Scratch<Double>(count: n)
        let kernel = CenterKernel(x: x, labels: labels, centers: centers, d: d, classes: c, groups: groups.labelsRead,
                                  gradient: o.gradients.first, coefficient: coefficients.base)
        reduceSamples(count: n, elementsPerSample: elementsPerSample, meanDenominator: Double(n), into: o, kernel)
        // Each centre's gradient gathered by its owner: -Σ_i coefficient_i (x_i - c_j), i ascending.
        let coefficient = coefficients.base
        forEachCenterChunk(rows: c, width: d, samples: n) { j in
            let members = groups.samples(j), center = j &* d
            for k in 0..<d {
                let cj = Double(centers[center &+ k])
                var sum = 0.0
                for s in members { sum += coefficient[s] * (Double(x[s &* d &+ k]) - cj) }
                gradCenters[center &+ k] = T(-sum)
            }
        }
    }

    /// `center_loss_update`: every centre j with samples moves by
    /// -alpha·Σ_{y_i = j} (c_j - x_i)/(1 + n_j), from its own values before the call (no centre
    /// reads another, so updating row by row is the simultaneous update). Labels checked by the
    /// caller; the grouping reads each once.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func centerLossUpdate<T: LossFloat>(
        features x: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, centers: UnsafeMutableBufferPointer<T>,
        rows n: Int, width d: Int, classes c: Int, alpha: Double
    ) throws(LossError) {
        let groups = try SamplesByLabel(labels, rows: c)
        forEachCenterChunk(rows: c, width: d, samples: n) { j in
            let members = groups.samples(j), center = j &* d
            guard !members.isEmpty else { return }
            let denominator = Double(1 &+ members.count)
            for k in 0..<d {
                let cj = Double(centers[center &+ k])
                var sum = 0.0
                for s in members { sum += cj - Double(x[s &* d &+ k]) }
                centers[center &+ k] = T(cj - alpha * sum / denominator)
            }
        }
    }

    /// Calls `body(j)` for every row j of a (rows, width) table, in fixed chunks of rows (on
    /// several threads when the work is large): the owner of each row writes it alone.
    static func forEachCenterChunk(rows: Int, width: Int, samples: Int, _ body: (Int) -> Void) {
        let unit = Swift.max(1, chunkLength / Swift.max(1, width))
        let work = Swift.max(rows, samples).multipliedReportingOverflow(by: Swift.max(width, 1)).partialValue
        forEachChunk((rows + unit - 1) / unit, parallel: work >= parallelThreshold) { chunk in
            var j = chunk &* unit
            let end = Swift.min(rows, j &+ unit)
            while j < end {
                body(j)
                j &+= 1
            }
        }
    }
}
