import RealModule

// The gradients with respect to the target of the losses whose target is a probability that
// PyTorch differentiates (include/losses.h, "Gradients with respect to the target"): soft
// labels in distillation, or a target that another model produces.

extension BinaryKernels {
    /// ∂/∂t of `-(t·max(log x, -100) + (1-t)·max(log(1-x), -100))`: the derivative of the value
    /// as computed, so finite at x = 0 and 1 where the logs are clamped.
    @inlinable @inline(__always)
    package static func binaryCrossEntropyTarget<T: LossFloat>(_ x: T) -> T {
        Swift.max(T.log(onePlus: -x), -100) - Swift.max(T.log(x), -100)
    }

    /// ∂/∂t of `pw·t·softplus(-x) + (1-t)·softplus(x)`: `pw·softplus(-x) - softplus(x)`.
    @inlinable @inline(__always)
    package static func binaryCrossEntropyWithLogitsTarget<T: LossFloat>(_ x: T, posWeight pw: T) -> T {
        let l = T.log(onePlus: T.exp(-abs(x)))
        return pw * ((x >= 0 ? 0 : -x) + l) - ((x >= 0 ? x : 0) + l)
    }
}

extension Binary {
    @inlinable
    package static func binaryCrossEntropyTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?, reduction: Reduction,
        gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        targetGradientElementwise(count: x.count, weight: weight, reduction: reduction, gradOutput: gradOutput,
                                  into: gradient) { i in BinaryKernels.binaryCrossEntropyTarget(x[i]) }
    }

    @inlinable
    package static func binaryCrossEntropyWithLogitsTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?, posWeight: UnsafeBufferPointer<T>?,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        if let posWeight, posWeight.count > 0 {
            targetGradientElementwise(count: x.count, weight: weight, reduction: reduction, gradOutput: gradOutput,
                                      into: gradient) { i in
                BinaryKernels.binaryCrossEntropyWithLogitsTarget(x[i], posWeight: posWeight[i % posWeight.count])
            }
        } else {
            targetGradientElementwise(count: x.count, weight: weight, reduction: reduction, gradOutput: gradOutput,
                                      into: gradient) { i in BinaryKernels.binaryCrossEntropyWithLogitsTarget(x[i], posWeight: 1) }
        }
    }
}

extension Classification {
    /// ∂/∂t_c of cross entropy with probability targets: `(1-ε)·w_c·(lse - z_c)` for every
    /// element, times grad_output of its sample (`.none`) or the upstream scalar over N·D (`.mean`).
    @inlinable
    package static func crossEntropyProbabilitiesTargetGradient<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?, layout: ClassLayout,
        labelSmoothing: Double, reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?,
        into gradient: UnsafeMutableBufferPointer<T>
    ) {
        let problem = ClassProblem(z, layout, nil)
        let keep = 1 - T(labelSmoothing)
        classTargetGradient(layout: layout, reduction: reduction, gradOutput: gradOutput) { base, scale in
            let stride = problem.stride
            let lse = problem.logSumExp(base).lse
            for k in 0..<layout.classes {
                let i = base &+ k &* stride
                gradient[i] = keep * (weight?[k] ?? 1) * (lse - z[i]) * scale
            }
        }
    }

    /// ∂/∂t_c of `polyLossCrossEntropy`: `(lse - z_c) + ε·(1 - p_c)` for every element, reduced as
    /// the loss (`.mean` over the N rows).
    @inlinable
    package static func polyLossCrossEntropyTargetGradient<T: LossFloat>(
        input z: UnsafeBufferPointer<T>, layout: ClassLayout, epsilon: Double, reduction: Reduction,
        gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        let e = T(epsilon), classes = layout.classes
        classTargetGradient(layout: layout, reduction: reduction, gradOutput: gradOutput) { base, scale in
            let (m, sum, lse) = softmaxRow(z.baseAddress! + base, classes, keeping: nil)
            for k in 0..<classes {
                let i = base &+ k
                gradient[i] = ((lse - z[i]) + e * (1 - T.exp(z[i] - m) / sum)) * scale
            }
        }
    }

    /// The loop of the class-layout target gradients: `row(base, scale)` for every sample in fixed
    /// chunks, scale being grad_output of the sample (`.none`) or the upstream scalar over N·D (`.mean`).
    @inlinable
    static func classTargetGradient<T: LossFloat>(
        layout: ClassLayout, reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?,
        _ row: (_ base: Int, _ scale: T) -> Void
    ) {
        let samples = layout.samples, classes = layout.classes
        let denominator = reduction == .mean ? Double(samples) : 1
        // grad_output's one value only when reduced: with .none it holds one per sample, none for
        // an empty batch.
        let reducedScale = reduction == .none ? 1 : T(Double(gradOutput?[0] ?? 1) / denominator)
        let unit = Swift.max(1, chunkLength / Swift.max(1, classes))
        let parallel = samples.multipliedReportingOverflow(by: classes).partialValue >= parallelThreshold
        forEachChunk((samples + unit - 1) / unit, parallel: parallel) { c in
            var s = c &* unit
            let end = Swift.min(samples, s &+ unit)
            while s < end {
                row(layout.base(s), reduction == .none ? (gradOutput?[s] ?? 1) : reducedScale)
                s &+= 1
            }
        }
    }
}
