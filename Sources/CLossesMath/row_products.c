/* The matrix products of the metric-learning losses, in float64: the dot products of every row
   of one matrix with every row of another (a similarity or Gram matrix), and the combination of
   rows by a coefficient matrix (the gradient that flows back through it).

   Every output entry is ONE fused multiply-add chain over the summed index, in ascending order,
   started from zero: c = fma(a_0, b_0, 0), c = fma(a_1, b_1, c), ... Blocking, the vector width
   and the thread that computes an entry change where the chain runs, never its operations, and an
   fma is correctly rounded on every CPU. So the copies below (AVX-512, AVX2 with FMA, and the
   baseline one, whose fma is glibc's correctly rounded software fma: slow, but the same bits)
   give the same bits, and so does any split of the rows between threads. That is the promise
   the library makes for every function, kept here with FMA's speed. */
#include "losses_math.h"
#include "clones.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#  ifdef LOSSES_SINGLE_COPY /* clones.h: a sanitizer that instruments the resolvers */
#    define PRODUCT_CLONES
#  else
/* x86-64-v3 is AVX2 with FMA; clones.h's "avx2" copy has no FMA, which these loops need. */
#    define PRODUCT_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#  endif
#else
#  define PRODUCT_CLONES
#endif

/* Eight doubles: one AVX-512 register, two AVX2 ones. */
typedef double v8d __attribute__((vector_size(64), aligned(8)));

#define LANES 8
#define ROWS 4   /* rows of the output per micro-tile: 4 × 8 accumulators fit AVX2's 16 registers */
#define DEPTH 256 /* summed indices per pass over a packed panel: the panel stays in L1 */

/* Macros, not functions: a helper outside the clones would be compiled for the baseline, where
   passing a v8d by value changes the ABI. */
#define SPLAT(x) ((v8d){(x), (x), (x), (x), (x), (x), (x), (x)})
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8d))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8d))

PRODUCT_CLONES
void _losses_pack_rows_f64(const double *b, int64_t ldb, int64_t n, int64_t d, double *panels) {
    for (int64_t j0 = 0; j0 < n; j0 += LANES) {
        double *panel = panels + j0 * d;
        int64_t width = n - j0 < LANES ? n - j0 : LANES;
        for (int64_t k = 0; k < d; k++) {
            for (int64_t l = 0; l < LANES; l++) panel[k * LANES + l] = l < width ? b[(j0 + l) * ldb + k] : 0.0;
        }
    }
}

PRODUCT_CLONES
void _losses_row_dots_f64(const double *a, int64_t lda, int64_t m, const double *panels, int64_t n,
                          int64_t j0, int64_t d, double *c, int64_t ldc) {
    /* j0 is a multiple of LANES (the caller's contract), so it starts a whole panel. The summed
       index runs in passes of DEPTH; a later pass continues each chain from the value stored. */
    double spill[LANES];
    for (int64_t k0 = 0; k0 == 0 || k0 < d; k0 += DEPTH) {
        int64_t k1 = d - k0 < DEPTH ? d : k0 + DEPTH;
        for (int64_t j = j0; j < n; j += LANES) {
            const double *panel = panels + j * d;
            int64_t columns = n - j < LANES ? n - j : LANES;
            for (int64_t i = 0; i < m; i += ROWS) {
                int64_t rows = m - i < ROWS ? m - i : ROWS;
                const double *ai = a + i * lda;
                double *ci = c + i * ldc + j;
                v8d acc[ROWS];
                for (int64_t r = 0; r < ROWS; r++) {
                    acc[r] = SPLAT(0.0);
                    if (k0 > 0 && r < rows) {
                        memset(spill, 0, sizeof spill);
                        memcpy(spill, ci + r * ldc, (size_t)columns * sizeof(double));
                        LOAD8(acc[r], spill);
                    }
                }
                if (rows == ROWS) {
                    for (int64_t k = k0; k < k1; k++) {
                        v8d b;
                        LOAD8(b, panel + k * LANES);
                        acc[0] = __builtin_elementwise_fma(SPLAT(ai[k]), b, acc[0]);
                        acc[1] = __builtin_elementwise_fma(SPLAT(ai[lda + k]), b, acc[1]);
                        acc[2] = __builtin_elementwise_fma(SPLAT(ai[2 * lda + k]), b, acc[2]);
                        acc[3] = __builtin_elementwise_fma(SPLAT(ai[3 * lda + k]), b, acc[3]);
                    }
                } else {
                    for (int64_t k = k0; k < k1; k++) {
                        v8d b;
                        LOAD8(b, panel + k * LANES);
                        for (int64_t r = 0; r < rows; r++) {
                            acc[r] = __builtin_elementwise_fma(SPLAT(ai[r * lda + k]), b, acc[r]);
                        }
                    }
                }
                for (int64_t r = 0; r < rows; r++) {
                    STORE8(spill, acc[r]);
                    memcpy(ci + r * ldc, spill, (size_t)columns * sizeof(double));
                }
            }
        }
    }
}

PRODUCT_CLONES
void _losses_pack_columns_f64(const double *b, int64_t ldb, int64_t n, int64_t d, double *panels) {
    /* The combination c = g·b is the dot products of g's rows with b's columns: b's columns,
       eight at a time, are panels already (panel kb holds b[j][8kb + l] at [j][l]). */
    for (int64_t k0 = 0; k0 < d; k0 += LANES) {
        double *panel = panels + k0 * n;
        int64_t width = d - k0 < LANES ? d - k0 : LANES;
        for (int64_t j = 0; j < n; j++) {
            for (int64_t l = 0; l < LANES; l++) panel[j * LANES + l] = l < width ? b[j * ldb + k0 + l] : 0.0;
        }
    }
}
