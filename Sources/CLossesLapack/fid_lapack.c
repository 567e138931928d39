/* LAPACK for the Frechet distance, behind one lock (see include/losses_lapack.h). */
#define _GNU_SOURCE /* madvise's MADV_HUGEPAGE */
#include "losses_lapack.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Fortran LAPACK/BLAS (OpenBLAS 0.3.21, 32-bit integers). Strings are passed without their
   hidden lengths: every one is a single character, which these routines read as such. */
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
extern void dpstrf_(const char *uplo, const int *n, double *a, const int *lda, int *piv, int *rank, const double *tol,
                    double *work, int *info);
extern void dsygst_(const int *itype, const char *uplo, const int *n, double *a, const int *lda, const double *b,
                    const int *ldb, int *info);
extern void dsyev_2stage_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
                          double *work, const int *lwork, int *info);
extern void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
                   const double *a, const int *lda, const double *beta, double *c, const int *ldc);

/* LAPACK reports a bad argument through xerbla, which prints; the callers here validate every
   argument first, and a library must not print, so this silent one replaces OpenBLAS's. */
void xerbla_(const char *name, const int *info, int length) {
    (void)name;
    (void)info;
    (void)length;
}

static pthread_mutex_t lapack_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t fork_handlers_once = PTHREAD_ONCE_INIT;

static void before_fork(void) { pthread_mutex_lock(&lapack_lock); }
static void after_fork(void) { pthread_mutex_unlock(&lapack_lock); }
static void register_fork_handlers(void) { pthread_atfork(before_fork, after_fork, after_fork); }

static void lock(void) {
    pthread_once(&fork_handlers_once, register_fork_handlers);
    pthread_mutex_lock(&lapack_lock);
}

static void unlock(void) { pthread_mutex_unlock(&lapack_lock); }

/* A matrix for LAPACK: 2 MiB-aligned and, where the kernel allows it, on transparent huge pages
   (as NumPy's large arrays are): the factorisations walk d x d doubles by columns, and with 4 KiB
   pages the TLB misses cost a third of the time at d = 2048. NULL when out of memory. */
