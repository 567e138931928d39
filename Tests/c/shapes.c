#include "shapes.h"

#include <string.h>

#include "losses.h"

int has_size(const char *loss, const char *name) {
    const loss_t *l = find_loss(loss);
    for (int i = 0; l && i < l->count; i++)
        if (!strcmp(l->params[i].name, name)) return l->params[i].kind == KIND_I64;
    return 0;
}

layout_t layout_of(const char *loss) {
    if (is_metric(loss)) return LAYOUT_METRIC; /* before the others: a metric's names are its own */
    if (has_param(loss, "linear_weight")) return LAYOUT_LINEAR; /* before "c": its input is (n, d) rows */
    if (has_param(loss, "features")) return LAYOUT_TABLES;
    if (has_param(loss, "log_probs")) return LAYOUT_SEQUENCES; /* before "c": (t, n, c), its labels no class index */
    if (has_param(loss, "sp")) return LAYOUT_SIMILARITIES;
    if (has_param(loss, "img_features") || has_param(loss, "img_global")) return LAYOUT_CAPTIONS;
    if (has_param(loss, "h")) return LAYOUT_PLANES; /* before "c": its channels are no classes */
    /* pred of (n, c, d) images before "c" (its channels are no classes); pred of (n, 4) boxes without c */
    if (has_param(loss, "pred") && (has_param(loss, "c") || has_param(loss, "d"))) return LAYOUT_IMAGES; /* lovasz_hinge_loss: c = 1 */
    if (has_param(loss, "boxes1") || has_param(loss, "pred")) return LAYOUT_BOXES;
    if (has_param(loss, "c")) return LAYOUT_CLASSES;
    if (has_param(loss, "q")) return LAYOUT_QUANTILES;
    if (has_param(loss, "real_scores")) return LAYOUT_SCORES;
    /* pk and qk (n, d) distributions, gradient_penalty's gradients (n, d): one value per row */
    if (has_param(loss, "x1") || has_param(loss, "anchor") || has_param(loss, "f1") || has_param(loss, "embeddings") ||
        has_param(loss, "pk") || has_param(loss, "gradients"))
        return LAYOUT_ROWS;
    if (has_param(loss, "dist")) return LAYOUT_MATRIX;
    return LAYOUT_ELEMENTWISE;
}

int is_batch(const char *loss) { return has_param(loss, "embeddings") || has_param(loss, "dist"); }

int is_size_param(const char *name, int kind) {
    size_t len = strlen(name);
    return kind == KIND_I64 && (!strcmp(name, "n") || !strcmp(name, "m") || !strcmp(name, "c") || !strcmp(name, "d") ||
                                !strcmp(name, "q") || !strcmp(name, "l") || !strcmp(name, "k") ||
                                !strcmp(name, "h") || !strcmp(name, "w") || !strcmp(name, "r") ||
                                !strcmp(name, "t") || !strcmp(name, "s") || (len > 6 && !strcmp(name + len - 6, "_count")));
}

int is_required_buffer(const char *loss, const char *name) {
    int required = 0;
    if (is_metric(loss)) return metric_sizes(loss, name, &required) && required;
    return !strcmp(name, "input") || !strcmp(name, "target") || !strcmp(name, "x1") || !strcmp(name, "x2") ||
           !strcmp(name, "input1") || !strcmp(name, "input2") || !strcmp(name, "anchor") ||
           !strcmp(name, "positive") || !strcmp(name, "negative") || !strcmp(name, "negative1") ||
           !strcmp(name, "negative2") || !strcmp(name, "f1") || !strcmp(name, "f2") || !strcmp(name, "label") ||
           !strcmp(name, "embeddings") || !strcmp(name, "labels") || !strcmp(name, "dist") || !strcmp(name, "features") ||
           !strcmp(name, "sp") || !strcmp(name, "sn") || !strcmp(name, "pred") || !strcmp(name, "x") ||
           !strcmp(name, "x_hat") || !strcmp(name, "boxes1") || !strcmp(name, "boxes2") || !strcmp(name, "logits") ||
           !strcmp(name, "rewards") || !strcmp(name, "values") || !strcmp(name, "next_values") || !strcmp(name, "dones") ||
           !strcmp(name, "pk") || !strcmp(name, "qk") || !strcmp(name, "real_scores") || !strcmp(name, "fake_scores") ||
           !strcmp(name, "gradients") ||
           (has_param(loss, "h") && !strcmp(name, "y")) || !strcmp(name, "img_features") ||
           !strcmp(name, "words_emb") || !strcmp(name, "cap_lens") || !strcmp(name, "img_global") ||
           !strcmp(name, "sent_emb") || !strcmp(name, "linear_weight") || !strcmp(name, "img") ||
           !strcmp(name, "log_probs") ||
           !strcmp(name, "input_lengths") || !strcmp(name, "target_lengths") ||
           (has_param(loss, "log_probs") && !strcmp(name, "targets")) ||
           (!strcmp(name, "quantile") && has_param(loss, "q")) || table_rows(name) != NULL ||
           !strcmp(name, "var"); /* gaussian_nll_loss's variances */
}

