/* Issue 12: the matrix products of the metric-learning losses, the library's own kernel
   (Sources/CLossesMath/row_products.c, driven on the library's own worker pool exactly as
   Sources/Losses/Primitives/RowProducts.swift drives it) against OpenBLAS from Debian's
   libopenblas-pthread-dev, linked statically. The benchmark only: liblosses.so never links
   OpenBLAS (make bench-gemm; docs/decisions.md says why).

   Shapes: the Gram matrix X·Xᵀ of 512×256 and 1024×512, and the combination G·X of a 512×512
   coefficient matrix with 512×256 rows, float64 (float32 sgemm for reference). Each variant is
   timed once per round, the rounds repeated and the median taken, so every variant sees the same
   noise of this shared machine. OpenBLAS's own threads spin for a while after a call: every
   round ends with a pause long enough for them to sleep, so they never run beside the library's.

   One JSON object per line on stdout. Usage: gemm [rounds] */
#define _GNU_SOURCE
#include <cblas.h>

#include "losses_math.h"
#include "losses_support.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* threads.c (the library's pool, compiled in) reports errors through this; the benchmark never
   passes it an invalid argument. */
void _losses_set_error(const char *message) { (void)message; }

enum { TASK_ROWS = 32, MAX_VARIANTS = 16, MAX_ROUNDS = 101 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *allocate(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) {
        fprintf(stderr, "gemm: out of memory\n");
        exit(1);
    }
    return p;
}

/* ---- The library's products, as RowProducts.swift runs them --------------------------------- */

typedef struct {
    const double *a, *b;
    const double *panels;
    int64_t n, d;
    double *out;
} product_t;

static void gram_task(void *context, int64_t t) {
    const product_t *p = context;
    int64_t i0 = t * TASK_ROWS, rows = p->n - i0 < TASK_ROWS ? p->n - i0 : TASK_ROWS;
    int64_t j0 = i0 / 8 * 8;
    _losses_row_dots_f64(p->a + i0 * p->d, p->d, rows, p->panels, p->n, j0, p->d, p->out + i0 * p->n, p->n);
}

static void mirror_task(void *context, int64_t t) {
    const product_t *p = context;
    for (int64_t i = t * TASK_ROWS; i < p->n && i < (t + 1) * TASK_ROWS; i++)
        for (int64_t j = 0; j < i; j++) p->out[i * p->n + j] = p->out[j * p->n + i];
}

static void combine_task(void *context, int64_t t) {
    const product_t *p = context;
    int64_t i0 = t * TASK_ROWS, rows = p->n - i0 < TASK_ROWS ? p->n - i0 : TASK_ROWS;
    _losses_row_dots_f64(p->a + i0 * p->n, p->n, rows, p->panels, p->d, 0, p->n, p->out + i0 * p->d, p->d);
}

/* s = x·xᵀ (n × n): the panels of x, the upper triangle by blocks of 32 rows, then the mirror. */
static void own_gram(const double *x, int64_t n, int64_t d, double *s, int threads) {
    double *panels = allocate((size_t)((n + 7) / 8 * 8 * d) * sizeof(double));
    _losses_pack_rows_f64(x, d, n, d, panels);
    product_t p = {x, NULL, panels, n, d, s};
    int64_t tasks = (n + TASK_ROWS - 1) / TASK_ROWS;
    _losses_parallel_for(tasks, threads, gram_task, &p);
    _losses_parallel_for(tasks, threads, mirror_task, &p);
    free(panels);
}

/* out = g·x (g n × n, x n × d). */
static void own_combine(const double *g, const double *x, int64_t n, int64_t d, double *out, int threads) {
    double *panels = allocate((size_t)((d + 7) / 8 * 8 * n) * sizeof(double));
    _losses_pack_columns_f64(x, d, n, d, panels);
    product_t p = {g, x, panels, n, d, out};
    _losses_parallel_for((n + TASK_ROWS - 1) / TASK_ROWS, threads, combine_task, &p);
    free(panels);
}

