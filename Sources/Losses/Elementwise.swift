/// Where one loss call writes, with every buffer already checked against the counts it is used
/// with: `out` holds one value per element for `.none` and one value otherwise; `gradient`, when
/// present, one value per element; `gradOutput`, when present, as many values as `out` (absent
/// means ones).

public struct LossOutputs<T: LossFloat> {
    public var reduction: Reduction
    public var out: UnsafeMutableBufferPointer<T>
    public var gradient: UnsafeMutableBufferPointer<T>?
    public var gradOutput: UnsafeBufferPointer<T>?

    @inlinable
    public init(reduction: Reduction, out: UnsafeMutableBufferPointer<T>,
                gradient: UnsafeMutableBufferPointer<T>?, gradOutput: UnsafeBufferPointer<T>?) {
        self.reduction = reduction
        self.out = out
        self.gradient = gradient
        self.gradOutput = gradOutput
    }
}

/// What a weighted `.mean` divides by. PyTorch is not uniform here: `mse_loss` and `l1_loss`
/// divide by the summed weights, `huber_loss` by the element count.
@usableFromInline
enum WeightedMean {
    case overElements
    case overWeights
}

/// Applies the reduction, the optional elementwise `weight` and the upstream gradient to a loss
/// given as `kernel(i) = (ℓᵢ, ∂ℓᵢ/∂inputᵢ)`. Every elementwise loss goes through here, so the
/// reduction semantics are written once.
///
/// The gradient is written in the same pass as the value; `out` is written last.
@inlinable @inline(__always)
func reduceElementwise<T: LossFloat>(
    count n: Int,
    weight: UnsafeBufferPointer<T>?,
    weightedMean: WeightedMean = .overElements,
    into o: LossOutputs<T>,
    kernel: (Int) -> (value: T, derivative: T)
) {
    if o.reduction == .none {
        var i = 0
        while i < n {
            var (value, derivative) = kernel(i)
            if let weight {
                value *= weight[i]
                derivative *= weight[i]
            }
            if let gradient = o.gradient {
                gradient[i] = derivative * (o.gradOutput?[i] ?? 1)
            }
            o.out[i] = value
            i &+= 1
        }
        return
    }

    let denominator: Double
    switch (o.reduction, weight) {
    case (.sum, _): denominator = 1
    case (_, let weight?) where weightedMean == .overWeights: denominator = weight.blockedSum()
    default: denominator = Double(n)
    }
    // The upstream scalar folded with 1/denominator once, not per element.
    let gradientScale = T(Double(o.gradOutput?[0] ?? 1) / denominator)

    var total = CompensatedSum()
    var start = 0
    while start < n {
        let end = Swift.min(start &+ blockLength, n)
        var block = 0.0
        var i = start
        while i < end {
            var (value, derivative) = kernel(i)
            if let weight {
                value *= weight[i]
                derivative *= weight[i]
            }
            block += Double(value)
            if let gradient = o.gradient {
                gradient[i] = derivative * gradientScale
            }
            i &+= 1
        }
        total.add(block)
        start = end
    }
    o.out[0] = T(total.value / denominator)
}
