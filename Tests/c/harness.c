/*
 * The C conformance harness: links liblosses through include/losses.h only, runs the shared
 * vectors (the .vec files of Tests/vectors, given as arguments) and the bad-input suite, and prints
 * "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "calls.h"
#include "losses.h"
#include "shapes.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                         \
    do {                                                         \
        if (cond) {                                              \
            passed++;                                            \
        } else {                                                 \
            failed++;                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                        \
            fputc('\n', stderr);                                 \
        }                                                        \
    } while (0)

/* ---- Vector files --------------------------------------------------------------------- */

typedef struct {
    char name[32];
    int ndim;
    int64_t dims[8];
    int64_t size;
    double *values;
} array_t;

enum { MAX_ARRAYS = 8 };

typedef struct {
    char loss[64], label[96], dtype[8], reduction[8];
    char scalar_names[MAX_ARRAYS][32];
    double scalars[MAX_ARRAYS];
    int nscalars, narrays, nexpect;
    array_t arrays[MAX_ARRAYS], expect[MAX_ARRAYS];
    int status, defaults;
    double rtol, atol, stol;
} case_t;

static void parse_array(array_t *a, char **save) {
    char *tok = strtok_r(NULL, " \t\n", save);
    snprintf(a->name, sizeof a->name, "%s", tok);
    a->ndim = atoi(strtok_r(NULL, " \t\n", save));
    a->size = 1;
    for (int i = 0; i < a->ndim; i++) {
        a->dims[i] = atoll(strtok_r(NULL, " \t\n", save));
        a->size *= a->dims[i];
    }
    a->values = malloc(sizeof(double) * (size_t)(a->size ? a->size : 1));
    for (int64_t i = 0; i < a->size; i++) a->values[i] = strtod(strtok_r(NULL, " \t\n", save), NULL);
}

static void free_case(case_t *c) {
    for (int i = 0; i < c->narrays; i++) free(c->arrays[i].values);
    for (int i = 0; i < c->nexpect; i++) free(c->expect[i].values);
    memset(c, 0, sizeof *c);
}

static const array_t *find(const array_t *arrays, int count, const char *name) {
    for (int i = 0; i < count; i++)
        if (!strcmp(arrays[i].name, name)) return &arrays[i];
    return NULL;
}

/* A buffer of `count` values of the case's dtype (double for parameter vectors) holding the
   array's values, or NULL for an absent array. */
static void *buffer(const array_t *a, int f32, int is_parameter) {
    if (!a) return NULL;
    size_t n = (size_t)(a->size ? a->size : 1);
    if (!f32 || is_parameter) {
        double *d = malloc(n * sizeof *d);
        memcpy(d, a->values, (size_t)a->size * sizeof *d);
        return d;
    }
    float *f = malloc(n * sizeof *f);
    for (int64_t i = 0; i < a->size; i++) f[i] = (float)a->values[i];
    return f;
}

static int close_enough(double got, double want, const case_t *c, double scale) {
    if (isnan(want)) return isnan(got);
    if (isinf(want)) return got == want;
    return fabs(got - want) <= c->atol + c->rtol * fabs(want) + c->stol * scale;
}

/* The largest finite magnitude of an expected array: the scale of the norm-wise tolerance. */
static double largest(const array_t *a) {
    double m = 0;
    for (int64_t i = 0; i < a->size; i++)
        if (isfinite(a->values[i]) && fabs(a->values[i]) > m) m = fabs(a->values[i]);
    return m;
}

static int64_t *labels_of(const array_t *a) {
    if (!a) return NULL;
    int64_t *labels = malloc(sizeof(int64_t) * (size_t)(a->size ? a->size : 1));
    for (int64_t i = 0; i < a->size; i++) labels[i] = (int64_t)a->values[i];
    return labels;
}

static int32_t reduction_code(const char *name) {
    if (!strcmp(name, "none")) return LOSSES_REDUCTION_NONE;
    if (!strcmp(name, "mean")) return LOSSES_REDUCTION_MEAN;
    return LOSSES_REDUCTION_SUM;
}

static const unsigned char SENTINEL = 0xA5;

