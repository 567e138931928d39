/* The float32 scalar polynomials (exp, log, log1p) behind the block functions of
   block_functions.h, one copy per instruction set (clones.h). Swift builds a whole library for one CPU level, and two Swift builds of the same
   generic kernels would share symbol names; these files are where wider vectors are used. The
   loss formulas that call them stay in Swift (Sources/Losses). */
#include "losses_math.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#include "clones.h"

/* exp(x) within 1 ulp (0.99 at worst over every float32): Cody-Waite reduction, Cephes'
   degree-6 polynomial, 2^n applied in two halves so that subnormal results are right; +inf
   above 88.72, exactly 0 below -103.97. */
static inline float exp_poly(float x) {
    float c = x < -104.0f ? -104.0f : (x > 89.0f ? 89.0f : x);
    const float magic = 12582912.0f; /* 1.5 * 2^23: adding it rounds to an integer */
    float shifted = c * 1.44269504088896341f + magic;
    float n = shifted - magic;
    int32_t bits, magic_bits;
    memcpy(&bits, &shifted, sizeof bits);
    memcpy(&magic_bits, &magic, sizeof magic_bits);
    int32_t k = bits - magic_bits;
    float r = c - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * r * r + r + 1.0f;
    int32_t half = k >> 1;
    int32_t a = (half + 127) << 23, b = (k - half + 127) << 23;
    float scale_a, scale_b;
    memcpy(&scale_a, &a, sizeof scale_a);
    memcpy(&scale_b, &b, sizeof scale_b);
    float result = y * scale_a * scale_b;
    result = x > 88.7228394f ? __builtin_inff() : result;
    result = x < -103.972f ? 0.0f : result;
    return x != x ? x : result;
}

/* log(1+f) + k·ln 2 for f in [√2/2 - 1, 1/2]: fdlibm's arrangement
   k·ln2_hi - ((f²/2 - (s(f²/2 + R) + k·ln2_lo)) - f), s = f/(2+f), R = Σ 2s^{2j}/(2j+1) to
   j = 5 (s² ≤ 0.04). The leading f is exact. */
static inline float log1p_core(float f, float k) {
    float s = f / (2.0f + f), z = s * s;
    float r = 2.0f / 11;
    r = r * z + 2.0f / 9;
    r = r * z + 2.0f / 7;
    r = r * z + 2.0f / 5;
    r = r * z + 2.0f / 3;
    r = r * z;
    float hfsq = 0.5f * f * f;
    return k * 6.9313812256e-01f - ((hfsq - (s * (hfsq + r) + k * 9.0580006145e-06f)) - f);
}

/* log(1 + e) for e in [0, 1] within 1 ulp: 1+e = 2^k(1+f) with k = 1 from e = 1/2 on, so that
   f = (e-1)/2 (exact) or f = e stays in [-1/4, 1/2]. */
static inline float log1p_unit_poly(float e) {
    int big = e >= 0.5f;
    return log1p_core(big ? (e - 1.0f) * 0.5f : e, big ? 1.0f : 0.0f);
}

/* log(x) within 1 ulp: x = 2^k·m with m in [√2/2, √2) by integer work on the bits
   (subnormals scaled by 2^25 first), f = m - 1 exact. log(0) = -inf, log(x < 0) = NaN,
   log(inf) = inf, NaN stays NaN. */
static inline float log_poly(float x) {
    int sub = x < 1.17549435e-38f;
    float xs = sub ? x * 33554432.0f : x; /* 2^25 */
    uint32_t ix;
    memcpy(&ix, &xs, sizeof ix);
    ix += 0x3f800000u - 0x3f3504f3u;
    float k = (float)((int32_t)(ix >> 23) - 127) - (sub ? 25.0f : 0.0f);
    uint32_t mbits = (ix & 0x007fffffu) + 0x3f3504f3u;
    float m;
    memcpy(&m, &mbits, sizeof m);
    float y = log1p_core(m - 1.0f, k);
    y = x == __builtin_inff() ? x : y;
    y = x == 0.0f ? -__builtin_inff() : y;
    y = x < 0.0f ? __builtin_nanf("") : y;
    return x != x ? x : y;
}

#define BLOCK_T float
#define BLOCK_NAME(name) name##_f32
#define BLOCK_EXP exp_poly
#define BLOCK_LOG log_poly
#define BLOCK_LOG1P_UNIT log1p_unit_poly
#define BLOCK_FABS __builtin_fabsf
#include "block_functions.h"
