// The triplet margin loss (docs/metric_learning.md): per row of anchor, positive and negative,
// a hinge on the difference of two distances, on the per-sample driver. One kernel serves
// triplet_margin_loss (pairwise_distance of any p) and triplet_margin_with_distance_loss
// (pairwise_distance at p = 2, or 1 - cosine_similarity): it is generic over the distance.

/// A distance between row s of two buffers, as the triplet takes it: a pair kernel evaluated on
/// the diagonal, plus what the Euclidean fast path needs.
package protocol TripletDistance: PairKernel {
    /// True when the distance is `‖difference‖₂`: the triplet then takes it in one pass and
    /// writes its gradients directly, without scratch.
    var isEuclidean: Bool { get }
    /// Component k of the vector whose 2-norm is the distance of row s; read only when
    /// `isEuclidean`.
    func difference(_ s: Int, _ k: Int) -> Double
}

extension PairwiseDistanceKernel: TripletDistance {
    package var isEuclidean: Bool { p == 2 }
    package func difference(_ s: Int, _ k: Int) -> Double { v(s, s, k) }
}

/// `1 - cos(x1[i], x2[j])`, PyTorch's cosine_similarity (its eps clamping each norm) turned into
/// a distance: the value 1 - S, the gradients those of S negated.
package struct CosineDistanceKernel<T: LossFloat>: TripletDistance {
    package typealias Scalar = T
    let cosine: CosineSimilarityKernel<T>

    package init(x1: UnsafeBufferPointer<T>, x2: UnsafeBufferPointer<T>, d: Int, eps: Double) {
        cosine = CosineSimilarityKernel(x1: x1, x2: x2, d: d, eps: eps)
    }

    package var isEuclidean: Bool { false }
    /// Never read (`isEuclidean` is false); NaN rather than a trap should that change.
    package func difference(_ s: Int, _ k: Int) -> Double { .nan }

    package func firstRow(_ i: Int) -> RowNorm { cosine.firstRow(i) }
    package func secondRow(_ j: Int) -> RowNorm { cosine.secondRow(j) }
    package func value(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm) -> Double { 1 - cosine.value(i, j, a, b) }

    package func addFirstGradient(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm, _ s: Double, _ coefficient: Double,
                                  into g: UnsafeMutablePointer<Double>) {
        cosine.addFirstGradient(i, j, a, b, 1 - s, -coefficient, into: g)
    }

    package func addSecondGradient(_ i: Int, _ j: Int, _ a: RowNorm, _ b: RowNorm, _ s: Double, _ coefficient: Double,
                                   into g: UnsafeMutablePointer<Double>) {
        cosine.addSecondGradient(i, j, a, b, 1 - s, -coefficient, into: g)
    }
}

/// Row s of the triplet loss: its loss and, when gradients are asked for, the gradient of each
/// of the three rows. For a Euclidean distance (p = 2) each distance takes one pass and the
/// gradients are written directly; for any other distance they are accumulated in double in the
/// scratch rows of that sample by the distance's own gradient, then written in the element type.
/// Each sample owns its rows: race-free on any thread.
struct TripletKernel<T: LossFloat, D: TripletDistance>: SampleKernel where D.Scalar == T {
    let ap: D, an: D, pn: D
    let d: Int, margin: Double, swap: Bool
    let gradients: Gradients<T>
    /// Three (n, d) accumulators (anchor, positive, negative) when the distance is not Euclidean
    /// and gradients are asked for, else nil.
    let scratch: UnsafeMutablePointer<Double>?, rows: Int

    var euclidean: Bool { ap.isEuclidean }
    var wantsGradients: Bool { gradients.first != nil || gradients.second != nil || gradients.third != nil }

