import RealModule

// The box IoU losses of torchvision.ops (docs/detection.md): generalized_box_iou_loss,
// distance_box_iou_loss and complete_box_iou_loss over (n, 4) boxes (x1, y1, x2, y2), one pair
// per row, on the per-sample driver. Each row is computed in double, its gradient by hand in
// reverse order of torchvision's graph: min/max split a tie's gradient in half between the two
// arguments (torch.minimum/maximum), the intersection has no gradient where it is empty (the
// mask ih > 0 and iw > 0), and CIoU's alpha is a constant of the gradient (no_grad).

/// Which of torchvision's three box losses a row computes.
@usableFromInline package enum BoxIoUMode: Sendable {
    case generalized, distance, complete
}

/// The default eps of torchvision's `_diou_iou_loss`, which `complete_box_iou_loss` calls
/// without passing its own: CIoU's IoU and diagonal use it whatever the caller's eps.
let torchvisionDIoUEps = 1e-7

/// Row s of a box IoU loss: its loss and, when asked for, the gradients of boxes1's and boxes2's
/// row (each row owns its four entries of each: race-free on any thread).
@usableFromInline
struct BoxIoUKernel<T: LossFloat>: SampleKernel {
    let b1: UnsafeBufferPointer<T>, b2: UnsafeBufferPointer<T>
    let mode: BoxIoUMode, eps: Double
    let g1: UnsafeMutableBufferPointer<T>?, g2: UnsafeMutableBufferPointer<T>?

    /// max(a, b) and where its gradient goes: (to a, to b), halves on a tie.
    @inline(__always) static func maximum(_ a: Double, _ b: Double) -> (Double, Double, Double) {
        a > b ? (a, 1, 0) : a < b ? (b, 0, 1) : (a, 0.5, 0.5)
    }

    @inline(__always) static func minimum(_ a: Double, _ b: Double) -> (Double, Double, Double) {
        a < b ? (a, 1, 0) : a > b ? (b, 0, 1) : (a, 0.5, 0.5)
    }

    /// atan(w/h) for w, h >= 0 as atan2 (0 at w = h = 0, where w/h is 0/0) and its partial
    /// derivatives h/(w² + h²) and -w/(w² + h²), 0 at w = h = 0.
    @inline(__always) static func aspect(_ w: Double, _ h: Double) -> (Double, Double, Double) {
        let r = w * w + h * h
        guard r > 0 else { return (0, 0, 0) }
        return (Double.atan2(y: w, x: h), h / r, -w / r)
    }

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let i = s &* 4
        let (x1, y1, x2, y2) = (Double(b1[i]), Double(b1[i &+ 1]), Double(b1[i &+ 2]), Double(b1[i &+ 3]))
        let (u1, v1, u2, v2) = (Double(b2[i]), Double(b2[i &+ 1]), Double(b2[i &+ 2]), Double(b2[i &+ 3]))
        // The IoU's eps: CIoU's is torchvision's helper default, not the caller's.
        let e1 = mode == .complete ? torchvisionDIoUEps : eps
        let (w1, h1, w2, h2) = (x2 - x1, y2 - y1, u2 - u1, v2 - v1)
        let (ix1, ix1a, ix1b) = Self.maximum(x1, u1), (iy1, iy1a, iy1b) = Self.maximum(y1, v1)
        let (ix2, ix2a, ix2b) = Self.minimum(x2, u2), (iy2, iy2a, iy2b) = Self.minimum(y2, v2)
        let iw = ix2 - ix1, ih = iy2 - iy1
        let overlap = ih > 0 && iw > 0
        let inter = overlap ? iw * ih : 0
        let union = w1 * h1 + w2 * h2 - inter
        let iou = inter / (union + e1)
        let (cx1, cx1a, cx1b) = Self.minimum(x1, u1), (cy1, cy1a, cy1b) = Self.minimum(y1, v1)
        let (cx2, cx2a, cx2b) = Self.maximum(x2, u2), (cy2, cy2a, cy2b) = Self.maximum(y2, v2)
        let cw = cx2 - cx1, ch = cy2 - cy1
        var loss = 1 - iou
        // Their gradients: of the loss w.r.t. the union, the enclosing width and height, and
        // (DIoU, CIoU) the centre offsets dx, dy, with g the row's upstream gradient.
        let g = Double(scale)
        var gUnion = g * inter / ((union + e1) * (union + e1))
        let gInter0 = -g / (union + e1)
        var gcw = 0.0, gch = 0.0, gdx = 0.0, gdy = 0.0
        var gw1 = 0.0, gh1 = 0.0, gw2 = 0.0, gh2 = 0.0
        switch mode {
        case .generalized:
            let area = cw * ch
            loss += (area - union) / (area + eps)
            let gArea = g * (union + eps) / ((area + eps) * (area + eps))
            gUnion -= g / (area + eps)
            gcw = gArea * ch
            gch = gArea * cw
        case .distance, .complete:
            let diagonal = cw * cw + ch * ch + e1
            let dx = (x2 + x1) / 2 - (u1 + u2) / 2, dy = (y2 + y1) / 2 - (v1 + v2) / 2
            let rho = dx * dx + dy * dy
            loss += rho / diagonal
            let gDiagonal = -g * rho / (diagonal * diagonal)
            gcw = gDiagonal * 2 * cw
            gch = gDiagonal * 2 * ch
            gdx = g / diagonal * 2 * dx
            gdy = g / diagonal * 2 * dy
            if mode == .complete {
                let (a1, a1w, a1h) = Self.aspect(w1, h1), (a2, a2w, a2h) = Self.aspect(w2, h2)
                let k = 4 / (Double.pi * Double.pi)
                let v = k * (a2 - a1) * (a2 - a1)
                let alpha = v / (1 - iou + v + eps)
                loss += alpha * v
                let gDifference = g * alpha * k * 2 * (a2 - a1)
                gw1 -= gDifference * a1w
                gh1 -= gDifference * a1h
                gw2 += gDifference * a2w
                gh2 += gDifference * a2h
            }
        }
        guard g1 != nil || g2 != nil else { return T(loss) }
        // The union's areas, then the intersection (masked), then every min/max and width.
        gw1 += gUnion * h1
        gh1 += gUnion * w1
        gw2 += gUnion * h2
        gh2 += gUnion * w2
        let gInter = gInter0 - gUnion
        let giw = overlap ? gInter * ih : 0, gih = overlap ? gInter * iw : 0
        // d/dx1 and friends: widths, intersection corners, enclosing corners, centres.
        var d1 = (0.0, 0.0, 0.0, 0.0), d2 = (0.0, 0.0, 0.0, 0.0)
        d1.0 = -gw1 - giw * ix1a - gcw * cx1a + gdx / 2
        d2.0 = -gw2 - giw * ix1b - gcw * cx1b - gdx / 2
        d1.1 = -gh1 - gih * iy1a - gch * cy1a + gdy / 2
        d2.1 = -gh2 - gih * iy1b - gch * cy1b - gdy / 2
        d1.2 = gw1 + giw * ix2a + gcw * cx2a + gdx / 2
        d2.2 = gw2 + giw * ix2b + gcw * cx2b - gdx / 2
        d1.3 = gh1 + gih * iy2a + gch * cy2a + gdy / 2
        d2.3 = gh2 + gih * iy2b + gch * cy2b - gdy / 2
        if let g1 {
            g1[i] = T(d1.0); g1[i &+ 1] = T(d1.1); g1[i &+ 2] = T(d1.2); g1[i &+ 3] = T(d1.3)
        }
        if let g2 {
            g2[i] = T(d2.0); g2[i &+ 1] = T(d2.1); g2[i &+ 2] = T(d2.2); g2[i &+ 3] = T(d2.3)
        }
        return T(loss)
    }
}

