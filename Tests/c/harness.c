/*
 * The C conformance harness: links liblosses through include/losses.h only, runs the shared
 * vectors (the .vec files of Tests/vectors, given as arguments) and the bad-input suite, and prints
 * "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "calls.h"
#include "losses.h"

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
    int status;
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

static double scalar(const case_t *c, const char *name, double fallback) {
    for (int i = 0; i < c->nscalars; i++)
        if (!strcmp(c->scalar_names[i], name)) return c->scalars[i];
    return fallback;
}

/* A buffer of the case's dtype (parameter vectors stay double), or NULL for an absent array. */
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

static void run_case(const case_t *c) {
    int f32 = !strcmp(c->dtype, "f32");
    int classes = is_class_index(c->loss) || !strcmp(c->loss, "cross_entropy_probs");
    size_t width = f32 ? sizeof(float) : sizeof(double);
    const array_t *x = find(c->arrays, c->narrays, "input"), *y = find(c->arrays, c->narrays, "target");
    const array_t *q = find(c->arrays, c->narrays, "quantile"), *alpha = find(c->arrays, c->narrays, "alpha");
    const array_t *pos = find(c->arrays, c->narrays, "pos_weight");
    const array_t *want_out = find(c->expect, c->nexpect, "out");
    const array_t *want_grad = find(c->expect, c->nexpect, "grad_input");

    args_t a;
    memset(&a, 0, sizeof a);
    a.n = x->size;
    a.c = 1;
    a.d = 1;
    if (classes) { /* (N, C, d1..dk), or unbatched (C) */
        a.n = x->ndim == 1 ? 1 : x->dims[0];
        a.c = x->ndim == 1 ? x->dims[0] : x->dims[1];
        for (int i = 2; i < x->ndim; i++) a.d *= x->dims[i];
    }
    if (q) {
        a.n = y->size;
        a.q = q->size;
    }
    int64_t samples = classes ? a.n * a.d : x->size;
    int64_t out_size = want_out ? want_out->size : (!strcmp(c->reduction, "none") ? samples : 1);
    /* One spare element past each output: a write there is a bounds bug. */
    unsigned char *out = malloc((size_t)(out_size + 1) * width), *grad = malloc((size_t)(x->size + 1) * width);
    memset(out, SENTINEL, (size_t)(out_size + 1) * width);
    memset(grad, SENTINEL, (size_t)(x->size + 1) * width);

    a.input = buffer(x, f32, 0);
    a.target = is_class_index(c->loss) ? NULL : buffer(y, f32, 0);
    a.labels = is_class_index(c->loss) ? labels_of(y) : NULL;
    a.weight = buffer(find(c->arrays, c->narrays, "weight"), f32, 0);
    a.pos_weight = buffer(pos, f32, 0);
    a.pos_count = pos ? pos->size : 0;
    a.grad_output = buffer(find(c->arrays, c->narrays, "grad_output"), f32, 0);
    a.quantile = buffer(q, f32, 1);
    a.alpha = buffer(alpha, f32, 1);
    a.alpha_count = alpha ? alpha->size : 0;
    a.param = scalar(c, !strcmp(c->loss, "smooth_l1_loss") ? "beta" : "delta", 1.0);
    a.margin = scalar(c, "margin", 1.0);
    a.gamma = scalar(c, "gamma", 2.0);
    a.alpha_scalar = scalar(c, "alpha", 0.25);
    a.label_smoothing = scalar(c, "label_smoothing", 0.0);
    a.ignore_index = (int64_t)scalar(c, "ignore_index", -100);
    a.p = (int32_t)scalar(c, "p", 1);
    a.squared = (int32_t)scalar(c, "squared", 0);
    a.reduction = reduction_code(c->reduction);
    a.out = out;
    a.grad = grad;

    int32_t status = call_loss(c->loss, f32, &a);
    CHECK(status == c->status, "%s/%s/%s: status %d, expected %d (%s)", c->loss, c->label, c->dtype, status,
          c->status, losses_last_error());
    if (status == c->status && status != LOSSES_OK) {
        int untouched = 1;
        for (size_t i = 0; i < (size_t)(out_size + 1) * width; i++) untouched &= out[i] == SENTINEL;
        for (size_t i = 0; i < (size_t)(x->size + 1) * width; i++) untouched &= grad[i] == SENTINEL;
        CHECK(untouched, "%s/%s/%s: an output was written on error", c->loss, c->label, c->dtype);
        const char *name = strcmp(c->loss, "cross_entropy_probs") ? c->loss : "cross_entropy";
        CHECK(strstr(losses_last_error(), name) != NULL, "%s/%s: message '%s' does not name the loss", c->loss,
              c->label, losses_last_error());
    }
    if (status == LOSSES_OK) {
        const array_t *wants[2] = {want_out, want_grad};
        unsigned char *gots[2] = {out, grad};
        for (int k = 0; k < 2; k++) {
            const array_t *want = wants[k];
            double scale = largest(want);
            int ok = 1;
            int64_t bad = -1;
            for (int64_t i = 0; i < want->size && ok; i++) {
                double got = f32 ? (double)((float *)gots[k])[i] : ((double *)gots[k])[i];
                if (!close_enough(got, want->values[i], c, scale)) {
                    ok = 0;
                    bad = i;
                    fprintf(stderr, "  %s[%lld] = %.17g, expected %.17g\n", want->name, (long long)i, got,
                            want->values[i]);
                }
            }
            CHECK(ok, "%s/%s/%s: %s differs at %lld", c->loss, c->label, c->dtype, want->name, (long long)bad);
            int spare_untouched = 1;
            for (size_t i = 0; i < width; i++) spare_untouched &= gots[k][(size_t)want->size * width + i] == SENTINEL;
            CHECK(spare_untouched, "%s/%s/%s: wrote past the end of %s", c->loss, c->label, c->dtype, want->name);
        }
    }
    free((void *)a.input);
    free((void *)a.target);
    free((void *)a.labels);
    free((void *)a.weight);
    free((void *)a.pos_weight);
    free((void *)a.grad_output);
    free((void *)a.quantile);
    free((void *)a.alpha);
    free(out);
    free(grad);
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
            free_case(&c);
            cases++;
        }
    }
    free(line);
    fclose(f);
    return cases;
}

