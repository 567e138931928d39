/* Calls any liblosses loss by its Python name, for the C test programs (harness, thread stress,
   fuzzer). */
#ifndef LOSSES_TEST_CALLS_H
#define LOSSES_TEST_CALLS_H

#include <stdint.h>

/* Every argument any loss takes; each loss reads the ones of its signature. */
typedef struct {
    const void *input, *target, *weight, *pos_weight, *grad_output;
    const int64_t *labels;
    const double *quantile, *alpha;
    int64_t n, q, c, d, pos_count, alpha_count, ignore_index;
    double param; /* delta or beta */
    double margin, gamma, alpha_scalar, label_smoothing;
    int32_t p, squared, reduction;
    void *out, *grad;
} args_t;

enum { LOSS_COUNT = 18 };
extern const char *const LOSS_NAMES[LOSS_COUNT];

/* 1 for the losses whose input is (n, c, d) with int64 class-index targets (`labels`). */
int is_class_index(const char *loss);

/* Calls losses_<loss>_f32 or _f64 with the arguments of its signature; -1 for an unknown loss. */
int32_t call_loss(const char *loss, int f32, const args_t *a);

#endif