/* The sizes of a case from its arrays' shapes: n, c, d, q and the *_count of each vector. */
static void sizes_of(const case_t *c, args_t *a) {
    /* The first input names the sizes: x1 for the row functions, anchor for the triplet
       losses, f1 for verification_loss, embeddings and dist for the batch losses, features for the
       re-identification entries, input1 for the losses of two inputs (margin ranking), sp for
       circle_loss, boxes1 for the box losses, pred for dice_loss and iou_loss, x for
       reconstruction_loss and the image-quality losses, logits for sigmoid_dr_loss, rewards for td_loss,
       img_features and img_global for the DAMSM losses, pk for the divergences, gradients for
       gradient_penalty, the scores for the WGAN losses, log_probs for ctc_loss, input otherwise. */
    const char *first = has_param(c->loss, "x1")           ? "x1"
                        : has_param(c->loss, "f1")         ? "f1"
                        : has_param(c->loss, "embeddings") ? "embeddings"
                        : has_param(c->loss, "dist")       ? "dist"
                        : has_param(c->loss, "anchor")     ? "anchor"
                        : has_param(c->loss, "input1")     ? "input1"
                        : has_param(c->loss, "features")   ? "features"
                        : has_param(c->loss, "sp")         ? "sp"
                        : has_param(c->loss, "boxes1")     ? "boxes1"
                        : has_param(c->loss, "pred")       ? "pred"
                        : has_param(c->loss, "x")          ? "x"
                        : has_param(c->loss, "logits")     ? "logits"
                        : has_param(c->loss, "rewards")    ? "rewards"
                        : has_param(c->loss, "img_features") ? "img_features"
                        : has_param(c->loss, "img_global")   ? "img_global"
                        : has_param(c->loss, "pk")         ? "pk"
                        : has_param(c->loss, "gradients")  ? "gradients"
                        : has_param(c->loss, "real_scores") ? "real_scores"
                        : has_param(c->loss, "fake_scores") ? "fake_scores"
                        : has_param(c->loss, "img")        ? "img"
                        : has_param(c->loss, "log_probs")  ? "log_probs"
                                                           : "input";
    a->c = a->m = a->d = a->q = 1;
    if (layout_of(c->loss) == LAYOUT_METRIC) { /* each array's dimensions are the sizes it names */
        const loss_t *l = find_loss(c->loss);
        for (int i = 0; i < l->count; i++) {
            int required = 0;
            const char *sizes = metric_sizes(c->loss, l->params[i].name, &required);
            const array_t *given = sizes ? find(c->arrays, c->narrays, l->params[i].name) : NULL;
            for (int k = 0; given && sizes[k] && k < given->ndim; k++) {
                char size[2] = {sizes[k] == 'L' ? 'l' : sizes[k], 0}; /* "L": l + 1 */
                *(int64_t *)field(a, size, KIND_I64) = given->dims[k] - (sizes[k] == 'L');
            }
        }
        return;
    }
    const array_t *x = find(c->arrays, c->narrays, first);
    const array_t *y = find(c->arrays, c->narrays, "target");
    a->n = x->size;
    switch (layout_of(c->loss)) {
    case LAYOUT_CLASSES: /* (N, C, d1..dk), or unbatched (C) */
        a->n = x->ndim == 1 ? 1 : x->dims[0];
        a->c = x->ndim == 1 ? x->dims[0] : x->dims[1];
        for (int i = 2; i < x->ndim; i++) a->d *= x->dims[i];
        break;
    case LAYOUT_QUANTILES: {
        const array_t *q = find(c->arrays, c->narrays, "quantile");
        int64_t count = 0;
        a->n = y->size;
        a->q = q ? q->size : (default_vector(c->loss, "quantile", &count), count);
        break;
    }
    case LAYOUT_ROWS: /* (N, D), or one row (D); x2 (M, D) for the matrix forms; gradient_penalty's
                         (N, ...) rows flattened */
        a->n = x->ndim == 1 ? 1 : x->dims[0];
        a->d = x->ndim == 1 ? x->dims[0] : 1;
        for (int i = 1; x->ndim > 1 && i < x->ndim; i++) a->d *= x->dims[i];
        if (has_size(c->loss, "m")) {
            const array_t *x2 = find(c->arrays, c->narrays, "x2");
            a->m = x2->ndim == 1 ? 1 : x2->dims[0];
        }
        break;
    case LAYOUT_MATRIX: /* (N, N) */
        a->n = x->dims[0];
        break;
    case LAYOUT_TABLES: /* features (N, D); each table (rows, D) counts its rows */
        a->n = x->dims[0];
        a->d = x->dims[1];
        break;
    case LAYOUT_SIMILARITIES: { /* sp (N, K) and sn (N, L), or one row each: (K) and (L) */
        const array_t *sn = find(c->arrays, c->narrays, "sn");
        a->n = x->ndim == 1 ? 1 : x->dims[0];
        *(int64_t *)field(a, "k", KIND_I64) = x->dims[x->ndim - 1];
        *(int64_t *)field(a, "l", KIND_I64) = sn->dims[sn->ndim - 1];
        break;
    }
    case LAYOUT_IMAGES: /* (N, C, d1..dk): d the product of the trailing dimensions */
        a->n = x->dims[0];
        a->c = x->dims[1];
        for (int i = 2; i < x->ndim; i++) a->d *= x->dims[i];
        break;
    case LAYOUT_BOXES: /* boxes1 and boxes2 (or pred and target) (N, 4), or one box each (4) */
        a->n = x->ndim == 1 ? 1 : x->dims[0];
        break;
    case LAYOUT_PLANES: /* x and y (N, C, H, W); total_variation's img (*, H, W): n the planes */
        if (!has_param(c->loss, "c")) {
            *(int64_t *)field(a, "h", KIND_I64) = x->dims[x->ndim - 2];
            *(int64_t *)field(a, "w", KIND_I64) = x->dims[x->ndim - 1];
            a->n = 1;
            for (int i = 0; i < x->ndim - 2; i++) a->n *= x->dims[i];
            break;
        }
        a->n = x->dims[0];
        a->c = x->dims[1];
        *(int64_t *)field(a, "h", KIND_I64) = x->dims[2];
        *(int64_t *)field(a, "w", KIND_I64) = x->dims[3];
        break;
    case LAYOUT_CAPTIONS: { /* img_features (N, D, R) and words_emb (N, D, T); img_global (N, D) */
        a->n = x->dims[0];
        a->d = x->dims[1];
        const array_t *words = find(c->arrays, c->narrays, "words_emb");
        if (has_param(c->loss, "r")) *(int64_t *)field(a, "r", KIND_I64) = x->dims[2];
        if (words) *(int64_t *)field(a, "t", KIND_I64) = words->dims[2];
        break;
    }
    case LAYOUT_LINEAR: { /* input (N, D) or one row (D); linear_weight (C, D) */
        const array_t *w = find(c->arrays, c->narrays, "linear_weight");
        a->n = x->ndim == 1 ? 1 : x->dims[0];
        a->d = x->dims[x->ndim - 1];
        a->c = w->dims[0];
        break;
    }
    case LAYOUT_SCORES: /* real_scores (N) and fake_scores (M) */
        a->m = find(c->arrays, c->narrays, "fake_scores")->size;
        break;
    case LAYOUT_SEQUENCES: { /* log_probs (T, N, C); targets padded (N, S), or concatenated (1-D: s = 0) */
        const array_t *targets = find(c->arrays, c->narrays, "targets");
        *(int64_t *)field(a, "t", KIND_I64) = x->dims[0];
        a->n = x->dims[1];
        a->c = x->dims[2];
        *(int64_t *)field(a, "s", KIND_I64) = targets->ndim == 2 ? targets->dims[1] : 0;
        break;
    }
    default: /* kl_div's (n, d): n the first dimension, d the rest */
        if (has_size(c->loss, "d") && x->ndim > 0) {
            a->n = x->dims[0];
            a->d = a->n ? x->size / a->n : 1;
        }
        break;
    }
    const loss_t *l = find_loss(c->loss);
    for (int i = 0; i < l->count; i++) {
        const char *name = l->params[i].name;
        const array_t *table = table_rows(name) ? find(c->arrays, c->narrays, name) : NULL;
        if (table) *(int64_t *)field(a, table_rows(name), KIND_I64) = table->dims[0];
        size_t len = strlen(name);
        if (len > 6 && !strcmp(name + len - 6, "_count")) {
            char vector[64];
            snprintf(vector, sizeof vector, "%.*s", (int)(len - 6), name);
            const array_t *v = find(c->arrays, c->narrays, vector);
            *(int64_t *)field(a, name, KIND_I64) = v ? v->size : 0;
        }
    }
}

