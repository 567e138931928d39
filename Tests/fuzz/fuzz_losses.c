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
#include "shapes.h"

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

/* Large sizes cost milliseconds per run under the sanitizers, small ones microseconds, so `make
   fuzz` runs two phases over one corpus: most executions with LOSSES_FUZZ_LARGE=0 (a large draw
   becomes a small size, deterministically), then a timed phase with large sizes allowed. */
static int large_allowed = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const char *large = getenv("LOSSES_FUZZ_LARGE");
    large_allowed = !(large && large[0] == '0');
    return 0;
}

/* A size: usually small and valid; sometimes large (up to `large`: past the threaded path's
   2^18 elements, or more classes than the cross-entropy row's 1024-value scratch), its values
   then mostly the zeros of an exhausted input, which keeps such runs cheap; sometimes one the
   library must refuse. */
static int64_t take_size(bytes_t *b, int64_t small, int64_t large, int *invalid) {
    uint8_t kind = (uint8_t)take(b, 1);
    /* Refused whatever the other arguments: negative, or past the 2^60-element limit. (Sizes
       valid alone but overflowing in a product are the C harness's cases.) */
    static const int64_t bad[] = {-1, INT64_MIN, INT64_C(1) << 61, INT64_MAX};
    if (kind >= 252) {
        *invalid = 1;
        return bad[kind - 252];
    }
    if (kind >= 244 && large_allowed) return large / 2 + (int64_t)(take(b, 3) % (uint64_t)(large / 2 + 1));
    return kind % (small + 1);
}

static void *values(bytes_t *b, int64_t count, int f32) {
    size_t width = f32 ? 4 : 8;
    /* calloc: past the end of the input every value is zero, and a large run needs no loop. */
    uint8_t *p = calloc((size_t)(count > 0 ? count : 1), width);
    for (int64_t i = 0; i < count && b->size; i++) {
        uint64_t bits = take(b, width);
        memcpy(p + (size_t)i * width, &bits, width);
    }
    return p;
}

