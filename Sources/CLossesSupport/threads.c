/* The worker pool behind every large call, and the thread count.

   Why not libdispatch: when no thread can be created (RLIMIT_NPROC or RLIMIT_AS exhausted, a
   container's pid limit), libdispatch retries pthread_create forever and the call never
   returns. Here a call's chunks are claimed one at a time from a shared counter by the calling
   thread and by whichever workers join it: if no worker can be started, or none is free, the
   calling thread computes every chunk itself. Each chunk writes only its own results, which the
   caller combines in chunk order, so the bits do not depend on who computed what.

   The thread count is read from LOSSES_NUM_THREADS once, when the library is loaded (a getenv
   racing a setenv in another thread can crash the process, so it is never read during a call),
   and can be changed with losses_set_num_threads(). */
#define _GNU_SOURCE
#include "losses.h"
#include "losses_support.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };

/* ---- The thread count ------------------------------------------------------------------- */

static _Atomic int32_t configured; /* 0: the default below */
static int32_t from_environment;   /* LOSSES_NUM_THREADS at load, 0 when unset or invalid */
static int32_t online = 1;

static int32_t parse_count(const char *text) {
    if (!text || !*text) return 0;
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (*end != '\0' || value < 1) return 0;
    return value > MAX_THREADS ? MAX_THREADS : (int32_t)value;
}

__attribute__((constructor)) static void read_environment(void) {
    long processors = sysconf(_SC_NPROCESSORS_ONLN);
    online = processors < 1 ? 1 : (processors > MAX_THREADS ? MAX_THREADS : (int32_t)processors);
    from_environment = parse_count(getenv("LOSSES_NUM_THREADS"));
}

int32_t losses_set_num_threads(int32_t threads) {
    if (threads < 0) {
        char message[128];
        snprintf(message, sizeof message, "set_num_threads: threads must be >= 0 (0: one per processor), got %d",
                 (int)threads);
        _losses_set_error(message);
        return LOSSES_ERROR_INVALID_ARGUMENT;
    }
    atomic_store(&configured, threads > MAX_THREADS ? MAX_THREADS : threads);
    return LOSSES_OK;
}

int32_t losses_get_num_threads(void) {
    int32_t value = atomic_load(&configured);
    return value ? value : (from_environment ? from_environment : online);
}

/* ---- The pool --------------------------------------------------------------------------- */

typedef struct job {
    void (*body)(void *, int64_t);
    void *context;
    int64_t chunks;
    _Atomic int64_t next;   /* the next unclaimed chunk */
    int helpers_wanted;     /* workers that may still join (under the lock) */
    int active;             /* workers inside the job (under the lock) */
    struct job *next_job;   /* the queue of jobs that want helpers (under the lock) */
} job_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t job_done = PTHREAD_COND_INITIALIZER;
static job_t *queue;
static int workers, idle;

static void run_chunks(job_t *job) {
    int64_t c;
    while ((c = atomic_fetch_add(&job->next, 1)) < job->chunks) job->body(job->context, c);
}

static void unqueue(job_t *job) {
    for (job_t **p = &queue; *p; p = &(*p)->next_job)
        if (*p == job) {
            *p = job->next_job;
            return;
        }
}

static void *worker(void *unused) {
    (void)unused;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!queue) {
            idle++;
            pthread_cond_wait(&work_ready, &lock);
            idle--;
        }
        job_t *job = queue;
        if (--job->helpers_wanted == 0) unqueue(job);
        job->active++;
        pthread_mutex_unlock(&lock);
        run_chunks(job);
        pthread_mutex_lock(&lock);
        /* The job lives on its caller's stack: once active is 0 and it is out of the queue,
           no worker touches it again. */
        if (--job->active == 0) pthread_cond_broadcast(&job_done);
    }
    return NULL;
}

/* Starts workers until `wanted` exist, as far as the system allows (under the lock). A failure
   is not an error: the callers compute the chunks themselves. */
static void grow(int wanted) {
    while (workers < wanted && workers < MAX_THREADS - 1) {
        pthread_attr_t attributes;
        if (pthread_attr_init(&attributes) != 0) return;
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        /* Workers take no signals: the host's handlers run on its own threads. */
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        pthread_t thread;
        int error = pthread_create(&thread, &attributes, worker, NULL);
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
        pthread_attr_destroy(&attributes);
        if (error != 0) return;
        workers++;
    }
}

void _losses_parallel_for(int64_t chunks, int32_t threads, void (*body)(void *, int64_t), void *context) {
    job_t job;
    memset(&job, 0, sizeof job);
    job.body = body;
    job.context = context;
    job.chunks = chunks;
    atomic_store(&job.next, 0);
    int helpers = threads - 1;
    if (helpers > 0 && chunks > 1) {
        pthread_mutex_lock(&lock);
        grow(helpers);
        job.helpers_wanted = helpers;
        job.next_job = queue;
        queue = &job;
        pthread_cond_broadcast(&work_ready);
        pthread_mutex_unlock(&lock);
    }
    run_chunks(&job);
    if (helpers > 0 && chunks > 1) {
        pthread_mutex_lock(&lock);
        if (job.helpers_wanted > 0) unqueue(&job);
        while (job.active > 0) pthread_cond_wait(&job_done, &lock);
        pthread_mutex_unlock(&lock);
    }
}

/* fork() copies only the calling thread: the child starts with no workers and a fresh lock. */
static void before_fork(void) { pthread_mutex_lock(&lock); }
static void after_fork_in_parent(void) { pthread_mutex_unlock(&lock); }
static void after_fork_in_child(void) {
    pthread_mutex_init(&lock, NULL);
    pthread_cond_init(&work_ready, NULL);
    pthread_cond_init(&job_done, NULL);
    queue = NULL;
    workers = idle = 0;
}

__attribute__((constructor)) static void register_fork_handlers(void) {
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}
