// The public forms of torchvision's box IoU losses (docs/detection.md):
// generalized_box_iou_loss, distance_box_iou_loss and complete_box_iou_loss over (n, 4) boxes
// (x1, y1, x2, y2); allocating, then in place. Their two gradients are those of `PairResult`
// (`gradientX1` w.r.t. boxes1, `gradientX2` w.r.t. boxes2) and of the pair in-place forms, which
// call them `gradientBoxes1` and `gradientBoxes2`.

/// A box IoU loss over borrowed buffers: `boxes1.count / 4` rows of boxes1 and boxes2.
struct BoxIoUCall<T: LossFloat>: BufferCall {
    let boxes1: UnsafeBufferPointer<T>, boxes2: UnsafeBufferPointer<T>
    let mode: BoxIoUMode, eps: Double

    var name: StaticString {
        switch mode {
        case .generalized: "generalized_box_iou_loss"
        case .distance: "distance_box_iou_loss"
        case .complete: "complete_box_iou_loss"
        }
    }

    static var names: GradientNames {
        GradientNames(first: "gradientBoxes1", firstInput: "boxes1", second: "gradientBoxes2", secondInput: "boxes2")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        guard boxes1.count % 4 == 0 else {
            throw LossError(.shapeMismatch, "boxes1 has \(boxes1.count) values: not whole (x1, y1, x2, y2) rows")
        }
        try requireCount("boxes2", boxes2.count, boxes1.count, "boxes1")
        try DetectionParameters.checkEps(eps)
        try DetectionParameters.checkBoxes(boxes1, "boxes1")
        try DetectionParameters.checkBoxes(boxes2, "boxes2")
        return CallShape(samples: boxes1.count / 4, elements: boxes1.count, secondElements: boxes2.count)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        Detection.boxIoULoss(boxes1: boxes1, boxes2: boxes2, rows: boxes1.count / 4, mode: mode, eps: eps, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, boxes1) { return "boxes1" }
        if overlaps(region, boxes2) { return "boxes2" }
        return nil
    }
}

/// Opens the storage of a box IoU loss and hands `body` the call over it.
func boxIoU<T: LossFloat, R>(
    _ boxes1: some ContiguousStorage<T>, _ boxes2: some ContiguousStorage<T>, mode: BoxIoUMode, eps: Double,
    _ body: (BoxIoUCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try boxes1.withUnsafeBufferPointer { (p) throws(LossError) in
        try boxes2.withUnsafeBufferPointer { (q) throws(LossError) in
            try body(BoxIoUCall(boxes1: p, boxes2: q, mode: mode, eps: eps))
        }
    }
}

/// `1 - (IoU - (C - U)/(C + eps))` with `IoU = I/(U + eps)`, C the area of the smallest enclosing box (torchvision.ops.generalized_box_iou_loss).
///
/// `boxes1` and `boxes2` hold n rows (x1, y1, x2, y2) each, every coordinate finite with x2 >= x1
/// and y2 >= y1 (else `.invalidArgument`); `eps` finite and >= 0. Computed in double; the
/// gradients (``PairResult/gradientX1`` w.r.t. boxes1, ``PairResult/gradientX2`` w.r.t. boxes2)
/// are torchvision's autograd ones. `.mean` of an empty batch is 0, as torchvision's.
public func generalizedBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try boxIoU(boxes1, boxes2, mode: .generalized, eps: eps) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `generalizedBoxIouLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientBoxes1` and `gradientBoxes2`. `.none` throws `.invalidOption`. A call that throws has
/// written nothing.
@discardableResult
public func generalizedBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try boxIoU(boxes1, boxes2, mode: .generalized, eps: eps) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientBoxes1, gradientX2: &gradientBoxes2,
                         names: BoxIoUCall<T>.names)
    }
}

/// `generalizedBoxIouLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func generalizedBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .generalized, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `generalizedBoxIouLoss` in place: writes the values into `values` and its gradients into `gradientBoxes1` and
/// `gradientBoxes2`. A call that throws has written nothing.
public func generalizedBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .generalized, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientBoxes1,
                      gradientX2: &gradientBoxes2, names: BoxIoUCall<T>.names)
    }
}

