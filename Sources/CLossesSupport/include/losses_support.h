#ifndef LOSSES_SUPPORT_H
#define LOSSES_SUPPORT_H
/* Internal to liblosses; not exported (the version script keeps only the losses_* names of
   include/losses.h). */
#include <stdint.h>

/* Records the message of a failed call for losses_last_error(): Swift has no thread-local
   storage of its own. */
void _losses_set_error(const char *message);

/* Calls body(context, c) for every chunk c in [0, chunks), on the calling thread and up to
   threads - 1 pool workers. Returns when every chunk is done. Never blocks on a thread that
   cannot be created: the caller then computes every chunk itself. */
void _losses_parallel_for(int64_t chunks, int32_t threads, void (*body)(void *, int64_t), void *context);

/* 1 when this process runs the AVX2 copy of the Swift kernels, 0 for the baseline copy: chosen
   once at load (cpu.c). */
int32_t _losses_simd_level(void);

/* losses_get_num_threads() of include/losses.h, for the Swift side. */
int32_t losses_get_num_threads(void);

#endif