/* The name a function's messages carry: its header name without "_probs" (cross_entropy_probs
   reports as cross_entropy, its Python name). */
static void message_name(const char *loss, char *name, size_t size) {
    const char *probs = strstr(loss, "_probs");
    if (!probs) {
        snprintf(name, size, "%s", loss);
        return;
    }
    snprintf(name, size, "%.*s%s", (int)(probs - loss), loss, probs + strlen("_probs"));
}

static void run_case(const case_t *c) {
    const loss_t *l = find_loss(c->loss);
    if (!l) {
        CHECK(0, "%s/%s: no function of this name in the header", c->loss, c->label);
        return;
    }
    int f32 = !strcmp(c->dtype, "f32");
    size_t width = f32 ? sizeof(float) : sizeof(double);
    args_t a;
    memset(&a, 0, sizeof a);
    /* The header's defaults first; a case that spells a parameter out overrides it. A
       "defaults" case spells out nothing, reduction included: it checks the LOSSES_*_DEFAULT_*
       macros against the reference's own defaults. */
    set_defaults(c->loss, &a);
    if (!c->defaults) a.reduction = reduction_code(c->reduction);
    sizes_of(c, &a);
    void *owned[MAX_PARAMS] = {0};
    unsigned char *outputs[MAX_PARAMS] = {0};
    int64_t output_sizes[MAX_PARAMS] = {0};
    /* An update's tables (KIND_STATE): the case's values, a copy to compare with on error, and
       one spare element past the end; its returned index (KIND_INDEX_OUTPUT) likewise. */
    unsigned char *states[MAX_PARAMS] = {0}, *before[MAX_PARAMS] = {0};
    size_t state_bytes[MAX_PARAMS] = {0};
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        void *slot = field(&a, p->name, p->kind);
        switch (p->kind) {
        case KIND_TENSOR:
            *(const void **)slot = owned[i] = buffer(find(c->arrays, c->narrays, p->name), f32, 0);
            break;
        case KIND_DOUBLES: {
            const array_t *given = find(c->arrays, c->narrays, p->name);
            int64_t count = 0;
            const double *fallback = default_vector(c->loss, p->name, &count);
            *(const double **)slot = given ? (owned[i] = buffer(given, f32, 1)) : (void *)fallback;
            break;
        }
        case KIND_LABELS:
            *(const int64_t **)slot = owned[i] = labels_of(find(c->arrays, c->narrays, p->name));
            break;
        case KIND_STATE:
        case KIND_INDEX_OUTPUT: {
            const array_t *given = find(c->arrays, c->narrays, p->name);
            int64_t size = given ? given->size : 1;
            size_t w = p->kind == KIND_STATE ? width : sizeof(int64_t);
            state_bytes[i] = (size_t)size * w;
            states[i] = malloc(state_bytes[i] + w);
            memset(states[i], SENTINEL, state_bytes[i] + w);
            if (given && p->kind == KIND_STATE) {
                void *values = buffer(given, f32, 0);
                memcpy(states[i], values, state_bytes[i]);
                free(values);
            }
            before[i] = malloc(state_bytes[i] + w);
            memcpy(before[i], states[i], state_bytes[i] + w);
            *(void **)slot = states[i];
            break;
        }
        case KIND_OUTPUT: {
            const array_t *want = find(c->expect, c->nexpect, p->name);
            int64_t size = want ? want->size : buffer_count(c->loss, p->name, &a);
            /* One spare element past each output: a write there is a bounds bug. */
            outputs[i] = malloc((size_t)(size + 1) * width);
            memset(outputs[i], SENTINEL, (size_t)(size + 1) * width);
            output_sizes[i] = size;
            *(void **)slot = (c->status == 0 && !want) ? NULL : outputs[i];
            break;
        }
        case KIND_F64:
            for (int k = 0; k < c->nscalars; k++)
                if (!strcmp(c->scalar_names[k], p->name)) *(double *)slot = c->scalars[k];
            break;
        case KIND_I64:
        case KIND_I32:
            if (is_size_param(p->name, p->kind)) break;
            for (int k = 0; k < c->nscalars; k++) {
                if (strcmp(c->scalar_names[k], p->name)) continue;
                if (p->kind == KIND_I64) *(int64_t *)slot = (int64_t)c->scalars[k];
                else *(int32_t *)slot = (int32_t)c->scalars[k];
            }
            break;
        }
    }

    int32_t status = call_loss(c->loss, f32, &a);
    CHECK(status == c->status, "%s/%s/%s: status %d, expected %d (%s)", c->loss, c->label, c->dtype, status,
          c->status, losses_last_error());
    for (int i = 0; i < l->count; i++) {
        if (!outputs[i]) continue;
        const char *name = l->params[i].name;
        if (status == c->status && status != LOSSES_OK) {
            int untouched = 1;
            for (size_t k = 0; k < (size_t)(output_sizes[i] + 1) * width; k++) untouched &= outputs[i][k] == SENTINEL;
            CHECK(untouched, "%s/%s/%s: %s was written on error", c->loss, c->label, c->dtype, name);
        }
        const array_t *want = find(c->expect, c->nexpect, name);
        if (status != LOSSES_OK || !want) continue;
        double scale = largest(want);
        int ok = 1;
        int64_t bad = -1;
        for (int64_t k = 0; k < want->size && ok; k++) {
            double got = f32 ? (double)((float *)outputs[i])[k] : ((double *)outputs[i])[k];
            if (!close_enough(got, want->values[k], c, scale)) {
                ok = 0;
                bad = k;
                fprintf(stderr, "  %s[%lld] = %.17g, expected %.17g\n", name, (long long)k, got, want->values[k]);
            }
        }
        CHECK(ok, "%s/%s/%s: %s differs at %lld", c->loss, c->label, c->dtype, name, (long long)bad);
        int spare_untouched = 1;
        for (size_t k = 0; k < width; k++) spare_untouched &= outputs[i][(size_t)want->size * width + k] == SENTINEL;
        CHECK(spare_untouched, "%s/%s/%s: wrote past the end of %s", c->loss, c->label, c->dtype, name);
    }
    for (int i = 0; i < l->count; i++) {
        if (!states[i]) continue;
        const char *name = l->params[i].name;
        size_t w = l->params[i].kind == KIND_STATE ? width : sizeof(int64_t);
        if (status != LOSSES_OK) {
            CHECK(!memcmp(states[i], before[i], state_bytes[i] + w), "%s/%s/%s: %s was written on error", c->loss,
                  c->label, c->dtype, name);
            continue;
        }
        CHECK(!memcmp(states[i] + state_bytes[i], before[i] + state_bytes[i], w), "%s/%s/%s: wrote past the end of %s",
              c->loss, c->label, c->dtype, name);
        const array_t *want = find(c->expect, c->nexpect, name);
        CHECK(want != NULL, "%s/%s/%s: the case expects no %s", c->loss, c->label, c->dtype, name);
        if (!want) continue;
        double scale = largest(want);
        int64_t bad = -1;
        for (int64_t k = 0; k < want->size && bad < 0; k++) {
            double got = l->params[i].kind == KIND_INDEX_OUTPUT ? (double)((int64_t *)states[i])[k]
                         : f32                                  ? (double)((float *)states[i])[k]
                                                                : ((double *)states[i])[k];
            if (!close_enough(got, want->values[k], c, scale)) {
                bad = k;
                fprintf(stderr, "  %s[%lld] = %.17g, expected %.17g\n", name, (long long)k, got, want->values[k]);
            }
        }
        CHECK(bad < 0, "%s/%s/%s: %s differs at %lld", c->loss, c->label, c->dtype, name, (long long)bad);
    }
    if (status == c->status && status != LOSSES_OK) {
        char name[128];
        message_name(c->loss, name, sizeof name);
        CHECK(strstr(losses_last_error(), name) != NULL, "%s/%s: message '%s' does not name the loss", c->loss,
              c->label, losses_last_error());
    }
    for (int i = 0; i < l->count; i++) {
        free(owned[i]);
        free(outputs[i]);
        free(states[i]);
        free(before[i]);
    }
}

