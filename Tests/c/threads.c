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
#include "jobs.h"
#include "losses.h"

enum { THREADS = 8, ROUNDS = 6 };

typedef struct {
    job_t job;
    void *want[MAX_PARAMS]; /* the serial result of each output */
} checked_t;

static checked_t *jobs;
static int job_count;

static void add_job(const char *loss, int f32, int large, int32_t reduction, unsigned seed) {
    checked_t *c = &jobs[job_count++];
    make_job(&c->job, loss, f32, large, reduction, seed, NULL);
    if (run_job(&c->job, c->want) != LOSSES_OK) {
        fprintf(stderr, "serial %s failed: %s\n", loss, losses_last_error());
        exit(2);
    }
}

/* 1 when a fresh run of job k gives the serial bits. */
static int matches(int k) {
    const checked_t *c = &jobs[k];
    void *got[MAX_PARAMS];
    int ok = run_job(&c->job, got) == LOSSES_OK;
    for (int o = 0; o < c->job.outputs; o++) ok = ok && !memcmp(got[o], c->want[o], c->job.bytes[o]);
    free_outputs(&c->job, got);
    return ok;
}

typedef struct {
    int id, passed, failed;
} worker_t;

static void *work(void *arg) {
    worker_t *w = arg;
    char expected[64];
    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < job_count; k++) {
            checked_t *j = &jobs[(k + w->id * 7) % job_count];
            if (matches((int)(j - jobs))) w->passed++;
            else {
                w->failed++;
                fprintf(stderr, "FAIL thread %d: %s f%d differs from the serial result\n", w->id, j->job.loss,
                        j->job.f32 ? 32 : 64);
            }
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

/* Every job once on a thread with the header's minimum stack (64 KiB): the first call on a
   thread instantiates the Swift runtime's metadata, which once needed more than 16 KiB. */
static void *small_stack_jobs(void *arg) {
    worker_t *w = arg;
    for (int k = 0; k < job_count; k++) {
        if (matches(k)) w->passed++;
        else {
            w->failed++;
            fprintf(stderr, "FAIL 64 KiB stack: %s f%d\n", jobs[k].job.loss, jobs[k].job.f32 ? 32 : 64);
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
    worker_t small = {-1, 0, 0};
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, small_stack_jobs, &small) != 0) {
        fprintf(stderr, "cannot start a 64 KiB thread\n");
        return 2;
    }
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attributes);

    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker_t){t, 0, 0};
        pthread_create(&threads[t], NULL, work, &workers[t]);
    }
    int passed = small.passed, failed = small.failed;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        passed += workers[t].passed;
        failed += workers[t].failed;
    }
    printf("liblosses thread stress (%d threads, %d jobs, %d rounds)\n", THREADS, job_count, ROUNDS);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
