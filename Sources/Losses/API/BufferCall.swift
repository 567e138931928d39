// The one path of every public call: a loss's arguments as borrowed buffers (a `BufferCall`),
// checked, then computed into outputs that are either allocated here or the caller's own
// storage. Every check comes before the first write, so a call that throws has written nothing,
// and every error leaves here carrying the loss's name.

/// How many values one checked call writes.
struct CallShape {
    /// The unreduced loss's count: one value per sample (or per pair).
    var samples: Int
    /// The gradient's count: the elements of the first differentiable input.
    var elements: Int
    /// The second gradient's count (x2's elements) for the functions of two inputs; `nil` for
    /// the losses, which have one gradient.
    var secondElements: Int? = nil

    /// The count of `values` and of `gradOutput` for `reduction`.
    func outputs(_ reduction: Reduction) -> Int { reduction == .none ? samples : 1 }
}

/// One loss over borrowed, not yet checked buffers. Each public function builds one and hands it
/// to a form below; the conforming types specialise `check` and `run` for `Float` and `Double`,
/// because the public functions are generic over the storage and so call them from generic code.
protocol BufferCall {
    associatedtype Scalar: LossFloat
    /// The loss's C name, which every error of the call carries.
    var name: StaticString { get }
    /// Checks every argument that is not an output (counts, parameters, labels, probabilities)
    /// and returns the counts the outputs must have.
    func check() throws(LossError) -> CallShape
    /// Computes into outputs of the counts `check` returned.
    func run(_ o: LossOutputs<Scalar>) throws(LossError)
    /// The name of an input that shares memory with `region`, if any does.
    func input(overlapping region: UnsafeRawBufferPointer) -> StaticString?
}

/// What the in-place forms call their gradient arguments, for the errors that name them.
struct GradientNames {
    var first: StaticString, firstInput: String, second: StaticString, secondInput: String = "x2"

    /// A loss's one gradient, with respect to `input`.
    static let loss = GradientNames(first: "gradient", firstInput: "input", second: "")
    /// A pair function's gradients, with respect to `x1` and `x2`.
    static let pair = GradientNames(first: "gradientX1", firstInput: "x1", second: "gradientX2")
}

/// What the allocating form computed, before it becomes a `LossResult` or a `PairResult`.
struct Computed<T: LossFloat> {
    var reduction: Reduction
    var loss: T
    var values: [T]
    var gradient: [T]?
    var secondGradient: [T]?

    var lossResult: LossResult<T> { LossResult(reduction: reduction, loss: loss, values: values, gradient: gradient) }
    var pairResult: PairResult<T> {
        PairResult(reduction: reduction, loss: loss, values: values, gradientX1: gradient, gradientX2: secondGradient)
    }
}

extension BufferCall {
    /// Runs `body`, naming this call's loss in any error it throws.
    func named<R>(_ body: () throws(LossError) -> R) throws(LossError) -> R {
        try namingErrors("\(name)", body)
    }

