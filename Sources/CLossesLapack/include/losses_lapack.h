#ifndef LOSSES_LAPACK_H
#define LOSSES_LAPACK_H
/*
 * The library's only use of LAPACK and BLAS: OpenBLAS, linked statically into liblosses.so
 * (Debian's serial build: no thread pool). That build is not safe to call from two threads at
 * once, so every function here holds one process-wide lock for its whole call; fork() waits for
 * a call in progress (pthread_atfork), so a child never inherits a held lock.
 */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest order handed to LAPACK: its sizes and workspace lengths are 32-bit. */
#define LOSSES_LAPACK_MAX_ORDER 16384

enum {
    LOSSES_LAPACK_OK = 0,
    LOSSES_LAPACK_OUT_OF_MEMORY = 1,
    LOSSES_LAPACK_NO_CONVERGENCE = 2,
};

/*
 * trace sqrt(S1 S2) of two symmetric positive semi-definite n x n matrices (row-major; each is
 * symmetrised as (S + S^T) / 2 first). S1 = L L^T by Cholesky, or, when S1 is singular, by
 * pivoted Cholesky truncated at its numerical rank; the eigenvalues of L^T S2 L (symmetric,
 * values only) are those of S1 S2, and their square roots are summed in ascending order.
 * Eigenvalues at or below n * DBL_EPSILON * (the largest) are round-off of zero and count as 0.
 * *rank1 receives the rank used for S1. Allocates 2 n^2 + O(n) doubles; writes nothing else.
 */
int fid_lapack_trace_sqrt_product(int64_t n, const double *s1, const double *s2, double *trace, int64_t *rank1);

/*
 * comoment += X^T X for X (rows x d, row-major, doubles): the lower triangle of the row-major
 * d x d comoment (its upper triangle is not touched). One dsyrk.
 */
void fid_lapack_add_gram(int64_t rows, int64_t d, const double *x, double *comoment);

#ifdef __cplusplus
}
#endif
#endif