/* Vector cases read per loss, and default cases: every loss of the header needs both. */
static int cases_of[LOSS_COUNT], default_cases_of[LOSS_COUNT];

static void count_case(const case_t *c) {
    for (int l = 0; l < LOSS_COUNT; l++) {
        if (strcmp(LOSS_NAMES[l], c->loss)) continue;
        cases_of[l]++;
        default_cases_of[l] += c->defaults;
    }
}

static int run_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    int cases = 0;
    case_t c;
    memset(&c, 0, sizeof c);
    while (getline(&line, &cap, f) > 0) {
        char *save = NULL, *kind = strtok_r(line, " \t\n", &save);
        if (!kind || kind[0] == '#') continue;
        if (!strcmp(kind, "case")) {
            snprintf(c.loss, sizeof c.loss, "%s", strtok_r(NULL, " \t\n", &save));
            snprintf(c.label, sizeof c.label, "%s", strtok_r(NULL, " \t\n", &save));
            snprintf(c.dtype, sizeof c.dtype, "%s", strtok_r(NULL, " \t\n", &save));
        } else if (!strcmp(kind, "reduction")) {
            snprintf(c.reduction, sizeof c.reduction, "%s", strtok_r(NULL, " \t\n", &save));
        } else if (!strcmp(kind, "defaults")) {
            c.defaults = 1;
        } else if (!strcmp(kind, "scalar")) {
            snprintf(c.scalar_names[c.nscalars], 32, "%s", strtok_r(NULL, " \t\n", &save));
            c.scalars[c.nscalars++] = strtod(strtok_r(NULL, " \t\n", &save), NULL);
        } else if (!strcmp(kind, "array")) {
            parse_array(&c.arrays[c.narrays++], &save);
        } else if (!strcmp(kind, "expect")) {
            parse_array(&c.expect[c.nexpect++], &save);
        } else if (!strcmp(kind, "status")) {
            c.status = atoi(strtok_r(NULL, " \t\n", &save));
        } else if (!strcmp(kind, "tolerance")) {
            c.rtol = strtod(strtok_r(NULL, " \t\n", &save), NULL);
            c.atol = strtod(strtok_r(NULL, " \t\n", &save), NULL);
            c.stol = strtod(strtok_r(NULL, " \t\n", &save), NULL);
        } else if (!strcmp(kind, "end")) {
            run_case(&c);
            count_case(&c);
            free_case(&c);
            cases++;
        }
    }
    free(line);
    fclose(f);
    return cases;
}