    /// The distance of row s. For p = 2 in one pass, the squares summed in double: no float
    /// input overflows that sum. A sum that does overflow, or falls below 2^-900 where its
    /// squares lose digits (double inputs beyond 1e154 or below 1e-270), is recomputed by
    /// the kernel's scaled form, as is every other distance.
    @inline(__always)
    func distance(_ kernel: D, _ s: Int) -> Double {
        guard euclidean else { return kernel.value(s, s, kernel.firstRow(s), kernel.secondRow(s)) }
        // Eight lanes summed in a fixed order: the loop vectorises, and the bits do not depend
        // on the CPU or the thread count.
        var lanes = SIMD8<Double>()
        var k = 0
        while k &+ 8 <= d {
            var v = SIMD8<Double>()
            for j in 0..<8 { v[j] = kernel.difference(s, k &+ j) }
            lanes += v * v
            k &+= 8
        }
        var sum = lanes.sum()
        while k < d {
            let v = kernel.difference(s, k)
            sum += v * v
            k &+= 1
        }
        if sum.isFinite && (sum == 0 || sum > 0x1p-900) { return sum.squareRoot() }
        return kernel.value(s, s, kernel.firstRow(s), kernel.secondRow(s))
    }

    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let dap = distance(ap, s), dan = distance(an, s)
        let dpn = swap ? distance(pn, s) : .infinity
        // min(d(a,n), d(p,n)), the first where they tie.
        let swapped = dpn < dan
        let z = margin + dap - (swapped ? dpn : dan)
        guard wantsGradients else { return T(positivePart(z)) }
        // A NaN row: PyTorch's clamp passes a zero gradient, times each distance's derivative, so
        // the terms of a NaN distance are NaN (0·NaN) and the others 0. The same here, rather than
        // reading the NaN as an inactive hinge and hiding it behind zeros.
        let c = z > 0 ? Double(scale) : 0
        if euclidean {
            writeEuclideanGradients(s, c, dap: dap, negative: swapped ? pn : an, dneg: swapped ? dpn : dan,
                                    swapped: swapped, nanRow: z.isNaN)
            return T(positivePart(z))
        }
        let scratch = scratch!
        let ga = scratch + s &* d, gp = scratch + (rows &+ s) &* d, gn = scratch + (2 &* rows &+ s) &* d
        for k in 0..<d { (ga[k], gp[k], gn[k]) = (0, 0, 0) }
        if z > 0 || z.isNaN {
            add(ap, s, dap, c, first: ga, second: gp)        // ∂d(a,p)/∂a, ∂d(a,p)/∂p
            if swapped {
                add(pn, s, dpn, -c, first: gp, second: gn)   // -∂d(p,n)/∂p, -∂d(p,n)/∂n
            } else {
                add(an, s, dan, -c, first: ga, second: gn)   // -∂d(a,n)/∂a, -∂d(a,n)/∂n
            }
        }
        // Three statements, not a loop over an array of them: a call allocates nothing per sample.
        if let out = gradients.first { for k in 0..<d { out[s &* d &+ k] = T(ga[k]) } }
        if let out = gradients.second { for k in 0..<d { out[s &* d &+ k] = T(gp[k]) } }
        if let out = gradients.third { for k in 0..<d { out[s &* d &+ k] = T(gn[k]) } }
        return T(positivePart(z))
    }

    /// Adds `c·∂d/∂x1` of row s's pair to `first` and `c·∂d/∂x2` to `second`.
    @inline(__always)
    func add(_ kernel: D, _ s: Int, _ distance: Double, _ c: Double, first: UnsafeMutablePointer<Double>,
             second: UnsafeMutablePointer<Double>) {
        let (a, b) = (kernel.firstRow(s), kernel.secondRow(s))
        kernel.addFirstGradient(s, s, a, b, distance, c, into: first)
        kernel.addSecondGradient(s, s, a, b, distance, c, into: second)
    }

    /// p = 2: ∂d/∂x = v/d (0 at zero distance), times c (0 for an inactive hinge). The negative
    /// term is d(a, n)'s, or d(p, n)'s when swapped, which moves it from the anchor to the positive.
    @inline(__always)
    func writeEuclideanGradients(_ s: Int, _ c: Double, dap: Double, negative: D, dneg: Double, swapped: Bool,
                                 nanRow: Bool) {
        let base = s &* d
        // c/d once per row: a product per element, not a division. In a NaN row the coefficient
        // of a NaN distance is NaN (0·NaN), of a finite one 0.
        var cp = c == 0 || dap == 0 ? 0 : c / dap, cn = c == 0 || dneg == 0 ? 0 : c / dneg
        if nanRow { (cp, cn) = (dap.isNaN ? .nan : 0, dneg.isNaN ? .nan : 0) }
        for k in 0..<d {
            let pos = cp * ap.difference(s, k)        // c·∂d(a,p)/∂a
            let neg = cn * negative.difference(s, k)  // c·∂d(·,n)/∂(a or p)
            if let out = gradients.first { out[base &+ k] = T(swapped ? pos : pos - neg) }
            if let out = gradients.second { out[base &+ k] = T(swapped ? -pos - neg : -pos) }
            if let out = gradients.third { out[base &+ k] = T(neg) }
        }
    }
}

