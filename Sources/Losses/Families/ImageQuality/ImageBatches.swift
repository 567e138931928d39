// The image-quality losses over (N, C, H, W) batches (docs/image_quality.md): their shape and
// parameter checks, and the one way they run: every (image, channel) plane is a task that reads
// only its own planes and writes only its own gradient planes and its own entry of a per-plane
// array; the planes' results are combined afterwards in plane order, so the result is bitwise
// the same for any thread count.

/// The shape of a batch of images: n images of c channels of h × w values, row-major
/// (PyTorch's contiguous (N, C, H, W)).
public struct ImageShape: Sendable, Equatable {
    public var n: Int, c: Int, h: Int, w: Int

    @inlinable
    public init(n: Int, c: Int, h: Int, w: Int) {
        (self.n, self.c, self.h, self.w) = (n, c, h, w)
    }

    /// n·c·h·w, or nil when it overflows.
    @inlinable public var elements: Int? {
        let (a, o1) = n.multipliedReportingOverflow(by: c)
        let (b, o2) = a.multipliedReportingOverflow(by: h)
        let (e, o3) = b.multipliedReportingOverflow(by: w)
        return o1 || o2 || o3 ? nil : e
    }
}

/// The parameters of SSIM and MS-SSIM: pytorch_msssim's data_range, win_size, win_sigma and K.
@usableFromInline package struct SSIMParameters: Sendable {
    package var dataRange: Double, winSize: Int, winSigma: Double, k1: Double, k2: Double

    package init(dataRange: Double, winSize: Int, winSigma: Double, k1: Double, k2: Double) {
        (self.dataRange, self.winSize, self.winSigma, self.k1, self.k2) = (dataRange, winSize, winSigma, k1, k2)
    }

    var constants: SSIMConstants {
        SSIMConstants(c1: (k1 * dataRange) * (k1 * dataRange), c2: (k2 * dataRange) * (k2 * dataRange))
    }
}

