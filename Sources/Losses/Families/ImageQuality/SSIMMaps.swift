// The SSIM maps of one image plane (docs/image_quality.md), pytorch_msssim's `_ssim`: the
// filtered moments mu_x, mu_y, E[x^2], E[y^2], E[xy] over every valid window position, the
// contrast-structure map cs = (2 s_xy + C2) / (s_x^2 + s_y^2 + C2) and the SSIM map
// ((2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1)) cs; their sums over the positions and, when asked
// for, the gradient of one of the two sums by the adjoint filtering:
//   d(sum M)/dx = G*(a1) + 2 x G*(a2) + y G*(a3),   d(sum M)/dy = G*(b1) + 2 y G*(a2) + x G*(a3),
// with a1 = dM/dmu_x, b1 = dM/dmu_y, a2 = dM/dE[x^2] (= dM/dE[y^2]), a3 = dM/dE[xy] at each
// position and G* the adjoint of the valid filter. One plane is one task: it reads only its own
// inputs and workspace and writes only its own gradient rows.

/// The SSIM constants of one call.
@usableFromInline
struct SSIMConstants {
    let c1: Double, c2: Double
}

/// The doubles of workspace `SSIMPlane.run` needs for an h × w plane and a window of `taps`.
@inline(__always)
func ssimPlaneWorkspace(height h: Int, width w: Int, taps: Int) -> Int {
    let ho = h &- taps &+ 1, wo = w &- taps &+ 1
    return 5 &* h &* wo &+ 5 &* ho &* wo &+ 7 &* w
}

/// The maps of one plane over a workspace of `ssimPlaneWorkspace` doubles.
@usableFromInline
struct SSIMPlane {
    let filter: SeparableFilter
    let constants: SSIMConstants
    let work: UnsafeMutablePointer<Double>

    /// The sums over the valid positions of the SSIM map and of the cs map of planes `x` and `y`
    /// (h × w). With `gradient`, adds `scale` times the gradient of the SSIM map's sum
    /// (`luminance` true) or of the cs map's sum (false) w.r.t. x into `gx` and w.r.t. y into
    /// `gy` (h × w each). With `moments`, the five filtered moment maps (5 (h - taps + 1)
    /// (w - taps + 1) doubles) are stored there, or with `reuse` read from there instead of
    /// filtered again (MS-SSIM's gradient pass, after its forward pass stored them).
    @inline(__always)
    func run(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, height h: Int, width w: Int,
        gradient: (gx: UnsafeMutablePointer<Double>, gy: UnsafeMutablePointer<Double>, scale: Double, luminance: Bool)?,
        moments: (store: UnsafeMutablePointer<Double>, reuse: Bool)? = nil
    ) -> (ssim: Double, cs: Double) {
        let k = filter.taps
        let ho = h &- k &+ 1, wo = w &- k &+ 1
        let hs = h &* wo, vs = ho &* wo
        // Horizontal pass of x, y, x^2, y^2, xy: five (h, wo) maps.
        let hx = work, hy = hx + hs, hxx = hy + hs, hyy = hxx + hs, hxy = hyy + hs
        let mx = hxy + hs, my = mx + vs, exx = my + vs, eyy = exx + vs, exy = eyy + vs
        let rows = exy + vs  // 7 rows of w: three products, then four adjoint rows
        let px = rows, py = px + w, pxy = py + w
        if let moments, moments.reuse {
            mx.update(from: moments.store, count: 5 &* vs)
        } else {
        for i in 0..<h {
            let xr = x + i &* w, yr = y + i &* w
            for j in 0..<w {
                px[j] = xr[j] * xr[j]
                py[j] = yr[j] * yr[j]
                pxy[j] = xr[j] * yr[j]
            }
            let o = i &* wo
            filter.rows(xr, hx + o, rows: 1, width: w)
            filter.rows(yr, hy + o, rows: 1, width: w)
            filter.rows(px, hxx + o, rows: 1, width: w)
            filter.rows(py, hyy + o, rows: 1, width: w)
            filter.rows(pxy, hxy + o, rows: 1, width: w)
        }
        filter.columns(hx, mx, height: h, width: wo)
        filter.columns(hy, my, height: h, width: wo)
        filter.columns(hxx, exx, height: h, width: wo)
        filter.columns(hyy, eyy, height: h, width: wo)
        filter.columns(hxy, exy, height: h, width: wo)
        if let moments { moments.store.update(from: mx, count: 5 &* vs) }
        }
        let c1 = constants.c1, c2 = constants.c2
        var ssimTotal = CompensatedSum(), csTotal = CompensatedSum()
        let luminance = gradient?.luminance ?? true
        for i in 0..<ho {
            var ssimRow = 0.0, csRow = 0.0
            let base = i &* wo
            for j in base..<(base &+ wo) {
                let ux = mx[j], uy = my[j]
                let sxx = exx[j] - ux * ux, syy = eyy[j] - uy * uy, sxy = exy[j] - ux * uy
                let a = 2 * ux * uy + c1, b = 2 * sxy + c2
                let c = ux * ux + uy * uy + c1, d = sxx + syy + c2
                let l = a / c, cs = b / d
                ssimRow += l * cs
                csRow += cs
                if gradient != nil {
                    // M = L^α cs (α = 1 for SSIM, 0 for cs): its derivatives w.r.t. the moments.
                    let f = luminance ? l : 1
                    let a2 = -f * cs / d          // dM/dσx² = dM/dσy² = dM/dE[x²]
                    let a3 = 2 * f / d            // dM/dσxy = dM/dE[xy]
                    var dux = -2 * ux * a2 - uy * a3, duy = -2 * uy * a2 - ux * a3
                    if luminance {
                        dux += (2 * uy / c - 2 * ux * l / c) * cs
                        duy += (2 * ux / c - 2 * uy * l / c) * cs
                    }
                    mx[j] = dux
                    my[j] = duy
                    exx[j] = a2
                    exy[j] = a3
                }
            }
            ssimTotal.add(ssimRow)
            csTotal.add(csRow)
        }
        guard let gradient else { return (ssimTotal.value, csTotal.value) }
        // Adjoint: down the columns into (h, wo) maps, then along each row into four rows of w.
        filter.columnsAdjoint(mx, hx, outputHeight: ho, width: wo)
        filter.columnsAdjoint(my, hy, outputHeight: ho, width: wo)
        filter.columnsAdjoint(exx, hxx, outputHeight: ho, width: wo)
        filter.columnsAdjoint(exy, hxy, outputHeight: ho, width: wo)
        let u1 = pxy + w, v1 = u1 + w, u2 = v1 + w, u3 = u2 + w
        let scale = gradient.scale
        for i in 0..<h {
            let o = i &* wo
            filter.rowAdjoint(hx + o, u1, outputWidth: wo)
            filter.rowAdjoint(hy + o, v1, outputWidth: wo)
            filter.rowAdjoint(hxx + o, u2, outputWidth: wo)
            filter.rowAdjoint(hxy + o, u3, outputWidth: wo)
            let xr = x + i &* w, yr = y + i &* w
            let gx = gradient.gx + i &* w, gy = gradient.gy + i &* w
            for j in 0..<w {
                gx[j] += scale * (u1[j] + 2 * xr[j] * u2[j] + yr[j] * u3[j])
                gy[j] += scale * (v1[j] + 2 * yr[j] * u2[j] + xr[j] * u3[j])
            }
        }
        return (ssimTotal.value, csTotal.value)
    }
}
