/*
 * Thread stress: many threads calling every loss at once produce exactly the serial results
 * (compared bit for bit), and each thread's error message stays its own. Sizes include large
 * inputs, which the library may split across its own threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "losses.h"
#include "shapes.h"

enum { THREADS = 8, ROUNDS = 6 };

typedef struct {
    const char *loss;
    int f32;
    args_t args;
    int outputs;                          /* how many output parameters */
    void **slots[MAX_PARAMS];             /* where each output's pointer goes in args */
    size_t bytes[MAX_PARAMS];             /* its size */
    void *want[MAX_PARAMS];               /* its serial result */
} job_t;

static job_t *jobs;
static int job_count;

static double uniform(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return 0.01 + 0.98 * (double)((*state >> 8) & 0xFFFFFF) / (double)0x1000000;
}

static void *filled(size_t count, int f32, unsigned *state) {
    void *p = malloc((count ? count : 1) * (f32 ? sizeof(float) : sizeof(double)));
    for (size_t i = 0; i < count; i++) {
        double v = uniform(state);
        if (f32) ((float *)p)[i] = (float)v;
        else ((double *)p)[i] = v;
    }
    return p;
}

/* A job of `size` (small, or large enough for the library's own threads) for any loss: its
   inputs filled with values in (0, 1), every gradient asked for, the header's defaults. */
static void add_job(const char *loss, int f32, int large, int32_t reduction, unsigned seed) {
    job_t *j = &jobs[job_count++];
    memset(j, 0, sizeof *j);
    j->loss = loss;
    j->f32 = f32;
    args_t *a = &j->args;
    set_defaults(loss, a);
    a->reduction = reduction;
    a->c = a->m = a->d = a->q = 1;
    switch (layout_of(loss)) {
    case LAYOUT_CLASSES: a->n = large ? 4096 : 97, a->c = large ? 100 : 10; break;
    case LAYOUT_ROWS: a->n = large ? 4096 : 97, a->m = large ? 64 : 9, a->d = large ? 64 : 10; break;
    default: a->n = large ? 300001 : 3001; break;
    }
    size_t width = f32 ? sizeof(float) : sizeof(double);
    const loss_t *l = find_loss(loss);
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        void *slot = field(a, p->name, p->kind);
        int required = !strcmp(p->name, "input") || !strcmp(p->name, "target") || !strcmp(p->name, "x1") ||
                       !strcmp(p->name, "x2");
        if (p->kind == KIND_TENSOR && required)
            *(const void **)slot = filled((size_t)buffer_count(loss, p->name, a), f32, &seed);
        if (p->kind == KIND_LABELS) {
            size_t count = (size_t)buffer_count(loss, p->name, a);
            int64_t *labels = malloc(sizeof(int64_t) * count);
            for (size_t k = 0; k < count; k++) labels[k] = (int64_t)(uniform(&seed) * (double)a->c) % a->c;
            *(const int64_t **)slot = labels;
        }
        if (p->kind == KIND_DOUBLES && has_param(loss, "q") && !strcmp(p->name, "quantile")) {
            double *quantile = malloc(sizeof(double));
            quantile[0] = 0.3;
            *(const double **)slot = quantile;
        }
        if (p->kind == KIND_OUTPUT) {
            j->slots[j->outputs] = slot;
            j->bytes[j->outputs] = (size_t)buffer_count(loss, p->name, a) * width;
            j->want[j->outputs] = *(void **)slot = malloc(j->bytes[j->outputs] ? j->bytes[j->outputs] : 1);
            j->outputs++;
        }
    }
    if (call_loss(loss, f32, a) != LOSSES_OK) {
        fprintf(stderr, "serial %s failed: %s\n", loss, losses_last_error());
        exit(2);
    }
}

typedef struct {
    int id, passed, failed;
} worker_t;

static void *work(void *arg) {
    worker_t *w = arg;
    char expected[64];
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < job_count; k++) {
            job_t *j = &jobs[(k + w->id * 7) % job_count];
            args_t a = j->args;
            void *got[MAX_PARAMS];
            for (int k = 0; k < j->outputs; k++) {
                /* The same field of the copy: slots point into j->args. */
                void **slot = (void **)((char *)&a + ((char *)j->slots[k] - (char *)&j->args));
                *slot = got[k] = malloc(j->bytes[k] ? j->bytes[k] : 1);
            }
            int ok = call_loss(j->loss, j->f32, &a) == LOSSES_OK;
            for (int k = 0; k < j->outputs; k++) ok = ok && !memcmp(got[k], j->want[k], j->bytes[k]);
            if (ok) w->passed++;
            else {
                w->failed++;
                fprintf(stderr, "FAIL thread %d: %s f%d differs from the serial result\n", w->id, j->loss,
                        j->f32 ? 32 : 64);
            }
            for (int k = 0; k < j->outputs; k++) free(got[k]);
            /* An error of this thread's own, checked against its own message. */
            double x = 1, out;
            double delta = -(double)(w->id + 1);
            snprintf(expected, sizeof expected, "got %.1f", delta);
            if (losses_huber_loss_f64(&x, &x, NULL, 1, delta, LOSSES_REDUCTION_SUM, &out, NULL, NULL) ==
                    LOSSES_ERROR_INVALID_ARGUMENT &&
                strstr(losses_last_error(), expected))
                w->passed++;
            else {
                w->failed++;
                fprintf(stderr, "FAIL thread %d: message '%s'\n", w->id, losses_last_error());
            }
        }
    }
    return NULL;
}

int main(void) {
    jobs = calloc(LOSS_COUNT * 8, sizeof *jobs);
    unsigned seed = 1;
    for (int l = 0; l < LOSS_COUNT; l++) {
        const char *loss = LOSS_NAMES[l];
        for (int f32 = 0; f32 < 2; f32++) {
            add_job(loss, f32, 0, LOSSES_REDUCTION_NONE, seed++);
            add_job(loss, f32, 0, LOSSES_REDUCTION_MEAN, seed++);
            add_job(loss, f32, 1, LOSSES_REDUCTION_MEAN, seed++);
        }
    }
    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker_t){t, 0, 0};
        pthread_create(&threads[t], NULL, work, &workers[t]);
    }
    int passed = 0, failed = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        passed += workers[t].passed;
        failed += workers[t].failed;
    }
    printf("liblosses thread stress (%d threads, %d jobs, %d rounds)\n", THREADS, job_count, ROUNDS);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
