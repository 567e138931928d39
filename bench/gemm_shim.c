/* What OpenBLAS would add to liblosses.so (make bench-gemm): a shared object making the calls the
   metric-learning losses would make, built twice. With -DWITH_OPENBLAS the products are
   cblas_dgemm, cblas_dsyrk and cblas_sgemm from Debian's static libopenblasp-r0.3.21.a (only the
   objects these calls pull in); without it, the library's own kernel (row_products.c, every
   instruction-set copy), which is what the shipped library carries today. bench/gemm.py compares
   the two files' sizes, dependencies and glibc floors. */
#include <stdint.h>

#ifdef WITH_OPENBLAS
#include <cblas.h>

/* s = x·xᵀ (n × n) and out = g·x (n × d), float64; sf = xf·xfᵀ in float32. */
void shim_products(const double *x, const double *g, const float *xf, int n, int d, double *s, double *out,
                   float *sf) {
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, d, 1.0, x, d, 0.0, s, n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0, x, d, x, d, 0.0, s, n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0, g, n, x, d, 0.0, out, d);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0f, xf, d, xf, d, 0.0f, sf, n);
}
#else
#include "losses_math.h"

/* The same products with the library's kernel; panels holds ceil(max(n, d)/8)*8*max(n, d) doubles. */
void shim_products(const double *x, const double *g, const float *xf, int n, int d, double *s, double *out,
                   float *sf, double *panels) {
    (void)xf, (void)sf;
    _losses_pack_rows_f64(x, d, n, d, panels);
    _losses_row_dots_f64(x, d, n, panels, n, 0, d, s, n);
    _losses_pack_columns_f64(x, d, n, d, panels);
    _losses_row_dots_f64(g, n, n, panels, d, 0, n, out, d);
}
#endif
