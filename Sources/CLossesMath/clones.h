/* One copy of a block function per instruction set (AVX-512, AVX2, baseline x86-64), chosen once
   at load time by the dynamic linker (ifunc). Every file that uses it turns FP contraction off,
   so every copy performs the same operations in the same order: the same bits on every CPU. */
#ifndef LOSSES_CLONES_H
#define LOSSES_CLONES_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/* ThreadSanitizer and libFuzzer's coverage instrument the clones' resolvers, which the dynamic
   linker runs during relocation, before the sanitizer's runtime exists or its callbacks are bound
   (a call through an unrelocated PLT entry: a crash at load). Under them (make stress, make fuzz)
   there is one copy. */
#if defined(__has_feature)
#  if __has_feature(thread_sanitizer) || __has_feature(coverage_sanitizer)
#    define LOSSES_SINGLE_COPY 1
#  endif
#endif
#ifdef LOSSES_SINGLE_COPY
#  define LOSSES_CLONES
#else
#  define LOSSES_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define LOSSES_CLONES
#endif

#endif