/* ---- Bad input: every loss of the header, both dtypes --------------------------------- */

/* A valid call: 4 values per tensor (probabilities too, for binary_cross_entropy), labels
   {0, 1}, quantile 0.3; n = 4 elementwise, (n, c) = (2, 2) for class layouts, (n, d) = (2, 2)
   for rows, (n, q) = (4, 1) for quantiles. Optional inputs (weights, grad_output, vectors with
   a count) are NULL. Every output has room for 5 values and starts as SENTINEL. */
typedef struct {
    double x[MAX_PARAMS][4], quantile[1];
    float xf[MAX_PARAMS][4];
    int64_t labels[4]; /* {0, 1, 0, 0}: multilabel_margin_loss reads a row of c = 2 per sample */
    double out[MAX_PARAMS][5];
    float outf[MAX_PARAMS][5];
    int64_t index[MAX_PARAMS]; /* an update's returned index, SENTINEL until written */
} valid_t;

static args_t valid_args(valid_t *v, const char *loss, int f32) {
    memset(v, 0, sizeof *v);
    memset(v->out, SENTINEL, sizeof v->out);
    memset(v->outf, SENTINEL, sizeof v->outf);
    memset(v->index, SENTINEL, sizeof v->index);
    v->labels[0] = 0;
    v->labels[1] = 1;
    v->quantile[0] = 0.3;
    args_t a;
    memset(&a, 0, sizeof a);
    set_defaults(loss, &a);
    a.reduction = LOSSES_REDUCTION_MEAN;
    /* Tables: (n, d) = (2, 2) features, every table 2 rows (its values the SENTINEL bytes: an
       update's table sits among the outputs, which must stay untouched on error). Similarities:
       (n, k) = (n, l) = (2, 2). Boxes: one row, (0.2, 0.4, 0.6, 0.8), a valid box.
       Image planes: two 1 × 1 × 2 images with a window of 1. Captions: (n, d, r, t) = (2, 2, 1, 1),
       every caption one word long (the labels 1, 1: one class). Sequences: (t, n, c, s) = (1, 1, 2, 2),
       the one label 1 in the one frame (labels 1, 1: input and target lengths 1, the targets' row 1, 1). */
    layout_t layout = layout_of(loss);
    a.n = layout == LAYOUT_BOXES ? 1
          : layout == LAYOUT_CLASSES || layout == LAYOUT_ROWS || layout == LAYOUT_TABLES || layout == LAYOUT_MATRIX ||
                  layout == LAYOUT_SIMILARITIES || layout == LAYOUT_IMAGES /* (n, c, d) = (2, 2, 1) */ ||
                  layout == LAYOUT_LINEAR /* input (2, 2), linear_weight (2, 2), labels 0 and 1 */
              ? 2
              : 4;
    a.c = a.m = 2;
    a.d = layout == LAYOUT_ROWS || layout == LAYOUT_TABLES || layout == LAYOUT_LINEAR ? 2 : 1;
    a.q = layout == LAYOUT_TABLES ? 2 : 1;
    if (layout == LAYOUT_SCORES) a.m = 4; /* fake_scores: the 4 values of every buffer */
    for (const char *const *t = (const char *const[]){"l", "k", NULL}; *t; t++)
        if (has_param(loss, *t)) *(int64_t *)field(&a, *t, KIND_I64) = 2;
    if (layout == LAYOUT_METRIC) a.n = a.m = 4; /* every buffer of 4 values: n, or m (v_values) */
    /* r_precision: (n, k) = (1, 2), labels 0, 1; r_precision_embeddings: (n, k, d) = (1, 2, 2) */
    if (layout == LAYOUT_METRIC && has_size(loss, "k")) a.n = 1, a.d = 2;
    if (layout == LAYOUT_METRIC && has_param(loss, "splits")) { /* inception_score: (n, c) = (2, 2), one split */
        a.n = 2;
        *(int64_t *)field(&a, "splits", KIND_I64) = 1;
    }
    if (layout == LAYOUT_PLANES) {
        a.n = 2;
        a.c = 1;
        *(int64_t *)field(&a, "h", KIND_I64) = 1;
        *(int64_t *)field(&a, "w", KIND_I64) = 2;
        *(int64_t *)field(&a, "win_size", KIND_I64) = 1;
    }
    if (layout == LAYOUT_CAPTIONS) {
        a.n = a.d = 2;
        v->labels[0] = 1;
        if (has_param(loss, "r")) *(int64_t *)field(&a, "r", KIND_I64) = 1;
        if (has_param(loss, "t")) *(int64_t *)field(&a, "t", KIND_I64) = 1;
    }
    if (layout == LAYOUT_SEQUENCES) {
        a.n = 1;
        v->labels[0] = 1;
        *(int64_t *)field(&a, "t", KIND_I64) = 1;
        *(int64_t *)field(&a, "s", KIND_I64) = 2;
    }
    const loss_t *l = find_loss(loss);
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        void *slot = field(&a, p->name, p->kind);
        for (int k = 0; k < 4; k++) v->x[i][k] = v->xf[i][k] = 0.2f * (float)(k + 1);
        if (p->kind == KIND_TENSOR && is_required_buffer(loss, p->name))
            *(const void **)slot = f32 ? (void *)v->xf[i] : (void *)v->x[i];
        if (p->kind == KIND_LABELS) *(const int64_t **)slot = v->labels;
        if (p->kind == KIND_DOUBLES && is_required_buffer(loss, p->name)) *(const double **)slot = v->quantile;
        if (p->kind == KIND_OUTPUT || p->kind == KIND_STATE) *(void **)slot = f32 ? (void *)v->outf[i] : (void *)v->out[i];
        if (p->kind == KIND_INDEX_OUTPUT) *(int64_t **)slot = &v->index[i];
    }
    /* fid_from_stats: two features, so that its second input (sigma1) holds 4 values, and
       symmetric positive definite covariances (it refuses others). */
    if (has_param(loss, "sigma1")) {
        static const double covariance[4] = {1.0, 0.2, 0.2, 1.0};
        a.d = 2;
        for (int i = 0; i < l->count; i++)
            if (!strncmp(l->params[i].name, "sigma", 5))
                for (int k = 0; k < 4; k++) v->x[i][k] = covariance[k], v->xf[i][k] = (float)covariance[k];
    }
    return a;
}

