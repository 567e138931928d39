/* Which copy of the Swift kernels this process runs: the baseline x86-64 build or the AVX2 one
   (Sources/LossesExportAVX2). Decided once, when the library is loaded, from the CPU's
   features; LOSSES_SIMD=baseline forces the baseline copy (the tests compare the two copies bit
   for bit with it). Both copies compute the same operations in the same order, so the choice
   changes speed, never results. */
#include "losses_support.h"

#include <stdlib.h>
#include <string.h>

static int32_t level = 0;

__attribute__((constructor)) static void choose_level(void) {
    const char *forced = getenv("LOSSES_SIMD");
    if (forced && !strcmp(forced, "baseline")) return;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) level = 1;
#endif
}

int32_t _losses_simd_level(void) { return level; }
