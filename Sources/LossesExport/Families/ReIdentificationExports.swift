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

func oimLossExport<T: LossFloat>(
    features: UnsafePointer<T>?, targets: UnsafePointer<Int64>?, lut: UnsafePointer<T>?, queue: UnsafePointer<T>?,
    n: Int64, d: Int64, l: Int64, q: Int64, scalar: Double, ignoreIndex: Int64, reduction: Int32,
    out: UnsafeMutablePointer<T>?, gradFeatures: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("oim_loss") { () throws(LossError) in
        var args = CallArguments()
        let size = try args.tableSizes(n, d, l, "l", "lut")
        let queueRows = try args.count(q, "q"), queueCount = try args.product(queueRows, size.d, "queue")
        _ = try args.product(size.n, size.rows &+ queueRows, "the logits")
        let x = try args.input(features, size.features, "features")
        let y = try args.input(targets, size.n, "targets")
        let table = try args.input(lut, size.table, "lut")
        let cq = try args.input(queue, queueCount, "queue")
        let o: LossOutputs<T> = try args.lossOutputs(
            reduction: reduction, elements: size.features, samples: size.n, out: out,
            gradient: gradFeatures, gradientName: "grad_features", gradOutput: gradOutput)
        try args.checkOverlaps()
        try ReIdentificationParameters.checkScalar(scalar)
        try ReIdentificationParameters.checkLabels(y, rows: size.rows, name: "targets", ignoreIndex: ignoreIndex)
        try ReIdentification.oimLoss(features: x, targets: y, lut: table, queue: cq, rows: size.n, width: size.d,
                                     identities: size.rows, queueRows: queueRows, scalar: scalar,
                                     ignoreIndex: ignoreIndex, into: o)
    }
}

func oimUpdateExport<T: LossFloat>(
    features: UnsafePointer<T>?, targets: UnsafePointer<Int64>?, lut: UnsafeMutablePointer<T>?,
    queue: UnsafeMutablePointer<T>?, n: Int64, d: Int64, l: Int64, q: Int64, queueHead: Int64, momentum: Double,
    ignoreIndex: Int64, newHead: UnsafeMutablePointer<Int64>?
) -> Int32 {
    exported("oim_update") { () throws(LossError) in
        var args = CallArguments()
        let size = try args.tableSizes(n, d, l, "l", "lut")
        let queueRows = try args.count(q, "q"), queueCount = try args.product(queueRows, size.d, "queue")
        let x = try args.input(features, size.features, "features")
        let y = try args.input(targets, size.n, "targets")
        let table = try args.output(lut, size.table, "lut")
        let cq = try args.output(queue, queueCount, "queue")
        let head = try args.output(newHead, 1, "new_head")
        try args.checkOverlaps()
        try ReIdentificationParameters.checkRate(momentum, "momentum")
        let start = try ReIdentificationParameters.checkHead(queueHead, queueRows: queueRows)
        try ReIdentificationParameters.checkLabels(y, rows: size.rows, name: "targets", ignoreIndex: ignoreIndex)
        if queueRows == 0, let s = y.firstIndex(of: ignoreIndex) {
            throw LossError(.invalidArgument, "targets[\(s)] is unlabelled (ignore_index \(ignoreIndex)) and q = 0: "
                            + "no queue to hold it")
        }
        head[0] = Int64(ReIdentification.oimUpdate(
            features: x, targets: y, lut: table, queue: cq, rows: size.n, width: size.d, identities: size.rows,
            queueRows: queueRows, head: start, momentum: momentum, ignoreIndex: ignoreIndex))
    }
}
