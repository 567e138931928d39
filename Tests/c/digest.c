/*
 * The bits of every loss: each loss of the header, both dtypes, unreduced and mean, small and
 * past the threaded threshold, every gradient, hashed and printed one line per call. The same
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

int main(void) {
    unsigned seed = 1;
    for (int l = 0; l < LOSS_COUNT; l++)
        for (int f32 = 0; f32 < 2; f32++)
            for (int large = 0; large < 2; large++)
                for (int32_t reduction = LOSSES_REDUCTION_NONE; reduction <= LOSSES_REDUCTION_MEAN; reduction++) {
                    job_t job;
                    void *got[MAX_PARAMS];
                    make_job(&job, LOSS_NAMES[l], f32, large, reduction, seed++, NULL);
                    if (run_job(&job, got) != LOSSES_OK) {
                        fprintf(stderr, "%s failed: %s\n", LOSS_NAMES[l], losses_last_error());
                        return 2;
                    }
                    uint64_t h = 0xcbf29ce484222325ull;
                    for (int k = 0; k < job.outputs; k++) h = hash_values(h, got[k], job.bytes[k], f32);
                    printf("%s %s %s %s %016llx\n", LOSS_NAMES[l], f32 ? "f32" : "f64", large ? "large" : "small",
                           reduction == LOSSES_REDUCTION_NONE ? "none" : "mean", (unsigned long long)h);
                    free_outputs(&job, got);
                }
    return 0;
}