/* ---- Bad input: every loss, both dtypes ----------------------------------------------- */

/* A valid call of 4 input values: n = 4 elementwise, or (n, c) = (2, 2) with labels {0, 1}. */
typedef struct {
    double x[4], y[4], w[4], go[4], quantile[1];
    float xf[4], yf[4], wf[4], gof[4];
    int64_t labels[2];
    double out[5], grad[5];
    float outf[5], gradf[5];
} valid_t;

static args_t valid_args(valid_t *v, const char *loss, int f32) {
    for (int i = 0; i < 4; i++) {
        v->x[i] = v->xf[i] = 0.2f * (float)(i + 1); /* probabilities too, for binary_cross_entropy */
        v->y[i] = v->yf[i] = 0.25f;
        v->w[i] = v->wf[i] = 1.0f;
        v->go[i] = v->gof[i] = 1.0f;
    }
    v->labels[0] = 0;
    v->labels[1] = 1;
    v->quantile[0] = 0.3;
    memset(v->out, SENTINEL, sizeof v->out);
    memset(v->grad, SENTINEL, sizeof v->grad);
    memset(v->outf, SENTINEL, sizeof v->outf);
    memset(v->gradf, SENTINEL, sizeof v->gradf);
    args_t a;
    memset(&a, 0, sizeof a);
    a.input = f32 ? (void *)v->xf : (void *)v->x;
    a.target = f32 ? (void *)v->yf : (void *)v->y;
    a.labels = v->labels;
    a.quantile = v->quantile;
    int classes = is_class_index(loss) || !strcmp(loss, "cross_entropy_probs");
    a.n = classes ? 2 : 4;
    a.c = 2;
    a.d = 1;
    a.q = 1;
    a.param = a.margin = 1.0;
    a.gamma = 2.0;
    a.alpha_scalar = 0.25;
    a.ignore_index = -100;
    a.p = 1;
    a.reduction = LOSSES_REDUCTION_MEAN;
    a.out = f32 ? (void *)v->outf : (void *)v->out;
    a.grad = f32 ? (void *)v->gradf : (void *)v->grad;
    return a;
}

static int untouched(const valid_t *v) {
    const unsigned char *bytes[4] = {(const unsigned char *)v->out, (const unsigned char *)v->grad,
                                     (const unsigned char *)v->outf, (const unsigned char *)v->gradf};
    size_t sizes[4] = {sizeof v->out, sizeof v->grad, sizeof v->outf, sizeof v->gradf};
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < sizes[k]; i++)
            if (bytes[k][i] != SENTINEL) return 0;
    return 1;
}

typedef void (*mutation_t)(args_t *a, valid_t *v, int f32);

static void null_input(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->input = NULL; }
static void null_target(args_t *a, valid_t *v, int f32) {
    (void)v, (void)f32;
    a->target = NULL;
    a->labels = NULL;
}
static void null_out(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->out = NULL; }
static void negative_n(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->n = -1; }
static void huge_n(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->n = INT64_MAX; }
static void reduction_three(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->reduction = 3; }
static void reduction_negative(args_t *a, valid_t *v, int f32) { (void)v, (void)f32, a->reduction = -1; }
static void out_is_input(args_t *a, valid_t *v, int f32) {
    (void)v, (void)f32;
    a->reduction = LOSSES_REDUCTION_NONE;
    a->out = (void *)a->input;
}
static void grad_overlaps_target(args_t *a, valid_t *v, int f32) {
    (void)f32;
    a->grad = (char *)v->labels + 8; /* the class-index losses read their targets here */
    if (a->target) a->grad = (char *)a->target + 8;
}
static void misaligned_input(args_t *a, valid_t *v, int f32) {
    (void)v, (void)f32;
    a->input = (const char *)a->input + 1;
}

