// The public forms of FCOS's `iou_loss` (docs/detection.md) over (n, 4) distances (left, top,
// right, bottom); allocating, then in place (the gradient is w.r.t. pred).

/// `iou_loss` over borrowed buffers: `pred.count / 4` rows of pred and target, an optional weight
/// per row.
struct IoUCall<T: LossFloat>: BufferCall {
    let pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?
    let type: IoULossType

    var name: StaticString { "iou_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        guard pred.count % 4 == 0 else {
            throw LossError(.shapeMismatch, "pred has \(pred.count) values: not whole (left, top, right, bottom) rows")
        }
        try requireCount("target", target.count, pred.count, "pred")
        if let weight { try requireCount("weight", weight.count, pred.count / 4, "one per row of pred") }
        try DetectionParameters.checkDistances(pred, "pred")
        try DetectionParameters.checkDistances(target, "target")
        try DetectionParameters.checkWeights(weight)
        return CallShape(samples: pred.count / 4, elements: pred.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Detection.iouLoss(pred: pred, target: target, weight: weight, rows: pred.count / 4, type: type, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, pred) { return "pred" }
        if overlaps(region, target) { return "target" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of `iou_loss` and hands `body` the call over it.
func iou<T: LossFloat, R>(
    _ pred: some ContiguousStorage<T>, _ target: some ContiguousStorage<T>, weight: (any ContiguousStorage<T>)?,
    type: IoULossType, _ body: (IoUCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try pred.withUnsafeBufferPointer { (p) throws(LossError) in
        try target.withUnsafeBufferPointer { (t) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(IoUCall(pred: p, target: t, weight: w, type: type))
            }
        }
    }
}

/// FCOS's `IOULoss(loss_type)(pred, target, weight)`: per row of distances (left, top, right,
/// bottom) from a location to its box's sides, with I = (min l + min r)(min t + min b),
/// U = A_pred + A_target - I and IoU = (I + 1)/(U + 1): `-log IoU` (`.iou`), `1 - IoU`
/// (`.linearIoU`) or `1 - GIoU` (`.giou`, C = (max l + max r)(max t + max b) + 1e-7).
///
/// Every distance finite and >= 0, each weight finite and >= 0 (else `.invalidArgument`).
/// `.mean` is FCOS's: Σ w·ℓ / Σ w when a weight is given with Σ w > 0, else the plain mean (a weight
/// of sum 0 is ignored); `.none` gives w·ℓ per row, `.sum` Σ w·ℓ. The gradient is w.r.t. pred.
public func iouLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    lossType: IoULossType = .iou,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> {
    try iou(pred, target, weight: weight, type: lossType) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `iou_loss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradient
/// w.r.t. pred into `gradient`. `.none` throws `.invalidOption`. A call that throws has written
/// nothing.
@discardableResult
public func iouLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    lossType: IoULossType = .iou,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try iou(pred, target, weight: weight, type: lossType) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `iou_loss` in place: writes the values into `values` (one per row for `.none`, one for
/// `.mean` and `.sum`). A call that throws has written nothing.
public func iouLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    lossType: IoULossType = .iou,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try iou(pred, target, weight: weight, type: lossType) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `iou_loss` in place: writes the values into `values` and the gradient w.r.t. pred into
/// `gradient`. A call that throws has written nothing.
public func iouLoss<T: LossFloat>(
    _ pred: some ContiguousStorage<T>,
    _ target: some ContiguousStorage<T>,
    weight: (any ContiguousStorage<T>)? = nil,
    lossType: IoULossType = .iou,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try iou(pred, target, weight: weight, type: lossType) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

extension IoULossType {
    /// The type of C's `loss_type` selector (`LOSSES_IOU_LOSS_TYPE_*`: 0 iou, 1 linear_iou, 2 giou);
    /// any other value throws `.invalidArgument`, naming `iou_loss`, as the C call refuses it.
    public init(selector: Int32) throws(LossError) {
        self = try namingErrors("iou_loss") { () throws(LossError) in try DetectionParameters.iouLossType(selector) }
    }
}
