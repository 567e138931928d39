// The two vector loops of the dense per-pair work (DAMSM's attention), in Double: y += a·x, which
// the compiler vectorises as written, and the dot product, which it cannot (reordering a sum
// changes its bits), so it is written with two SIMD4 accumulators in a fixed lane order.

/// `y[k] += a · x[k]` for k in 0..<n.
@inline(__always)
func addScaled(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    for k in 0..<n { y[k] += a * x[k] }
}

/// Σ_k x[k]·y[k] in a fixed order: eight lanes over the multiples of 8 (lane j sums k ≡ j mod 8),
/// the lanes combined pairwise, then the remaining terms in order. The same bits on every call.
@inline(__always)
func dotProduct(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
    var a = SIMD4<Double>(), b = SIMD4<Double>()
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
    var k = 0
    while k &+ 8 <= n {
        let offset = k &* 8
        a += rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
        b += rx.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Double>.self)
            * ry.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Double>.self)
        k &+= 8
    }
    let lanes = a + b
    var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
    while k < n {
        sum += x[k] * y[k]
        k &+= 1
    }
    return sum
}
