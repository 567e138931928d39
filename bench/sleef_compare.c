/*
 * liblosses' block math against SLEEF 3.5 (Debian's libsleef-dev; the library PyTorch's CPU
 * kernels use), in the benchmark only: the shipped liblosses.so never links SLEEF. For exp, log
 * and log1p on [0, 1], both dtypes: nanoseconds per value on one core over blocks of 4096
 * in-cache values (ours: the copy the dynamic linker picked; SLEEF: its 1-ulp AVX2 functions and,
 * where the CPU has it, AVX-512), and the largest error in ulp against glibc's long double
 * functions over 10^6 random inputs. Prints one JSON object a line for bench/run.py.
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SLEEF's declarations, written out: sleef.h declares each ISA's functions only when the whole
   file is compiled for that ISA, and this program must start on CPUs without AVX-512. */
#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f")))
AVX2 __m256d Sleef_expd4_u10avx2(__m256d);
AVX2 __m256d Sleef_logd4_u10avx2(__m256d);
AVX2 __m256d Sleef_log1pd4_u10avx2(__m256d);
AVX2 __m256 Sleef_expf8_u10avx2(__m256);
AVX2 __m256 Sleef_logf8_u10avx2(__m256);
AVX2 __m256 Sleef_log1pf8_u10avx2(__m256);
AVX512 __m512d Sleef_expd8_u10avx512f(__m512d);
AVX512 __m512d Sleef_logd8_u10avx512f(__m512d);
AVX512 __m512d Sleef_log1pd8_u10avx512f(__m512d);
AVX512 __m512 Sleef_expf16_u10avx512f(__m512);
AVX512 __m512 Sleef_logf16_u10avx512f(__m512);
AVX512 __m512 Sleef_log1pf16_u10avx512f(__m512);

#include "losses_math.h"
#include "../Tests/math/ulp.h"

enum { N = 4096, SAMPLES = 1000000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* SLEEF over a block, one vector at a time (n a multiple of the width). */
#define SLEEF_BLOCK(name, T, V, W, LOAD, STORE, FN, TARGET)                      \
    __attribute__((target(TARGET))) static void name(const T *x, T *y, int64_t n) { \
        for (int64_t i = 0; i < n; i += W) STORE(y + i, FN(LOAD(x + i)));        \
    }
SLEEF_BLOCK(exp_d_avx2, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_expd4_u10avx2, "avx2,fma")
SLEEF_BLOCK(log_d_avx2, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_logd4_u10avx2, "avx2,fma")
SLEEF_BLOCK(log1p_d_avx2, double, __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_log1pd4_u10avx2, "avx2,fma")
SLEEF_BLOCK(exp_f_avx2, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_expf8_u10avx2, "avx2,fma")
SLEEF_BLOCK(log_f_avx2, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_logf8_u10avx2, "avx2,fma")
SLEEF_BLOCK(log1p_f_avx2, float, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_log1pf8_u10avx2, "avx2,fma")
SLEEF_BLOCK(exp_d_512, double, __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_expd8_u10avx512f, "avx512f")
SLEEF_BLOCK(log_d_512, double, __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_logd8_u10avx512f, "avx512f")
SLEEF_BLOCK(log1p_d_512, double, __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_log1pd8_u10avx512f, "avx512f")
SLEEF_BLOCK(exp_f_512, float, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_expf16_u10avx512f, "avx512f")
SLEEF_BLOCK(log_f_512, float, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_logf16_u10avx512f, "avx512f")
SLEEF_BLOCK(log1p_f_512, float, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_log1pf16_u10avx512f, "avx512f")

typedef void (*f64_fn)(const double *, double *, int64_t);
typedef void (*f32_fn)(const float *, float *, int64_t);

typedef struct {
    const char *name;
    long double (*reference)(long double);
    double lo, hi; /* the inputs drawn: uniform in [lo, hi] */
    f64_fn d[3];   /* ours, SLEEF AVX2, SLEEF AVX-512 */
    f32_fn f[3];
} function_t;

static long double ref_exp(long double x) { return expl(x); }
static long double ref_log(long double x) { return logl(x); }
static long double ref_log1p(long double x) { return log1pl(x); }

static const function_t FUNCTIONS[] = {
    {"exp", ref_exp, -80, 80, {_losses_exp_f64, exp_d_avx2, exp_d_512}, {_losses_exp_f32, exp_f_avx2, exp_f_512}},
    {"log", ref_log, 1e-30, 1e30, {_losses_log_f64, log_d_avx2, log_d_512}, {_losses_log_f32, log_f_avx2, log_f_512}},
    {"log1p on [0, 1]", ref_log1p, 0, 1, {_losses_log1p_unit_f64, log1p_d_avx2, log1p_d_512},
     {_losses_log1p_unit_f32, log1p_f_avx2, log1p_f_512}},
};
static const char *IMPLEMENTATIONS[] = {"liblosses", "SLEEF u10 AVX2", "SLEEF u10 AVX-512"};

static uint64_t state = 0x2545F4914F6CDD1Dull;
static double uniform(double lo, double hi) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    double u = (double)(state >> 11) / 9007199254740992.0;
    /* log-uniform for log's wide range, so that every binade is drawn */
    return lo > 0 ? lo * pow(hi / lo, u) : lo + u * (hi - lo);
}

