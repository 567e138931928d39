/* A call of any loss, built once and run many times: the unit of the C thread stress and the
   sanitizer stress. */
#ifndef LOSSES_TEST_JOBS_H
#define LOSSES_TEST_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "calls.h"

typedef struct {
    const char *loss;
    int f32;
    args_t args;               /* inputs filled, outputs NULL until run_job */
    int outputs;               /* how many output parameters */
    size_t offset[MAX_PARAMS]; /* where each output's pointer is in args_t */
    size_t bytes[MAX_PARAMS];  /* its size */
    void *initial[MAX_PARAMS]; /* an update's table: the values each run starts from (NULL for an
                                  output, whose fresh buffer is left as malloc gives it) */
} job_t;

/* A call of `loss` with the header's defaults and every gradient: inputs (and an update's tables)
   in (0, 1) from `seed`, labels in [0, c) (or `labels`, shared, when not NULL and the loss's fit:
   at most SHARED_LABEL_COUNT of them, class indices below at least SHARED_LABEL_BOUND), every seventh one
   the loss's ignore_index when it has one, small sizes or, with `large`, sizes past the
   library's threaded threshold. */
/* The shared labels make_job may be given: this many, each in [0, SHARED_LABEL_BOUND). */
#define SHARED_LABEL_COUNT 4096
#define SHARED_LABEL_BOUND 100

void make_job(job_t *job, const char *loss, int f32, int large, int32_t reduction, unsigned seed,
              const int64_t *labels);

/* Runs the job into freshly allocated outputs, returned in `got` (free_outputs frees them); an
   update's tables start as copies of their initial values. */
int32_t run_job(const job_t *job, void *got[MAX_PARAMS]);
void free_outputs(const job_t *job, void *got[MAX_PARAMS]);

#endif
