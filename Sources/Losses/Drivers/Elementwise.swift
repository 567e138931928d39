/// What a weighted `.mean` divides by. PyTorch is not uniform here: `mse_loss` and `l1_loss`
/// divide by the summed weights, `huber_loss` by the element count.
@usableFromInline
enum WeightedMean {
    case overElements
    case overWeights
}

/// One elementwise loss over its buffers: element i's value and derivative with respect to the
/// input. A kernel is a type, not a closure, so that the drivers are specialised for it even
/// inside the closures they hand to other threads, and its loops vectorise.
@usableFromInline
protocol PointwiseKernel {
    associatedtype Scalar: LossFloat
    func callAsFunction(_ i: Int) -> (value: Scalar, derivative: Scalar)
    /// True when `block` computes a whole block at once: for formulas that call exp or log,
    /// which LLVM does not vectorise on its own. Static, so the test folds away.
    static var hasBlock: Bool { get }
    /// ℓ and ∂ℓ/∂input of elements start..<start+count into values[0..<count] and
    /// derivatives[0..<count].
    func block(_ start: Int, _ count: Int, _ values: UnsafeMutablePointer<Scalar>,
               _ derivatives: UnsafeMutablePointer<Scalar>)
}

extension PointwiseKernel {
    @inlinable static var hasBlock: Bool { false }

    @inlinable
    func block(_ start: Int, _ count: Int, _ values: UnsafeMutablePointer<Scalar>,
               _ derivatives: UnsafeMutablePointer<Scalar>) {
        for k in 0..<count { (values[k], derivatives[k]) = self(start &+ k) }
    }
}

/// One block through a block kernel: raw values and derivatives into the scratch, then the
/// weight, and the gradient times `scale` (or, for `.none`, times grad_output when `upstream`
/// is given), in loops LLVM vectorises.
@inlinable @inline(__always)
func kernelBlock<K: PointwiseKernel>(
    _ start: Int, _ count: Int, _ values: UnsafeMutablePointer<K.Scalar>, _ derivatives: UnsafeMutablePointer<K.Scalar>,
    _ weight: UnsafeBufferPointer<K.Scalar>?, _ gradient: UnsafeMutableBufferPointer<K.Scalar>?, _ scale: K.Scalar,
    _ upstream: UnsafeBufferPointer<K.Scalar>?, _ kernel: K
) {
    kernel.block(start, count, values, derivatives)
    if let weight {
        for k in 0..<count {
            values[k] *= weight[start &+ k]
            derivatives[k] *= weight[start &+ k]
        }
    }
    guard let gradient else { return }
    if let upstream {
        for k in 0..<count { gradient[start &+ k] = derivatives[k] * upstream[start &+ k] }
    } else {
        for k in 0..<count { gradient[start &+ k] = derivatives[k] * scale }
    }
}

/// Applies the reduction, the optional elementwise `weight` and the upstream gradient to a loss
/// given as `kernel(i) = (ℓᵢ, ∂ℓᵢ/∂inputᵢ)`. Every elementwise loss goes through here, so the
/// reduction semantics are written once. An unweighted `.mean` divides by `meanDenominator`
/// when one is given (kl_div's batchmean: the first dimension), else by the element count.
///
/// Shape of the work, for speed: fixed chunks of `chunkLength` elements (on several threads for
/// large inputs); inside a chunk, blocks of `blockLength` whose values go to a stack scratch in
/// one branch-free loop that LLVM vectorises, then a SIMD sum in double. The gradient is written
/// in the same pass as the value; `out` is written last.
@inlinable @inline(__always)
func reduceElementwise<T, K: PointwiseKernel>(
    count n: Int,
    weight: UnsafeBufferPointer<T>?,
    weightedMean: WeightedMean = .overElements,
    meanDenominator: Double? = nil,
    into o: LossOutputs<T>,
    _ kernel: K
) where K.Scalar == T {
    if o.reduction == .none {
        let chunks = (n + chunkLength - 1) / chunkLength
        forEachChunk(chunks, parallel: n >= parallelThreshold) { c in
            var i = c &* chunkLength
            let end = Swift.min(n, i &+ chunkLength)
            if K.hasBlock, let out = o.out.baseAddress {
                withUnsafeTemporaryAllocation(of: T.self, capacity: blockLength) { scratch in
                    while i < end {
                        let count = Swift.min(blockLength, end &- i)
                        kernelBlock(i, count, out + i, scratch.baseAddress!, weight, o.gradient, 1, o.gradOutput, kernel)
                        i &+= count
                    }
                }
            }
            while i < end {
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
        }
        return
    }

    let denominator: Double
    switch (o.reduction, weight) {
    case (.sum, _): denominator = 1
    case (_, let weight?) where weightedMean == .overWeights: denominator = weight.blockedSum()
    default: denominator = meanDenominator ?? Double(n)
    }
    // The upstream scalar folded with 1/denominator once, not per element.
    let scale = T(Double(o.gradOutput?[0] ?? 1) / denominator)
    let total = chunkedSum(count: n) { range in
        withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * blockLength) { scratch in
            let values = scratch.baseAddress!
            var sum = CompensatedSum()
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start &+ blockLength, range.upperBound)
                if K.hasBlock {
                    kernelBlock(start, end &- start, values, values + blockLength, weight, o.gradient, scale, nil, kernel)
                    sum.add(blockSum(values, end &- start))
                    start = end
                    continue
                }
                switch (weight, o.gradient) {
                case (nil, nil):
                    blockValues(start, end, values) { kernel($0).value }
                case (let w?, nil):
                    blockValues(start, end, values) { kernel($0).value * w[$0] }
                case (nil, let g?):
                    blockValuesAndGradients(start, end, values, g, scale) { kernel($0) }
                case (let w?, let g?):
                    blockValuesAndGradients(start, end, values, g, scale) {
                        let (value, derivative) = kernel($0)
                        return (value * w[$0], derivative * w[$0])
                    }
                }
                sum.add(blockSum(values, end &- start))
                start = end
            }
            return sum.value
        }
    }
    o.out[0] = T(total / denominator)
}

/// `values[i - start] = value(i)` for one block: a loop with no reduction and no branch on
/// optionals, which LLVM vectorises.
@inlinable @inline(__always)
func blockValues<T>(_ start: Int, _ end: Int, _ values: UnsafeMutablePointer<T>, _ value: (Int) -> T) {
    var i = start
    while i < end {
        values[i &- start] = value(i)
        i &+= 1
    }
}

/// One block's values into the scratch and its gradients, times `scale`, into `gradient`.
@inlinable @inline(__always)
func blockValuesAndGradients<T: LossFloat>(
    _ start: Int, _ end: Int, _ values: UnsafeMutablePointer<T>, _ gradient: UnsafeMutableBufferPointer<T>,
    _ scale: T, _ kernel: (Int) -> (value: T, derivative: T)
) {
    var i = start
    while i < end {
        let (value, derivative) = kernel(i)
        values[i &- start] = value
        gradient[i] = derivative * scale
        i &+= 1
    }
}