static int64_t size_field(const args_t *a, const char *name) {
    const int64_t *v = field((args_t *)a, name, KIND_I64);
    return v ? *v : 0;
}

/* The tables of LAYOUT_TABLES and the size that counts their rows. */
static const struct {
    const char *table, *rows;
} TABLES[] = {{"centers", "c"}, {"lut", "l"}, {"queue", "q"}};

const char *table_rows(const char *name) {
    for (size_t t = 0; t < sizeof TABLES / sizeof *TABLES; t++)
        if (!strcmp(name, TABLES[t].table)) return TABLES[t].rows;
    return NULL;
}

/* Every buffer of every metric: its name, the sizes of its dimensions in order (one letter
   each; "L" is l + 1) and whether a call must pass it; `only`, when set, the one metric the row
   is for (a name whose shape differs between metrics: gae's values hold l + 1 steps per row,
   td_error's l), listed before the row for the others. A new metric adds its buffers here. */
static const struct {
    const char *name, *sizes;
    int required;
    const char *only;
} METRIC_BUFFERS[] = {
    {"u_values", "n", 1, NULL}, {"v_values", "m", 1, NULL}, {"u_weights", "n", 0, NULL}, {"v_weights", "m", 0, NULL},
    /* The value-learning targets: n trajectories of l steps. */
    {"values", "nL", 1, "gae"}, {"rewards", "nl", 1, NULL}, {"values", "nl", 1, NULL}, {"next_values", "nl", 1, NULL},
    {"dones", "nl", 1, NULL}, {"discounts", "nl", 1, NULL},
    {"probs", "nc", 1, NULL},
    {"mu1", "d", 1, NULL}, {"mu2", "d", 1, NULL}, {"sigma1", "dd", 1, NULL}, {"sigma2", "dd", 1, NULL},
    {"features1", "nd", 1, NULL}, {"features2", "md", 1, NULL},
    {"scores", "nk", 1, NULL}, {"relevance", "nk", 1, NULL}, {"image", "nd", 1, NULL}, {"text", "nkd", 1, NULL},
};

const char *metric_sizes(const char *loss, const char *name, int *required) {
    for (size_t b = 0; b < sizeof METRIC_BUFFERS / sizeof *METRIC_BUFFERS; b++)
        if (!strcmp(name, METRIC_BUFFERS[b].name) && (!METRIC_BUFFERS[b].only || !strcmp(loss, METRIC_BUFFERS[b].only))) {
            *required = METRIC_BUFFERS[b].required;
            return METRIC_BUFFERS[b].sizes;
        }
    return NULL;
}

int64_t metric_size(const args_t *a, char letter) {
    if (letter == 'L') return size_field(a, "l") + 1;
    char size[2] = {letter, 0};
    return size_field(a, size);
}

int64_t metric_out_count(const char *loss, const args_t *a) {
    if (has_param(loss, "splits")) return 2; /* inception_score: (mean, std) */
    if (has_param(loss, "reduction") && a->reduction == LOSSES_REDUCTION_NONE) /* the R-precisions: one per query */
        return has_size(loss, "k") ? a->n : sample_count(loss, a);
    if (has_size(loss, "l")) return a->n * size_field(a, "l"); /* a sequence transform: one value per step */
    return 1;
}

int64_t label_bound(const char *loss, const args_t *a) {
    if (has_param(loss, "relevance")) return 2; /* r_precision: relevance 0 or 1 */
    if (has_param(loss, "l")) return size_field(a, "l");
    if (layout_of(loss) == LAYOUT_CAPTIONS) return has_param(loss, "t") ? size_field(a, "t") : 8; /* class ids: any */
    if (layout_of(loss) == LAYOUT_IMAGES && !has_param(loss, "c")) return 2; /* lovasz_hinge_loss: 0 or 1 */
    if (layout_of(loss) == LAYOUT_SEQUENCES) return a->c; /* ctc_loss's labels: 1..c-1 (0, the blank, refused too) */
    return has_param(loss, "c") ? a->c : 0;
}

int64_t sample_count(const char *loss, const args_t *a) {
    int64_t n = a->n, d = has_param(loss, "d") ? a->d : 1;
    switch (layout_of(loss)) {
    case LAYOUT_CLASSES: return has_param(loss, "logits") ? 1 : n * d; /* sigmoid_dr_loss: one value per batch */
    case LAYOUT_QUANTILES: return n * a->q;
    case LAYOUT_ROWS: return has_size(loss, "m") ? n * a->m : n;
    case LAYOUT_MATRIX: return n;
    case LAYOUT_TABLES: return n;
    case LAYOUT_SIMILARITIES: return n;
    case LAYOUT_IMAGES: return n;
    case LAYOUT_BOXES: return n;
    case LAYOUT_PLANES: return n;
    case LAYOUT_CAPTIONS: return n;
    case LAYOUT_SCORES: return 1;
    case LAYOUT_SEQUENCES: return n;
    case LAYOUT_LINEAR: return n;
    default: return n * d; /* kl_div: n × d elements */
    }
}