/// `1 - I/(U + eps) + rho²/(c² + eps)`, rho the distance of the centres, c the enclosing box's diagonal (torchvision.ops.distance_box_iou_loss).
///
/// `boxes1` and `boxes2` hold n rows (x1, y1, x2, y2) each, every coordinate finite with x2 >= x1
/// and y2 >= y1 (else `.invalidArgument`); `eps` finite and >= 0. Computed in double; the
/// gradients (``PairResult/gradientX1`` w.r.t. boxes1, ``PairResult/gradientX2`` w.r.t. boxes2)
/// are torchvision's autograd ones. `.mean` of an empty batch is 0, as torchvision's.
public func distanceBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try boxIoU(boxes1, boxes2, mode: .distance, eps: eps) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `distanceBoxIouLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientBoxes1` and `gradientBoxes2`. `.none` throws `.invalidOption`. A call that throws has
/// written nothing.
@discardableResult
public func distanceBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try boxIoU(boxes1, boxes2, mode: .distance, eps: eps) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientBoxes1, gradientX2: &gradientBoxes2,
                         names: BoxIoUCall<T>.names)
    }
}

/// `distanceBoxIouLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func distanceBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .distance, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `distanceBoxIouLoss` in place: writes the values into `values` and its gradients into `gradientBoxes1` and
/// `gradientBoxes2`. A call that throws has written nothing.
public func distanceBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .distance, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientBoxes1,
                      gradientX2: &gradientBoxes2, names: BoxIoUCall<T>.names)
    }
}

/// the DIoU loss plus `alpha·v`, `v = (4/π²)(atan(w2/h2) - atan(w1/h1))²`, `alpha = v/(1 - IoU + v + eps)` held constant in the gradient; as torchvision.ops.complete_box_iou_loss, the IoU and the diagonal take eps = 1e-7 whatever `eps` (the caller's eps enters alpha only); atan(w/h) is atan2, so a zero-height box has a finite gradient and a point box (w = h = 0) the angle 0.
///
/// `boxes1` and `boxes2` hold n rows (x1, y1, x2, y2) each, every coordinate finite with x2 >= x1
/// and y2 >= y1 (else `.invalidArgument`); `eps` finite and >= 0. Computed in double; the
/// gradients (``PairResult/gradientX1`` w.r.t. boxes1, ``PairResult/gradientX2`` w.r.t. boxes2)
/// are torchvision's autograd ones. `.mean` of an empty batch is 0, as torchvision's.
public func completeBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    try boxIoU(boxes1, boxes2, mode: .complete, eps: eps) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `completeBoxIouLoss` reduced (`.mean` or `.sum`), in place: returns the loss and writes its gradients into
/// `gradientBoxes1` and `gradientBoxes2`. `.none` throws `.invalidOption`. A call that throws has
/// written nothing.
@discardableResult
public func completeBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    try boxIoU(boxes1, boxes2, mode: .complete, eps: eps) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientBoxes1, gradientX2: &gradientBoxes2,
                         names: BoxIoUCall<T>.names)
    }
}

/// `completeBoxIouLoss` in place: writes the values into `values` (one per row for `.none`, one for `.mean`
/// and `.sum`). A call that throws has written nothing.
public func completeBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .complete, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `completeBoxIouLoss` in place: writes the values into `values` and its gradients into `gradientBoxes1` and
/// `gradientBoxes2`. A call that throws has written nothing.
public func completeBoxIouLoss<T: LossFloat>(
    _ boxes1: some ContiguousStorage<T>,
    _ boxes2: some ContiguousStorage<T>,
    reduction: Reduction = .none,
    eps: Double = 1e-7,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientBoxes1: inout some MutableContiguousStorage<T>,
    gradientBoxes2: inout some MutableContiguousStorage<T>
) throws(LossError) {
    try boxIoU(boxes1, boxes2, mode: .complete, eps: eps) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientBoxes1,
                      gradientX2: &gradientBoxes2, names: BoxIoUCall<T>.names)
    }
}