static const struct {
    const char *name;
    mutation_t mutate;
    int32_t status;
} MUTATIONS[] = {
    {"NULL input", null_input, LOSSES_ERROR_NULL_POINTER},
    {"NULL target", null_target, LOSSES_ERROR_NULL_POINTER},
    {"NULL out", null_out, LOSSES_ERROR_NULL_POINTER},
    {"n = -1", negative_n, LOSSES_ERROR_INVALID_SIZE},
    {"n = INT64_MAX", huge_n, LOSSES_ERROR_INVALID_SIZE},
    {"reduction 3", reduction_three, LOSSES_ERROR_INVALID_OPTION},
    {"reduction -1", reduction_negative, LOSSES_ERROR_INVALID_OPTION},
    {"out = input", out_is_input, LOSSES_ERROR_OVERLAP},
    {"grad_input inside target", grad_overlaps_target, LOSSES_ERROR_OVERLAP},
    {"misaligned input", misaligned_input, LOSSES_ERROR_MISALIGNED},
};

static void bad_input_suite(void) {
    for (int l = 0; l < LOSS_COUNT; l++) {
        for (int f32 = 0; f32 < 2; f32++) {
            valid_t v;
            args_t a = valid_args(&v, LOSS_NAMES[l], f32);
            if (is_class_index(LOSS_NAMES[l])) a.target = NULL;
            CHECK(call_loss(LOSS_NAMES[l], f32, &a) == LOSSES_OK, "%s: the valid call failed: %s", LOSS_NAMES[l],
                  losses_last_error());
            for (size_t m = 0; m < sizeof MUTATIONS / sizeof MUTATIONS[0]; m++) {
                a = valid_args(&v, LOSS_NAMES[l], f32);
                if (is_class_index(LOSS_NAMES[l])) a.target = NULL;
                MUTATIONS[m].mutate(&a, &v, f32);
                int32_t status = call_loss(LOSS_NAMES[l], f32, &a);
                CHECK(status == MUTATIONS[m].status, "%s f%d, %s: status %d (%s), expected %d", LOSS_NAMES[l],
                      f32 ? 32 : 64, MUTATIONS[m].name, status, losses_last_error(), MUTATIONS[m].status);
                CHECK(untouched(&v), "%s, %s: an output was written on error", LOSS_NAMES[l], MUTATIONS[m].name);
                const char *name = strcmp(LOSS_NAMES[l], "cross_entropy_probs") ? LOSS_NAMES[l] : "cross_entropy";
                CHECK(strstr(losses_last_error(), name) != NULL, "%s, %s: message '%s'", LOSS_NAMES[l],
                      MUTATIONS[m].name, losses_last_error());
            }
        }
    }
    /* Class layouts: no classes, a negative inner size, n × c × d past int64. */
    for (int l = 0; l < LOSS_COUNT; l++) {
        if (!is_class_index(LOSS_NAMES[l]) && strcmp(LOSS_NAMES[l], "cross_entropy_probs")) continue;
        valid_t v;
        args_t a = valid_args(&v, LOSS_NAMES[l], 1);
        a.c = 0;
        CHECK(call_loss(LOSS_NAMES[l], 1, &a) == LOSSES_ERROR_INVALID_SIZE, "%s c = 0: %s", LOSS_NAMES[l],
              losses_last_error());
        a = valid_args(&v, LOSS_NAMES[l], 1);
        a.d = -1;
        int32_t status = call_loss(LOSS_NAMES[l], 1, &a);
        /* multi_margin_loss has no d */
        CHECK(status == (strcmp(LOSS_NAMES[l], "multi_margin_loss") ? LOSSES_ERROR_INVALID_SIZE : LOSSES_OK),
              "%s d = -1: %d %s", LOSS_NAMES[l], status, losses_last_error());
        a = valid_args(&v, LOSS_NAMES[l], 1);
        a.n = INT64_C(1) << 40;
        a.c = INT64_C(1) << 30;
        CHECK(call_loss(LOSS_NAMES[l], 1, &a) == LOSSES_ERROR_INVALID_SIZE, "%s n × c overflow: %s", LOSS_NAMES[l],
              losses_last_error());
        if (strcmp(LOSS_NAMES[l], "multi_margin_loss")) CHECK(untouched(&v), "%s: layout errors wrote", LOSS_NAMES[l]);
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
    library_suite();
    bad_input_suite();
    printf("liblosses C harness (%d vector cases, library %s)\n", cases, losses_version_string());
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
