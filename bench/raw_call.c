/*
 * Times the raw C call of liblosses (no Python) for the benchmark workloads, and the machine's
 * read bandwidth: a vectorised sum over two arrays on one core. Prints one JSON object a line;
 * bench/run.py reads them. Usage: raw_call [repeats-scale]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "losses.h"

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

static void report(const char *loss, const char *dtype, const char *shape, int grad, double seconds) {
    printf("{\"impl\": \"liblosses C\", \"loss\": \"%s\", \"dtype\": \"%s\", \"shape\": \"%s\", \"grad\": %d, "
           "\"seconds\": %.9g}\n", loss, dtype, shape, grad, seconds);
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
        for (int grad = 0; grad < 2; grad++) {                                                               \
            MEDIAN(t, s |= losses_mse_loss_##SUFFIX(x, y, NULL, n, 1, &out, grad ? g : NULL, NULL));         \
            report("mse_loss", DTYPE, shape, grad, t);                                                       \
            MEDIAN(t, s |= losses_huber_loss_##SUFFIX(x, y, NULL, n, 1.0, 1, &out, grad ? g : NULL, NULL));  \
            report("huber_loss", DTYPE, shape, grad, t);                                                     \
            MEDIAN(t, s |= losses_binary_cross_entropy_with_logits_##SUFFIX(x, y, NULL, NULL, n, 0, 1, &out,  \
                                                                          grad ? g : NULL, NULL));          \
            report("binary_cross_entropy_with_logits", DTYPE, shape, grad, t);                               \
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
        for (int grad = 0; grad < 2; grad++) {                                                               \
            MEDIAN(t, s |= losses_cross_entropy_##SUFFIX(x, y, NULL, n, c, 1, -100, 0.0, 1, &out,             \
                                                        grad ? g : NULL, NULL));                            \
            report("cross_entropy", DTYPE, shape, grad, t);                                                  \
        }                                                                                                    \
        if (s) fprintf(stderr, "a call failed: %s\n", losses_last_error());                                 \
        free(x), free(y), free(g);                                                                           \
    }

ELEMENTWISE(float, f32, "float32")
ELEMENTWISE(double, f64, "float64")

int main(void) {
    int64_t n = 10000000;
    float *a = malloc(sizeof(float) * (size_t)n), *b = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) a[i] = b[i] = 1.0f;
    double t;
    volatile float sink = 0;
    MEDIAN(t, sink += sum_f32(a, b, n));
    printf("{\"bandwidth_bytes_per_second\": %.6g, \"read_two_1e7_f32_seconds\": %.9g}\n", 8.0 * (double)n / t, t);
    free(a), free(b);
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