static int untouched(const valid_t *v) {
    const unsigned char *a = (const unsigned char *)v->out, *b = (const unsigned char *)v->outf;
    for (size_t i = 0; i < sizeof v->out; i++)
        if (a[i] != SENTINEL) return 0;
    for (size_t i = 0; i < sizeof v->outf; i++)
        if (b[i] != SENTINEL) return 0;
    const unsigned char *c = (const unsigned char *)v->index;
    for (size_t i = 0; i < sizeof v->index; i++)
        if (c[i] != SENTINEL) return 0;
    return 1;
}

/* The first parameter of a kind (the second with `nth` = 1), or NULL. */
/* The nth parameter of `kind`; for KIND_TENSOR, the nth required input buffer (labels included,
   grad_output and weights left out). NULL when there is none. */
static void *nth_field(args_t *a, const char *loss, kind_t kind, int nth) {
    const loss_t *l = find_loss(loss);
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        int input = (p->kind == KIND_TENSOR || p->kind == KIND_LABELS) && is_required_buffer(loss, p->name);
        if (kind == KIND_TENSOR ? input : p->kind == kind)
            if (nth-- == 0) return field(a, p->name, p->kind);
    }
    return NULL;
}

typedef void (*mutation_t)(args_t *a, const char *loss);

static void null_first_input(args_t *a, const char *loss) { *(void **)nth_field(a, loss, KIND_TENSOR, 0) = NULL; }
static void null_second_input(args_t *a, const char *loss) { *(void **)nth_field(a, loss, KIND_TENSOR, 1) = NULL; }
/* The output every function has: out for a loss, grad_target for a target gradient, the first
   table for an update. */
static void **primary_output(args_t *a, const char *loss) {
    if (is_update(loss)) return nth_field(a, loss, KIND_STATE, 0);
    return has_param(loss, "out") ? (void **)&a->out : (void **)field(a, "grad_target", KIND_OUTPUT);
}
/* The first gradient output: grad_input (grad_x1) of a loss, grad_target of a target gradient;
   an update's last table (the one it writes last). */
static void **first_gradient(args_t *a, const char *loss) {
    if (is_update(loss)) {
        void **last = NULL;
        for (int k = 0; nth_field(a, loss, KIND_STATE, k); k++) last = nth_field(a, loss, KIND_STATE, k);
        return last;
    }
    void **second = nth_field(a, loss, KIND_OUTPUT, 1);
    return second ? second : nth_field(a, loss, KIND_OUTPUT, 0);
}
static void null_out(args_t *a, const char *loss) { *primary_output(a, loss) = NULL; }
static void negative_n(args_t *a, const char *loss) { (void)loss, a->n = -1; }
static void huge_n(args_t *a, const char *loss) { (void)loss, a->n = INT64_MAX; }
/* An update (or a metric without a reduction) has none: its selector mutations become NaN in its
   double parameters (alpha, momentum). */
static void bad_selector(args_t *a, const char *loss, int32_t reduction) {
    if (has_param(loss, "reduction")) {
        a->reduction = reduction;
        return;
    }
    for (int k = 0; nth_field(a, loss, KIND_F64, k); k++) *(double *)nth_field(a, loss, KIND_F64, k) = NAN;
}
static void reduction_three(args_t *a, const char *loss) { bad_selector(a, loss, 3); }
static void reduction_negative(args_t *a, const char *loss) { bad_selector(a, loss, -1); }
static void out_is_input(args_t *a, const char *loss) {
    a->reduction = LOSSES_REDUCTION_NONE;
    *primary_output(a, loss) = *(void **)nth_field(a, loss, KIND_TENSOR, 0);
}
static void gradient_overlaps_second_input(args_t *a, const char *loss) {
    *first_gradient(a, loss) = (char *)*(void **)nth_field(a, loss, KIND_TENSOR, 1) + 8;
}
static void misaligned_input(args_t *a, const char *loss) {
    void **p = nth_field(a, loss, KIND_TENSOR, 0);
    *p = (char *)*p + 1;
}

static const struct {
    const char *name;
    mutation_t mutate;
    int32_t status;
} MUTATIONS[] = {
    {"NULL first input", null_first_input, LOSSES_ERROR_NULL_POINTER},
    {"NULL second input", null_second_input, LOSSES_ERROR_NULL_POINTER},
    {"NULL out", null_out, LOSSES_ERROR_NULL_POINTER},
    {"n = -1", negative_n, LOSSES_ERROR_INVALID_SIZE},
    {"n = INT64_MAX", huge_n, LOSSES_ERROR_INVALID_SIZE},
    {"reduction 3 (an update: NaN rate)", reduction_three, LOSSES_ERROR_INVALID_OPTION},
    {"reduction -1 (an update: NaN rate)", reduction_negative, LOSSES_ERROR_INVALID_OPTION},
    {"out = first input", out_is_input, LOSSES_ERROR_OVERLAP},
    {"first gradient inside the second input", gradient_overlaps_second_input, LOSSES_ERROR_OVERLAP},
    {"misaligned first input", misaligned_input, LOSSES_ERROR_MISALIGNED},
};

