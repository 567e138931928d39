#ifndef LOSSES_MATH_H
#define LOSSES_MATH_H
/* Internal to liblosses: block math for the Swift kernels (vector_math_f32.c, vector_math_f64.c),
   vectorised for the CPU at hand, the same bits on every CPU. Not exported: the version script
   keeps only the losses_* names of include/losses.h. Accuracy (Tests/math): see each function. */
#include <stdint.h>

/* y[i] = exp(x[i]) for n values (y may be x). */
void _losses_exp_f32(const float *x, float *y, int64_t n);
void _losses_exp_f64(const double *x, double *y, int64_t n);
/* y[i] = log(1 + e[i]) for e[i] in [0, 1] (y may be e). */
void _losses_log1p_unit_f32(const float *e, float *y, int64_t n);
void _losses_log1p_unit_f64(const double *e, double *y, int64_t n);
/* y[i] = log(x[i]) for n values (y may be x). */
void _losses_log_f32(const float *x, float *y, int64_t n);
void _losses_log_f64(const double *x, double *y, int64_t n);
/* y[i] = exp(x[i] - shift) for n values (y may be x); returns their sum. */
float _losses_exp_shifted_sum_f32(const float *x, float shift, float *y, int64_t n);
double _losses_exp_shifted_sum_f64(const double *x, double shift, double *y, int64_t n);
/* e[i] = exp(-|x[i]|), l[i] = log1p(e[i]), r[i] = 1/(1 + e[i]): the parts of the sigmoid and
   softplus at x[i]. No output may alias x or another output. */
void _losses_logistic_parts_f32(const float *x, float *e, float *l, float *r, int64_t n);
void _losses_logistic_parts_f64(const double *x, double *e, double *l, double *r, int64_t n);
/* The largest of n values, -inf for none; NaN entries are passed over. */
float _losses_max_f32(const float *x, int64_t n);
double _losses_max_f64(const double *x, int64_t n);

#endif
