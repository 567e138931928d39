/* exp and log1p over float32 blocks for the Swift kernels, one copy per instruction set
   (AVX-512, AVX2, baseline x86-64) chosen once at load time by the dynamic linker (ifunc).
   Swift builds a whole library for one CPU level, and two Swift builds of the same generic
   kernels would share symbol names; this file is the one place where wider vectors are used.
   The loss formulas that call them stay in Swift (Sources/Losses). FP contraction is off, so every
   clone performs the same operations in the same order: results are the same bits on every
   CPU. */
#include "losses_math.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/* ThreadSanitizer instruments the clones' resolvers, which the dynamic linker runs during
   relocation, before the sanitizer's runtime exists: under it (make stress) there is one copy. */
#if defined(__has_feature)
#  if __has_feature(thread_sanitizer)
#    define LOSSES_SINGLE_COPY 1
#  endif
#endif
#ifdef LOSSES_SINGLE_COPY
#  define LOSSES_CLONES
#else
#  define LOSSES_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define LOSSES_CLONES
#endif

/* exp(x) within 2 ulp: Cody-Waite reduction, Cephes' degree-6 polynomial, 2^n applied in two
   halves so that subnormal results are right; +inf above 88.72, exactly 0 below -103.97. */
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

/* log(1 + e) for e in [0, 1] within 2 ulp: 2 atanh(s), s = e / (2 + e) in [0, 1/3]. */
static inline float log1p_unit_poly(float e) {
    float s = e / (2.0f + e);
    float s2 = s * s;
    float p = 1.0f / 17;
    p = p * s2 + 1.0f / 15;
    p = p * s2 + 1.0f / 13;
    p = p * s2 + 1.0f / 11;
    p = p * s2 + 1.0f / 9;
    p = p * s2 + 1.0f / 7;
    p = p * s2 + 1.0f / 5;
    p = p * s2 + 1.0f / 3;
    p = p * s2 + 1.0f;
    return 2.0f * s * p;
}

/* Element i reads only x[i] before writing y[i], so y == x is safe; without the pragma the
   vectorised loop's overlap check sends in-place calls, the usual ones, to the scalar loop. */
LOSSES_CLONES
void _losses_exp_f32(const float *x, float *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = exp_poly(x[i]);
}

LOSSES_CLONES
void _losses_log1p_unit_f32(const float *e, float *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = log1p_unit_poly(e[i]);
}

/* y[i] = exp(x[i] - shift), returning their sum: the softmax denominator of one row in a single
   pass. Eight accumulators in a fixed order (no reassociation), so every clone adds the same
   way; the exponentials of a group of eight are computed before any is stored, so y == x is
   safe. */
LOSSES_CLONES
float _losses_exp_shifted_sum_f32(const float *x, float shift, float *y, int64_t n) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float e[8];
        for (int k = 0; k < 8; k++) e[k] = exp_poly(x[i + k] - shift);
        for (int k = 0; k < 8; k++) {
            y[i + k] = e[k];
            acc[k] += e[k];
        }
    }
    float tail = 0;
    for (; i < n; i++) {
        float e = exp_poly(x[i] - shift);
        y[i] = e;
        tail += e;
    }
    return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail;
}
