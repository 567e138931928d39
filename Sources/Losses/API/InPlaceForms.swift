// The in-place forms' caller storage, opened for `BufferCall.inPlace`: each public in-place
// function is one of these, so that they all check, name and write alike.

extension BufferCall {
    /// A reduced loss, returned; its gradient written into `gradient`.
    func reduced<G: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, gradient: inout G
    ) throws(LossError) -> Scalar {
        try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
            try inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (g, nil), names: .loss)
        }
    }

    /// The loss's values (one per sample for `.none`, else one) written into `values`.
    func into<V: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (nil, nil), names: .loss)
        }
    }

    /// The loss's values and its gradient written into caller storage.
    func into<V: MutableContiguousStorage<Scalar>, G: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V, gradient: inout G
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradient.withUnsafeMutableBufferPointer { (g) throws(LossError) in
                try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (g, nil), names: .loss)
            }
        }
    }

    /// A reduced pair function, returned; its gradients written into caller storage.
    func reduced<G1: MutableContiguousStorage<Scalar>, G2: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, gradientX1: inout G1, gradientX2: inout G2
    ) throws(LossError) -> Scalar {
        try gradientX1.withUnsafeMutableBufferPointer { (a) throws(LossError) in
            try gradientX2.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                try inPlace(reduction, gradOutput: gradOutput, values: nil, gradients: (a, b), names: .pair)
            }
        }
    }

    /// A pair function's values and both gradients written into caller storage.
    func into<V: MutableContiguousStorage<Scalar>, G1: MutableContiguousStorage<Scalar>,
              G2: MutableContiguousStorage<Scalar>>(
        _ reduction: Reduction, gradOutput: (any ContiguousStorage<Scalar>)?, values: inout V,
        gradientX1: inout G1, gradientX2: inout G2
    ) throws(LossError) {
        _ = try values.withUnsafeMutableBufferPointer { (v) throws(LossError) in
            try gradientX1.withUnsafeMutableBufferPointer { (a) throws(LossError) in
                try gradientX2.withUnsafeMutableBufferPointer { (b) throws(LossError) in
                    try inPlace(reduction, gradOutput: gradOutput, values: v, gradients: (a, b), names: .pair)
                }
            }
        }
    }
}
