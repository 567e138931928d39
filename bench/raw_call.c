/*
 * Times the raw C call of liblosses (no Python) for the benchmark workloads, on all cores and,
 * for the large ones, on one; the machine's read bandwidth (a vectorised sum over two arrays,
 * on one core and on all cores together); and the math floor of the compute-bound rows: the
 * library's own block math (built in from Sources/CLossesMath, the same clones) over the same
 * elements on all cores, with nothing else. Prints one JSON object a line; bench/run.py reads
 * them.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "losses.h"
#include "losses_math.h"

static int cores = 1;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of repeated timings, repeating until about 0.3 s have been spent (at least 5). */
#define MEDIAN(result, statement)                                         \
    do {                                                                  \
        double times[2000];                                               \
        int count = 0;                                                    \
        double start = now();                                             \
        statement; /* warm-up */                                          \
        while (count < 2000 && (count < 5 || now() - start < 0.3)) {      \
            double t0 = now();                                            \
            statement;                                                    \
            times[count++] = now() - t0;                                  \
        }                                                                 \
        qsort(times, (size_t)count, sizeof(double), compare);             \
        result = times[count / 2];                                        \
    } while (0)

static float sum_f32(const float *a, const float *b, int64_t n) {
    float acc[16] = {0};
    for (int64_t i = 0; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) acc[k] += a[i + k] + b[i + k];
    float s = 0;
    for (int k = 0; k < 16; k++) s += acc[k];
    return s;
}

static void report(const char *loss, const char *dtype, const char *shape, int grad, const char *what, double seconds) {
    printf("{\"impl\": \"liblosses C\", \"loss\": \"%s\", \"dtype\": \"%s\", \"shape\": \"%s\", \"grad\": %d, "
           "\"what\": \"%s\", \"seconds\": %.9g}\n", loss, dtype, shape, grad, what, seconds);
}

/* Runs job(first, count, arg) over [0, n) split in `cores` slices, one thread each. */
typedef void (*slice_fn)(int64_t first, int64_t count, void *arg);
typedef struct { slice_fn fn; int64_t first, count; void *arg; } slice_t;
static void *run_slice(void *p) {
    slice_t *s = p;
    s->fn(s->first, s->count, s->arg);
    return NULL;
}
static void on_all_cores(slice_fn fn, int64_t n, void *arg) {
    pthread_t threads[64];
    slice_t slices[64];
    int k = cores < 64 ? cores : 64;
    for (int i = 0; i < k; i++) {
        slices[i] = (slice_t){fn, n * i / k, n * (i + 1) / k - n * i / k, arg};
        if (i) pthread_create(&threads[i], NULL, run_slice, &slices[i]);
    }
    run_slice(&slices[0]);
    for (int i = 1; i < k; i++) pthread_join(threads[i], NULL);
}

typedef struct { const void *a, *b; void *x, *y, *z; volatile double sink; } buffers_t;

static void sum_slice(int64_t first, int64_t count, void *arg) {
    buffers_t *b = arg;
    b->sink += sum_f32((const float *)b->a + first, (const float *)b->b + first, count);
}

/* The math floors: a row's block math alone, its results kept in cache-resident scratch as the
   drivers keep them (blocks of 512 values; a softmax row's exponentials go to the gradient only
   when the row computes one), so that the floor is the arithmetic, not memory traffic. */
#define MATH_FLOORS(T, SUFFIX)                                                                     \
    static void logistic_slice_##SUFFIX(int64_t first, int64_t count, void *arg) {                \
        buffers_t *b = arg;                                                                        \
        T e[512], l[512], r[512];                                                                  \
        for (int64_t i = first; i < first + count; i += 512) {                                     \
            int64_t m = first + count - i < 512 ? first + count - i : 512;                         \
            _losses_logistic_parts_##SUFFIX((const T *)b->a + i, e, l, r, m);                      \
            b->sink += (double)e[0];                                                               \
        }                                                                                          \
    }                                                                                              \
    static int64_t row_classes_##SUFFIX;                                                           \
    static void softmax_slice_##SUFFIX(int64_t first, int64_t count, void *arg) {                 \
        buffers_t *b = arg;                                                                        \
        int64_t c = row_classes_##SUFFIX;                                                          \
        T *scratch = malloc(sizeof(T) * (size_t)c);                                                \
        for (int64_t r = first; r < first + count; r++) {                                          \
            const T *row = (const T *)b->a + r * c;                                                \
            T *into = b->x ? (T *)b->x + r * c : scratch;                                          \
            b->sink += (double)_losses_exp_shifted_sum_##SUFFIX(row, _losses_max_##SUFFIX(row, c), into, c); \
        }                                                                                          \
        free(scratch);                                                                             \
    }
MATH_FLOORS(float, f32)
MATH_FLOORS(double, f64)

static void report_floor(const char *loss, const char *dtype, const char *shape, int grad, double seconds) {
    printf("{\"math_floor\": \"%s\", \"dtype\": \"%s\", \"shape\": \"%s\", \"grad\": %d, \"seconds\": %.9g}\n",
           loss, dtype, shape, grad, seconds);
}