static double median_ns(void (*run)(const void *, void *, int64_t, const void *), const void *fn, const void *x,
                        void *y) {
    double best[15];
    for (int r = 0; r < 15; r++) {
        double t0 = now();
        for (int k = 0; k < 200; k++) run(x, y, N, fn);
        best[r] = (now() - t0) / (200.0 * N) * 1e9;
    }
    for (int i = 0; i < 15; i++)
        for (int j = i + 1; j < 15; j++)
            if (best[j] < best[i]) {
                double t = best[i];
                best[i] = best[j], best[j] = t;
            }
    return best[7];
}

static void run_d(const void *x, void *y, int64_t n, const void *fn) { (*(const f64_fn *)fn)(x, y, n); }
static void run_f(const void *x, void *y, int64_t n, const void *fn) { (*(const f32_fn *)fn)(x, y, n); }

int main(void) {
    __builtin_cpu_init();
    int copies = __builtin_cpu_supports("avx512f") ? 3 : (__builtin_cpu_supports("avx2") ? 2 : 1);
    static double xd[SAMPLES], yd[SAMPLES];
    static float xf[SAMPLES], yf[SAMPLES];
    for (size_t f = 0; f < sizeof FUNCTIONS / sizeof *FUNCTIONS; f++) {
        const function_t *fn = &FUNCTIONS[f];
        for (int i = 0; i < SAMPLES; i++) xf[i] = (float)(xd[i] = uniform(fn->lo, fn->hi));
        for (int c = 0; c < copies; c++) {
            for (int dtype = 0; dtype < 2; dtype++) {
                double worst = 0, ns;
                if (dtype == 0) {
                    fn->d[c](xd, yd, SAMPLES);
                    for (int i = 0; i < SAMPLES; i++) {
                        double e = ulp_error(yd[i], fn->reference(xd[i]), DBL_MANT_DIG, DBL_MIN_EXP - 1, DBL_MAX);
                        if (e > worst) worst = e;
                    }
                    ns = median_ns(run_d, &fn->d[c], xd, yd);
                } else {
                    fn->f[c](xf, yf, SAMPLES);
                    for (int i = 0; i < SAMPLES; i++) {
                        double e = ulp_error(yf[i], fn->reference(xf[i]), FLT_MANT_DIG, FLT_MIN_EXP - 1, FLT_MAX);
                        if (e > worst) worst = e;
                    }
                    ns = median_ns(run_f, &fn->f[c], xf, yf);
                }
                printf("{\"function\": \"%s\", \"dtype\": \"%s\", \"implementation\": \"%s\", \"ns_per_value\": %.4f, "
                       "\"max_ulp\": %.4f}\n", fn->name, dtype ? "float32" : "float64", IMPLEMENTATIONS[c], ns, worst);
            }
        }
    }
    return 0;
}
