/* The matrix products of row_products.c: every copy this CPU can run (AVX-512, AVX2 with FMA,
   baseline with glibc's software fma) gives the same bits, and each entry equals the one fma
   chain the library promises, computed here by a plain loop, for shapes that exercise every
   edge of the blocking (partial panels, partial micro-tiles, several passes over the summed
   index, a zero width). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "losses_math.h"

/* The target_clones copies, by the names clang gives them. */
#define COPIES(name, ...)                                                                                  \
    void name##_v4(__VA_ARGS__) __asm__("_losses_" #name ".arch_x86-64-v4.0");                          \
    void name##_v3(__VA_ARGS__) __asm__("_losses_" #name ".arch_x86-64-v3.1");                          \
    void name##_baseline(__VA_ARGS__) __asm__("_losses_" #name ".default.2");
COPIES(row_dots_f64, const double *, int64_t, int64_t, const double *, int64_t, int64_t, int64_t, double *, int64_t)
typedef void (*dots_t)(const double *, int64_t, int64_t, const double *, int64_t, int64_t, int64_t, double *, int64_t);

static int runnable_copies(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return 3;
    return __builtin_cpu_supports("x86-64-v3") ? 2 : 1;
}

static double uniform(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (double)(*seed >> 8) / (double)(1u << 24) - 0.5;
}

int main(void) {
    static const int shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {8, 8, 8}, {13, 17, 300}, {40, 9, 513}, {5, 4, 0}, {33, 65, 256}};
    dots_t copies[3] = {row_dots_f64_baseline, row_dots_f64_v3, row_dots_f64_v4};
    int failures = 0, checked = 0, runnable = runnable_copies();
    unsigned seed = 12345;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s][0], n = shapes[s][1], d = shapes[s][2];
        double *a = malloc(sizeof(double) * (size_t)(m * d + 1)), *b = malloc(sizeof(double) * (size_t)(n * d + 1));
        double *panels = malloc(sizeof(double) * (size_t)(((n + 7) / 8) * 8 * d + 1));
        double *c[3];
        for (int k = 0; k < m * d; k++) a[k] = uniform(&seed) * (k % 7 == 0 ? 1e8 : 1.0);
        for (int k = 0; k < n * d; k++) b[k] = uniform(&seed);
        _losses_pack_rows_f64(b, d, n, d, panels);
        for (int copy = 0; copy < runnable; copy++) {
            c[copy] = malloc(sizeof(double) * (size_t)(m * n + 1));
            copies[copy](a, d, m, panels, n, 0, d, c[copy], n);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double chain = 0;
                for (int k = 0; k < d; k++) chain = fma(a[i * d + k], b[j * d + k], chain);
                for (int copy = 0; copy < runnable; copy++) {
                    checked++;
                    if (memcmp(&chain, &c[copy][i * n + j], sizeof chain)) {
                        if (failures++ < 5)
                            fprintf(stderr, "FAIL %dx%dx%d copy %d (%d, %d): %.17g, the chain gives %.17g\n", m, n, d,
                                    copy, i, j, c[copy][i * n + j], chain);
                    }
                }
            }
        }
        for (int copy = 0; copy < runnable; copy++) free(c[copy]);
        free(a), free(b), free(panels);
    }
    printf("row products: %d entries of %d copies (of 3) equal to the fma chain bit for bit, %d failed\n", checked,
           runnable, failures);
    return failures != 0;
}
