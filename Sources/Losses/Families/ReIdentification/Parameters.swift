// The checks of the re-identification entries' arguments, shared by the Swift API and the C exports.

/// Parameter and label checks shared by the Swift API and the C exports.
package enum ReIdentificationParameters {
    /// Every label in [0, rows) (`ignoreIndex`, when given, is also accepted).
    package static func checkLabels(_ labels: UnsafeBufferPointer<Int64>, rows: Int, name: StaticString,
                                    ignoreIndex: Int64? = nil, what: StaticString = "classes") throws(LossError) {
        let bound = Int64(rows)
        for (i, y) in labels.enumerated() where y != ignoreIndex && !(y >= 0 && y < bound) {
            let ignored = ignoreIndex.map { " and is not ignore_index (\($0))" } ?? ""
            throw LossError(.labelOutOfRange, "\(name)[\(i)] = \(y) is out of range for \(rows) \(what)\(ignored)")
        }
    }

    /// A rate of an update (center loss's alpha, OIM's momentum): finite, in [0, 1].
    package static func checkRate(_ rate: Double, _ name: StaticString) throws(LossError) {
        guard rate >= 0, rate <= 1 else { throw LossError(.invalidArgument, "\(name) must be in [0, 1], got \(rate)") }
    }
}

extension ReIdentificationParameters {
    /// OIM's scale of the similarities: finite.
    package static func checkScalar(_ scalar: Double) throws(LossError) {
        guard scalar.isFinite else { throw LossError(.invalidArgument, "scalar must be finite, got \(scalar)") }
    }

    /// The queue's head: in [0, q), or 0 when the queue has no rows. Returns it as an index.
    package static func checkHead(_ head: Int64, queueRows q: Int) throws(LossError) -> Int {
        guard head >= 0, head < Int64(Swift.max(q, 1)) else {
            throw LossError(.invalidArgument, "queue_head must be in [0, \(Swift.max(q, 1))) for q = \(q), got \(head)")
        }
        return Int(truncatingIfNeeded: head)
    }
}
