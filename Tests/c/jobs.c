#include "jobs.h"

#include <stdlib.h>
#include <string.h>

#include "losses.h"
#include "shapes.h"

static double uniform(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return 0.01 + 0.98 * (double)((*state >> 8) & 0xFFFFFF) / (double)0x1000000;
}

static void *filled(size_t count, int f32, unsigned *state) {
    void *p = malloc((count ? count : 1) * (f32 ? sizeof(float) : sizeof(double)));
    for (size_t i = 0; i < count; i++) {
        double v = uniform(state);
        if (f32) ((float *)p)[i] = (float)v;
        else ((double *)p)[i] = v;
    }
    return p;
}

/* fid_from_stats reads covariances: its random sigmas made symmetric and diagonally dominant
   (positive definite), else it refuses them. */
static void make_covariance(void *s, int64_t d, int f32) {
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j <= i; j++) {
            double v = f32 ? ((float *)s)[i * d + j] : ((double *)s)[i * d + j];
            if (i == j) v += (double)d;
            if (f32) ((float *)s)[i * d + j] = ((float *)s)[j * d + i] = (float)v;
            else ((double *)s)[i * d + j] = ((double *)s)[j * d + i] = v;
        }
}

void make_job(job_t *j, const char *loss, int f32, int large, int32_t reduction, unsigned seed,
              const int64_t *labels) {
    memset(j, 0, sizeof *j);
    j->loss = loss;
    j->f32 = f32;
    args_t *a = &j->args;
    set_defaults(loss, a);
    a->reduction = reduction;
    a->c = a->m = a->d = a->q = 1;
    switch (layout_of(loss)) {
    case LAYOUT_CLASSES: a->n = large ? 4096 : 97, a->c = large ? 100 : 10; break;
    case LAYOUT_ROWS: a->n = large ? 4096 : 97, a->m = large ? 64 : 9, a->d = large ? 64 : 10; break;
    case LAYOUT_MATRIX: a->n = large ? 640 : 96; break;
    case LAYOUT_TABLES:
        a->n = large ? 4096 : 97, a->c = large ? 100 : 10, a->d = large ? 64 : 10, a->q = large ? 64 : 9;
        if (has_param(loss, "l")) *(int64_t *)field(a, "l", KIND_I64) = large ? 100 : 10;
        break;
    case LAYOUT_SIMILARITIES:
        a->n = large ? 4096 : 97;
        *(int64_t *)field(a, "k", KIND_I64) = large ? 64 : 9;
        *(int64_t *)field(a, "l", KIND_I64) = large ? 64 : 10;
        break;
    case LAYOUT_IMAGES: a->n = large ? 64 : 5, a->c = large ? 4 : 3, a->d = large ? 32 * 32 : 7 * 9; break;
    case LAYOUT_BOXES: a->n = large ? 100003 : 1001; break;
    case LAYOUT_PLANES: /* small: every plane is filtered at each window position */
        a->n = large ? 4 : 2, a->c = large ? 3 : 2;
        *(int64_t *)field(a, "h", KIND_I64) = large ? 96 : 40;
        *(int64_t *)field(a, "w", KIND_I64) = large ? 80 : 37;
        /* MS-SSIM: a window of 3, so that the shorter side exceeds (3 - 1)·2^4 = 32. */
        if (has_param(loss, "weights")) *(int64_t *)field(a, "win_size", KIND_I64) = 3;
        break;
    case LAYOUT_SCORES: a->n = large ? 300001 : 3001, a->m = large ? 200003 : 2003; break;
    case LAYOUT_LINEAR: a->n = large ? 4096 : 97, a->c = large ? 100 : 10, a->d = large ? 64 : 10; break;
    case LAYOUT_METRIC: /* sizes each metric's buffers name (shapes.c METRIC_BUFFERS) */
        a->n = large ? 300001 : 3001, a->m = large ? 100003 : 1001, a->c = large ? 100 : 10, a->d = large ? 64 : 10;
        if (has_size(loss, "k")) *(int64_t *)field(a, "k", KIND_I64) = large ? 64 : 9;
        if (has_param(loss, "text")) a->n = large ? 4099 : 301; /* n k d caption features */
        if (has_size(loss, "l")) { /* n trajectories of l steps (the value-learning targets) */
            a->n = large ? 4099 : 301;
            *(int64_t *)field(a, "l", KIND_I64) = large ? 128 : 10;
        }
        break;
    case LAYOUT_CAPTIONS: /* n^2 attention maps of t × r: small */
        a->n = large ? 24 : 6, a->d = large ? 32 : 8;
        if (has_param(loss, "r")) *(int64_t *)field(a, "r", KIND_I64) = large ? 49 : 9;
        if (has_param(loss, "t")) *(int64_t *)field(a, "t", KIND_I64) = large ? 12 : 5;
        break;
    case LAYOUT_SEQUENCES: /* ctc_loss: (t, n, c) log-probabilities, padded targets of up to s labels */
        a->n = large ? 64 : 7, a->c = large ? 30 : 6;
        *(int64_t *)field(a, "t", KIND_I64) = large ? 200 : 20;
        *(int64_t *)field(a, "s", KIND_I64) = large ? 50 : 5;
        break;
    default: a->n = large ? 300001 : 3001; break;
    }
    if (is_batch(loss)) a->n = large ? 640 : 96; /* n^2 pairs; even, as ntxent_loss's two views */
    size_t width = f32 ? sizeof(float) : sizeof(double);
    const loss_t *l = find_loss(loss);
    for (int i = 0; i < l->count; i++) {
        const param_t *p = &l->params[i];
        void *slot = field(a, p->name, p->kind);
        if (p->kind == KIND_TENSOR && is_required_buffer(loss, p->name))
            *(const void **)slot = filled((size_t)buffer_count(loss, p->name, a), f32, &seed);
        if (p->kind == KIND_TENSOR && layout_of(loss) == LAYOUT_BOXES && is_required_buffer(loss, p->name))
            for (int64_t r = 0; r < a->n; r++) { /* (x1, y1, w, h) drawn: x2 = x1 + w, y2 = y1 + h */
                void *b = *(void **)slot;
                if (f32) ((float *)b)[4 * r + 2] += ((float *)b)[4 * r], ((float *)b)[4 * r + 3] += ((float *)b)[4 * r + 1];
                else ((double *)b)[4 * r + 2] += ((double *)b)[4 * r], ((double *)b)[4 * r + 3] += ((double *)b)[4 * r + 1];
            }
        if (p->kind == KIND_LABELS) {
            size_t count = (size_t)buffer_count(loss, p->name, a);
            int64_t *own = malloc(sizeof(int64_t) * (count ? count : 1));
            /* Class indices below c (or l); a batch loss's labels among 8 identities. */
            int64_t bound = is_batch(loss) ? 8 : label_bound(loss, a), *ignore = field(a, "ignore_index", KIND_I64);
            for (size_t k = 0; k < count; k++) own[k] = (int64_t)(uniform(&seed) * (double)bound) % bound;
            if (!strcmp(p->name, "cap_lens"))
                for (size_t k = 0; k < count; k++) own[k] += 1; /* caption lengths: 1..t */
            if (layout_of(loss) == LAYOUT_SEQUENCES) { /* ctc_loss: labels 1..c-1 (0 is the blank); lengths */
                int64_t t = *(int64_t *)field(a, "t", KIND_I64), s = *(int64_t *)field(a, "s", KIND_I64);
                for (size_t k = 0; k < count; k++)
                    own[k] = !strcmp(p->name, "targets")          ? 1 + own[k] % (bound - 1)
                             : !strcmp(p->name, "input_lengths") ? t - (int64_t)(k % 4)
                                                                  : (int64_t)k % (s + 1);
            }
            if (ignore && has_param(loss, "ignore_index"))
                for (size_t k = 0; k < count; k += 7) own[k] = *ignore;
            /* A loss whose labels the shared ones cannot be keeps its own: more of them than are
               shared (multilabel_margin_loss's n·c), fewer classes than the shared values reach
               (the segmentation losses' 2 or 4), or ctc_loss, whose lengths are bounded by t and s
               and whose labels exclude the blank. Otherwise every call would be refused, or read
               past the shared array. */
            int shared = labels && layout_of(loss) != LAYOUT_SEQUENCES && count <= SHARED_LABEL_COUNT &&
                         (is_batch(loss) || label_bound(loss, a) >= SHARED_LABEL_BOUND); /* identities: any */
            *(const int64_t **)slot = shared ? labels : own;
            if (shared) free(own);
        }
        if (p->kind == KIND_DOUBLES && is_required_buffer(loss, p->name)) { /* a quantile loss's quantiles */
            static const double quantile[1] = {0.3};
            *(const double **)slot = quantile;
        }
        if (p->kind == KIND_OUTPUT || p->kind == KIND_STATE || p->kind == KIND_INDEX_OUTPUT) {
            size_t count = (size_t)buffer_count(loss, p->name, a);
            j->offset[j->outputs] = (size_t)((char *)slot - (char *)a);
            j->bytes[j->outputs] = count * (p->kind == KIND_INDEX_OUTPUT ? sizeof(int64_t) : width);
            if (p->kind == KIND_STATE) j->initial[j->outputs] = filled(count, f32, &seed);
            j->outputs++;
        }
    }
    for (const char *const *name = (const char *const[]){"sigma1", "sigma2", NULL}; *name; name++)
        if (has_param(loss, *name)) make_covariance(*(void **)field(a, *name, KIND_TENSOR), a->d, f32);
}

int32_t run_job(const job_t *j, void *got[MAX_PARAMS]) {
    args_t a = j->args;
    for (int o = 0; o < j->outputs; o++) {
        *(void **)((char *)&a + j->offset[o]) = got[o] = malloc(j->bytes[o] ? j->bytes[o] : 1);
        if (j->initial[o]) memcpy(got[o], j->initial[o], j->bytes[o]);
    }
    return call_loss(j->loss, j->f32, &a);
}

void free_outputs(const job_t *j, void *got[MAX_PARAMS]) {
    for (int o = 0; o < j->outputs; o++) free(got[o]);
}
