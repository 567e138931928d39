import Losses

// The generic bodies of the re-identification exports (include/losses.h, "Re-identification
// with caller-owned state"): validate every argument (labels included), then call. An update
// writes the caller's table only after every check has passed.

extension CallArguments {
    /// features (n, d) and a table of (rows, d): the sizes, and the element counts of both.
    func tableSizes(_ n: Int64, _ d: Int64, _ rows: Int64, _ rowsName: StaticString, _ tableName: StaticString)
        throws(LossError) -> (n: Int, d: Int, rows: Int, features: Int, table: Int)
    {
        let n = try count(n, "n"), d = try count(d, "d"), rows = try count(rows, rowsName)
        return (n, d, rows, try product(n, d, "features"), try product(rows, d, tableName))
    }
}

func centerLossExport<T: LossFloat>(
    features: UnsafePointer<T>?, labels: UnsafePointer<Int64>?, centers: UnsafePointer<T>?, n: Int64, d: Int64,
    c: Int64, reduction: Int32, out: UnsafeMutablePointer<T>?, gradFeatures: UnsafeMutablePointer<T>?,
    gradCenters: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("center_loss") { () throws(LossError) in
        var args = CallArguments()
        let size = try args.tableSizes(n, d, c, "c", "centers")
        let x = try args.input(features, size.features, "features")
        let y = try args.input(labels, size.n, "labels")
        let table = try args.input(centers, size.table, "centers")
        var o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: size.features, samples: size.n, out: out,
            gradient: gradFeatures, gradientName: "grad_features", gradOutput: gradOutput)
        o.gradients.second = try args.optionalOutput(gradCenters, size.table, "grad_centers")
        try args.checkOverlaps()
        try ReIdentificationParameters.checkLabels(y, rows: size.rows, name: "labels")
        try ReIdentification.centerLoss(features: x, labels: y, centers: table, rows: size.n, width: size.d,
                                        classes: size.rows, into: o)
    }
}

func centerLossUpdateExport<T: LossFloat>(
    features: UnsafePointer<T>?, labels: UnsafePointer<Int64>?, centers: UnsafeMutablePointer<T>?, n: Int64,
    d: Int64, c: Int64, alpha: Double
) -> Int32 {
    exported("center_loss_update") { () throws(LossError) in
        var args = CallArguments()
        let size = try args.tableSizes(n, d, c, "c", "centers")
        let x = try args.input(features, size.features, "features")
        let y = try args.input(labels, size.n, "labels")
        let table = try args.output(centers, size.table, "centers")
        try args.checkOverlaps()
        try ReIdentificationParameters.checkRate(alpha, "alpha")
        try ReIdentificationParameters.checkLabels(y, rows: size.rows, name: "labels")
        try ReIdentification.centerLossUpdate(features: x, labels: y, centers: table, rows: size.n, width: size.d,
                                              classes: size.rows, alpha: alpha)
    }
}