/* ---- The shapes and variants ---------------------------------------------------------------- */

typedef struct {
    const char *shape;
    int gram;       /* 1: x·xᵀ of x (n × d); 0: g·x with g n × n */
    int64_t n, d;
    double *x, *g;  /* float64 inputs */
    float *xf, *gf; /* the same rounded to float32 */
} workload_t;

typedef struct {
    const char *name;
    int threads;    /* 1 or 2; OpenBLAS's set with openblas_set_num_threads */
    int single;     /* float32 output */
    double *out;
    float *outf;
    double seconds[MAX_ROUNDS];
} variant_t;

static void run(const workload_t *w, variant_t *v) {
    int64_t n = w->n, d = w->d;
    if (!strcmp(v->name, "liblosses kernel")) {
        if (w->gram) own_gram(w->x, n, d, v->out, v->threads);
        else own_combine(w->g, w->x, n, d, v->out, v->threads);
    } else if (!strcmp(v->name, "OpenBLAS dgemm")) {
        if (w->gram)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0, w->x, d, w->x, d, 0.0, v->out, n);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0, w->g, n, w->x, d, 0.0, v->out, d);
    } else if (!strcmp(v->name, "OpenBLAS dsyrk + mirror")) {
        /* The upper triangle, then the library's own mirror on as many threads. */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, d, 1.0, w->x, d, 0.0, v->out, n);
        product_t p = {.n = n, .out = v->out};
        _losses_parallel_for((n + TASK_ROWS - 1) / TASK_ROWS, v->threads, mirror_task, &p);
    } else if (!strcmp(v->name, "OpenBLAS sgemm (float32)")) {
        if (w->gram)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0f, w->xf, d, w->xf, d, 0.0f, v->outf, n);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0f, w->gf, n, w->xf, d, 0.0f, v->outf, d);
    }
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t state = 0x9E3779B97F4A7C15u;
static double normal(void) {
    double u[2];
    for (int k = 0; k < 2; k++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        u[k] = ((double)(state >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(6.283185307179586 * u[1]);
}

static void fill(double *p, float *pf, int64_t count) {
    for (int64_t i = 0; i < count; i++) {
        pf[i] = (float)normal();
        p[i] = pf[i]; /* the float64 inputs are float32 values: the float32 result is comparable */
    }
}

/* The worst error of an output against long double dot products, over every 16th row. */
static double worst_error(const workload_t *w, const double *out, const float *outf) {
    int64_t rows = w->n, columns = w->gram ? w->n : w->d, depth = w->gram ? w->d : w->n;
    double worst = 0;
    for (int64_t i = 0; i < rows; i += 16)
        for (int64_t j = 0; j < columns; j++) {
            long double sum = 0;
            for (int64_t k = 0; k < depth; k++)
                sum += w->gram ? (long double)w->x[i * w->d + k] * w->x[j * w->d + k]
                               : (long double)w->g[i * w->n + k] * w->x[k * w->d + j];
            double got = out ? out[i * columns + j] : outf[i * columns + j];
            double error = fabs((double)(got - sum));
            if (error > worst) worst = error;
        }
    return worst;
}

static double max_abs(const double *p, int64_t count) {
    double m = 0;
    for (int64_t i = 0; i < count; i++) m = fabs(p[i]) > m ? fabs(p[i]) : m;
    return m;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 31;
    if (rounds < 1 || rounds > MAX_ROUNDS) rounds = 31;
    printf("{\"openblas_core\": \"%s\", \"openblas_config\": \"%s\", \"rounds\": %d}\n", openblas_get_corename(),
           openblas_get_config(), rounds);
    workload_t workloads[] = {{.shape = "Gram X·Xᵀ, X 512×256", .gram = 1, .n = 512, .d = 256},
                              {.shape = "Gram X·Xᵀ, X 1024×512", .gram = 1, .n = 1024, .d = 512},
                              {.shape = "G·X, G 512×512, X 512×256", .gram = 0, .n = 512, .d = 256}};
    const char *names[] = {"liblosses kernel", "OpenBLAS dgemm", "OpenBLAS dsyrk + mirror", "OpenBLAS sgemm (float32)"};
    for (size_t wi = 0; wi < sizeof workloads / sizeof *workloads; wi++) {
        workload_t *w = &workloads[wi];
        int64_t n = w->n, d = w->d, outputs = w->gram ? n * n : n * d;
        w->x = allocate((size_t)(n * d) * sizeof(double));
        w->xf = allocate((size_t)(n * d) * sizeof(float));
        fill(w->x, w->xf, n * d);
        if (!w->gram) {
            w->g = allocate((size_t)(n * n) * sizeof(double));
            w->gf = allocate((size_t)(n * n) * sizeof(float));
            fill(w->g, w->gf, n * n);
        }
        variant_t variants[MAX_VARIANTS];
        int count = 0;
        for (int threads = 1; threads <= 2; threads++)
            for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
                if (!w->gram && strstr(names[k], "dsyrk")) continue;
                variant_t *v = &variants[count++];
                memset(v, 0, sizeof *v);
                v->name = names[k];
                v->threads = threads;
                v->single = strstr(names[k], "sgemm") != NULL;
                if (v->single) v->outf = allocate((size_t)outputs * sizeof(float));
                else v->out = allocate((size_t)outputs * sizeof(double));
            }
        for (int r = -1; r < rounds; r++) { /* round -1 warms up, untimed */
            for (int k = 0; k < count; k++) {
                variant_t *v = &variants[k];
                int blas = strncmp(v->name, "OpenBLAS", 8) == 0;
                if (blas) {
                    openblas_set_num_threads(v->threads);
                    if (v->threads > 1) run(w, v); /* wakes its workers, untimed */
                }
                double start = now();
                run(w, v);
                if (r >= 0) v->seconds[r] = now() - start;
            }
            openblas_set_num_threads(1);
            struct timespec pause = {0, 300 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        const variant_t *own = &variants[0];
        double flops = 2.0 * (double)n * (double)(w->gram ? n : d) * (double)(w->gram ? d : n);
        double scale = max_abs(own->out, outputs);
        for (int k = 0; k < count; k++) {
            variant_t *v = &variants[k];
            qsort(v->seconds, (size_t)rounds, sizeof(double), compare_doubles);
            double median = v->seconds[rounds / 2];
            double difference = 0;
            for (int64_t i = 0; i < outputs; i++) {
                double value = v->single ? v->outf[i] : v->out[i];
                double gap = fabs(value - own->out[i]);
                if (gap > difference) difference = gap;
            }
            /* The same bits as the one-thread run of the same implementation. */
            const variant_t *one = NULL;
            for (int m = 0; m < count; m++)
                if (!strcmp(variants[m].name, v->name) && variants[m].threads == 1) one = &variants[m];
            int same = v->single ? !memcmp(v->outf, one->outf, (size_t)outputs * sizeof(float))
                                 : !memcmp(v->out, one->out, (size_t)outputs * sizeof(double));
            printf("{\"shape\": \"%s\", \"implementation\": \"%s\", \"threads\": %d, \"ms\": %.4f, \"gflops\": %.3f, "
                   "\"max_abs_diff\": %.3e, \"max_abs_value\": %.3e, \"worst_error\": %.3e, "
                   "\"same_bits_as_one_thread\": %s, \"fastest_ms\": %.4f}\n",
                   w->shape, v->name, v->threads, 1e3 * median, flops / median * 1e-9, difference, scale,
                   worst_error(w, v->out, v->outf), same ? "true" : "false", 1e3 * v->seconds[0]);
            fflush(stdout);
        }
        for (int k = 0; k < count; k++) free(variants[k].single ? (void *)variants[k].outf : (void *)variants[k].out);
        free(w->x), free(w->xf), free(w->g), free(w->gf);
    }
    return 0;
}
