/*
 * make stress (not in CI): 8 threads making large calls of every loss for STRESS_SECONDS, while
 * other threads call setenv (LOSSES_NUM_THREADS and others), change the thread count with
 * losses_set_num_threads, and, when run with "--flip-labels", change class labels in the
 * arrays other threads' calls are reading. Run under ThreadSanitizer (without label flips,
 * which are data races by design: the caller's) and AddressSanitizer (with them): any report is
 * a finding. Results are compared with the serial ones except where labels flip, where a NaN or
 * a value is accepted, never a crash or a write outside the outputs.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "jobs.h"
#include "losses.h"

enum { CALLERS = 8 };

static volatile int running = 1;
static int flip_labels;
static int64_t *shared_labels;
static size_t shared_label_count;

static job_t jobs[LOSS_COUNT * 2];
static int job_count;

static void *caller(void *arg) {
    long id = (long)arg, calls = 0, failures = 0;
    for (int k = (int)id; running; k = (k + 1) % job_count) {
        job_t *j = &jobs[k];
        void *got[MAX_PARAMS];
        int32_t status = run_job(j, got);
        /* A label flipped before the check is refused; one flipped after it gives NaN. */
        if (status != LOSSES_OK && !(flip_labels && status == LOSSES_ERROR_LABEL_OUT_OF_RANGE)) {
            failures++;
            fprintf(stderr, "FAIL %s f%d: %s\n", j->loss, j->f32 ? 32 : 64, losses_last_error());
        }
        free_outputs(j, got);
        calls++;
    }
    return (void *)(failures ? -calls : calls);
}

static void *environment_churn(void *unused) {
    (void)unused;
    char value[32];
    for (unsigned i = 0; running; i++) {
        snprintf(value, sizeof value, "%u", 1 + i % 7);
        setenv("LOSSES_NUM_THREADS", value, 1);
        snprintf(value, sizeof value, "LOSSES_STRESS_%u", i % 97);
        setenv(value, "x", 1);
        unsetenv(value);
        if (i % 64 == 0 && losses_set_num_threads((int32_t)(i / 64 % 5)) != LOSSES_OK) abort();
    }
    return NULL;
}

static void *label_flipper(void *unused) {
    (void)unused;
    while (running)
        for (size_t i = 0; i < shared_label_count; i += 61) {
            shared_labels[i] = 1000000000;
            shared_labels[i] = (int64_t)(i % SHARED_LABEL_BOUND);
        }
    return NULL;
}

int main(int argc, char **argv) {
    int seconds = getenv("STRESS_SECONDS") ? atoi(getenv("STRESS_SECONDS")) : 60;
    flip_labels = argc > 1 && !strcmp(argv[1], "--flip-labels");
    shared_label_count = SHARED_LABEL_COUNT;
    shared_labels = malloc(sizeof(int64_t) * shared_label_count);
    for (size_t i = 0; i < shared_label_count; i++) shared_labels[i] = (int64_t)(i % SHARED_LABEL_BOUND);
    for (int l = 0; l < LOSS_COUNT; l++)
        for (int f32 = 0; f32 < 2; f32++)
            make_job(&jobs[job_count++], LOSS_NAMES[l], f32, 1, LOSSES_REDUCTION_MEAN, (unsigned)l, shared_labels);
    pthread_t callers[CALLERS], churn, flipper;
    for (long t = 0; t < CALLERS; t++) pthread_create(&callers[t], NULL, caller, (void *)t);
    pthread_create(&churn, NULL, environment_churn, NULL);
    if (flip_labels) pthread_create(&flipper, NULL, label_flipper, NULL);
    struct timespec pause = {seconds, 0};
    nanosleep(&pause, NULL);
    running = 0;
    long calls = 0;
    int failed = 0;
    for (int t = 0; t < CALLERS; t++) {
        void *result;
        pthread_join(callers[t], &result);
        long n = (long)result;
        failed |= n < 0;
        calls += n < 0 ? -n : n;
    }
    pthread_join(churn, NULL);
    if (flip_labels) pthread_join(flipper, NULL);
    printf("liblosses stress: %ld calls in %d s on %d threads%s, %s\n", calls, seconds, CALLERS,
           flip_labels ? " with labels changing under them" : "", failed ? "FAILED" : "no failure");
    return failed;
}