static void bad_input_suite(void) {
    for (int l = 0; l < LOSS_COUNT; l++) {
        const char *loss = LOSS_NAMES[l];
        char name[128];
        message_name(loss, name, sizeof name);
        CHECK((has_param(loss, "n") || is_metric(loss)) && (is_update(loss)   ? !has_param(loss, "reduction") && !has_param(loss, "out")
                                       : is_metric(loss) ? has_param(loss, "out") && !has_param(loss, "grad_output")
                                                         : has_param(loss, "reduction") &&
                                                               (has_param(loss, "out") || has_param(loss, "grad_target"))),
              "%s: a loss has n, reduction and out (a target gradient: grad_target; an update: a table, no "
              "reduction, no out; a metric: out, no gradient, no grad_output, a reduction or none)", loss);
        for (int f32 = 0; f32 < 2; f32++) {
            valid_t v;
            args_t a = valid_args(&v, loss, f32);
            CHECK(call_loss(loss, f32, &a) == LOSSES_OK, "%s: the valid call failed: %s", loss, losses_last_error());
            for (size_t m = 0; m < sizeof MUTATIONS / sizeof MUTATIONS[0]; m++) {
                a = valid_args(&v, loss, f32);
                int second = MUTATIONS[m].mutate == null_second_input || MUTATIONS[m].mutate == gradient_overlaps_second_input;
                if (second && !nth_field(&a, loss, KIND_TENSOR, 1)) continue; /* one input (ntxent_loss) */
                /* An entry without a reduction (an update, a metric) gets NaN in its double
                   parameters instead, which it must refuse; one with neither is skipped. */
                int selector = MUTATIONS[m].mutate == reduction_three || MUTATIONS[m].mutate == reduction_negative;
                if (selector && !has_param(loss, "reduction") && !nth_field(&a, loss, KIND_F64, 0)) continue;
                /* A metric of statistics alone (fid_from_stats: sizes d only) has no n to break. */
                int sized = MUTATIONS[m].mutate == negative_n || MUTATIONS[m].mutate == huge_n;
                if (sized && !has_param(loss, "n")) continue;
                MUTATIONS[m].mutate(&a, loss);
                int32_t status = call_loss(loss, f32, &a);
                int32_t expected = MUTATIONS[m].status == LOSSES_ERROR_INVALID_OPTION && !has_param(loss, "reduction")
                                       ? LOSSES_ERROR_INVALID_ARGUMENT
                                       : MUTATIONS[m].status;
                CHECK(status == expected, "%s f%d, %s: status %d (%s), expected %d", loss, f32 ? 32 : 64,
                      MUTATIONS[m].name, status, losses_last_error(), expected);
                CHECK(untouched(&v), "%s, %s: an output was written on error", loss, MUTATIONS[m].name);
                CHECK(strstr(losses_last_error(), name) != NULL, "%s, %s: message '%s'", loss, MUTATIONS[m].name,
                      losses_last_error());
            }
        }
    }
    /* Class layouts: no classes, a negative inner size, n × c × d past int64. */
    for (int l = 0; l < LOSS_COUNT; l++) {
        const char *loss = LOSS_NAMES[l];
        if (layout_of(loss) != LAYOUT_CLASSES) continue;
        valid_t v;
        args_t a = valid_args(&v, loss, 1);
        a.c = 0;
        CHECK(call_loss(loss, 1, &a) == LOSSES_ERROR_INVALID_SIZE, "%s c = 0: %s", loss, losses_last_error());
        a = valid_args(&v, loss, 1);
        a.d = -1;
        int32_t status = call_loss(loss, 1, &a);
        CHECK(status == (has_param(loss, "d") ? LOSSES_ERROR_INVALID_SIZE : LOSSES_OK), "%s d = -1: %d %s", loss,
              status, losses_last_error());
        a = valid_args(&v, loss, 1);
        a.n = INT64_C(1) << 40;
        a.c = INT64_C(1) << 30;
        CHECK(call_loss(loss, 1, &a) == LOSSES_ERROR_INVALID_SIZE, "%s n × c overflow: %s", loss, losses_last_error());
        if (has_param(loss, "d")) CHECK(untouched(&v), "%s: layout errors wrote", loss);
    }
    /* Rows: a negative or overflowing width. */
    for (int l = 0; l < LOSS_COUNT; l++) {
        const char *loss = LOSS_NAMES[l];
        if (layout_of(loss) != LAYOUT_ROWS) continue;
        valid_t v;
        args_t a = valid_args(&v, loss, 0);
        a.d = -1;
        CHECK(call_loss(loss, 0, &a) == LOSSES_ERROR_INVALID_SIZE, "%s d = -1: %s", loss, losses_last_error());
        a = valid_args(&v, loss, 0);
        a.n = INT64_C(1) << 40;
        a.d = INT64_C(1) << 40;
        CHECK(call_loss(loss, 0, &a) == LOSSES_ERROR_INVALID_SIZE, "%s n × d overflow: %s", loss, losses_last_error());
        CHECK(untouched(&v), "%s: row layout errors wrote", loss);
    }
    /* Tables: a negative width or table size, n × d and rows × d past int64, a label out of
       range (the last label: every check comes before the first write). */
    for (int l = 0; l < LOSS_COUNT; l++) {
        const char *loss = LOSS_NAMES[l];
        if (layout_of(loss) != LAYOUT_TABLES) continue;
        for (int f32 = 0; f32 < 2; f32++) {
            valid_t v;
            args_t a = valid_args(&v, loss, f32);
            a.d = -1;
            CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_INVALID_SIZE, "%s d = -1: %s", loss, losses_last_error());
            a = valid_args(&v, loss, f32);
            a.n = INT64_C(1) << 40;
            a.d = INT64_C(1) << 40;
            CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_INVALID_SIZE, "%s n × d overflow: %s", loss,
                  losses_last_error());
            const loss_t *entry = find_loss(loss);
            for (int i = 0; i < entry->count; i++) {
                const char *rows = table_rows(entry->params[i].name);
                if (!rows) continue;
                a = valid_args(&v, loss, f32);
                *(int64_t *)field(&a, rows, KIND_I64) = -1;
                CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_INVALID_SIZE, "%s %s = -1: %s", loss, rows,
                      losses_last_error());
                a = valid_args(&v, loss, f32);
                *(int64_t *)field(&a, rows, KIND_I64) = INT64_C(1) << 40;
                a.d = INT64_C(1) << 40;
                CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_INVALID_SIZE, "%s %s × d overflow: %s", loss, rows,
                      losses_last_error());
            }
            a = valid_args(&v, loss, f32);
            v.labels[1] = label_bound(loss, &a);
            CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_LABEL_OUT_OF_RANGE, "%s label = bound: %s", loss,
                  losses_last_error());
            a = valid_args(&v, loss, f32);
            v.labels[1] = INT64_MIN;
            CHECK(call_loss(loss, f32, &a) == LOSSES_ERROR_LABEL_OUT_OF_RANGE, "%s label = INT64_MIN: %s", loss,
                  losses_last_error());
            CHECK(untouched(&v), "%s: table errors wrote", loss);
        }
    }
    /* Sizes whose product overflows int64: quantile_loss's n × q. */
    valid_t v;
    args_t a = valid_args(&v, "quantile_loss", 0);
    a.n = INT64_C(1) << 40;
    a.q = INT64_C(1) << 40;
    CHECK(call_loss("quantile_loss", 0, &a) == LOSSES_ERROR_INVALID_SIZE, "n × q overflow: %s", losses_last_error());
    a = valid_args(&v, "quantile_loss", 0);
    a.q = -2;
    CHECK(call_loss("quantile_loss", 0, &a) == LOSSES_ERROR_INVALID_SIZE, "q = -2: %s", losses_last_error());
    a = valid_args(&v, "quantile_loss", 0);
    a.quantile = NULL;
    CHECK(call_loss("quantile_loss", 0, &a) == LOSSES_ERROR_NULL_POINTER, "NULL quantile: %s", losses_last_error());
    CHECK(untouched(&v), "quantile errors wrote an output");
}