    /// The allocating form: values for `.none` and the gradients when `gradients` is true, in
    /// new arrays; a reduced value-only call allocates nothing.
    func allocating(
        _ reduction: Reduction, gradients wanted: Bool, gradOutput: (any ContiguousStorage<Scalar>)?
    ) throws(LossError) -> Computed<Scalar> {
        try named { () throws(LossError) in
            let shape = try check()
            return try gradOutput.withBuffer { (upstream) throws(LossError) in
                try checkGradOutput(upstream, shape, reduction)
                let hasSecond = wanted && shape.secondElements != nil
                var values = [Scalar](repeating: 0, count: reduction == .none ? shape.samples : 0)
                var first = [Scalar](repeating: 0, count: wanted ? shape.elements : 0)
                var second = [Scalar](repeating: 0, count: hasSecond ? shape.secondElements! : 0)
                let loss = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
                    try first.withUnsafeMutableBufferPointer { (a) throws(LossError) in
                        try second.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                            func run(into out: UnsafeMutableBufferPointer<Scalar>) throws(LossError) {
                                try self.run(LossOutputs(reduction: reduction, out: out,
                                                         gradients: Gradients(wanted ? a : nil, hasSecond ? b : nil),
                                                         gradOutput: upstream))
                            }
                            if reduction == .none {
                                try run(into: v)
                                return Scalar.zero
                            }
                            return try withScalarOutput { (out) throws(LossError) in try run(into: out) }
                        }
                    }
                }
                return Computed(reduction: reduction, loss: loss, values: values,
                                gradient: wanted ? first : nil, secondGradient: hasSecond ? second : nil)
            }
        }
    }

    /// The in-place forms over opened caller storage: `values` receives the values (one per
    /// sample for `.none`, one otherwise), or is nil for the form that returns the reduced loss
    /// instead; each gradient given is written. Returns the reduced loss (0 for `.none`).
    func inPlace(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?,
        values: UnsafeMutableBufferPointer<Scalar>?,
        gradients: (UnsafeMutableBufferPointer<Scalar>?, UnsafeMutableBufferPointer<Scalar>?),
        names: GradientNames
    ) throws(LossError) -> Scalar {
        try named { () throws(LossError) in
            if values == nil, reduction == .none {
                throw LossError(.invalidOption, "reduction .none has one value per sample: pass storage for them as into:")
            }
            let shape = try check()
            return try gradOutput.withBuffer { (upstream) throws(LossError) in
                try checkGradOutput(upstream, shape, reduction)
                if let values {
                    try requireCount("values", values.count, shape.outputs(reduction),
                                     reduction == .none ? "the unreduced loss" : "a reduced loss")
                }
                if let g = gradients.0 { try requireCount(names.first, g.count, shape.elements, names.firstInput) }
                if let g = gradients.1 {
                    try requireCount(names.second, g.count, shape.secondElements ?? 0, names.secondInput)
                }
                try checkOverlaps(values, gradients, names, upstream)
                func run(into out: UnsafeMutableBufferPointer<Scalar>) throws(LossError) {
                    try self.run(LossOutputs(reduction: reduction, out: out, gradients: Gradients(gradients.0, gradients.1),
                                             gradOutput: upstream))
                }
                if let values {
                    try run(into: values)
                    return reduction == .none ? 0 : values[0]
                }
                return try withScalarOutput { (out) throws(LossError) in try run(into: out) }
            }
        }
    }

    /// `gradOutput` holds one value per value of the loss.
    private func checkGradOutput(_ upstream: UnsafeBufferPointer<Scalar>?, _ shape: CallShape,
                                 _ reduction: Reduction) throws(LossError) {
        guard let upstream else { return }
        try requireCount("gradOutput", upstream.count, shape.outputs(reduction),
                         reduction == .none ? "the unreduced loss" : "a reduced loss")
    }

    /// No output shares memory with an input or another output: the kernels read inputs after
    /// they have written other outputs. Only buffer pointers can alias: Swift's exclusivity rules
    /// keep an array from being both an argument and `inout`.
    private func checkOverlaps(
        _ values: UnsafeMutableBufferPointer<Scalar>?,
        _ gradients: (UnsafeMutableBufferPointer<Scalar>?, UnsafeMutableBufferPointer<Scalar>?),
        _ names: GradientNames, _ upstream: UnsafeBufferPointer<Scalar>?
    ) throws(LossError) {
        let v = values.map(UnsafeRawBufferPointer.init)
        let a = gradients.0.map(UnsafeRawBufferPointer.init), b = gradients.1.map(UnsafeRawBufferPointer.init)
        let g = upstream.map(UnsafeRawBufferPointer.init)
        // Written out pair by pair rather than looped over an array, which would allocate.
        func refuse(_ name: StaticString, _ region: UnsafeRawBufferPointer?) throws(LossError) {
            guard let region else { return }
            if let input = input(overlapping: region) ?? (overlaps(region, g) ? "gradOutput" : nil) {
                throw LossError(.overlap, "\(name) overlaps \(input)")
            }
        }
        func refuse(_ name: StaticString, _ region: UnsafeRawBufferPointer?, _ other: StaticString,
                    _ otherRegion: UnsafeRawBufferPointer?) throws(LossError) {
            if let region, overlaps(region, otherRegion) { throw LossError(.overlap, "\(name) overlaps \(other)") }
        }
        try refuse("values", v)
        try refuse(names.first, a)
        try refuse(names.second, b)
        try refuse("values", v, names.first, a)
        try refuse("values", v, names.second, b)
        try refuse(names.first, a, names.second, b)
    }
}

/// Runs `body`, naming `loss` (its C name) in any error it throws: every public function's
/// errors carry their loss, whether or not it goes through a `BufferCall`.
func namingErrors<R>(_ loss: String, _ body: () throws(LossError) -> R) throws(LossError) -> R {
    do {
        return try body()
    } catch {
        var named = error
        named.loss = loss
        throw named
    }
}

/// Runs `body` with a one-element buffer, on the stack, for a reduced loss and returns what it
/// wrote there.
func withScalarOutput<T: LossFloat>(
    _ body: (UnsafeMutableBufferPointer<T>) throws(LossError) -> Void
) throws(LossError) -> T {
    try withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { (out) throws(LossError) -> T in
        out.initialize(repeating: 0)
        try body(out)
        return out[0]
    }
}

/// Whether two regions share a byte (an empty region shares none).
func overlaps(_ region: UnsafeRawBufferPointer, _ other: UnsafeRawBufferPointer?) -> Bool {
    guard let other, let a = region.baseAddress, let b = other.baseAddress, !region.isEmpty, !other.isEmpty else {
        return false
    }
    return a < b + other.count && b < a + region.count
}

/// Whether `buffer` shares a byte with `region`.
func overlaps<U>(_ region: UnsafeRawBufferPointer, _ buffer: UnsafeBufferPointer<U>?) -> Bool {
    overlaps(region, buffer.map(UnsafeRawBufferPointer.init))
}

/// Checks that a buffer has `expected` elements.
func requireCount(_ name: StaticString, _ actual: Int, _ expected: Int, _ reference: String) throws(LossError) {
    guard actual == expected else {
        throw LossError(.shapeMismatch, "\(name) has \(actual) elements, expected \(expected) (as \(reference))")
    }
}
