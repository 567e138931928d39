/// A loss and, when asked for, its gradient with respect to the input: what the allocating form
/// of every loss returns.
///
/// ```swift
/// let r = try mseLoss(prediction, target, gradient: true)
/// r.loss        // the mean, a Float
/// r.gradient!   // ∂loss/∂prediction, shaped like prediction
/// ```
///
/// A reduced call (`.mean`, `.sum`) has one number, ``loss``, and ``values`` is empty: no array
/// is allocated for it. A `.none` call has one value per sample in ``values``.
public struct LossResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// One value per sample for `.none` (per element for the elementwise losses; per N × D
    /// target for the class losses); empty for `.mean` and `.sum`, whose value is ``loss``.
    public var values: [T]
    /// Shaped like the input; `nil` unless the gradient was requested.
    public var gradient: [T]?
    /// The reduced value of a `.mean` or `.sum` call (unused for `.none`).
    @usableFromInline var reduced: T

    /// A result as a call returns it; `loss` is the reduced value, ignored for `.none`.
    @inlinable
    public init(reduction: Reduction, loss: T, values: [T] = [], gradient: [T]? = nil) {
        self.reduction = reduction
        self.reduced = loss
        self.values = values
        self.gradient = gradient
    }

    /// The loss as one number: the mean or the sum for a reduced call. For `.none`, the sum of
    /// ``values`` (in double, in the library's fixed order): the number that ``gradient`` is
    /// the gradient of when no `gradOutput` was given, as for the reduced calls.
    public var loss: T {
        reduction == .none ? values.withUnsafeBufferPointer { T.sum($0) } : reduced
    }

    /// The values as the first release returned them: ``values`` for `.none`, `[loss]` otherwise.
    @available(*, deprecated, message: "use loss for a reduced call and values for .none")
    public var value: [T] { reduction == .none ? values : [reduced] }

    /// Equal reductions, values, gradients and, for a reduced call, losses (a NaN loss is equal
    /// to nothing, as a NaN is).
    public static func == (a: Self, b: Self) -> Bool {
        a.reduction == b.reduction && a.values == b.values && a.gradient == b.gradient
            && (a.reduction == .none || a.reduced == b.reduced)
    }
}

/// A distance or similarity between rows and, when asked for, its gradients with respect to
/// both inputs: what the allocating form of every pair function returns.
///
/// As for ``LossResult``: a reduced call has ``loss`` alone, a `.none` call (these functions'
/// default) one value per pair in ``values``.
public struct PairResult<T: LossFloat>: Sendable, Equatable {
    /// The reduction the call applied.
    public var reduction: Reduction
    /// One value per pair for `.none` (n row-wise, n·m for a matrix); empty for `.mean` and
    /// `.sum`, whose value is ``loss``.
    public var values: [T]
    /// Shaped like `x1`; `nil` unless the gradients were requested.
    public var gradientX1: [T]?
    /// Shaped like `x2`; `nil` unless the gradients were requested.
    public var gradientX2: [T]?
    /// The reduced value of a `.mean` or `.sum` call (unused for `.none`).
    @usableFromInline var reduced: T

    /// A result as a call returns it; `loss` is the reduced value, ignored for `.none`.
    @inlinable
    public init(reduction: Reduction, loss: T, values: [T] = [], gradientX1: [T]? = nil, gradientX2: [T]? = nil) {
        self.reduction = reduction
        self.reduced = loss
        self.values = values
        self.gradientX1 = gradientX1
        self.gradientX2 = gradientX2
    }

    /// The mean or the sum for a reduced call; for `.none`, the sum of ``values`` (in double,
    /// in the library's fixed order).
    public var loss: T {
        reduction == .none ? values.withUnsafeBufferPointer { T.sum($0) } : reduced
    }

    /// The values as the first release returned them: ``values`` for `.none`, `[loss]` otherwise.
    @available(*, deprecated, message: "use loss for a reduced call and values for .none")
    public var value: [T] { reduction == .none ? values : [reduced] }

    /// Equal reductions, values, gradients and, for a reduced call, losses.
    public static func == (a: Self, b: Self) -> Bool {
        a.reduction == b.reduction && a.values == b.values && a.gradientX1 == b.gradientX1
            && a.gradientX2 == b.gradientX2 && (a.reduction == .none || a.reduced == b.reduced)
    }
}

extension LossFloat {
    /// The fixed-order sum of `values` (`blockedSum`), specialised: `loss` is read from generic
    /// code, where the unspecialised loop would convert every element through the runtime.
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func sum(_ values: UnsafeBufferPointer<Self>) -> Self {
        Self(values.blockedSum())
    }
}