/* ---- Versions, status names, per-thread messages -------------------------------------- */

static void *fail_on_other_thread(void *unused) {
    (void)unused;
    double x = 1, out;
    int32_t status = losses_huber_loss_f64(&x, &x, NULL, 1, -5.0, LOSSES_REDUCTION_SUM, &out, NULL, NULL);
    return (void *)(intptr_t)(status == LOSSES_ERROR_INVALID_ARGUMENT && strstr(losses_last_error(), "delta"));
}

static void library_suite(void) {
    CHECK(losses_version_number() == LOSSES_VERSION_NUMBER, "library version %d, header %d",
          losses_version_number(), LOSSES_VERSION_NUMBER);
    CHECK(!strcmp(losses_version_string(), LOSSES_VERSION_STRING), "library version '%s', header '%s'",
          losses_version_string(), LOSSES_VERSION_STRING);
    CHECK(losses_abi_version() == LOSSES_ABI_VERSION, "library ABI %d, header %d", losses_abi_version(),
          LOSSES_ABI_VERSION);
    const char *names[] = {"ok", "null pointer", "invalid size", "shape mismatch", "invalid option",
                           "invalid argument", "label out of range", "overlapping buffers", "misaligned pointer"};
    for (int32_t s = 0; s <= LOSSES_ERROR_MISALIGNED; s++)
        CHECK(!strcmp(losses_status_string(s), names[s]), "status %d is '%s'", s, losses_status_string(s));
    CHECK(!strcmp(losses_status_string(99), "unknown status"), "status 99");
    CHECK(!strcmp(losses_status_string(-1), "unknown status"), "status -1");

    /* The message is per thread: another thread's failure leaves this thread's message alone. */
    double x = 1, out;
    CHECK(losses_mse_loss_f64(&x, &x, NULL, -3, LOSSES_REDUCTION_SUM, &out, NULL, NULL) == LOSSES_ERROR_INVALID_SIZE,
          "n = -3");
    char mine[512];
    snprintf(mine, sizeof mine, "%s", losses_last_error());
    CHECK(strstr(mine, "mse_loss") && strstr(mine, "-3"), "message names the loss and the value: '%s'", mine);
    pthread_t thread;
    void *result = NULL;
    pthread_create(&thread, NULL, fail_on_other_thread, NULL);
    pthread_join(thread, &result);
    CHECK(result != NULL, "the other thread saw its own message");
    CHECK(!strcmp(mine, losses_last_error()), "this thread's message changed to '%s'", losses_last_error());
    /* A successful call leaves the message as it was. */
    CHECK(losses_mse_loss_f64(&x, &x, NULL, 1, LOSSES_REDUCTION_SUM, &out, NULL, NULL) == LOSSES_OK, "valid call");
    CHECK(!strcmp(mine, losses_last_error()), "a successful call changed the message");
}

int main(int argc, char **argv) {
    int cases = 0;
    for (int i = 1; i < argc; i++) cases += run_file(argv[i]);
    if (cases == 0) {
        fprintf(stderr, "no vector cases read: pass the .vec files of Tests/vectors\n");
        failed++;
    }
    for (int l = 0; l < LOSS_COUNT; l++) {
        CHECK(cases_of[l] > 0, "%s: the header declares it, but no vector file has a case of it", LOSS_NAMES[l]);
        CHECK(default_cases_of[l] > 0, "%s: no vector case runs it with the header's defaults", LOSS_NAMES[l]);
    }
    library_suite();
    bad_input_suite();
    printf("liblosses C harness (%d vector cases, library %s)\n", cases, losses_version_string());
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
