/* The float64 scalar polynomials behind the block functions of block_functions.h, one copy per
   instruction set (clones.h). The float64 twins of vector_math_f32.c's: the same reductions
   with longer polynomials, and the integer work done in 64-bit lanes by shifts and masks only
   (AVX2 has no 64-bit arithmetic shift or float/int64 conversion, and these loops must
   vectorise there). */
#include "losses_math.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#include "clones.h"

static inline double from_bits(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline uint64_t to_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* 2^n for an integral double n in [-1022, 1023]: n + 1023 placed in the exponent field through
   the 2^52 magic constant (the integer lands in the low bits of the sum). */
static inline double pow2(double n) {
    return from_bits(to_bits(n + (1023.0 + 4503599627370496.0)) << 52);
}

/* exp(x) within 1 ulp (0.5 ulp plus rounding, measured by Tests/math): n = round(x/ln 2),
   r = x - n·ln 2 in two steps (Cody-Waite, fdlibm's split of ln 2), e^r by its Taylor series to
   r^13 (|r| ≤ 0.347: truncation below 0.05 ulp), 2^n applied in two halves so that subnormal
   results are right; +inf above 709.78, exactly 0 below -745.14. */
static inline double exp_poly64(double x) {
    double c = x < -746.0 ? -746.0 : (x > 710.0 ? 710.0 : x);
    const double magic = 6755399441055744.0; /* 1.5 * 2^52: adding it rounds to an integer */
    double n = (c * 1.4426950408889634 + magic) - magic;
    double r = c - n * 6.93147180369123816490e-01;
    r = r - n * 1.90821492927058770002e-10;
    double p = 1.0 / 6227020800.0; /* 1/13! */
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    double y = p * r * r + r + 1.0;
    double half = (n * 0.5 + magic) - magic; /* n/2 rounded: both halves in the exponent range */
    double result = y * pow2(half) * pow2(n - half);
    result = x > 709.782712893383973 ? __builtin_inf() : result;
    result = x < -745.133219101941108 ? 0.0 : result;
    return x != x ? x : result;
}

/* log(1+f) for f in [√2/2 - 1, 1/2], plus k·ln 2: fdlibm's arrangement
   k·ln2_hi - ((f²/2 - (s(f²/2 + R) + k·ln2_lo)) - f), s = f/(2+f), R = Σ 2s^{2j}/(2j+1) to
   j = 12 (s² ≤ 0.04: truncation below 0.01 ulp). The leading f is exact. */
static inline double log1p_core64(double f, double k) {
    double s = f / (2.0 + f), z = s * s;
    double r = 2.0 / 25;
    r = r * z + 2.0 / 23;
    r = r * z + 2.0 / 21;
    r = r * z + 2.0 / 19;
    r = r * z + 2.0 / 17;
    r = r * z + 2.0 / 15;
    r = r * z + 2.0 / 13;
    r = r * z + 2.0 / 11;
    r = r * z + 2.0 / 9;
    r = r * z + 2.0 / 7;
    r = r * z + 2.0 / 5;
    r = r * z + 2.0 / 3;
    r = r * z;
    double hfsq = 0.5 * f * f;
    return k * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + k * 1.90821492927058770002e-10)) - f);
}

/* log(1+e) for e in [0, 1] within 1 ulp: 1+e = 2^k(1+f) with k = 1 from e = 1/2 on, so that
   f = (e-1)/2 (exact) or f = e stays in [-1/4, 1/2]. */
static inline double log1p_unit_poly64(double e) {
    int big = e >= 0.5;
    return log1p_core64(big ? (e - 1.0) * 0.5 : e, big ? 1.0 : 0.0);
}

/* log(x) within 1 ulp: x = 2^k·m with m in [√2/2, √2) by integer work on the bits (subnormals
   scaled by 2^54 first), f = m - 1 exact. log(0) = -inf, log(x < 0) = NaN, log(inf) = inf. */
static inline double log_poly64(double x) {
    int sub = x < 2.2250738585072014e-308;
    uint64_t ix = to_bits(sub ? x * 18014398509481984.0 : x) + (0x3ff0000000000000ull - 0x3fe6a09e00000000ull);
    /* The exponent field as a double, through the 2^52 magic constant. */
    double k = (from_bits((ix >> 52) | 0x4330000000000000ull) - 4503599627370496.0) - 1023.0 - (sub ? 54.0 : 0.0);
    double f = from_bits((ix & 0x000fffffffffffffull) + 0x3fe6a09e00000000ull) - 1.0;
    double y = log1p_core64(f, k);
    y = x == __builtin_inf() ? x : y;
    y = x == 0.0 ? -__builtin_inf() : y;
    y = x < 0.0 ? __builtin_nan("") : y;
    return x != x ? x : y;
}

#define BLOCK_T double
#define BLOCK_NAME(name) name##_f64
#define BLOCK_EXP exp_poly64
#define BLOCK_LOG log_poly64
#define BLOCK_LOG1P_UNIT log1p_unit_poly64
#define BLOCK_FABS __builtin_fabs
#include "block_functions.h"
