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

enum { THREADS = 8, ROUNDS = 6 };

typedef struct {
    const char *loss;
    int f32;
    args_t args;
    size_t out_bytes, grad_bytes;
    void *want_out, *want_grad;
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

static void add_job(const char *loss, int f32, int64_t n, int64_t c, int32_t reduction, unsigned seed) {
    job_t *j = &jobs[job_count++];
    memset(j, 0, sizeof *j);
    j->loss = loss;
    j->f32 = f32;
    args_t *a = &j->args;
    int classes = is_class_index(loss) || !strcmp(loss, "cross_entropy_probs");
    size_t width = f32 ? sizeof(float) : sizeof(double);
    size_t elements = (size_t)(classes ? n * c : n);
    size_t samples = (size_t)n;
    a->input = filled(elements, f32, &seed);
    a->target = filled(classes && strcmp(loss, "cross_entropy_probs") ? 0 : elements, f32, &seed);
    int64_t *labels = malloc(sizeof(int64_t) * samples);
    for (size_t i = 0; i < samples; i++) labels[i] = (int64_t)(uniform(&seed) * (double)c) % c;
    a->labels = labels;
    double *quantile = malloc(sizeof(double));
    quantile[0] = 0.3;
    a->quantile = quantile;
    a->n = n;
    a->c = c;
    a->d = 1;
    a->q = 1;
    a->param = a->margin = 1.0;
    a->gamma = 2.0;
    a->alpha_scalar = 0.25;
    a->label_smoothing = 0.1;
    a->ignore_index = -100;
    a->p = 1;
    a->reduction = reduction;
    j->out_bytes = (reduction == LOSSES_REDUCTION_NONE ? (classes ? samples : elements) : 1) * width;
    j->grad_bytes = elements * width;
    j->want_out = malloc(j->out_bytes);
    j->want_grad = malloc(j->grad_bytes);
    a->out = j->want_out;
    a->grad = j->want_grad;
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
            a.out = malloc(j->out_bytes);
            a.grad = malloc(j->grad_bytes);
            int ok = call_loss(j->loss, j->f32, &a) == LOSSES_OK && !memcmp(a.out, j->want_out, j->out_bytes) &&
                     !memcmp(a.grad, j->want_grad, j->grad_bytes);
            if (ok) w->passed++;
            else {
                w->failed++;
                fprintf(stderr, "FAIL thread %d: %s f%d differs from the serial result\n", w->id, j->loss,
                        j->f32 ? 32 : 64);
            }
            free(a.out);
            free(a.grad);
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
        int classes = is_class_index(loss) || !strcmp(loss, "cross_entropy_probs");
        for (int f32 = 0; f32 < 2; f32++) {
            add_job(loss, f32, classes ? 97 : 3001, 10, LOSSES_REDUCTION_NONE, seed++);
            add_job(loss, f32, classes ? 97 : 3001, 10, LOSSES_REDUCTION_MEAN, seed++);
            add_job(loss, f32, classes ? 1024 : 300001, classes ? 100 : 1, LOSSES_REDUCTION_MEAN, seed++);
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
