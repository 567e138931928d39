// The reconstruction loss of an autoencoder (docs/images.md): l1_loss or mse_loss of x_hat
// against x, on the regression family's own kernels; no formula of its own.

extension Images {
    /// `reconstruction_loss` of n values: `o.gradients.first` is the gradient w.r.t. x,
    /// `.second` w.r.t. x_hat. p is 1 or 2 (checked by the caller).
    @inlinable
    package static func reconstructionLoss<T: LossFloat>(
        x: UnsafeBufferPointer<T>, xHat: UnsafeBufferPointer<T>, p: Double, into o: LossOutputs<T>
    ) {
        // The regression kernels write the input's (x_hat's) gradient: into grad_x_hat, or, when
        // only grad_x is asked for, into grad_x, negated afterwards.
        var residual = o
        residual.gradients = Gradients(o.gradients.second ?? o.gradients.first)
        if p == 2 {
            Regression.mseLoss(input: xHat, target: x, weight: nil, into: residual)
        } else {
            Regression.l1Loss(input: xHat, target: x, weight: nil, into: residual)
        }
        // The gradient w.r.t. x is exactly the negative of that w.r.t. x_hat (the residual's
        // derivative negated), elementwise: the same bits on any thread count.
        guard let gx = o.gradients.first else { return }
        if let gh = o.gradients.second {
            for i in 0..<gx.count { gx[i] = -gh[i] }
        } else {
            for i in 0..<gx.count { gx[i] = -gx[i] }
        }
    }
}
