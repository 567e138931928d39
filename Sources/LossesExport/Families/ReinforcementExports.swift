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