int64_t buffer_count(const char *loss, const char *name, const args_t *a) {
    int64_t n = a->n, c = has_param(loss, "c") ? a->c : 1, d = has_param(loss, "d") ? a->d : 1;
    if (is_metric(loss) && (!strcmp(name, "out") || !strcmp(name, "grad_output"))) return metric_out_count(loss, a);
    if (is_metric(loss)) { /* the product of the sizes its dimensions name */
        int required = 0;
        const char *sizes = metric_sizes(loss, name, &required);
        int64_t count = 1;
        for (const char *s = sizes; s && *s; s++) count *= metric_size(a, *s);
        return sizes ? count : 0;
    }
    if (!strcmp(name, "out") || !strcmp(name, "grad_output"))
        return a->reduction == LOSSES_REDUCTION_NONE ? sample_count(loss, a) : 1;
    /* A vector with its own count parameter: pos_weight, alpha. */
    char count_name[64];
    strcpy(count_name, name);
    strcat(count_name, "_count");
    if (has_param(loss, count_name)) return size_field(a, count_name);
    const char *base = strncmp(name, "grad_", 5) ? name : name + 5; /* a gradient is shaped like its input */
    /* gaussian_nll_loss's variances: n*d, or n with var_per_row, which also holds when d = 0 (the
       fuzzer sizes buffers before it draws the flag: room for either). */
    if (!strcmp(base, "var")) return n * (d > 1 ? d : 1);
    switch (layout_of(loss)) {
    case LAYOUT_CLASSES:
        if (!strcmp(base, "weight")) return c;
        if (!strcmp(base, "target") && is_class_index(loss))
            return strcmp(loss, "multilabel_margin_loss") ? n * d : n * c; /* there a row of c labels per sample */
        if (!strcmp(base, "targets")) return n * d; /* sigmoid_dr_loss's labels */
        return n * c * d;
    case LAYOUT_QUANTILES:
        if (!strcmp(base, "target")) return n;
        if (!strcmp(base, "quantile")) return a->q;
        return n * a->q;
    case LAYOUT_ROWS:
        if (!strcmp(base, "target") || !strcmp(base, "label") || !strcmp(base, "labels"))
            return n; /* one target per pair of rows; one label per embedding */
        if (!strcmp(base, "weight")) return d;                            /* verification_loss: per column */
        if (!strcmp(base, "bias")) return 1;
        return (!strcmp(base, "x2") && has_size(loss, "m") ? a->m : n) * d;
    case LAYOUT_MATRIX: return !strcmp(base, "labels") ? n : n * n;
    case LAYOUT_TABLES:
        if (table_rows(base)) return size_field(a, table_rows(base)) * d;
        if (!strcmp(base, "features")) return n * d;
        return !strcmp(name, "new_head") ? 1 : n; /* the labels; an update's returned head */
    case LAYOUT_SIMILARITIES: return n * size_field(a, !strcmp(base, "sp") ? "k" : "l");
    case LAYOUT_IMAGES: /* pred, target and their gradients; the Tversky losses' labels n·d */
        if (!strcmp(base, "weight")) return c; /* lovasz_softmax_loss: one per class */
        return !strcmp(base, "target") && is_class_index(loss) ? n * d : n * c * d;
    case LAYOUT_BOXES: return !strcmp(base, "weight") ? n : n * 4; /* iou_loss's weight: one per row */
    case LAYOUT_PLANES: /* x, y and their gradients; total_variation's img of n planes (no c) */
        return n * (has_param(loss, "c") ? a->c : 1) * size_field(a, "h") * size_field(a, "w");
    case LAYOUT_CAPTIONS: /* the features and their gradients; the labels */
        if (!strcmp(base, "img_features")) return n * d * size_field(a, "r");
        if (!strcmp(base, "words_emb")) return n * d * size_field(a, "t");
        return !strcmp(base, "img_global") || !strcmp(base, "sent_emb") ? n * d : n;
    case LAYOUT_SCORES: return !strcmp(base, "fake_scores") ? a->m : n;
    case LAYOUT_SEQUENCES: /* log_probs and its gradient (t, n, c); padded targets (n, s); the lengths n */
        if (!strcmp(base, "log_probs")) return size_field(a, "t") * n * a->c;
        return !strcmp(base, "targets") ? n * size_field(a, "s") : n;
    case LAYOUT_LINEAR: /* input (n, d), linear_weight (c, d), linear_bias and weight c, target n */
        if (!strcmp(base, "linear_weight")) return c * d;
        if (!strcmp(base, "linear_bias") || !strcmp(base, "weight")) return c;
        return !strcmp(base, "target") ? n : n * d;
    default: return n * d;
    }
}
