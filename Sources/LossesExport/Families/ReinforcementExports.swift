import Losses

// The generic bodies of the reinforcement-learning exports (include/losses.h, "Reinforcement
// learning"). Each only validates, converts and calls the Swift kernel. The `@_cdecl` twins that
// forward to them are generated from the header (Generated/Exports.swift).

func tdLossExport<T: LossFloat>(
    rewards: UnsafePointer<T>?, values: UnsafePointer<T>?, nextValues: UnsafePointer<T>?, dones: UnsafePointer<T>?,
    n: Int64, gamma: Double, loss: Int32, reduction: Int32, out: UnsafeMutablePointer<T>?,
    gradValues: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("td_loss") { () throws(LossError) in
        var args = CallArguments()
        let n = try args.count(n, "n")
        let r = try args.input(rewards, n, "rewards")
        let v = try args.input(values, n, "values")
        let next = try args.input(nextValues, n, "next_values")
        let d = try args.input(dones, n, "dones")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: n, out: out,
            gradient: gradValues, gradientName: "grad_values", gradOutput: gradOutput)
        try args.checkOverlaps()
        try ReinforcementParameters.checkGamma(gamma)
        let type = try ReinforcementParameters.tdLossType(loss)
        Reinforcement.tdLoss(rewards: r, values: v, nextValues: next, dones: d, gamma: gamma, loss: type, into: o)
    }
}

// The targets (td_error, td_lambda_returns, gae) are metrics: `out` of n·l values, no gradient.

func tdErrorExport<T: LossFloat>(
    rewards: UnsafePointer<T>?, values: UnsafePointer<T>?, nextValues: UnsafePointer<T>?, dones: UnsafePointer<T>?,
    n: Int64, l: Int64, gamma: Double, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("td_error") { () throws(LossError) in
        var args = CallArguments()
        let count = try args.product(try args.count(n, "n"), try args.count(l, "l"), "rewards")
        let r = try args.input(rewards, count, "rewards")
        let v = try args.input(values, count, "values")
        let next = try args.input(nextValues, count, "next_values")
        let d = try args.input(dones, count, "dones")
        let o = try args.output(out, count, "out")
        try args.checkOverlaps()
        try ReinforcementParameters.checkGamma(gamma)
        Reinforcement.tdError(rewards: r, values: v, nextValues: next, dones: d, gamma: gamma, into: o)
    }
}

func tdLambdaReturnsExport<T: LossFloat>(
    rewards: UnsafePointer<T>?, discounts: UnsafePointer<T>?, nextValues: UnsafePointer<T>?, n: Int64, l: Int64,
    lambda: Double, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("td_lambda_returns") { () throws(LossError) in
        var args = CallArguments()
        let rows = try args.count(n, "n"), length = try args.count(l, "l")
        let count = try args.product(rows, length, "rewards")
        let r = try args.input(rewards, count, "rewards")
        let d = try args.input(discounts, count, "discounts")
        let next = try args.input(nextValues, count, "next_values")
        let o = try args.output(out, count, "out")
        try args.checkOverlaps()
        try ReinforcementParameters.checkLambda(lambda)
        Reinforcement.lambdaReturns(rewards: r, discounts: d, nextValues: next, rows: rows, length: length,
                                    lambda: lambda, into: o)
    }
}

func gaeExport<T: LossFloat>(
    rewards: UnsafePointer<T>?, discounts: UnsafePointer<T>?, values: UnsafePointer<T>?, n: Int64, l: Int64,
    lambda: Double, out: UnsafeMutablePointer<T>?
) -> Int32 {
    exported("gae") { () throws(LossError) in
        var args = CallArguments()
        let rows = try args.count(n, "n"), length = try args.count(l, "l")
        let count = try args.product(rows, length, "rewards")
        // l <= 2^60 here, so l + 1 cannot overflow; the product is checked.
        let r = try args.input(rewards, count, "rewards")
        let d = try args.input(discounts, count, "discounts")
        let v = try args.input(values, try args.product(rows, length + 1, "values"), "values")
        let o = try args.output(out, count, "out")
        try args.checkOverlaps()
        try ReinforcementParameters.checkLambda(lambda)
        Reinforcement.gae(rewards: r, discounts: d, values: v, rows: rows, length: length, lambda: lambda, into: o)
    }
}
