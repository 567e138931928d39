// The public forms of kornia's segmentation losses (docs/images.md): `tversky_loss`,
// `focal_tversky_loss` and `total_variation`, each with one gradient; allocating, then in place.

/// The Tversky losses over borrowed buffers: (N, C, D) logits (`layout`) and (N, D) labels;
/// `gamma` 1 for `tversky_loss`.
struct TverskyCall<T: LossFloat>: BufferCall {
    let focal: Bool
    let pred: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, layout: ClassLayout
    let alpha: Double, beta: Double, gamma: Double, eps: Double, ignoreIndex: Int64

    var name: StaticString { focal ? "focal_tversky_loss" : "tversky_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try TverskyParameters.check(alpha: alpha, beta: beta, gamma: gamma, eps: eps)
        try ClassTargets.checkClasses(layout.classes)
        guard layout.batch >= 0, layout.inner >= 0 else { throw LossError(.invalidSize, "negative layout \(layout)") }
        let (perSample, o1) = layout.classes.multipliedReportingOverflow(by: layout.inner)
        let (elements, o2) = perSample.multipliedReportingOverflow(by: layout.batch)
        guard !o1, !o2 else { throw LossError(.invalidSize, "the layout \(layout) overflows") }
        try requireCount("pred", pred.count, elements, "N × C × D")
        try requireCount("target", labels.count, layout.samples, "N × D")
        try ClassTargets.check(labels, classes: layout.classes, ignoreIndex: ignoreIndex)
        return CallShape(samples: layout.batch, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try Images.tverskyLoss(pred: pred, target: labels, batch: layout.batch, classes: layout.classes,
                               spatial: layout.inner, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                               ignoreIndex: ignoreIndex, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, pred) { return "pred" }
        if overlaps(region, labels) { return "target" }
        return nil
    }
}

/// Opens the storage of a Tversky loss and hands `body` the call over it.
func tversky<T: LossFloat, Labels: Collection, R>(
    focal: Bool, _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double,
    beta: Double, gamma: Double, eps: Double, ignoreIndex: Int, _ body: (TverskyCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(target, loss: focal ? "focal_tversky_loss" : "tversky_loss") { (y) throws(LossError) in
        try pred.withUnsafeBufferPointer { (p) throws(LossError) in
            try body(TverskyCall(focal: focal, pred: p, labels: y, layout: layout, alpha: alpha, beta: beta,
                                 gamma: gamma, eps: eps, ignoreIndex: Int64(ignoreIndex)))
        }
    }
}

/// kornia's `tversky_loss`: per sample `1 - mean_j TI_j` over the classes j present in its kept
/// labels, `TI = tp / (tp + alpha·fp + beta·fn + eps)` of the softmax of (N, C, D) logits
/// (`layout`: D = H·W) against (N, D) labels of any integer type (`ignoreIndex` leaves a pixel out).
///
/// alpha, beta and eps finite and >= 0. A sample with no present class has loss 1. `.mean` is
/// kornia's result; `.none` gives one value per sample. Sums in double.
public func tverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean, gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try tversky(focal: false, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: 1, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `tversky_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// into `gradient` (pred's count). `.none` throws `.invalidOption`. A call that throws has written nothing.
@discardableResult
public func tverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try tversky(focal: false, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: 1, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `tversky_loss` in place: writes the values into `values` (one per sample for `.none`, one
/// otherwise). A call that throws has written nothing.
public func tverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try tversky(focal: false, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: 1, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `tversky_loss` in place: writes the values into `values` and the gradient into `gradient`.
/// A call that throws has written nothing.
public func tverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try tversky(focal: false, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: 1, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// The focal Tversky loss (Abraham & Khan 2019): per sample the mean over present classes of
/// `(1 - TI_j)^(1/gamma)`, TI as ``tverskyLoss(_:_:layout:alpha:beta:eps:ignoreIndex:reduction:gradient:gradOutput:)``.
/// gamma finite and > 0 (the paper's 4/3 by default; 1 is the Tversky loss).
public func focalTverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    gamma: Double = 4.0 / 3.0, eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try tversky(focal: true, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `focal_tversky_loss` reduced (`.mean` or `.sum`), in place into `gradient`. A call that throws
/// has written nothing.
@discardableResult
public func focalTverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    gamma: Double = 4.0 / 3.0, eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try tversky(focal: true, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `focal_tversky_loss` in place into `values`. A call that throws has written nothing.
public func focalTverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    gamma: Double = 4.0 / 3.0, eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try tversky(focal: true, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `focal_tversky_loss` in place into `values` and `gradient`. A call that throws has written nothing.
public func focalTverskyLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout, alpha: Double, beta: Double,
    gamma: Double = 4.0 / 3.0, eps: Double = 1e-8, ignoreIndex: Int = -100, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try tversky(focal: true, pred, target, layout: layout, alpha: alpha, beta: beta, gamma: gamma, eps: eps,
                ignoreIndex: ignoreIndex) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// `total_variation` over borrowed buffers: `planes` planes of `height` × `width`.
struct TotalVariationCall<T: LossFloat>: BufferCall {
    let img: UnsafeBufferPointer<T>
    let planes: Int, height: Int, width: Int, mean: Bool

    var name: StaticString { "total_variation" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        guard planes >= 0, height >= 0, width >= 0 else {
            throw LossError(.invalidSize, "negative shape \(planes) × \(height) × \(width)")
        }
        let (area, o1) = height.multipliedReportingOverflow(by: width)
        let (elements, o2) = area.multipliedReportingOverflow(by: planes)
        guard !o1, !o2 else { throw LossError(.invalidSize, "\(planes) × \(height) × \(width) overflows") }
        try requireCount("img", img.count, elements, "planes × height × width")
        return CallShape(samples: planes, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) {
        Images.totalVariation(img: img, planes: planes, height: height, width: width, mean: mean, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? { overlaps(region, img) ? "img" : nil }
}

func totalVariationCall<T: LossFloat, R>(
    _ img: some ContiguousStorage<T>, planes: Int, height: Int, width: Int, mean: Bool,
    _ body: (TotalVariationCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try img.withUnsafeBufferPointer { (x) throws(LossError) in
        try body(TotalVariationCall(img: x, planes: planes, height: height, width: width, mean: mean))
    }
}

/// kornia's `total_variation` of `planes` planes of `height` × `width`: per plane the summed
/// absolute differences of vertical and horizontal neighbours, or (`mean`) each term's mean over
/// its own count, added (a term with no differences is 0). kornia's result is `.none` (one value
/// per plane, the default); `.mean` and `.sum` reduce over the planes. The gradient of |0| is 0.
public func totalVariation<T: LossFloat>(
    _ img: some ContiguousStorage<T>, planes: Int, height: Int, width: Int, mean: Bool = false,
    reduction: Reduction = .none, gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try totalVariationCall(img, planes: planes, height: height, width: width, mean: mean) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `total_variation` reduced (`.mean` or `.sum` over the planes), in place into `gradient`.
@discardableResult
public func totalVariation<T: LossFloat>(
    _ img: some ContiguousStorage<T>, planes: Int, height: Int, width: Int, mean: Bool = false,
    reduction: Reduction, gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try totalVariationCall(img, planes: planes, height: height, width: width, mean: mean) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `total_variation` in place into `values` (one per plane for `.none`).
public func totalVariation<T: LossFloat>(
    _ img: some ContiguousStorage<T>, planes: Int, height: Int, width: Int, mean: Bool = false,
    reduction: Reduction = .none, gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try totalVariationCall(img, planes: planes, height: height, width: width, mean: mean) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `total_variation` in place into `values` and `gradient`.
public func totalVariation<T: LossFloat>(
    _ img: some ContiguousStorage<T>, planes: Int, height: Int, width: Int, mean: Bool = false,
    reduction: Reduction = .none, gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try totalVariationCall(img, planes: planes, height: height, width: width, mean: mean) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
