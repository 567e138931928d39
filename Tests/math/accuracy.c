/*
 * The block math of CLossesMath against glibc's long double functions (64-bit significands: a
 * reference 2^-11 ulp from the true value for float64 results, 2^-40 for float32 ones), in ulp
 * of the result's type. float32: every float of each function's domain (2^32 inputs for exp
 * and log, every float in [0, 1] for log1p_unit). float64: 10^7 random inputs over each domain
 * plus the edge cases (±0, subnormals, the overflow and underflow thresholds, ±inf, NaN).
 * Fails when a function exceeds the bound its header comment promises. Prints the ulp table
 * of the README.
 *
 * Built against the library's own sources (make test-math), so the copy tested is the copy
 * this CPU's dispatch picks in liblosses.so.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "losses_math.h"
#include "ulp.h"

enum { BLOCK = 4096 };

/* Every copy of a block function, by the names clang gives target_clones copies, so that the
   copies this CPU can run are compared bit for bit: the library promises the same bits on
   every CPU. */
#define COPIES(name, T)                                                                          \
    void name##_avx512(const T *, T *, int64_t) __asm__("_losses_" #name ".avx512f.0");          \
    void name##_avx2(const T *, T *, int64_t) __asm__("_losses_" #name ".avx2.1");               \
    void name##_baseline(const T *, T *, int64_t) __asm__("_losses_" #name ".default.2");
COPIES(exp_f32, float)
COPIES(log_f32, float)
COPIES(log1p_unit_f32, float)
COPIES(exp_f64, double)
COPIES(log_f64, double)
COPIES(log1p_unit_f64, double)

typedef struct {
    void (*f32[3])(const float *, float *, int64_t);
    void (*f64[3])(const double *, double *, int64_t);
} copies_t;

static const copies_t COPIES_OF[] = {
    {{exp_f32_baseline, exp_f32_avx2, exp_f32_avx512}, {exp_f64_baseline, exp_f64_avx2, exp_f64_avx512}},
    {{log_f32_baseline, log_f32_avx2, log_f32_avx512}, {log_f64_baseline, log_f64_avx2, log_f64_avx512}},
    {{log1p_unit_f32_baseline, log1p_unit_f32_avx2, log1p_unit_f32_avx512},
     {log1p_unit_f64_baseline, log1p_unit_f64_avx2, log1p_unit_f64_avx512}},
};

/* How many copies this CPU runs: baseline, then AVX2, then AVX-512. */
static int runnable_copies(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 3;
    return __builtin_cpu_supports("avx2") ? 2 : 1;
}

static _Atomic int copies_differ = 0; /* written by both float32 threads */

static void compare_copies_f32(size_t f, const float *x, int n) {
    float a[BLOCK], b[BLOCK];
    COPIES_OF[f].f32[0](x, a, n);
    for (int c = 1; c < runnable_copies(); c++) {
        COPIES_OF[f].f32[c](x, b, n);
        if (memcmp(a, b, sizeof(float) * (size_t)n)) copies_differ++;
    }
}

static void compare_copies_f64(size_t f, const double *x, int n) {
    double a[BLOCK], b[BLOCK];
    COPIES_OF[f].f64[0](x, a, n);
    for (int c = 1; c < runnable_copies(); c++) {
        COPIES_OF[f].f64[c](x, b, n);
        if (memcmp(a, b, sizeof(double) * (size_t)n)) copies_differ++;
    }
}

typedef struct {
    const char *name;
    void (*f32)(const float *, float *, int64_t);
    void (*f64)(const double *, double *, int64_t);
    long double (*reference)(long double);
    float lo32, hi32; /* float32 domain (all floats between, both signs if lo < 0) */
    double lo64, hi64; /* float64 random domain */
    double bound32, bound64; /* promised, in ulp */
} function_t;

static long double ref_log1p(long double x) { return log1pl(x); }
static long double ref_exp(long double x) { return expl(x); }
static long double ref_log(long double x) { return logl(x); }

static const function_t FUNCTIONS[] = {
    {"exp", _losses_exp_f32, _losses_exp_f64, ref_exp, -INFINITY, INFINITY, -750, 712, 1.0, 1.0},
    {"log", _losses_log_f32, _losses_log_f64, ref_log, -INFINITY, INFINITY, -1, 1e308, 1.0, 1.0},
    {"log1p_unit", _losses_log1p_unit_f32, _losses_log1p_unit_f64, ref_log1p, 0, 1, 0, 1, 1.0, 1.0},
};

typedef struct {
    const function_t *fn;
    size_t index; /* in FUNCTIONS and COPIES_OF */
    uint64_t first, last; /* float32 bit patterns [first, last) */
    double worst;
    float worst_input;
    uint64_t count;
} job32_t;

static int in_domain32(const function_t *fn, float x) {
    if (isnan(x)) return 1;
    return x >= fn->lo32 && x <= fn->hi32;
}

