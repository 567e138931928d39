/// How a loss combines its per-element values, as in PyTorch.
///
/// The raw values are the C ABI's `LOSSES_REDUCTION_*` constants and PyTorch's own
/// `at::Reduction` numbering.
public enum Reduction: Int32, Sendable, CaseIterable {
    /// One value per element (or per sample), shaped as PyTorch returns it.
    case none = 0
    /// The sum divided by the loss's denominator (the element count unless the loss says otherwise).
    /// The mean of an empty input is NaN, as in PyTorch.
    case mean = 1
    /// The plain sum; 0 for an empty input.
    case sum = 2

    /// Reads a C selector, refusing values outside the enumeration instead of trusting them:
    /// an out-of-range raw value in a Swift enum parameter silently misbehaves.
    public static func validated(_ raw: Int32) throws(LossError) -> Reduction {
        guard let reduction = Reduction(rawValue: raw) else {
            throw LossError(.invalidOption,
                            "reduction must be 0 (none), 1 (mean) or 2 (sum), got \(raw)")
        }
        return reduction
    }
}
