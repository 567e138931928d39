// The public forms of kornia's Lovász losses (docs/images.md): `lovasz_hinge_loss` and
// `lovasz_softmax_loss`, each with the gradient w.r.t. pred; allocating, then in place.

/// The Lovász losses over borrowed buffers: (N, C, D) logits (C = 1 for the hinge) and (N, D) labels.
struct LovaszCall<T: LossFloat>: BufferCall {
    let softmax: Bool
    let pred: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int64>, layout: ClassLayout
    let weight: UnsafeBufferPointer<T>?

    var name: StaticString { softmax ? "lovasz_softmax_loss" : "lovasz_hinge_loss" }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        if softmax {
            try LovaszParameters.checkClasses(layout.classes)
        } else {
            guard layout.classes == 1 else { throw LossError(.invalidSize, "pred must have 1 channel, got \(layout.classes)") }
        }
        guard layout.batch >= 0, layout.inner >= 0 else { throw LossError(.invalidSize, "negative layout \(layout)") }
        let (perSample, o1) = layout.classes.multipliedReportingOverflow(by: layout.inner)
        let (elements, o2) = perSample.multipliedReportingOverflow(by: layout.batch)
        guard !o1, !o2 else { throw LossError(.invalidSize, "the layout \(layout) overflows") }
        try requireCount("pred", pred.count, elements, "N × C × D")
        try requireCount("target", labels.count, layout.samples, "N × D")
        if let weight { try requireCount("weight", weight.count, layout.classes, "the classes") }
        if softmax {
            try ClassTargets.check(labels, classes: layout.classes, ignoreIndex: nil)
        } else {
            try LovaszParameters.checkBinary(labels)
        }
        return CallShape(samples: layout.batch, elements: elements)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        if softmax {
            try Images.lovaszSoftmaxLoss(pred: pred, target: labels, weight: weight, batch: layout.batch,
                                         classes: layout.classes, pixels: layout.inner, into: o)
        } else {
            try Images.lovaszHingeLoss(pred: pred, target: labels, batch: layout.batch, pixels: layout.inner, into: o)
        }
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, pred) { return "pred" }
        if overlaps(region, labels) { return "target" }
        if overlaps(region, weight) { return "weight" }
        return nil
    }
}

/// Opens the storage of a Lovász loss and hands `body` the call over it.
func lovasz<T: LossFloat, Labels: Collection, R>(
    softmax: Bool, _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)?, _ body: (LovaszCall<T>) throws(LossError) -> R
) throws(LossError) -> R where Labels.Element: BinaryInteger {
    try withLabels(target, loss: softmax ? "lovasz_softmax_loss" : "lovasz_hinge_loss") { (y) throws(LossError) in
        try pred.withUnsafeBufferPointer { (p) throws(LossError) in
            try weight.withBuffer { (w) throws(LossError) in
                try body(LovaszCall(softmax: softmax, pred: p, labels: y, layout: layout, weight: w))
            }
        }
    }
}

/// kornia's `lovasz_hinge_loss`: per image, the Lovász extension of the Jaccard loss at the hinge
/// errors `1 - z (2t - 1)` of `batch` images of `pixels` logits (one channel) against labels 0 or 1
/// of any integer type. `.mean` is kornia's result. Ties between errors are ranked by pixel index.
public func lovaszHingeLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, batch: Int, pixels: Int, reduction: Reduction = .mean,
    gradient: Bool = false, gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try lovasz(softmax: false, pred, target, layout: ClassLayout(batch: batch, classes: 1, inner: pixels),
               weight: nil) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `lovasz_hinge_loss` reduced (`.mean` or `.sum`), in place into `gradient`. A call that throws
/// has written nothing.
@discardableResult
public func lovaszHingeLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, batch: Int, pixels: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try lovasz(softmax: false, pred, target, layout: ClassLayout(batch: batch, classes: 1, inner: pixels),
               weight: nil) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `lovasz_hinge_loss` in place into `values` (one per image for `.none`).
public func lovaszHingeLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, batch: Int, pixels: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try lovasz(softmax: false, pred, target, layout: ClassLayout(batch: batch, classes: 1, inner: pixels),
               weight: nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `lovasz_hinge_loss` in place into `values` and `gradient`.
public func lovaszHingeLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, batch: Int, pixels: Int, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try lovasz(softmax: false, pred, target, layout: ClassLayout(batch: batch, classes: 1, inner: pixels),
               weight: nil) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}

/// kornia's `lovasz_softmax_loss`: per image, `(1/C) Σ_j weight_j L_j` over all C >= 2 classes, L_j
/// the Lovász extension of class j's Jaccard loss at the errors `|p_j - [y = j]|` of the softmax of
/// (N, C, D) logits (`layout`). `.mean` is kornia's result; the weight is not differentiated.
public func lovaszSoftmaxLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean, gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> LossResult<T> where Labels.Element: BinaryInteger {
    try lovasz(softmax: true, pred, target, layout: layout, weight: weight) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).lossResult
    }
}

/// `lovasz_softmax_loss` reduced (`.mean` or `.sum`), in place into `gradient`.
@discardableResult
public func lovaszSoftmaxLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, gradient: inout some MutableContiguousStorage<T>
) throws(LossError) -> T where Labels.Element: BinaryInteger {
    try lovasz(softmax: true, pred, target, layout: layout, weight: weight) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradient: &gradient)
    }
}

/// `lovasz_softmax_loss` in place into `values` (one per image for `.none`).
public func lovaszSoftmaxLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try lovasz(softmax: true, pred, target, layout: layout, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `lovasz_softmax_loss` in place into `values` and `gradient`.
public func lovaszSoftmaxLoss<T: LossFloat, Labels: Collection>(
    _ pred: some ContiguousStorage<T>, _ target: Labels, layout: ClassLayout,
    weight: (any ContiguousStorage<T>)? = nil, reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil, into values: inout some MutableContiguousStorage<T>,
    gradient: inout some MutableContiguousStorage<T>
) throws(LossError) where Labels.Element: BinaryInteger {
    try lovasz(softmax: true, pred, target, layout: layout, weight: weight) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradient: &gradient)
    }
}
