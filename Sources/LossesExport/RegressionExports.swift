import Losses

// The C entry points of the regression losses (include/losses.h, "Regression losses"). Each
// only validates, converts and calls the Swift kernel; the f32 and f64 twins share one generic.

@_cdecl("losses_mse_loss_f32")
public func losses_mse_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("mse_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.mseLoss(input: $0, target: $1, weight: $2, into: $3)
    }
}

@_cdecl("losses_mse_loss_f64")
public func losses_mse_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("mse_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.mseLoss(input: $0, target: $1, weight: $2, into: $3)
    }
}

@_cdecl("losses_l1_loss_f32")
public func losses_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("l1_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.l1Loss(input: $0, target: $1, weight: $2, into: $3)
    }
}

@_cdecl("losses_l1_loss_f64")
public func losses_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("l1_loss", input, target, weight, n, reduction, out, gradInput, gradOutput) {
        Regression.l1Loss(input: $0, target: $1, weight: $2, into: $3)
    }
}

@_cdecl("losses_huber_loss_f32")
public func losses_huber_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ weight: UnsafePointer<Float>?,
    _ n: Int64, _ delta: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("huber_loss", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkDelta(delta) }) {
        Regression.huberLoss(input: $0, target: $1, weight: $2, delta: delta, into: $3)
    }
}

@_cdecl("losses_huber_loss_f64")
public func losses_huber_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ weight: UnsafePointer<Double>?,
    _ n: Int64, _ delta: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("huber_loss", input, target, weight, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkDelta(delta) }) {
        Regression.huberLoss(input: $0, target: $1, weight: $2, delta: delta, into: $3)
    }
}

@_cdecl("losses_smooth_l1_loss_f32")
public func losses_smooth_l1_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?,
    _ n: Int64, _ beta: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("smooth_l1_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkBeta(beta) }) {
        Regression.smoothL1Loss(input: $0, target: $1, beta: beta, into: $3)
    }
}

@_cdecl("losses_smooth_l1_loss_f64")
public func losses_smooth_l1_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?,
    _ n: Int64, _ beta: Double, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("smooth_l1_loss", input, target, nil, n, reduction, out, gradInput, gradOutput,
              checkParameters: { _ throws(LossError) in try RegressionParameters.checkBeta(beta) }) {
        Regression.smoothL1Loss(input: $0, target: $1, beta: beta, into: $3)
    }
}

@_cdecl("losses_log_cosh_loss_f32")
public func losses_log_cosh_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    pointwise("log_cosh_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Regression.logCoshLoss(input: $0, target: $1, into: $3)
    }
}

@_cdecl("losses_log_cosh_loss_f64")
public func losses_log_cosh_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?,
    _ n: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    pointwise("log_cosh_loss", input, target, nil, n, reduction, out, gradInput, gradOutput) {
        Regression.logCoshLoss(input: $0, target: $1, into: $3)
    }
}

/// The quantile loss: input (n, q), target (n), quantile (q) as double.
@inline(__always)
func quantileExport<T: LossFloat>(
    _ input: UnsafePointer<T>?, _ target: UnsafePointer<T>?, _ quantile: UnsafePointer<Double>?,
    _ n: Int64, _ q: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<T>?,
    _ gradInput: UnsafeMutablePointer<T>?, _ gradOutput: UnsafePointer<T>?
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

@_cdecl("losses_quantile_loss_f32")
public func losses_quantile_loss_f32(
    _ input: UnsafePointer<Float>?, _ target: UnsafePointer<Float>?, _ quantile: UnsafePointer<Double>?,
    _ n: Int64, _ q: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Float>?,
    _ gradInput: UnsafeMutablePointer<Float>?, _ gradOutput: UnsafePointer<Float>?
) -> Int32 {
    quantileExport(input, target, quantile, n, q, reduction, out, gradInput, gradOutput)
}

@_cdecl("losses_quantile_loss_f64")
public func losses_quantile_loss_f64(
    _ input: UnsafePointer<Double>?, _ target: UnsafePointer<Double>?, _ quantile: UnsafePointer<Double>?,
    _ n: Int64, _ q: Int64, _ reduction: Int32, _ out: UnsafeMutablePointer<Double>?,
    _ gradInput: UnsafeMutablePointer<Double>?, _ gradOutput: UnsafePointer<Double>?
) -> Int32 {
    quantileExport(input, target, quantile, n, q, reduction, out, gradInput, gradOutput)
}
