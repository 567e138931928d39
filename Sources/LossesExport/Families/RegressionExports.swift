import Losses

// The generic bodies of the regression exports (include/losses.h, "Regression losses"). Each
// only validates, converts and calls the Swift kernel. The `@_cdecl` twins that forward to them
// are generated from the header (Generated/Exports.swift).

func mseLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("mse_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.mseLoss(input: $0, target: $1, weight: $2, into: $3)
    }
}

func l1LossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("l1_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.l1Loss(input: $0, target: $1, weight: $2, into: $3)
    }
}

func huberLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, weight: UnsafePointer<T>?,
    n: Int64, delta: Double, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("huber_loss", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkDelta(delta) }) {
        Regression.huberLoss(input: $0, target: $1, weight: $2, delta: delta, into: $3)
    }
}

func smoothL1LossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?,
    n: Int64, beta: Double, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("smooth_l1_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkBeta(beta) }) {
        Regression.smoothL1Loss(input: $0, target: $1, beta: beta, into: $3)
    }
}

func logCoshLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?,
    n: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    pointwise("log_cosh_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Regression.logCoshLoss(input: $0, target: $1, into: $3)
    }
}

/// The quantile loss: input (n, q), target (n), quantile (q) as double.
func quantileLossExport<T: LossFloat>(
    input: UnsafePointer<T>?, target: UnsafePointer<T>?, quantile: UnsafePointer<Double>?,
    n: Int64, q: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradInput: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("quantile_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let q = try args.count(q, "q")
        let elements = try args.product(n, q, "input")
        let x = try args.input(input, elements, "input")
        let y = try args.input(target, n, "target")
        let quantiles = try args.input(quantile, q, "quantile")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: elements, out: out,
            gradient: gradInput, gradientName: "grad_input", gradOutput: gradOutput)
        try args.checkOverlaps()
        try RegressionParameters.checkQuantiles(quantiles)
        Regression.quantileLoss(input: x, target: y, quantiles: quantiles, into: o)
    }
}
