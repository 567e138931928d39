/// `quantile_loss` over borrowed buffers: (N, Q) predictions, (N) targets, (Q) quantiles.
struct QuantileCall<T: LossFloat>: BufferCall {
    let input: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, quantiles: UnsafeBufferPointer<Double>

    var name: StaticString { "quantile_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try RegressionParameters.checkQuantiles(quantiles)
        let (n, overflow) = target.count.multipliedReportingOverflow(by: quantiles.count)
        guard !overflow else { throw LossError(.invalidSize, "target × quantiles overflows") }
        try requireCount("input", input.count, n, "target count × quantile count")
        return CallShape(samples: n, elements: n)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        Regression.quantileLoss(input: input, target: target, quantiles: quantiles, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, input) { return "input" }
        if overlaps(region, target) { return "target" }
        if overlaps(region, quantiles) { return "quantiles" }
        return nil
    }
}

/// Opens the storage of `quantile_loss` and hands `body` the call over it.
func quantile<T: LossFloat, R>(
    _ input: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, _ quantiles: [Double],
    _ body: (QuantileCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try input.withUnsafeBufferPointer { (x) throws(LossError) in
        try target.withUnsafeBufferPointer { (y) throws(LossError) in
            try quantiles.withUnsafeBufferPointer { (q) throws(LossError) in
                try body(QuantileCall(input: x, target: y, quantiles: q))
            }
        }
    }
}
