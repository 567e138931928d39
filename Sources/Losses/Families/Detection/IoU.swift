import RealModule

// FCOS's IOULoss (docs/detection.md): pred and target are (n, 4) distances (left, top, right,
// bottom) from a location to the four sides of its box; one loss per row, on the per-sample
// driver, computed in double with the gradient w.r.t. pred written by hand (min and max split a
// tie's gradient in half, as torch.minimum/maximum).

/// FCOS's three forms of the loss (the C selector's values).
public enum IoULossType: Int32, Sendable, CaseIterable {
    /// -log((I + 1) / (U + 1)), UnitBox's loss (FCOS's default).
    case iou = 0
    /// 1 - (I + 1) / (U + 1).
    case linearIoU = 1
    /// 1 - GIoU, GIoU = IoU - (C - U) / C with C the enclosing box's area + 1e-7.
    case giou = 2
}

/// Row s of `iou_loss`: its loss times its weight and, when asked for, the gradient of pred's row
/// (each row owns its four entries: race-free on any thread).
@usableFromInline
struct IoUKernel<T: LossFloat>: SampleKernel {
    let pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?
    let type: IoULossType
    let gradient: UnsafeMutableBufferPointer<T>?

    @usableFromInline
    func callAsFunction(_ s: Int, _ scale: T) -> T {
        let i = s &* 4
        let (pl, pt, pr, pb) = (Double(pred[i]), Double(pred[i &+ 1]), Double(pred[i &+ 2]), Double(pred[i &+ 3]))
        let (tl, tt, tr, tb) = (Double(target[i]), Double(target[i &+ 1]), Double(target[i &+ 2]),
                                Double(target[i &+ 3]))
        let w = weight.map { Double($0[s]) } ?? 1
        typealias K = BoxIoUKernel<T>
        let (ml, mla, _) = K.minimum(pl, tl), (mr, mra, _) = K.minimum(pr, tr)
        let (mt, mta, _) = K.minimum(pt, tt), (mb, mba, _) = K.minimum(pb, tb)
        let (gl, gla, _) = K.maximum(pl, tl), (gr, gra, _) = K.maximum(pr, tr)
        let (gt, gta, _) = K.maximum(pt, tt), (gb, gba, _) = K.maximum(pb, tb)
        let predArea = (pl + pr) * (pt + pb), targetArea = (tl + tr) * (tt + tb)
        let iw = ml + mr, ih = mb + mt
        let inter = iw * ih
        let union = targetArea + predArea - inter
        let iou = (inter + 1) / (union + 1)
        let cw = gl + gr, ch = gb + gt
        let enclosing = cw * ch + 1e-7
        let loss: Double
        switch type {
        case .iou: loss = -Double.log(iou)
        case .linearIoU: loss = 1 - iou
        case .giou: loss = 1 - (iou - (enclosing - union) / enclosing)
        }
        guard let gradient else { return T(w * loss) }
        let g = Double(scale) * w
        // d loss / d IoU, then the union's and the enclosing area's own terms (GIoU).
        let gIoU = type == .iou ? -g / iou : -g
        var gUnion = -gIoU * (inter + 1) / ((union + 1) * (union + 1))
        let gInter0 = gIoU / (union + 1)
        var gEnclosing = 0.0
        if type == .giou {
            gUnion -= g / enclosing
            gEnclosing = g * union / (enclosing * enclosing)
        }
        let gInter = gInter0 - gUnion
        let gPredArea = gUnion
        let giw = gInter * ih, gih = gInter * iw
        let gcw = gEnclosing * ch, gch = gEnclosing * cw
        let gw = gPredArea * (pt + pb), gh = gPredArea * (pl + pr)
        gradient[i] = T(gw + giw * mla + gcw * gla)
        gradient[i &+ 1] = T(gh + gih * mta + gch * gta)
        gradient[i &+ 2] = T(gw + giw * mra + gcw * gra)
        gradient[i &+ 3] = T(gh + gih * mba + gch * gba)
        return T(w * loss)
    }
}

extension Detection {
    /// `iou_loss` of n rows of pred and target; the gradient w.r.t. pred is `o.gradients.first`.
    /// `.mean` divides by the weights' sum (in a fixed order) when a weight is given and its sum
    /// is > 0, else by n (FCOS's rule).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    package static func iouLoss<T: LossFloat>(
        pred: UnsafeBufferPointer<T>, target: UnsafeBufferPointer<T>, weight: UnsafeBufferPointer<T>?, rows n: Int,
        type: IoULossType, into o: LossOutputs<T>
    ) {
        // FCOS: `if weight is not None and weight.sum() > 0` the weighted mean, else the plain one;
        // a weight of sum 0 is treated as absent for every reduction.
        var denominator = Double(n), weighted = weight
        if let weight {
            var sum = CompensatedSum()
            for k in 0..<weight.count { sum.add(Double(weight[k])) }
            if sum.value > 0 { denominator = sum.value } else { weighted = nil }
        }
        let kernel = IoUKernel(pred: pred, target: target, weight: weighted, type: type, gradient: o.gradients.first)
        reduceSamples(count: n, elementsPerSample: 4, meanDenominator: denominator, into: o, kernel)
    }
}

extension DetectionParameters {
    /// The C selector of `iou_loss`'s type: 0 iou, 1 linear_iou, 2 giou.
    package static func iouLossType(_ raw: Int32) throws(LossError) -> IoULossType {
        guard let type = IoULossType(rawValue: raw) else {
            throw LossError(.invalidArgument, "loss_type must be 0 (iou), 1 (linear_iou) or 2 (giou), got \(raw)")
        }
        return type
    }

    /// FCOS's distances: every entry finite and >= 0 (a location inside its box). `name` is the
    /// buffer's.
    package static func checkDistances<T: LossFloat>(_ x: UnsafeBufferPointer<T>, _ name: StaticString) throws(LossError) {
        for k in 0..<x.count where !(x[k].isFinite && x[k] >= 0) {
            throw LossError(.invalidArgument, "\(name)[\(k / 4), \(k % 4)] = \(x[k]) is not a finite distance >= 0")
        }
    }

    /// Weights finite and >= 0.
    package static func checkWeights<T: LossFloat>(_ w: UnsafeBufferPointer<T>?) throws(LossError) {
        guard let w else { return }
        for k in 0..<w.count where !(w[k].isFinite && w[k] >= 0) {
            throw LossError(.invalidArgument, "weight[\(k)] = \(w[k]) is not finite and >= 0")
        }
    }
}