static void *run32(void *arg) {
    job32_t *job = arg;
    float *x = malloc(BLOCK * sizeof *x), *y = malloc(BLOCK * sizeof *y);
    uint64_t bits = job->first;
    while (bits < job->last) {
        int n = 0;
        for (; n < BLOCK && bits < job->last; bits++) {
            uint32_t b = (uint32_t)bits;
            float v;
            memcpy(&v, &b, sizeof v);
            if (in_domain32(job->fn, v)) x[n++] = v;
        }
        job->fn->f32(x, y, n);
        compare_copies_f32(job->index, x, n);
        for (int i = 0; i < n; i++) {
            double err = ulp_error(y[i], job->fn->reference(x[i]), FLT_MANT_DIG, FLT_MIN_EXP - 1, FLT_MAX);
            if (err > job->worst) job->worst = err, job->worst_input = x[i];
        }
        job->count += (uint64_t)n;
    }
    free(x);
    free(y);
    return NULL;
}

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { /* splitmix64 */
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random double of the domain: half uniform in [lo, hi], half random bit patterns kept when
   inside it (every binade near 0 and the subnormals), plus the edge cases. */
static double draw64(const function_t *fn, uint64_t i) {
    static const double edges[] = {0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.0, 0.5, 0.49999999999999994,
                                   0.7071067811865476, 1.4142135623730951, 709.782712893384, 709.7827128933841,
                                   -745.1332191019411, -745.1332191019412, -708.4, -1.0, 1e-300, 1.0000000000000002,
                                   0.9999999999999999, INFINITY, -INFINITY, NAN};
    if (i < sizeof edges / sizeof *edges && (isnan(edges[i]) || (edges[i] >= fn->lo64 && edges[i] <= fn->hi64)))
        return edges[i];
    if (i & 1) {
        double u = (double)(next() >> 11) / 9007199254740992.0;
        return fn->lo64 + u * (fn->hi64 - fn->lo64);
    }
    for (;;) {
        uint64_t b = next();
        double v;
        memcpy(&v, &b, sizeof v);
        if (v >= fn->lo64 && v <= fn->hi64) return v;
    }
}

int main(int argc, char **argv) {
    /* --quick (make test): every 997th float32 pattern and 10^6 float64 inputs. */
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    const uint64_t stride = 997;
    int failures = 0;
    printf("| function | float32 max ulp (inputs) | float64 max ulp (inputs) |\n|---|---|---|\n");
    for (size_t f = 0; f < sizeof FUNCTIONS / sizeof *FUNCTIONS; f++) {
        const function_t *fn = &FUNCTIONS[f];
        /* float32: every pattern, split over two threads (a stride through them with --quick). */
        job32_t jobs[2] = {{fn, f, 0, 1ull << 31, 0, 0, 0}, {fn, f, 1ull << 31, 1ull << 32, 0, 0, 0}};
        if (quick) {
            /* A stride through all patterns, on one thread. */
            jobs[0].last = 0;
            float *x = malloc(BLOCK * sizeof *x), *y = malloc(BLOCK * sizeof *y);
            for (uint64_t bits = 0; bits < (1ull << 32);) {
                int n = 0;
                for (; n < BLOCK && bits < (1ull << 32); bits += stride) {
                    uint32_t b = (uint32_t)bits;
                    float v;
                    memcpy(&v, &b, sizeof v);
                    if (in_domain32(fn, v)) x[n++] = v;
                }
                fn->f32(x, y, n);
                compare_copies_f32(f, x, n);
                for (int i = 0; i < n; i++) {
                    double err = ulp_error(y[i], fn->reference(x[i]), FLT_MANT_DIG, FLT_MIN_EXP - 1, FLT_MAX);
                    if (err > jobs[0].worst) jobs[0].worst = err, jobs[0].worst_input = x[i];
                }
                jobs[0].count += (uint64_t)n;
            }
            free(x);
            free(y);
        } else {
            pthread_t threads[2];
            for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, run32, &jobs[t]);
            for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
        }
        job32_t *worst = jobs[1].worst > jobs[0].worst ? &jobs[1] : &jobs[0];

        uint64_t n64 = quick ? 1000000 : 10000000, done = 0;
        double worst64 = 0, worst64_input = 0;
        double *x = malloc(BLOCK * sizeof *x), *y = malloc(BLOCK * sizeof *y);
        while (done < n64) {
            int n = 0;
            for (; n < BLOCK && done < n64; n++, done++) x[n] = draw64(fn, done);
            fn->f64(x, y, n);
            compare_copies_f64(f, x, n);
            for (int i = 0; i < n; i++) {
                double err = ulp_error(y[i], fn->reference(x[i]), DBL_MANT_DIG, DBL_MIN_EXP - 1, DBL_MAX);
                if (err > worst64) worst64 = err, worst64_input = x[i];
            }
        }
        free(x);
        free(y);
        printf("| %s | %.3f (%llu%s) | %.3f (%llu) |\n", fn->name, worst->worst,
               (unsigned long long)(jobs[0].count + jobs[1].count), quick ? ", every 997th" : ", all",
               worst64, (unsigned long long)n64);
        if (worst->worst > fn->bound32) {
            fprintf(stderr, "FAIL %s float32: %.3f ulp at %a (bound %.1f)\n", fn->name, worst->worst,
                    (double)worst->worst_input, fn->bound32);
            failures++;
        }
        if (worst64 > fn->bound64) {
            fprintf(stderr, "FAIL %s float64: %.3f ulp at %a (bound %.1f)\n", fn->name, worst64, worst64_input,
                    fn->bound64);
            failures++;
        }
    }
    printf("\n%d of the 3 copies (baseline, AVX2, AVX-512) run on this CPU; %s\n", runnable_copies(),
           copies_differ ? "they DIFFER" : "they agree bit for bit on every input above");
    if (copies_differ) {
        fprintf(stderr, "FAIL the instruction-set copies differ on %d blocks\n", copies_differ);
        failures++;
    }
    return failures != 0;
}