/// The image-quality losses over validated buffers, and their checks.
@usableFromInline package enum ImageQuality {
    /// data_range finite and > 0; win_size odd and >= 1; win_sigma finite and > 0; K1, K2 finite
    /// and > 0.
    package static func check(_ p: SSIMParameters) throws(LossError) {
        guard p.dataRange.isFinite, p.dataRange > 0 else {
            throw LossError(.invalidArgument, "data_range must be finite and > 0, got \(p.dataRange)")
        }
        guard p.winSize >= 1, p.winSize % 2 == 1 else {
            throw LossError(.invalidArgument, "win_size must be odd and >= 1, got \(p.winSize)")
        }
        guard p.winSigma.isFinite, p.winSigma > 0 else {
            throw LossError(.invalidArgument, "win_sigma must be finite and > 0, got \(p.winSigma)")
        }
        guard p.k1.isFinite, p.k1 > 0 else { throw LossError(.invalidArgument, "K1 must be finite and > 0, got \(p.k1)") }
        guard p.k2.isFinite, p.k2 > 0 else { throw LossError(.invalidArgument, "K2 must be finite and > 0, got \(p.k2)") }
    }

    /// Sizes that are not negative, at least one channel, and planes no smaller than the window
    /// (SSIM) or whose shorter side exceeds (win_size - 1)·2^4 (MS-SSIM, pytorch_msssim's rule).
    package static func check(_ s: ImageShape, winSize: Int, multiScale: Bool) throws(LossError) {
        guard s.n >= 0, s.c >= 0, s.h >= 0, s.w >= 0 else {
            throw LossError(.invalidSize, "n, c, h and w must be >= 0, got (\(s.n), \(s.c), \(s.h), \(s.w))")
        }
        guard s.elements != nil else { throw LossError(.invalidSize, "n × c × h × w is too large") }
        guard s.c >= 1 else { throw LossError(.invalidSize, "c must be >= 1 (a mean over no channels), got 0") }
        if multiScale {
            let side = Swift.min(s.h, s.w), least = (winSize &- 1) &* 16
            guard side > least else {
                throw LossError(.invalidSize, "the shorter side of the images (\(side)) must exceed (win_size - 1)·2^4 = \(least) (4 downsamplings)")
            }
        } else {
            guard s.h >= winSize, s.w >= winSize else {
                throw LossError(.invalidSize, "images of \(s.h) × \(s.w) are smaller than the window (win_size \(winSize))")
            }
        }
    }

    /// Runs `body(plane, workspace)` for every plane in 0..<planes, with one workspace of
    /// `workspace` doubles per task (allocated here, before anything is written: `.outOfMemory`
    /// otherwise). Planes are dealt to the tasks in turn; a plane's result does not depend on
    /// which task runs it.
    static func forEachPlane(
        _ planes: Int, elementsPerPlane: Int, workspace: Int,
        _ body: (Int, UnsafeMutablePointer<Double>) -> Void
    ) throws(LossError) {
        let parallel = planes.multipliedReportingOverflow(by: elementsPerPlane).partialValue >= parallelThreshold
        let tasks = Swift.max(1, Swift.min(planes, parallel ? workerCount() : 1))
        let (total, overflow) = tasks.multipliedReportingOverflow(by: workspace)
        guard !overflow else { throw LossError(.outOfMemory, "the workspace of \(tasks) × \(workspace) doubles is too large") }
        let scratch = try Scratch<Double>(count: total)
        let base = scratch.base
        forEachChunk(tasks, parallel: tasks > 1) { t in
            var p = t
            while p < planes {
                body(p, base + t &* workspace)
                p &+= tasks
            }
        }
    }

    /// Writes the per-image losses `lossOf(image)` reduced as `o` asks: one per image for
    /// `.none`, their mean (NaN for no image) or sum otherwise, summed in image order.
    static func reduceImages<T: LossFloat>(_ n: Int, into o: LossOutputs<T>, _ lossOf: (Int) -> Double) {
        if o.reduction == .none {
            for i in 0..<n { o.out[i] = T(lossOf(i)) }
            return
        }
        var total = CompensatedSum()
        for i in 0..<n { total.add(lossOf(i)) }
        o.out[0] = T(o.reduction == .mean ? total.value / Double(n) : total.value)
    }

    /// The upstream gradient of image i's loss: grad_output[i] for `.none`, grad_output over n
    /// for the mean, grad_output for the sum (1 without grad_output).
    static func upstream<T: LossFloat>(_ o: LossOutputs<T>, _ i: Int, images n: Int) -> Double {
        let g = Double(o.upstream(i))
        return o.reduction == .mean ? g / Double(n) : g
    }

    /// `ssim_loss` of `x` and `y` of shape `s`: per image 1 - the mean over channels and valid
    /// positions of the SSIM map; gradients w.r.t. x (`o.gradients.first`) and y (`.second`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func ssimLoss<T: LossFloat>(
        x: UnsafeBufferPointer<T>, y: UnsafeBufferPointer<T>, shape s: ImageShape, parameters p: SSIMParameters,
        into o: LossOutputs<T>
    ) throws(LossError) {
        let planes = s.n &* s.c, area = s.h &* s.w, k = p.winSize
        let positions = Double((s.h &- k &+ 1) &* (s.w &- k &+ 1))
        let gx = o.gradients.first, gy = o.gradients.second
        let wanted = gx != nil || gy != nil
        // Per task: the plane in double (x, y), its gradients in double, the maps' workspace.
        let workspace = 2 &* area &+ (wanted ? 2 &* area : 0) &+ ssimPlaneWorkspace(height: s.h, width: s.w, taps: k)
        let window = try Scratch<Double>(count: k &+ planes)
        gaussianWindow(T.self, size: k, sigma: p.winSigma, into: window.base)
        let sums = window.base + k
        let filter = SeparableFilter(g: window.base, taps: k)
        try forEachPlane(planes, elementsPerPlane: area, workspace: workspace) { plane, work in
            let xd = work, yd = xd + area, gxd = yd + area, gyd = gxd + area
            let offset = plane &* area
            for j in 0..<area {
                xd[j] = Double(x[offset &+ j])
                yd[j] = Double(y[offset &+ j])
            }
            let maps = SSIMPlane(filter: filter, constants: p.constants, work: wanted ? gyd + area : gxd)
            if wanted {
                gxd.update(repeating: 0, count: 2 &* area)
                let scale = -upstream(o, plane / s.c, images: s.n) / (Double(s.c) * positions)
                sums[plane] = maps.run(xd, yd, height: s.h, width: s.w, gradient: (gxd, gyd, scale, true)).ssim
                if let gx { for j in 0..<area { gx[offset &+ j] = T(gxd[j]) } }
                if let gy { for j in 0..<area { gy[offset &+ j] = T(gyd[j]) } }
            } else {
                sums[plane] = maps.run(xd, yd, height: s.h, width: s.w, gradient: nil).ssim
            }
        }
        reduceImages(s.n, into: o) { i in
            var total = 0.0
            for c in 0..<s.c { total += sums[i &* s.c &+ c] / positions }
            return 1 - total / Double(s.c)
        }
    }
}
