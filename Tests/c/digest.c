/*
 * The bits of every loss: each loss of the header, both dtypes, unreduced and mean, small and
 * past the threaded threshold, and small with extreme values planted in every input (±inf, NaN,
 * -0, ±1e30, a subnormal, ±40), every gradient, hashed and printed one line per call (or the
 * status, where the library refuses the values). The same
 * output under any LOSSES_NUM_THREADS and with LOSSES_SIMD=baseline (the baseline copy of the
 * Swift kernels instead of the AVX2 one) is the library's promise that results depend on
 * neither; `make test` compares them.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "jobs.h"
#include "losses.h"
#include "shapes.h"

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* One output hashed value by value, every NaN as the same bits: a NaN's sign and payload are
   not part of the promise (docs/README.md), its being NaN is. */
static uint64_t hash_values(uint64_t h, const void *p, size_t bytes, int f32) {
    size_t width = f32 ? 4 : 8;
    for (size_t i = 0; i + width <= bytes; i += width) {
        unsigned char v[8];
        memcpy(v, (const unsigned char *)p + i, width);
        int nan = f32 ? isnan(*(float *)(void *)v) : isnan(*(double *)(void *)v);
        if (nan) memset(v, 0xFF, width);
        h = fnv1a(h, v, width);
    }
    return h;
}

/* Extreme values at spread positions of every input tensor of a job, and of an update's tables. */
static void plant(void *values, int64_t count, int f32) {
    static const double extremes[] = {INFINITY, -INFINITY, NAN, -0.0, 1e30, -1e30, 1e-310, 40, -40};
    for (int64_t k = 0; k < (int64_t)(sizeof extremes / sizeof *extremes) && 7 * k < count; k++) {
        if (f32)
            ((float *)values)[7 * k] = (float)extremes[k];
        else
            ((double *)values)[7 * k] = extremes[k];
    }
}

static void plant_extremes(job_t *job) {
    const loss_t *l = find_loss(job->loss);
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        if (p->kind != KIND_TENSOR) continue;
        void **slot = field(&job->args, p->name, p->kind);
        if (!*slot) continue;
        plant(*slot, buffer_count(job->loss, p->name, &job->args), job->f32);
    }
    for (int o = 0; o < job->outputs; o++)
        if (job->initial[o]) plant(job->initial[o], (int64_t)(job->bytes[o] / (job->f32 ? 4 : 8)), job->f32);
}

int main(void) {
    unsigned seed = 1;
    for (int l = 0; l < LOSS_COUNT; l++)
        for (int f32 = 0; f32 < 2; f32++)
            for (int large = 0; large < 3; large++) /* 2: small, with extreme values */
                for (int32_t reduction = LOSSES_REDUCTION_NONE; reduction <= LOSSES_REDUCTION_MEAN; reduction++) {
                    job_t job;
                    void *got[MAX_PARAMS];
                    make_job(&job, LOSS_NAMES[l], f32, large == 1, reduction, seed++, NULL);
                    if (large == 2) plant_extremes(&job);
                    int32_t status = run_job(&job, got);
                    const char *size = large == 0 ? "small" : (large == 1 ? "large" : "extreme");
                    if (status != LOSSES_OK && large != 2) {
                        fprintf(stderr, "%s failed: %s\n", LOSS_NAMES[l], losses_last_error());
                        return 2;
                    }
                    if (status != LOSSES_OK) { /* the values refused: the same status on every copy */
                        printf("%s %s %s %s refused %d\n", LOSS_NAMES[l], f32 ? "f32" : "f64", size,
                               reduction == LOSSES_REDUCTION_NONE ? "none" : "mean", (int)status);
                        free_outputs(&job, got);
                        continue;
                    }
                    uint64_t h = 0xcbf29ce484222325ull;
                    for (int k = 0; k < job.outputs; k++) h = hash_values(h, got[k], job.bytes[k], f32);
                    printf("%s %s %s %s %016llx\n", LOSS_NAMES[l], f32 ? "f32" : "f64", size,
                           reduction == LOSSES_REDUCTION_NONE ? "none" : "mean", (unsigned long long)h);
                    free_outputs(&job, got);
                }
    return 0;
}