#define ELEMENTWISE(T, SUFFIX, DTYPE)                                                                         \
    static void elementwise_##SUFFIX(int64_t n) {                                                            \
        T *x = malloc(sizeof(T) * (size_t)n), *y = malloc(sizeof(T) * (size_t)n), *g = malloc(sizeof(T) * (size_t)n); \
        for (int64_t i = 0; i < n; i++) {                                                                    \
            x[i] = (T)((i * 7919) % 1000) / 250 - 2;                                                          \
            y[i] = (T)((i * 104729) % 1000) / 1000;                                                           \
        }                                                                                                    \
        char shape[32];                                                                                      \
        snprintf(shape, sizeof shape, "%lld", (long long)n);                                                  \
        T out;                                                                                               \
        double t;                                                                                            \
        int32_t s = 0;                                                                                       \
        for (int one = 0; one < (n >= 1000000 ? 2 : 1); one++) {                                             \
            const char *what = one ? "one_thread" : "seconds";                                               \
            (void)!losses_set_num_threads(one ? 1 : 0);                                                         \
            for (int grad = 0; grad < 2; grad++) {                                                           \
                MEDIAN(t, s |= losses_mse_loss_##SUFFIX(x, y, NULL, n, 1, &out, grad ? g : NULL, NULL));     \
                report("mse_loss", DTYPE, shape, grad, what, t);                                             \
                MEDIAN(t, s |= losses_huber_loss_##SUFFIX(x, y, NULL, n, 1.0, 1, &out, grad ? g : NULL, NULL)); \
                report("huber_loss", DTYPE, shape, grad, what, t);                                           \
                MEDIAN(t, s |= losses_binary_cross_entropy_with_logits_##SUFFIX(x, y, NULL, NULL, n, 0, 1, &out, \
                                                                              grad ? g : NULL, NULL));      \
                report("binary_cross_entropy_with_logits", DTYPE, shape, grad, what, t);                     \
            }                                                                                                \
        }                                                                                                    \
        (void)!losses_set_num_threads(0);                                                                      \
        if (n >= 1000000) {                                                                                  \
            buffers_t b = {x, NULL, NULL, NULL, NULL, 0};                                                    \
            MEDIAN(t, on_all_cores(logistic_slice_##SUFFIX, n, &b));                                         \
            report_floor("binary_cross_entropy_with_logits", DTYPE, shape, 0, t);                            \
            report_floor("binary_cross_entropy_with_logits", DTYPE, shape, 1, t);                            \
        }                                                                                                    \
        if (s) fprintf(stderr, "a call failed: %s\n", losses_last_error());                                 \
        free(x), free(y), free(g);                                                                           \
    }                                                                                                        \
    static void classes_##SUFFIX(int64_t n, int64_t c) {                                                     \
        T *x = malloc(sizeof(T) * (size_t)(n * c)), *g = malloc(sizeof(T) * (size_t)(n * c));                \
        int64_t *y = malloc(sizeof(int64_t) * (size_t)n);                                                    \
        for (int64_t i = 0; i < n * c; i++) x[i] = (T)((i * 7919) % 1000) / 250 - 2;                          \
        for (int64_t i = 0; i < n; i++) y[i] = (i * 31) % c;                                                  \
        char shape[32];                                                                                      \
        snprintf(shape, sizeof shape, "%lldx%lld", (long long)n, (long long)c);                               \
        T out;                                                                                               \
        double t;                                                                                            \
        int32_t s = 0;                                                                                       \
        for (int one = 0; one < (n * c >= 1000000 ? 2 : 1); one++) {                                         \
            const char *what = one ? "one_thread" : "seconds";                                               \
            (void)!losses_set_num_threads(one ? 1 : 0);                                                         \
            for (int grad = 0; grad < 2; grad++) {                                                           \
                MEDIAN(t, s |= losses_cross_entropy_##SUFFIX(x, y, NULL, n, c, 1, -100, 0.0, 1, &out,         \
                                                            grad ? g : NULL, NULL));                        \
                report("cross_entropy", DTYPE, shape, grad, what, t);                                        \
            }                                                                                                \
        }                                                                                                    \
        (void)!losses_set_num_threads(0);                                                                      \
        if (n * c >= 1000000) {                                                                              \
            row_classes_##SUFFIX = c;                                                                        \
            for (int grad = 0; grad < 2; grad++) {                                                           \
                buffers_t b = {x, NULL, grad ? g : NULL, NULL, NULL, 0};                                     \
                MEDIAN(t, on_all_cores(softmax_slice_##SUFFIX, n, &b));                                      \
                report_floor("cross_entropy", DTYPE, shape, grad, t);                                        \
            }                                                                                                \
        }                                                                                                    \
        if (s) fprintf(stderr, "a call failed: %s\n", losses_last_error());                                 \
        free(x), free(y), free(g);                                                                           \
    }

ELEMENTWISE(float, f32, "float32")
ELEMENTWISE(double, f64, "float64")

int main(void) {
    cores = losses_get_num_threads();
    /* 4·10^7 floats per array (320 MB in all): far past any cache, so this is memory. */
    int64_t n = 40000000;
    float *a = malloc(sizeof(float) * (size_t)n), *b = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) a[i] = b[i] = 1.0f;
    double t, t_all;
    volatile float sink = 0;
    MEDIAN(t, sink += sum_f32(a, b, n));
    buffers_t both = {a, b, NULL, NULL, NULL, 0};
    MEDIAN(t_all, on_all_cores(sum_slice, n, &both));
    printf("{\"bandwidth_bytes_per_second\": %.6g, \"bandwidth_all_cores\": %.6g, \"cores\": %d}\n",
           8.0 * (double)n / t, 8.0 * (double)n / t_all, cores);
    free(a), free(b);
    n = 10000000;
    const int64_t sizes[] = {10, 1000000, 10000000};
    for (int i = 0; i < 3; i++) {
        elementwise_f32(sizes[i]);
        elementwise_f64(sizes[i]);
    }
    const int64_t shapes[][2] = {{1, 10}, {256, 10}, {4096, 1000}};
    for (int i = 0; i < 3; i++) {
        classes_f32(shapes[i][0], shapes[i][1]);
        classes_f64(shapes[i][0], shapes[i][1]);
    }
    return 0;
}
