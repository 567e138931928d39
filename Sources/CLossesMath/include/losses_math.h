#ifndef LOSSES_MATH_H
#define LOSSES_MATH_H
/* Internal to liblosses: float32 block math for the Swift kernels (vector_math.c). Not
   exported: the version script keeps only the losses_* names of include/losses.h. */
#include <stdint.h>

/* y[i] = exp(x[i]) for n values (y may be x). */
void _losses_exp_f32(const float *x, float *y, int64_t n);
/* y[i] = log(1 + e[i]) for e[i] in [0, 1] (y may be e). */
void _losses_log1p_unit_f32(const float *e, float *y, int64_t n);
/* y[i] = exp(x[i] - shift) for n values (y may be x); returns their sum. */
float _losses_exp_shifted_sum_f32(const float *x, float shift, float *y, int64_t n);

#endif