/// The detection losses over validated buffers.
@usableFromInline package enum Detection {
    /// A box IoU loss of n rows of boxes1 and boxes2; the gradients are `o.gradients.first`
    /// (boxes1) and `.second` (boxes2). An empty batch has the mean 0, as torchvision's
    /// `0.0 * loss.sum()`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func boxIoULoss<T: LossFloat>(
        boxes1: UnsafeBufferPointer<T>, boxes2: UnsafeBufferPointer<T>, rows n: Int, mode: BoxIoUMode, eps: Double,
        into o: LossOutputs<T>
    ) {
        let kernel = BoxIoUKernel(b1: boxes1, b2: boxes2, mode: mode, eps: eps, g1: o.gradients.first,
                                  g2: o.gradients.second)
        reduceSamples(count: n, elementsPerSample: 4, meanDenominator: Double(Swift.max(n, 1)), into: o, kernel)
    }
}

/// Parameter and input checks shared by the Swift API and the C exports.
@usableFromInline package enum DetectionParameters {
    /// eps finite and >= 0 (0 is torchvision's formula without the guard).
    package static func checkEps(_ eps: Double) throws(LossError) {
        guard eps.isFinite, eps >= 0 else { throw LossError(.invalidArgument, "eps must be finite and >= 0, got \(eps)") }
    }

    /// Every coordinate finite and every box ordered: x2 >= x1 and y2 >= y1 (torchvision's
    /// documented domain; it asserts it only in some paths). `name` is the buffer's.
    package static func checkBoxes<T: LossFloat>(_ boxes: UnsafeBufferPointer<T>, _ name: StaticString) throws(LossError) {
        var r = 0
        while r &+ 4 <= boxes.count {
            let (x1, y1, x2, y2) = (boxes[r], boxes[r &+ 1], boxes[r &+ 2], boxes[r &+ 3])
            guard x1.isFinite, y1.isFinite, x2.isFinite, y2.isFinite else {
                throw LossError(.invalidArgument, "\(name) row \(r / 4) has a non-finite coordinate")
            }
            guard x2 >= x1, y2 >= y1 else {
                throw LossError(.invalidArgument,
                                "\(name) row \(r / 4) is not a box (x1, y1, x2, y2) with x2 >= x1 and y2 >= y1")
            }
            r &+= 4
        }
    }
}
