/* The error of a result in ulp of its type, against a long double reference: shared by the
   accuracy test and the benchmark's comparison with SLEEF. */
#ifndef LOSSES_TEST_ULP_H
#define LOSSES_TEST_ULP_H

#include <math.h>

/* |got - want| in ulp of the type at want; infinite when one is inf/NaN and the other is not. */
static inline double ulp_error(long double got, long double want, int mantissa_bits, int min_exponent,
                               long double max) {
    if (isnan(want)) return isnan(got) ? 0 : INFINITY;
    if (isnan(got)) return INFINITY;
    /* A reference past the largest finite value rounds to inf in the type (within half an ulp of
       the top, the largest finite value is also right). */
    long double top_ulp = ldexpl(1.0L, (int)logbl(max) - mantissa_bits + 1);
    if (fabsl(want) >= max + top_ulp / 2) want = copysignl(INFINITY, want);
    if (isinf(want) || isinf(got)) return want == got ? 0 : INFINITY;
    int e = want == 0 ? min_exponent : (int)logbl(fabsl(want));
    if (e < min_exponent) e = min_exponent;
    long double ulp = ldexpl(1.0L, e - mantissa_bits + 1);
    return (double)(fabsl(got - want) / ulp);
}

#endif
