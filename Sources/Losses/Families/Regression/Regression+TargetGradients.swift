// The gradients with respect to the target of the residual losses (include/losses.h, "Gradients
// with respect to the target"): each loss depends on input - target, so its target derivative
// is the input derivative negated, and the result is exactly -grad_input.

extension Regression {
    @inlinable
    static func residualTargetGradient<F: ResidualFormula>(
        input x: UnsafeBufferPointer<F.Scalar>, target y: UnsafeBufferPointer<F.Scalar>,
        weight: UnsafeBufferPointer<F.Scalar>?, weightedMean: WeightedMean, reduction: Reduction,
        gradOutput: UnsafeBufferPointer<F.Scalar>?, into gradient: UnsafeMutableBufferPointer<F.Scalar>, _ formula: F
    ) {
        targetGradientElementwise(count: x.count, weight: weight, weightedMean: weightedMean, reduction: reduction,
                                  gradOutput: gradOutput, into: gradient) { i in -formula(x[i] - y[i]).derivative }
    }

    @inlinable
    package static func mseLossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        residualTargetGradient(input: x, target: y, weight: weight, weightedMean: .overWeights, reduction: reduction,
                               gradOutput: gradOutput, into: gradient, SquaredFormula())
    }

    @inlinable
    package static func l1LossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        residualTargetGradient(input: x, target: y, weight: weight, weightedMean: .overWeights, reduction: reduction,
                               gradOutput: gradOutput, into: gradient, AbsoluteFormula())
    }

    @inlinable
    package static func huberLossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?,
        delta: Double, reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?,
        into gradient: UnsafeMutableBufferPointer<T>
    ) {
        residualTargetGradient(input: x, target: y, weight: weight, weightedMean: .overElements, reduction: reduction,
                               gradOutput: gradOutput, into: gradient, HuberFormula(delta))
    }

    @inlinable
    package static func smoothL1LossTargetGradient<T: LossFloat>(
        input x: UnsafeBufferPointer<T>, target y: UnsafeBufferPointer<T>, beta: Double,
        reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?, into gradient: UnsafeMutableBufferPointer<T>
    ) {
        residualTargetGradient(input: x, target: y, weight: nil, weightedMean: .overElements, reduction: reduction,
                               gradOutput: gradOutput, into: gradient, SmoothL1Formula<T>(beta))
    }
}
