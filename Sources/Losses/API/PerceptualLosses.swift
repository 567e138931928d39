// The public forms of the perceptual loss (docs/images.md): one layer's four forms, as every loss
// has, and the allocating form over a network's layers, which adds up its layers' calls.

/// `perceptual_loss` of one layer over borrowed buffers.
struct PerceptualCall<T: LossFloat>: BufferCall {
    let x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>
    let shape: ImageShape, weights: PerceptualWeights

    var name: StaticString { "perceptual_loss" }

    static var names: GradientNames {
        GradientNames(first: "gradientX", firstInput: "x", second: "gradientY", secondInput: "y")
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func check() throws(LossError) -> CallShape {
        try Images.checkFeatureMaps(shape)
        try weights.check()
        return try imageCallShape(x.count, y.count, shape)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(_ o: LossOutputs<T>) throws(LossError) {
        try Images.perceptualLoss(x: x, y: y, shape: shape, weights: weights, into: o)
    }

    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString? {
        if overlaps(region, x) { return "x" }
        if overlaps(region, y) { return "y" }
        return nil
    }
}

/// Opens the storage of one layer of `perceptual_loss` and hands `body` the call over it.
func perceptual<T: LossFloat, R>(
    _ x: some ContiguousStorage<T>, _ y: some ContiguousStorage<T>, shape: ImageShape, weights: PerceptualWeights,
    _ body: (PerceptualCall<T>) throws(LossError) -> R
) throws(LossError) -> R {
    try x.withUnsafeBufferPointer { (p) throws(LossError) in
        try y.withUnsafeBufferPointer { (q) throws(LossError) in
            try body(PerceptualCall(x: p, y: q, shape: shape, weights: weights))
        }
    }
}

/// Perceptual loss of one layer (Johnson et al. 2016): x and y are (N, C, H, W) feature maps of
/// `shape`; per sample, with F the C × HW map and K = C·H·W,
/// `layerWeight·Σ(x − y)²/K + styleWeight·‖FxFxᵀ/K − FyFyᵀ/K‖²_F`. `.none` gives one value per
/// sample; the mean over samples makes the content term the mean over every element. Gradients
/// (``PairResult/gradientX1`` w.r.t. x, ``PairResult/gradientX2`` w.r.t. y) in closed form. Sums
/// and Gram entries in float64, in a fixed order; `styleWeight = 0` computes no Gram matrix. Both
/// weights must be finite and ≥ 0; C, H and W ≥ 1. For several layers, see
/// ``perceptualLoss(_:_:shapes:layerWeights:styleWeight:reduction:gradient:)``.
public func perceptualLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    layerWeight: Double = 1,
    styleWeight: Double = 0,
    reduction: Reduction = .mean,
    gradient: Bool = false,
    gradOutput: (any ContiguousStorage<T>)? = nil
) throws(LossError) -> PairResult<T> {
    let w = PerceptualWeights(layer: layerWeight, style: styleWeight)
    return try perceptual(x, y, shape: shape, weights: w) { (call) throws(LossError) in
        try call.allocating(reduction, gradients: gradient, gradOutput: gradOutput).pairResult
    }
}

/// `perceptual_loss` of one layer reduced (`.mean` or `.sum`), in place: returns the loss and
/// writes its gradients into `gradientX` and `gradientY`. `.none` throws `.invalidOption`. A call
/// that throws has written nothing.
@discardableResult
public func perceptualLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    layerWeight: Double = 1,
    styleWeight: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) -> T {
    let w = PerceptualWeights(layer: layerWeight, style: styleWeight)
    return try perceptual(x, y, shape: shape, weights: w) { (call) throws(LossError) in
        try call.reduced(reduction, gradOutput: gradOutput, gradientX1: &gradientX, gradientX2: &gradientY,
                         names: PerceptualCall<T>.names)
    }
}

/// `perceptual_loss` of one layer in place: writes the values into `values` (one per sample for
/// `.none`, one for `.mean` and `.sum`). A call that throws has written nothing.
public func perceptualLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    layerWeight: Double = 1,
    styleWeight: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let w = PerceptualWeights(layer: layerWeight, style: styleWeight)
    try perceptual(x, y, shape: shape, weights: w) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values)
    }
}

