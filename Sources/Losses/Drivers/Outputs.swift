/// Where one call writes, with every buffer already checked against the counts it is used with:
/// `out` holds one value per sample for `.none` and one value otherwise; `gradOutput`, when
/// present, as many values as `out` (absent means ones).
///
/// A loss has one gradient per differentiable input, in the order of its C declaration
/// (`grad_input`, then `grad_x2`, `grad_weight`, …). Each is optional: a caller that passes
/// NULL does not pay for it. `gradient` is the first, the one every loss has.
@usableFromInline package struct LossOutputs<T: LossFloat> {
    @usableFromInline package var reduction: Reduction
    @usableFromInline package var out: UnsafeMutableBufferPointer<T>
    @usableFromInline package var gradients: Gradients<T>
    @usableFromInline package var gradOutput: UnsafeBufferPointer<T>?

    /// The gradient with respect to the first input.
    @inlinable package var gradient: UnsafeMutableBufferPointer<T>? { gradients.first }

    @inlinable
    package init(reduction: Reduction, out: UnsafeMutableBufferPointer<T>,
                 gradient: UnsafeMutableBufferPointer<T>?, gradOutput: UnsafeBufferPointer<T>?) {
        self.init(reduction: reduction, out: out, gradients: Gradients(gradient), gradOutput: gradOutput)
    }

    @inlinable
    package init(reduction: Reduction, out: UnsafeMutableBufferPointer<T>,
                 gradients: Gradients<T>, gradOutput: UnsafeBufferPointer<T>?) {
        self.reduction = reduction
        self.out = out
        self.gradients = gradients
        self.gradOutput = gradOutput
    }

    /// The upstream gradient of sample `s` for `.none`, or of the reduced value otherwise.
    @inlinable @inline(__always)
    package func upstream(_ s: Int) -> T {
        guard let gradOutput else { return 1 }
        return reduction == .none ? gradOutput[s] : gradOutput[0]
    }
}

/// The gradient outputs of one call, one optional buffer per differentiable input (at most four:
/// the most any loss of the catalogue has, verification loss's two embeddings, weight and bias).
/// Stored inline, not in an array, so that a call allocates nothing.
@usableFromInline package struct Gradients<T: LossFloat> {
    @usableFromInline package var first: UnsafeMutableBufferPointer<T>?
    @usableFromInline package var second: UnsafeMutableBufferPointer<T>?
    @usableFromInline package var third: UnsafeMutableBufferPointer<T>?
    @usableFromInline package var fourth: UnsafeMutableBufferPointer<T>?

    @inlinable
    package init(_ first: UnsafeMutableBufferPointer<T>?, _ second: UnsafeMutableBufferPointer<T>? = nil,
                 _ third: UnsafeMutableBufferPointer<T>? = nil, _ fourth: UnsafeMutableBufferPointer<T>? = nil) {
        self.first = first
        self.second = second
        self.third = third
        self.fourth = fourth
    }

}