static double *matrix(size_t count) {
    const size_t huge = (size_t)2 << 20;
    size_t bytes = (count * sizeof(double) + huge - 1) / huge * huge;
    void *p = NULL;
    if (posix_memalign(&p, huge, bytes ? bytes : huge) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only: refused, the pages are small */
#endif
    return p;
}

/* Column-major lower triangle of a column-major matrix = the row-major upper triangle; a
   symmetrised copy makes the distinction moot. */
static void symmetrised(int64_t n, const double *s, double *a) {
    enum { block = 64 }; /* by tiles: the transposed reads stay in cache (d = 2048: 5x faster) */
    for (int64_t ib = 0; ib < n; ib += block)
        for (int64_t jb = 0; jb <= ib; jb += block)
            for (int64_t i = ib; i < ib + block && i < n; i++)
                for (int64_t j = jb; j < jb + block && j <= i; j++)
                    a[i * n + j] = a[j * n + i] = 0.5 * (s[i * n + j] + s[j * n + i]);
}

/* Cholesky in place (lower), and 1 when the matrix is numerically non-singular: every pivot
   L_ii^2 above n * eps * its largest diagonal entry (LAPACK's rank rule, as dpstrf's default). A
   rank-deficient covariance often factors with round-off pivots; those count as singular, so
   that its null space is cut off rather than carried as sqrt(round-off) into the trace. */
static int cholesky(int n, double *b) {
    double largest = 0;
    for (int i = 0; i < n; i++) largest = fmax(largest, b[(size_t)i * n + i]);
    int info = 0;
    dpotrf_("L", &n, b, &n, &info);
    if (info != 0) return 0;
    const double cutoff = (double)n * DBL_EPSILON * largest;
    for (int i = 0; i < n; i++) {
        double pivot = b[(size_t)i * n + i];
        if (!(pivot * pivot > cutoff)) return 0;
    }
    return 1;
}

int fid_lapack_trace_sqrt_product(int64_t n64, const double *s1, const double *s2, double *trace, int64_t *rank1) {
    *trace = 0;
    *rank1 = 0;
    if (n64 == 0) return LOSSES_LAPACK_OK;
    const int n = (int)n64;
    size_t nn = (size_t)n * (size_t)n;
    double *b = matrix(nn), *a = matrix(nn);
    double *w = malloc((size_t)n * sizeof(double)), *pwork = malloc(2 * (size_t)n * sizeof(double));
    int *piv = malloc((size_t)n * sizeof(int));
    double *work = NULL;
    int status = LOSSES_LAPACK_OUT_OF_MEMORY;
    if (!b || !a || !w || !pwork || !piv) goto done;
    symmetrised(n, s1, b);
    symmetrised(n, s2, a);

    lock();
    int info = 0, rank = n;
    /* Tr sqrt(S1 S2) = Tr sqrt(S2 S1): factor whichever is non-singular (S1 first); when both are
       singular (fewer samples than features in both sets), the pivoted route below. */
    if (!cholesky(n, b)) {
        symmetrised(n, s2, b);
        if (cholesky(n, b)) {
            symmetrised(n, s1, a);
        } else {
            /* P^T S1 P = L L^T with L's columns past the numerical rank dropped, and S2
               permuted alike, so that L^T (P^T S2 P) L has the eigenvalues of S1 S2. */
            const double tol = -1; /* LAPACK's default: n * eps * max diagonal */
            symmetrised(n, s1, b);
            dpstrf_("L", &n, b, &n, piv, &rank, &tol, pwork, &info);
            for (int j = rank; j < n; j++) memset(b + (size_t)j * n + j, 0, (size_t)(n - j) * sizeof(double));
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    a[(size_t)j * n + i] = 0.5 * (s2[(size_t)(piv[i] - 1) * n + (piv[j] - 1)] +
                                                  s2[(size_t)(piv[j] - 1) * n + (piv[i] - 1)]);
        }
    }
    const int itype = 2;
    dsygst_(&itype, "L", &n, a, &n, b, &n, &info);
    double query = 0;
    const int ask = -1;
    int lwork = 0;
    if (rank > 0) {
        dsyev_2stage_("N", "L", &rank, a, &n, w, &query, &ask, &info);
        lwork = (int)query > 1 ? (int)query : 1;
        work = matrix((size_t)lwork);
        if (!work) {
            unlock();
            goto done;
        }
        dsyev_2stage_("N", "L", &rank, a, &n, w, work, &lwork, &info);
    }
    unlock();
    if (info != 0) {
        status = LOSSES_LAPACK_NO_CONVERGENCE;
        goto done;
    }
    /* Ascending eigenvalues: the largest is the last; those within round-off of 0 count as 0. */
    double cutoff = rank > 0 ? (double)n * DBL_EPSILON * fmax(w[rank - 1], 0.0) : 0;
    double total = 0;
    for (int k = 0; k < rank; k++)
        if (w[k] > cutoff) total += sqrt(w[k]);
    *trace = total;
    *rank1 = rank;
    status = LOSSES_LAPACK_OK;
done:
    free(work);
    free(piv);
    free(pwork);
    free(w);
    free(a);
    free(b);
    return status;
}

void fid_lapack_add_gram(int64_t rows, int64_t d, const double *x, double *comoment) {
    if (rows == 0 || d == 0) return;
    const int n = (int)d, k = (int)rows;
    const double one = 1;
    lock();
    /* Row-major X (rows x d) is the column-major d x rows matrix X^T: C += X^T X, whose
       column-major upper triangle is the row-major lower one. */
    dsyrk_("U", "N", &n, &k, &one, x, &n, &one, comoment, &n);
    unlock();
}
