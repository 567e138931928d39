import Losses

// The retrieval exports (docs/retrieval.md): AttnGAN's DAMSM words and sentence losses. Every
// argument is checked through `CallArguments` (sizes, buffers, overlaps) and the parameters
// before the Swift function runs; the caption labels are read once there, and checked before
// any arithmetic.

/// out and grad_output of a DAMSM loss (one value per sample for 'none'), and the gradients of
/// its two features, shaped like them.
private func damsmOutputs<T: LossFloat>(
    _ args: inout CallArguments, reduction: Int32, n: Int, first: Int, second: Int, out: UnsafeMutablePointer<T>?,
    gradFirst: UnsafeMutablePointer<T>?, _ firstName: StaticString, gradSecond: UnsafeMutablePointer<T>?,
    _ secondName: StaticString, gradOutput: UnsafePointer<T>?
) throws(LossError) -> LossOutputs<T> {
    var o: LossOutputs<T> = try args.lossOutputs(
        reduction: reduction, elements: first, samples: n, out: out, gradient: gradFirst, gradientName: firstName,
        gradOutput: gradOutput)
    o.gradients.second = try args.optionalOutput(gradSecond, second, secondName)
    return o
}

func damsmWordsLossExport<T: LossFloat>(
    imgFeatures: UnsafePointer<T>?, wordsEmb: UnsafePointer<T>?, capLens: UnsafePointer<Int64>?,
    classIds: UnsafePointer<Int64>?, n: Int64, d: Int64, r: Int64, t: Int64, gamma1: Double, gamma2: Double,
    gamma3: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradImgFeatures: UnsafeMutablePointer<T>?,
    gradWordsEmb: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("damsm_words_loss") { () throws(LossError) in
        var args = CallArguments()
        let shape = DAMSMShape(n: try args.count(n, "n"), d: try args.count(d, "d"), r: try args.count(r, "r"),
                               t: try args.count(t, "t"))
        let images = try args.product(try args.product(shape.n, shape.d, "n × d"), shape.r, "img_features")
        let captions = try args.product(try args.product(shape.n, shape.d, "n × d"), shape.t, "words_emb")
        _ = try args.product(shape.n, shape.n, "the score matrix")
        let v = try args.input(imgFeatures, images, "img_features")
        let e = try args.input(wordsEmb, captions, "words_emb")
        let lengths = try args.input(capLens, shape.n, "cap_lens")
        let classes = try args.optionalInput(classIds, shape.n, "class_ids")
        let o: LossOutputs<T> = try damsmOutputs(
            &args, reduction: reduction, n: shape.n, first: images, second: captions, out: out,
            gradFirst: gradImgFeatures, "grad_img_features", gradSecond: gradWordsEmb, "grad_words_emb",
            gradOutput: gradOutput)
        try args.checkOverlaps()
        let parameters = DAMSMParameters(gamma1: gamma1, gamma2: gamma2, gamma3: gamma3)
        try Retrieval.check(parameters)
        let labels = try Retrieval.CaptionLabels(lengths: lengths, classIds: classes, n: shape.n, words: shape.t)
        try Retrieval.damsmWordsLoss(imgFeatures: v, wordsEmb: e, labels: labels, shape: shape,
                                     parameters: parameters, into: o)
    }
}

func damsmSentenceLossExport<T: LossFloat>(
    imgGlobal: UnsafePointer<T>?, sentEmb: UnsafePointer<T>?, classIds: UnsafePointer<Int64>?, n: Int64, d: Int64,
    gamma3: Double, reduction: Int32, out: UnsafeMutablePointer<T>?, gradImgGlobal: UnsafeMutablePointer<T>?,
    gradSentEmb: UnsafeMutablePointer<T>?, gradOutput: UnsafePointer<T>?
) -> Int32 {
    exported("damsm_sentence_loss") { () throws(LossError) in
        var args = CallArguments()
        let shape = DAMSMShape(n: try args.count(n, "n"), d: try args.count(d, "d"))
        let elements = try args.product(shape.n, shape.d, "img_global")
        _ = try args.product(shape.n, shape.n, "the score matrix")
        let x = try args.input(imgGlobal, elements, "img_global")
        let y = try args.input(sentEmb, elements, "sent_emb")
        let classes = try args.optionalInput(classIds, shape.n, "class_ids")
        let o: LossOutputs<T> = try damsmOutputs(
            &args, reduction: reduction, n: shape.n, first: elements, second: elements, out: out,
            gradFirst: gradImgGlobal, "grad_img_global", gradSecond: gradSentEmb, "grad_sent_emb",
            gradOutput: gradOutput)
        try args.checkOverlaps()
        let parameters = DAMSMParameters(gamma3: gamma3)
        try Retrieval.check(parameters)
        let labels = try Retrieval.CaptionLabels(lengths: nil, classIds: classes, n: shape.n, words: 0)
        try Retrieval.damsmSentenceLoss(imgGlobal: x, sentEmb: y, labels: labels, shape: shape,
                                        parameters: parameters, into: o)
    }
}
