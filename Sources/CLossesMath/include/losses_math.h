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


/* Matrix products in float64 (row_products.c). Every output entry is one fma chain over the summed
   index in ascending order, started from 0: the same bits for any blocking, CPU or thread split.
   panels: b (n rows of d values, row stride ldb) packed for _losses_row_dots_f64, ceil(n/8)*8*d
   values. */
void _losses_pack_rows_f64(const double *b, int64_t ldb, int64_t n, int64_t d, double *panels);
/* c[i][j] = sum_k a[i][k] b[j][k] for i < m and j0 <= j < n, j0 a multiple of 8; b as panels. */
void _losses_row_dots_f64(const double *a, int64_t lda, int64_t m, const double *panels, int64_t n,
                          int64_t j0, int64_t d, double *c, int64_t ldc);
/* b (n rows of d values, row stride ldb) packed by columns, ceil(d/8)*8*n values: the panels of
   c = g·b, computed as _losses_row_dots_f64(g, ldg, m, panels, d, 0, n, c, ldc). */
void _losses_pack_columns_f64(const double *b, int64_t ldb, int64_t n, int64_t d, double *panels);

#endif
