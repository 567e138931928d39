// kornia's total_variation (docs/images.md): the anisotropic L1 variation of each (h, w) plane.

/// Plane i of `total_variation`: Σ |x[r+1, c] - x[r, c]| and Σ |x[r, c+1] - x[r, c]|, added
/// (`mean` false) or each divided by its own count of differences, (h-1)·w and h·(w-1), then
/// added (`mean` true; a term with no differences is 0). The gradient of |t| is sign(t), 0 at
/// t = 0 (autograd's choice) and NaN at NaN; each plane's entries are gathered by the plane
/// (race-free).
@usableFromInline
struct TotalVariationKernel<T: LossFloat>: SampleKernel {
    let img: UnsafeBufferPointer<T>
    let height: Int, width: Int
    let mean: Bool
    let gradient: UnsafeMutableBufferPointer<T>?

    @inline(__always)
    private static func sign(_ t: Double) -> Double { t > 0 ? 1 : (t < 0 ? -1 : (t == 0 ? 0 : .nan)) }

    @usableFromInline
    func callAsFunction(_ i: Int, _ scale: T) -> T {
        let h = height, w = width, base = i &* h &* w
        let verticalCount = (h &- 1) &* w, horizontalCount = h &* (w &- 1)
        // The weight of one difference of each term: 1 for the sum, 1/count for the mean (0 without any).
        let cv = mean ? (verticalCount > 0 ? 1 / Double(verticalCount) : 0) : 1
        let ch = mean ? (horizontalCount > 0 ? 1 / Double(horizontalCount) : 0) : 1
        var vertical = 0.0, horizontal = 0.0
        for r in 0..<h {
            for c in 0..<w {
                let x = Double(img[base &+ r &* w &+ c])
                if r &+ 1 < h { vertical += Swift.abs(Double(img[base &+ (r &+ 1) &* w &+ c]) - x) }
                if c &+ 1 < w { horizontal += Swift.abs(Double(img[base &+ r &* w &+ c &+ 1]) - x) }
            }
        }
        let value = vertical * cv + horizontal * ch
        guard let g = gradient else { return T(value) }
        let u = Double(scale)
        for r in 0..<h {
            for c in 0..<w {
                let e = base &+ r &* w &+ c, x = Double(img[e])
                var d = 0.0
                if r > 0 { d += cv * Self.sign(x - Double(img[e &- w])) }
                if r &+ 1 < h { d -= cv * Self.sign(Double(img[e &+ w]) - x) }
                if c > 0 { d += ch * Self.sign(x - Double(img[e &- 1])) }
                if c &+ 1 < w { d -= ch * Self.sign(Double(img[e &+ 1]) - x) }
                g[e] = T(u * d)
            }
        }
        return T(value)
    }
}

extension Images {
    /// `total_variation` of n planes of (h, w) in `img`; one value per plane, reduced as `o`
    /// asks (kornia's output is the `.none` form); the gradient is `o.gradient`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func totalVariation<T: LossFloat>(
        img: UnsafeBufferPointer<T>, planes n: Int, height h: Int, width w: Int, mean: Bool, into o: LossOutputs<T>
    ) {
        let kernel = TotalVariationKernel(img: img, height: h, width: w, mean: mean, gradient: o.gradient)
        let perPlane = h.multipliedReportingOverflow(by: w).partialValue
        reduceSamples(count: n, elementsPerSample: Swift.max(perPlane, 1), meanDenominator: Double(n), into: o, kernel)
    }
}
