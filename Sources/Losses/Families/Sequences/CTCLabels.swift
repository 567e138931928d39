// The caller's CTC lengths and labels, read once into the library's memory and checked before any
// arithmetic: they decide how far every loop runs, so the check and the use must see the same
// values even if the caller's memory changes during the call.

/// The sizes of a CTC call: log_probs is (t, n, c); `s` is the row stride of padded targets
/// (n, s), or 0 for targets concatenated into one row of Σ target_lengths labels.
public struct CTCShape: Sendable, Equatable {
    public var t: Int, n: Int, c: Int, s: Int

    @inlinable
    public init(t: Int, n: Int, c: Int, s: Int) {
        (self.t, self.n, self.c, self.s) = (t, n, c, s)
    }

    /// Whether the targets are concatenated (s = 0) rather than padded rows of s labels.
    @inlinable public var concatenated: Bool { s == 0 }
}

/// CTC's options: the blank class and whether an infinite loss (an impossible alignment) and its
/// gradient become 0.
@usableFromInline package struct CTCParameters: Sendable, Equatable {
    package var blank: Int, zeroInfinity: Bool

    package init(blank: Int = 0, zeroInfinity: Bool = false) {
        (self.blank, self.zeroInfinity) = (blank, zeroInfinity)
    }
}

/// The losses over sequences (docs/sequences.md).
@usableFromInline package enum Sequences {
    /// blank must be a class: 0 ≤ blank < c.
    package static func check(_ p: CTCParameters, classes c: Int) throws(LossError) {
        guard p.blank >= 0, p.blank < c else {
            throw LossError(.invalidArgument, "blank = \(p.blank) is out of range 0..<\(c) (c = \(c) classes)")
        }
    }

    /// The lengths, read once: input_lengths[b] in 0...t, target_lengths[b] ≥ 0 and, for padded
    /// targets, ≤ s (`.labelOutOfRange` naming the first bad one otherwise). Then `read` takes the
    /// labels, each in 0..<c and not blank.
    package struct CTCLabels: ~Copyable {
        /// input_lengths, then target_lengths, then n + 1 offsets of each sample's labels in `labels`.
        package let lengths: Scratch<Int>
        package let labels: Scratch<Int>
        package let n: Int
        /// The labels the caller's targets hold: n·s (padded) or Σ target_lengths (concatenated).
        package let targetCount: Int
        /// The longest target: the states of the longest sample are 2·maxTarget + 1.
        package let maxTarget: Int

        @inline(__always) package func inputLength(_ b: Int) -> Int { lengths.base[b] }
        @inline(__always) package func targetLength(_ b: Int) -> Int { lengths.base[n &+ b] }
        /// Sample b's labels, `targetLength(b)` of them.
        @inline(__always) package func labels(_ b: Int) -> UnsafeMutablePointer<Int> {
            labels.base + lengths.base[2 &* n &+ b]
        }

        package init(inputLengths: UnsafeBufferPointer<Int64>, targetLengths: UnsafeBufferPointer<Int64>,
                     shape sh: CTCShape) throws(LossError) {
            let n = sh.n
            let lengths = try Scratch<Int>(count: 3 &* n &+ 1)
            var total = 0, longest = 0
            let base = lengths.base
            for b in 0..<n {
                let input = inputLengths[b]  // read once: the check and the use see the same value
                guard input >= 0, input <= Int64(sh.t) else {
                    throw LossError(.labelOutOfRange, "input_lengths[\(b)] = \(input) is out of range 0...\(sh.t) (t)")
                }
                base[b] = Int(input)
            }
            for b in 0..<n {
                let target = targetLengths[b]
                let bound = sh.concatenated ? Int64.max / 4 : Int64(sh.s)
                guard target >= 0, target <= bound else {
                    throw LossError(.labelOutOfRange, sh.concatenated
                        ? "target_lengths[\(b)] = \(target) is negative or too large"
                        : "target_lengths[\(b)] = \(target) is out of range 0...\(sh.s) (s, the padded targets' row length)")
                }
                base[n &+ b] = Int(target)
                base[2 &* n &+ b] = total
                let (sum, overflow) = total.addingReportingOverflow(Int(target))
                guard !overflow else { throw LossError(.invalidSize, "the sum of target_lengths overflows") }
                total = sum
                longest = Swift.max(longest, Int(target))
            }
            base[3 &* n] = total
            let (padded, overflow) = n.multipliedReportingOverflow(by: sh.s)
            guard !overflow else { throw LossError(.invalidSize, "n × s overflows") }
            guard !(2 &* longest).addingReportingOverflow(1).overflow, longest <= Int.max / 4 else {
                throw LossError(.invalidSize, "a target of \(longest) labels is too long")
            }
            let labels = try Scratch<Int>(count: total)
            self.lengths = lengths
            self.labels = labels
            self.targetCount = sh.concatenated ? total : padded
            self.n = n
            self.maxTarget = longest
        }

        /// Reads every sample's labels once from `targets` (`targetCount` of them): row b of s
        /// labels, its first target_lengths[b] read (padded), or the next target_lengths[b] of
        /// the one row (concatenated). Each in 0..<c and not blank (`.labelOutOfRange`).
        package func read(targets: UnsafeBufferPointer<Int64>, shape sh: CTCShape, blank: Int) throws(LossError) {
            for b in 0..<n {
                let first = sh.concatenated ? lengths.base[2 &* n &+ b] : b &* sh.s
                let own = labels(b)
                for k in 0..<targetLength(b) {
                    let label = targets[first &+ k]
                    guard label >= 0, label < Int64(sh.c), label != Int64(blank) else {
                        let place = sh.concatenated ? "targets[\(first &+ k)]" : "targets[\(b), \(k)]"
                        throw LossError(.labelOutOfRange, label >= 0 && label < Int64(sh.c)
                            ? "\(place) = \(label) is the blank class"
                            : "\(place) = \(label) is out of range for \(sh.c) classes")
                    }
                    own[k] = Int(label)
                }
            }
        }
    }
}
