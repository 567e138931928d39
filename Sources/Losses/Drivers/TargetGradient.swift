/// The gradient with respect to the target of an elementwise loss, `derivative(i) = ∂ℓᵢ/∂targetᵢ`,
/// with the reduction, weight and upstream gradient of `reduceElementwise` applied in the same
/// order (derivative × weight, then × the scale or grad_output): for a loss of the residual
/// input - target, whose target derivative is the exact negative of the input's, the result is
/// bit for bit the negative of the loss's grad_input. No value is computed.
///
/// Elementwise with no sum but the weights' (the same blocked sum as the loss's mean), so it is
/// bitwise the same for any thread count.
@inlinable @inline(__always)
func targetGradientElementwise<T: LossFloat>(
    count n: Int, weight: UnsafeBufferPointer<T>?, weightedMean: WeightedMean = .overElements,
    meanDenominator: Double? = nil, reduction: Reduction, gradOutput: UnsafeBufferPointer<T>?,
    into gradient: UnsafeMutableBufferPointer<T>, _ derivative: (Int) -> T
) {
    let scale: T
    switch (reduction, weight) {
    case (.none, _): scale = 1
    case (.sum, _): scale = T(Double(gradOutput?[0] ?? 1))
    case (_, let weight?) where weightedMean == .overWeights:
        scale = T(Double(gradOutput?[0] ?? 1) / weight.blockedSum())
    default: scale = T(Double(gradOutput?[0] ?? 1) / (meanDenominator ?? Double(n)))
    }
    let upstream = reduction == .none ? gradOutput : nil
    let chunks = (n + chunkLength - 1) / chunkLength
    forEachChunk(chunks, parallel: n >= parallelThreshold) { c in
        let start = c &* chunkLength, end = Swift.min(n, start &+ chunkLength)
        var i = start
        while i < end {
            var d = derivative(i)
            if let weight { d *= weight[i] }
            if let upstream { gradient[i] = d * upstream[i] } else { gradient[i] = d * scale }
            i &+= 1
        }
    }
}
