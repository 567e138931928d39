// The in-place forms' caller storage, opened for `BufferCall.inPlace`: each public in-place
// function is one of these, so that they all check, name and write alike.

extension BufferCall {
    /// A reduced loss, returned; its gradient written into `gradient`.
    /// `names`: what the errors call the gradient and its input (`.loss`: gradient, input).
    func reduced<G: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, gradient: inout G,
        names: GradientNames = .loss
    ) throws(LossError) -> Scalar {
        try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
            try inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (g, nil, nil, nil), names: names)
        }
    }

    /// The loss's values (one per sample for `.none`, else one) written into `values`.
    func into<V: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (nil, nil, nil, nil), names: .loss)
        }
    }

    /// The loss's values and its gradient written into caller storage.
    func into<V: MutableContiguousStorage<Scalar>, G: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V, gradient: inout G,
        names: GradientNames = .loss
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
                try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (g, nil, nil, nil), names: names)
            }
        }
    }

    /// A reduced pair function, returned; its gradients written into caller storage. `names`:
    /// what the errors call the two gradients (circle_loss: gradientSp and gradientSn).
    func reduced<G1: MutableContiguousStorage<Scalar>, G2: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, gradientX1: inout G1, gradientX2: inout G2,
        names: GradientNames = .pair
    ) throws(LossError) -> Scalar {
        try gradientX1.withUnsafeMutableBufferPointer { (a) throws(LossError) in
            try gradientX2.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                try inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (a, b, nil, nil), names: names)
            }
        }
    }

    /// A pair function's values and both gradients written into caller storage.
    func into<V: MutableContiguousStorage<Scalar>, G1: MutableContiguousStorage<Scalar>,
              G2: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V,
        gradientX1: inout G1, gradientX2: inout G2, names: GradientNames = .pair
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradientX1.withUnsafeMutableBufferPointer { (a) throws(LossError) in
                try gradientX2.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                    try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (a, b, nil, nil), names: names)
                }
            }
        }
    }

    /// A reduced loss of three or four differentiable inputs (the triplet and quadruplet
    /// losses, verification loss), returned; its gradients written into caller storage. `g3`
    /// is not touched when `names` has no fourth gradient.
    func reduced<G0: MutableContiguousStorage<Scalar>, G1: MutableContiguousStorage<Scalar>,
                 G2: MutableContiguousStorage<Scalar>, G3: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, names: GradientNames,
        _ g0: inout G0, _ g1: inout G1, _ g2: inout G2, _ g3: inout G3
    ) throws(LossError) -> Scalar {
        try withGradients(names, &g0, &g1, &g2, &g3) { (g) throws(LossError) in
            try inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: g, names: names)
        }
    }

    /// A loss of three or four differentiable inputs: its values and its gradients written into
    /// caller storage.
    func into<V: MutableContiguousStorage<Scalar>, G0: MutableContiguousStorage<Scalar>,
              G1: MutableContiguousStorage<Scalar>, G2: MutableContiguousStorage<Scalar>,
              G3: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V, names: GradientNames,
        _ g0: inout G0, _ g1: inout G1, _ g2: inout G2, _ g3: inout G3
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try withGradients(names, &g0, &g1, &g2, &g3) { (g) throws(LossError) in
                try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: g, names: names)
            }
        }
    }

    /// Opens the gradients' storage; the fourth is nil when `names` has none.
    private func withGradients<G0: MutableContiguousStorage<Scalar>, G1: MutableContiguousStorage<Scalar>,
                               G2: MutableContiguousStorage<Scalar>, G3: MutableContiguousStorage<Scalar>, R>(
        _ names: GradientNames, _ g0: inout G0, _ g1: inout G1, _ g2: inout G2, _ g3: inout G3,
        _ body: (GradientBuffers<Scalar>) throws(LossError) -> R
    ) throws(LossError) -> R {
        try g0.withUnsafeMutableBufferPointer { (a) throws(LossError) in
            try g1.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                try g2.withUnsafeMutableBufferPointer { (c) throws(LossError) in
                    try g3.withUnsafeMutableBufferPointer { (d) throws(LossError) in
                        try body((a, b, c, names.fourthInput.isEmpty ? nil : d))
                    }
                }
            }
        }
    }
}
