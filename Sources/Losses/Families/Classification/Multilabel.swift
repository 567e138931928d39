import RealModule

// PyTorch's multi-label losses over (N, C) scores (docs/classification.md): each row is one
// sample with any number of positive classes. multilabel_margin_loss's targets are class
// indices ending at the first -1; multilabel_soft_margin_loss's are 0/1 per class.

/// Multi-label targets: every entry in [-1, C), also after a row's first -1, as PyTorch checks.
@usableFromInline package enum MultilabelTargets {
    package static func check(_ target: UnsafeBufferPointer<Int64>, classes: Int) throws(LossError) {
        let c = Int64(classes)
        for (i, y) in target.enumerated() where !(y >= -1 && y < c) {
            throw LossError(.labelOutOfRange, "target[\(i)] = \(y) is out of range for \(classes) classes (each entry is -1 or a class)")
        }
    }
}

/// Sample s of multilabel_margin_loss. Its row of labels is read once, into `labels` (a scratch of
/// C indices owned by the task) while marking the targets in `isTarget`, before any arithmetic:
/// the caller's thread could change them mid-call, and a label used as an index must never
/// leave [0, C). A label out of range at that read gives a NaN loss and a zero gradient.
@usableFromInline
struct MultilabelMarginRow<T: LossFloat> {
    @usableFromInline let x: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, classes: Int
    @usableFromInline let gradient: UnsafeMutableBufferPointer<T>?

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ target: UnsafeBufferPointer<Int64>, classes: Int,
                    _ gradient: UnsafeMutableBufferPointer<T>?) {
        (self.x, self.target, self.classes, self.gradient) = (x, target, classes, gradient)
    }

    @inlinable
    func callAsFunction(_ s: Int, _ scale: T, labels: UnsafeMutablePointer<Int>, isTarget: UnsafeMutablePointer<Bool>) -> T {
        let base = s &* classes
        isTarget.update(repeating: false, count: classes)
        var count = 0
        while count < classes {
            let y = target[base &+ count]
            if y == -1 { break }
            guard y >= 0 && y < Int64(classes) else {  // changed by the caller mid-call
                if let gradient { for k in 0..<classes { gradient[base &+ k] = 0 } }
                return .nan
            }
            labels[count] = Int(truncatingIfNeeded: y)
            isTarget[labels[count]] = true
            count &+= 1
        }
        if let gradient { for k in 0..<classes { gradient[base &+ k] = 0 } }
        let step = scale / T(classes)
        var loss = 0.0  // up to C² hinges: summed in double
        for j in 0..<count {
            let label = labels[j], xj = x[base &+ label]
            for k in 0..<classes where !isTarget[k] {
                let z = 1 - xj + x[base &+ k]
                guard z > 0 else { continue }  // PyTorch's test: a NaN score adds nothing
                loss += Double(z)
                if let gradient {
                    gradient[base &+ k] += step
                    gradient[base &+ label] -= step
                }
            }
        }
        return T(loss / Double(classes))
    }
}

@usableFromInline
struct MultilabelSoftMarginKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let x: UnsafeBufferPointer<T>, t: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?
    @usableFromInline let classes: Int, gradient: UnsafeMutableBufferPointer<T>?

    @inlinable init(_ x: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, _ weight: UnsafeBufferPointer<T>?,
                    classes: Int, _ gradient: UnsafeMutableBufferPointer<T>?) {
        (self.x, self.t, self.weight, self.classes, self.gradient) = (x, t, weight, classes, gradient)
    }

    /// `t·softplus(-x) + (1-t)·softplus(x)` = `-(t log σ(x) + (1-t) log σ(-x))`, weighted, over
    /// the row, divided by C; derivative `(w/C)(σ(x) - t)`.
    @inlinable @inline(__always)
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let base = s &* classes, c = T(classes)
        var loss = 0.0  // the row's sum in double
        for k in 0..<classes {
            let i = base &+ k, xi = x[i], ti = t[i], w = weight?[k] ?? 1
            let l = T.log(onePlus: T.exp(-abs(xi)))
            let value = ti * ((xi > 0 ? 0 : -xi) + l) + (1 - ti) * ((xi > 0 ? xi : 0) + l)
            loss += Double(w * value)
            gradient?[i] = w / c * (Logistic.sigmoid(xi) - ti) * scale
        }
        return T(loss / Double(classes))
    }
}

extension Classification {
    /// multilabel_margin_loss of (rows, classes) scores; targets checked by the caller.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func multilabelMarginLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<Int64>, rows: Int, classes: Int,
        into o: LossOutputs<T>
    ) {
        let row = MultilabelMarginRow(x, target, classes: classes, o.gradient)
        reduceSamples(count: rows, elementsPerSample: classes, meanDenominator: Double(rows), into: o,
                      MultilabelMarginKernel(row))
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func multilabelSoftMarginLoss<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target t: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?,
        rows: Int, classes: Int, into o: LossOutputs<T>
    ) {
        reduceSamples(count: rows, elementsPerSample: classes, meanDenominator: Double(rows), into: o,
                      MultilabelSoftMarginKernel(x, t, weight, classes: classes, o.gradient))
    }

    /// ∂`multilabel_soft_margin_loss`/∂target: `-(w/C)·x` (log σ(x) - log σ(-x) = x), times the
    /// sample's grad_output (`.none`) or the upstream scalar over the rows (`.mean`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func multilabelSoftMarginLossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?, rows: Int, classes: Int,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        // grad_output holds one value per row for .none (none at all for an empty batch).
        let scale = reduction == .none ? 1 : T(Double(gradOutput?[0] ?? 1) / (reduction == .mean ? Double(rows) : 1))
        let unit = Swift.max(1, chunkLength / Swift.max(1, classes))
        forEachChunk((rows + unit - 1) / unit, parallel: x.count >= parallelThreshold) { c in
            var s = c &* unit
            let end = Swift.min(rows, s &+ unit)
            while s < end {
                let upstream = reduction == .none ? (gradOutput?[s] ?? 1) : scale
                for k in 0..<classes {
                    let i = s &* classes &+ k
                    gradient[i] = -(weight?[k] ?? 1) / T(classes) * x[i] * upstream
                }
                s &+= 1
            }
        }
    }
}

/// multilabel_margin_loss as a sample kernel: each call borrows a scratch for the row's labels.
@usableFromInline
struct MultilabelMarginKernel<T: LossFloat>: SampleKernel {
    @usableFromInline let row: MultilabelMarginRow<T>
    @inlinable init(_ row: MultilabelMarginRow<T>) { self.row = row }

    @inlinable
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: row.classes) { labels in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: row.classes) { isTarget in
                row(s, scale, labels: labels.baseAddress!, isTarget: isTarget.baseAddress!)
            }
        }
    }
}
