/*
 * libFuzzer harness over every liblosses entry point (make fuzz). The fuzzer's bytes choose the
 * loss, the dtype, the sizes (valid ones, and invalid ones the library must refuse), NULL
 * pointers, the reduction and other selectors, parameters and every input value (raw bits: NaN,
 * infinities and subnormals included), labels (raw int64) and overlapping outputs. Buffers are
 * always as large as the valid sizes say, so any out-of-bounds access is the library's.
 * Properties: no crash or sanitizer report; a failed call writes nothing and leaves a message;
 * a successful call writes only inside its outputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "losses.h"

typedef struct {
    const uint8_t *data;
    size_t size;
} bytes_t;

static uint64_t take(bytes_t *b, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v << 8 | (b->size ? *b->data : 0);
        if (b->size) b->data++, b->size--;
    }
    return v;
}

static double take_double(bytes_t *b) {
    uint64_t bits = take(b, 8);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* A size: usually small and valid, sometimes one the library must refuse. */
static int64_t take_size(bytes_t *b, int64_t small, int *invalid) {
    uint8_t kind = (uint8_t)take(b, 1);
    /* Refused whatever the other arguments: negative, or past the 2^60-element limit. (Sizes
       valid alone but overflowing in a product are the C harness's cases.) */
    static const int64_t bad[] = {-1, INT64_MIN, INT64_C(1) << 61, INT64_MAX};
    if (kind >= 252) {
        *invalid = 1;
        return bad[kind - 252];
    }
    return kind % (small + 1);
}

static void *values(bytes_t *b, int64_t count, int f32) {
    size_t width = f32 ? 4 : 8;
    uint8_t *p = malloc((size_t)(count > 0 ? count : 1) * width);
    for (int64_t i = 0; i < count; i++) {
        uint64_t bits = take(b, width);
        memcpy(p + (size_t)i * width, &bits, width);
    }
    return p;
}

static const unsigned char SENTINEL = 0x5A;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bytes_t b = {data, size};
    const char *loss = LOSS_NAMES[take(&b, 1) % LOSS_COUNT];
    uint8_t flags = (uint8_t)take(&b, 1);
    int f32 = flags & 1;
    size_t width = f32 ? 4 : 8;
    int classes = is_class_index(loss) || !strcmp(loss, "cross_entropy_probs");
    int invalid = 0;

    args_t a;
    memset(&a, 0, sizeof a);
    a.n = take_size(&b, 40, &invalid);
    a.c = classes ? take_size(&b, 6, &invalid) : 1;
    a.d = classes && strcmp(loss, "multi_margin_loss") ? take_size(&b, 3, &invalid) : 1;
    a.q = !strcmp(loss, "quantile_loss") ? take_size(&b, 4, &invalid) : 1;
    a.pos_count = !strcmp(loss, "binary_cross_entropy_with_logits") ? take_size(&b, 5, &invalid) : 0;
    a.alpha_count = !strcmp(loss, "focal_loss") ? take_size(&b, 6, &invalid) : 0;
    /* Buffers sized for the valid sizes (0 where a size is invalid: the library must refuse). */
    int64_t n = invalid ? 0 : a.n, c = invalid ? 0 : a.c, d = invalid ? 0 : a.d, q = invalid ? 0 : a.q;
    int64_t elements = classes ? n * c * d : n * q, samples = classes ? n * d : elements;
    int64_t targets = classes ? (strcmp(loss, "cross_entropy_probs") ? 0 : elements) : (q > 1 ? n : elements);

    a.reduction = (int32_t)(take(&b, 1) % 5) - 1; /* -1 and 3 are invalid */
    a.param = take_double(&b);
    a.margin = take_double(&b);
    a.gamma = take_double(&b);
    a.alpha_scalar = take_double(&b);
    a.label_smoothing = take_double(&b);
    a.ignore_index = (int64_t)take(&b, 8);
    a.p = (int32_t)(take(&b, 1) % 4);
    a.squared = (int32_t)(take(&b, 1) % 3);

    void *input = values(&b, elements, f32), *target = values(&b, targets, f32);
    void *weight = values(&b, classes ? c : elements, f32), *pos = values(&b, invalid ? 0 : a.pos_count, f32);
    int64_t out_count = a.reduction == LOSSES_REDUCTION_NONE ? samples : 1;
    void *grad_output = values(&b, out_count, f32);
    double *quantile = values(&b, q, 0), *alpha = values(&b, invalid ? 0 : a.alpha_count, 0);
    int64_t *labels = malloc(sizeof(int64_t) * (size_t)(samples > 0 ? samples : 1));
    for (int64_t i = 0; i < samples; i++) {
        uint8_t kind = (uint8_t)take(&b, 1);
        labels[i] = kind < 200 && c > 0 ? kind % c : (kind < 230 ? -100 : (int64_t)take(&b, 8));
    }

    a.input = flags & 2 ? NULL : input;
    a.target = flags & 4 ? NULL : target;
    a.labels = flags & 4 ? NULL : labels;
    a.weight = flags & 8 ? weight : NULL;
    a.pos_weight = flags & 16 ? pos : NULL;
    a.grad_output = flags & 32 ? grad_output : NULL;
    a.quantile = quantile;
    a.alpha = flags & 64 ? alpha : NULL;

    /* Outputs with one sentinel element of slack on each side. */
    size_t out_bytes = (size_t)(out_count > 0 ? out_count : 1) * width, grad_bytes = (size_t)elements * width;
    uint8_t *out = malloc(out_bytes + 2 * width), *grad = malloc(grad_bytes + 2 * width);
    memset(out, SENTINEL, out_bytes + 2 * width);
    memset(grad, SENTINEL, grad_bytes + 2 * width);
    a.out = out + width;
    a.grad = flags & 128 ? NULL : grad + width;
    if ((flags & 0x60) == 0x60 && elements > 1) a.out = a.grad ? (uint8_t *)a.grad + width : a.out; /* overlap */

    int32_t status = call_loss(loss, f32, &a);
    if (status != LOSSES_OK) {
        for (size_t i = 0; i < out_bytes + 2 * width; i++)
            if (out[i] != SENTINEL && a.out == out + width) abort(); /* an output written on error */
        for (size_t i = 0; i < grad_bytes + 2 * width; i++)
            if (grad[i] != SENTINEL) abort();
        if (!losses_last_error()[0]) abort(); /* an error without a message */
    } else {
        for (size_t i = 0; i < width; i++)
            if (out[i] != SENTINEL || grad[i] != SENTINEL || grad[grad_bytes + width + i] != SENTINEL) abort();
        if (a.out == out + width)
            for (size_t i = 0; i < width; i++)
                if (out[out_bytes + width + i] != SENTINEL && out_count > 0) abort();
    }
    free(input);
    free(target);
    free(weight);
    free(pos);
    free(grad_output);
    free(quantile);
    free(alpha);
    free(labels);
    free(out);
    free(grad);
    return 0;
}