static const unsigned char SENTINEL = 0x5A;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bytes_t b = {data, size};
    const char *loss = LOSS_NAMES[take(&b, 1) % LOSS_COUNT];
    const loss_t *l = find_loss(loss);
    uint16_t flags = (uint16_t)take(&b, 2);
    int f32 = flags & 1;
    size_t width = f32 ? 4 : 8;
    int invalid = 0;

    /* Sizes first (the buffers follow from them), then every other parameter in header order. */
    args_t a, valid;
    memset(&a, 0, sizeof a);
    a.c = a.m = a.d = a.q = 1;
    /* Large sizes only one at a time, so that a run stays within a few 2^20 elements. */
    /* A table layout (features and caller-owned tables) is sized like rows; a batch loss (n^2
       pairs) smaller. */
    int class_layout = layout_of(loss) == LAYOUT_CLASSES || layout_of(loss) == LAYOUT_LINEAR, /* n x c logits */
        linear = layout_of(loss) == LAYOUT_LINEAR, /* linear_cross_entropy's d features: sized like rows */
        rows = layout_of(loss) == LAYOUT_ROWS || layout_of(loss) == LAYOUT_TABLES ||
               layout_of(loss) == LAYOUT_SIMILARITIES || layout_of(loss) == LAYOUT_BOXES ||
               layout_of(loss) == LAYOUT_METRIC, /* a metric's buffers: sized like rows */
        images = layout_of(loss) == LAYOUT_IMAGES, /* (n, c, d): channels and pixels sized like rows */
        planes = layout_of(loss) == LAYOUT_PLANES; /* (n, c, h, w): a few small planes, up to 200 on a side
                                                      (past MS-SSIM's 160) */
    int captions = layout_of(loss) == LAYOUT_CAPTIONS; /* DAMSM: n^2 maps of t × r, kept small */
    int sequences = layout_of(loss) == LAYOUT_SEQUENCES; /* ctc_loss: (t, n, c), padded targets (s >= 1) */
    a.n = take_size(&b, planes || captions || sequences ? 3 : 40,
                    sequences ? 16 : captions ? 8 : planes ? 4 : class_layout || images ? 300 : (is_batch(loss) ? 300 : (rows ? 4096 : 3 << 20)),
                    &invalid);
    if (has_param(loss, "c"))
        a.c = planes ? take_size(&b, 2, 3, &invalid) : images ? take_size(&b, 4, 16, &invalid) : take_size(&b, 6, 1100, &invalid);
    if (planes)
        for (const char *const *s = (const char *const[]){"h", "w", NULL}; *s; s++)
            *(int64_t *)field(&a, *s, KIND_I64) = take_size(&b, 24, 200, &invalid);
    if (has_size(loss, "m")) a.m = take_size(&b, 9, 64, &invalid);
    if (has_param(loss, "d") && !captions)
        a.d = take_size(&b, rows || images || linear ? 9 : 3, rows || images || linear ? 64 : 3, &invalid);
    if (has_param(loss, "q")) a.q = take_size(&b, 4, 4, &invalid);
    if (has_param(loss, "l")) *(int64_t *)field(&a, "l", KIND_I64) = take_size(&b, 6, 1100, &invalid);
    if (has_size(loss, "k")) *(int64_t *)field(&a, "k", KIND_I64) = take_size(&b, 9, 64, &invalid);
    if (captions) {
        a.d = take_size(&b, 4, 16, &invalid);
        for (const char *const *s = (const char *const[]){"r", "t", NULL}; *s; s++)
            if (has_param(loss, *s)) *(int64_t *)field(&a, *s, KIND_I64) = take_size(&b, 6, 20, &invalid);
    }
    if (sequences) { /* s = 0 would be the concatenated layout, whose count the lengths decide: never here */
        int64_t stride = take_size(&b, 5, 16, &invalid);
        *(int64_t *)field(&a, "t", KIND_I64) = take_size(&b, 8, 64, &invalid);
        *(int64_t *)field(&a, "s", KIND_I64) = stride >= 0 && stride < 64 ? stride + 1 : stride;
    }
    for (int i = 0; i < l->count; i++)
        if (is_size_param(l->params[i].name, l->params[i].kind) && strlen(l->params[i].name) > 1)
            *(int64_t *)field(&a, l->params[i].name, KIND_I64) = take_size(&b, 6, 6, &invalid);
    a.reduction = (int32_t)(take(&b, 1) % 5) - 1; /* -1 and 3 are invalid */
    /* Buffers are sized for the valid sizes (0 where a size is invalid: the library must refuse). */
    valid = a;
    if (invalid) valid.n = valid.m = valid.c = valid.d = valid.q = 0;
    if (invalid && has_param(loss, "l")) *(int64_t *)field(&valid, "l", KIND_I64) = 0;
    if (invalid && has_size(loss, "k")) *(int64_t *)field(&valid, "k", KIND_I64) = 0;
    if (invalid && captions)
        for (const char *const *s = (const char *const[]){"r", "t", NULL}; *s; s++)
            if (has_param(loss, *s)) *(int64_t *)field(&valid, *s, KIND_I64) = 0;
    if (invalid && sequences) *(int64_t *)field(&valid, "t", KIND_I64) = *(int64_t *)field(&valid, "s", KIND_I64) = 0;
    if (invalid && images) *(int64_t *)field(&valid, "h", KIND_I64) = *(int64_t *)field(&valid, "w", KIND_I64) = 0;
    for (int i = 0; i < l->count; i++)
        if (is_size_param(l->params[i].name, l->params[i].kind) && strlen(l->params[i].name) > 1 && invalid)
            *(int64_t *)field(&valid, l->params[i].name, KIND_I64) = 0;
    int64_t classes = label_bound(loss, &valid);

    void *owned[MAX_PARAMS] = {0};
    uint8_t *outputs[MAX_PARAMS] = {0};
    size_t output_bytes[MAX_PARAMS] = {0};
    /* An update's tables and returned index: the fuzzer's values between slack elements, and a
       copy of the whole to compare with after a failed call. */
    uint8_t *states[MAX_PARAMS] = {0}, *before[MAX_PARAMS] = {0};
    size_t state_bytes[MAX_PARAMS] = {0}, state_width[MAX_PARAMS] = {0};
    int first_output = -1, optional_bit = 1;
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        void *slot = field(&a, p->name, p->kind);
        int64_t count = p->kind <= KIND_LABELS || p->kind >= KIND_STATE ? buffer_count(loss, p->name, &valid) : 0;
        int drop = (flags >> (optional_bit++ % 15 + 1)) & 1; /* a NULL pointer, required or not */
        switch (p->kind) {
        case KIND_TENSOR:
            owned[i] = values(&b, count, f32);
            *(const void **)slot = drop ? NULL : owned[i];
            break;
        case KIND_DOUBLES:
            owned[i] = values(&b, count, 0);
            *(const double **)slot = drop ? NULL : owned[i];
            break;
        case KIND_LABELS: {
            int64_t *labels = malloc(sizeof(int64_t) * (size_t)(count > 0 ? count : 1));
            for (int64_t k = 0; k < count; k++) {
                uint8_t kind = (uint8_t)take(&b, 1);
                labels[k] = kind < 200 && classes > 0 ? kind % classes
                                                      : (kind < 230 ? -100 : (int64_t)take(&b, 8));
            }
            owned[i] = labels;
            *(const int64_t **)slot = drop ? NULL : labels;
            break;
        }
        case KIND_OUTPUT:
            /* One sentinel element of slack on each side. */
            output_bytes[i] = (size_t)(count > 0 ? count : 1) * width;
            outputs[i] = malloc(output_bytes[i] + 2 * width);
            memset(outputs[i], SENTINEL, output_bytes[i] + 2 * width);
            *(void **)slot = (drop && strcmp(p->name, "out")) ? NULL : outputs[i] + width;
            if (first_output < 0) first_output = i;
            break;
        case KIND_STATE:
        case KIND_INDEX_OUTPUT: {
            size_t w = p->kind == KIND_STATE ? width : sizeof(int64_t);
            void *initial = p->kind == KIND_STATE ? values(&b, count, f32) : NULL;
            state_width[i] = w;
            state_bytes[i] = (size_t)(count > 0 ? count : 1) * w;
            states[i] = malloc(state_bytes[i] + 2 * w);
            memset(states[i], SENTINEL, state_bytes[i] + 2 * w);
            if (initial) memcpy(states[i] + w, initial, (size_t)(count > 0 ? count : 0) * w);
            free(initial);
            before[i] = malloc(state_bytes[i] + 2 * w);
            memcpy(before[i], states[i], state_bytes[i] + 2 * w);
            *(void **)slot = drop ? NULL : states[i] + w;
            break;
        }
        case KIND_F64: *(double *)slot = take_double(&b); break;
        case KIND_I64:
            /* ignore_index, a queue head: mostly small (in range, or just out), sometimes raw. */
            if (!is_size_param(p->name, p->kind)) {
                uint8_t kind = (uint8_t)take(&b, 1);
                *(int64_t *)slot = kind < 192 ? (int64_t)(kind % 8) - 2 : (int64_t)take(&b, 8);
            }
            break;
        case KIND_I32:
            if (strcmp(p->name, "reduction")) *(int32_t *)slot = (int32_t)(take(&b, 1) % 5) - 1;
            break;
        }
    }
    /* Sometimes an output overlapping the next one. */
    if ((flags & 0x8000) && first_output >= 0 && output_bytes[first_output] > width)
        for (int i = first_output + 1; i < l->count; i++)
            if (outputs[i] && output_bytes[i] > 2 * width && *(void **)field(&a, l->params[i].name, KIND_OUTPUT)) {
                *(void **)field(&a, l->params[first_output].name, KIND_OUTPUT) = outputs[i] + 2 * width;
                break;
            }

    int32_t status = call_loss(loss, f32, &a);
    for (int i = 0; i < l->count; i++) {
        if (!outputs[i]) continue;
        int in_place = *(void **)field(&a, l->params[i].name, KIND_OUTPUT) == outputs[i] + width;
        if (status != LOSSES_OK) {
            for (size_t k = 0; k < output_bytes[i] + 2 * width; k++)
                if (outputs[i][k] != SENTINEL && (in_place || i != first_output)) abort(); /* written on error */
        } else {
            for (size_t k = 0; k < width; k++)
                if (outputs[i][k] != SENTINEL) abort(); /* written before its start */
            if (in_place)
                for (size_t k = 0; k < width; k++)
                    if (outputs[i][output_bytes[i] + width + k] != SENTINEL) abort(); /* past its end */
        }
    }
    for (int i = 0; i < l->count; i++) {
        if (!states[i]) continue;
        size_t w = state_width[i];
        if (status != LOSSES_OK && memcmp(states[i], before[i], state_bytes[i] + 2 * w)) abort(); /* written on error */
        if (memcmp(states[i], before[i], w) || memcmp(states[i] + w + state_bytes[i], before[i] + w + state_bytes[i], w))
            abort(); /* written outside its table */
    }
    if (status != LOSSES_OK && !losses_last_error()[0]) abort(); /* an error without a message */
    for (int i = 0; i < l->count; i++) {
        free(owned[i]);
        free(outputs[i]);
        free(states[i]);
        free(before[i]);
    }
    return 0;
}