/// `perceptual_loss` of one layer in place: writes the values into `values` and its gradients
/// into `gradientX` and `gradientY`. A call that throws has written nothing.
public func perceptualLoss<T: LossFloat>(
    _ x: some ContiguousStorage<T>,
    _ y: some ContiguousStorage<T>,
    shape: ImageShape,
    layerWeight: Double = 1,
    styleWeight: Double = 0,
    reduction: Reduction = .mean,
    gradOutput: (any ContiguousStorage<T>)? = nil,
    into values: inout some MutableContiguousStorage<T>,
    gradientX: inout some MutableContiguousStorage<T>,
    gradientY: inout some MutableContiguousStorage<T>
) throws(LossError) {
    let w = PerceptualWeights(layer: layerWeight, style: styleWeight)
    try perceptual(x, y, shape: shape, weights: w) { (call) throws(LossError) in
        try call.into(reduction, gradOutput: gradOutput, values: &values, gradientX1: &gradientX,
                      gradientX2: &gradientY, names: PerceptualCall<T>.names)
    }
}

/// The perceptual loss over a network's layers and its gradients, one array per layer.
public struct PerceptualResult<T: LossFloat>: Sendable, Equatable {
    public var reduction: Reduction
    /// One value per sample for `.none` (the layers' values added in layer order), else empty.
    public var values: [T]
    /// The reduced loss (for `.none`, the sum of `values`).
    public var loss: T
    /// Per layer, the gradient w.r.t. its x and its y (nil unless asked for).
    public var gradientsX: [[T]]?, gradientsY: [[T]]?
}

/// Perceptual loss over L layers: `x[l]` and `y[l]` of `shapes[l]` (the same N in every layer),
/// each layer's call as
/// ``perceptualLoss(_:_:shape:layerWeight:styleWeight:reduction:gradient:gradOutput:)`` with
/// `layerWeights[l]` (nil: ones) and the same `styleWeight` and `reduction`, their values added in
/// layer order. Throws `.invalidArgument` when the lists differ in length, when `layerWeights`
/// has another count, when there is no layer, or when the layers' N differ.
public func perceptualLoss<T: LossFloat, S: ContiguousStorage<T>>(
    _ x: [S],
    _ y: [S],
    shapes: [ImageShape],
    layerWeights: [Double]? = nil,
    styleWeight: Double = 0,
    reduction: Reduction = .mean,
    gradient: Bool = false
) throws(LossError) -> PerceptualResult<T> {
    try namingErrors("perceptual_loss") { () throws(LossError) in
        let layers = shapes.count
        guard layers >= 1, x.count == layers, y.count == layers else {
            throw LossError(.invalidArgument, "features_x (\(x.count) maps), features_y (\(y.count)) and the shapes (\(layers)) must be lists of one length >= 1")
        }
        if let layerWeights, layerWeights.count != layers {
            throw LossError(.invalidArgument, "layer_weights has \(layerWeights.count) values for \(layers) layers")
        }
        guard shapes.allSatisfy({ $0.n == shapes[0].n }) else {
            throw LossError(.invalidArgument, "every layer must have the same n, got \(shapes.map(\.n))")
        }
        // Every layer is checked before the first is computed: a call that throws computed nothing.
        var calls: [PairResult<T>] = []
        for l in 0..<layers {
            let w = PerceptualWeights(layer: layerWeights?[l] ?? 1, style: styleWeight)
            try perceptual(x[l], y[l], shape: shapes[l], weights: w) { (call) throws(LossError) in _ = try call.check() }
        }
        for l in 0..<layers {
            calls.append(try perceptualLoss(x[l], y[l], shape: shapes[l], layerWeight: layerWeights?[l] ?? 1,
                                            styleWeight: styleWeight, reduction: reduction, gradient: gradient))
        }
        // The layers' values added in Double, in layer order, and rounded once.
        var totals = [Double](repeating: 0, count: reduction == .none ? shapes[0].n : 0)
        var loss = 0.0
        for call in calls {
            for i in totals.indices { totals[i] += Double(call.values[i]) }
            loss += Double(call.loss)
        }
        let values = totals.map { T($0) }
        return PerceptualResult(reduction: reduction, values: values,
                                loss: reduction == .none ? values.withUnsafeBufferPointer { T.sum($0) } : T(loss),
                                gradientsX: gradient ? calls.map { $0.gradientX1 ?? [] } : nil,
                                gradientsY: gradient ? calls.map { $0.gradientX2 ?? [] } : nil)
    }
}