extension MetricLearning {
    /// `triplet_margin_loss` of (n, d) rows; the gradients are `o.gradients.first`, `.second`
    /// and `.third` (anchor, positive, negative). For p != 2, throws `.outOfMemory` when the
    /// gradients' double scratch (3·n·d values) cannot be had, before anything is written.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func tripletMarginLoss<T: LossFloat>(
        anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, margin: Double, p: Double, eps: Double, swap: Bool, into o: LossOutputs<T>
    ) throws(LossError) {
        try triplet(rows: n, width: d, margin: margin, swap: swap, into: o,
                    PairwiseDistanceKernel(x1: anchor, x2: positive, d: d, p: p, eps: eps),
                    PairwiseDistanceKernel(x1: anchor, x2: negative, d: d, p: p, eps: eps),
                    PairwiseDistanceKernel(x1: positive, x2: negative, d: d, p: p, eps: eps))
    }

    /// `triplet_margin_with_distance_loss` of (n, d) rows with a named distance: Euclidean is
    /// `pairwise_distance` at p = 2 and its eps 1e-6, cosine `1 - cosine_similarity` at its
    /// eps 1e-8 (PyTorch's defaults, which its loss uses). For the cosine, throws
    /// `.outOfMemory` when the gradients' double scratch (3·n·d values) cannot be had, before
    /// anything is written.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func tripletMarginWithDistanceLoss<T: LossFloat>(
        anchor: UnsafeBufferPointer<T>, positive: UnsafeBufferPointer<T>, negative: UnsafeBufferPointer<T>,
        rows n: Int, width d: Int, distance: TripletDistanceFunction, margin: Double, swap: Bool,
        into o: LossOutputs<T>
    ) throws(LossError) {
        switch distance {
        case .euclidean:
            try tripletMarginLoss(anchor: anchor, positive: positive, negative: negative, rows: n, width: d,
                                  margin: margin, p: 2, eps: TripletDistanceFunction.euclideanEps, swap: swap, into: o)
        case .cosine:
            let eps = TripletDistanceFunction.cosineEps
            try triplet(rows: n, width: d, margin: margin, swap: swap, into: o,
                        CosineDistanceKernel(x1: anchor, x2: positive, d: d, eps: eps),
                        CosineDistanceKernel(x1: anchor, x2: negative, d: d, eps: eps),
                        CosineDistanceKernel(x1: positive, x2: negative, d: d, eps: eps))
        }
    }

    /// The triplet loss over the three distances (anchor-positive, anchor-negative,
    /// positive-negative), with scratch for the gradients of a non-Euclidean distance.
    @inline(__always)
    static func triplet<T: LossFloat, D: TripletDistance>(
        rows n: Int, width d: Int, margin: Double, swap: Bool, into o: LossOutputs<T>, _ ap: D, _ an: D, _ pn: D
    ) throws(LossError) where D.Scalar == T {
        let g = o.gradients
        let wantsGradients = g.first != nil || g.second != nil || g.third != nil
        func run(_ scratch: UnsafeMutablePointer<Double>?) {
            let kernel = TripletKernel(ap: ap, an: an, pn: pn, d: d, margin: margin, swap: swap, gradients: g,
                                       scratch: scratch, rows: n)
            reduceSamples(count: n, elementsPerSample: Swift.max(d, 1), meanDenominator: Double(n), into: o, kernel)
        }
        guard wantsGradients && !ap.isEuclidean else { return run(nil) }
        let scratch = try Scratch<Double>(count: 3 &* n &* d)  // freed when this scope ends
        run(scratch.base)
    }
}

/// The distances `triplet_margin_with_distance_loss` names (the C selector's values).
public enum TripletDistanceFunction: Int32, Sendable, CaseIterable {
    /// `pairwise_distance(x, y)`: `‖x - y + 1e-6‖₂`, PyTorch's default distance.
    case euclidean = 0
    /// `1 - cosine_similarity(x, y)`, each norm clamped at 1e-8.
    case cosine = 1

    /// pairwise_distance's default eps, which PyTorch's loss uses.
    static let euclideanEps = 1e-6
    /// cosine_similarity's default eps.
    static let cosineEps = 1e-8
}

extension MetricLearningParameters {
    /// PyTorch refuses margin <= 0 for triplet_margin_loss.
    package static func checkTripletMargin(_ margin: Double) throws(LossError) {
        guard margin > 0, margin.isFinite else {
            throw LossError(.invalidArgument, "margin must be positive and finite, got \(margin)")
        }
    }

    /// The C selector of `triplet_margin_with_distance_loss`'s distance: 0 euclidean, 1 cosine.
    package static func tripletDistance(_ raw: Int32) throws(LossError) -> TripletDistanceFunction {
        guard let distance = TripletDistanceFunction(rawValue: raw) else {
            throw LossError(.invalidArgument, "distance_function must be 0 (euclidean) or 1 (cosine), got \(raw)")
        }
        return distance
    }
}
