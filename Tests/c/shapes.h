/* How many elements each buffer of a loss holds, from its sizes: the one place the C test
   programs know the layouts of include/losses.h. A loss's layout follows from its parameter
   names (the generated table in calls.c), so a new loss of a known layout needs nothing here. */
#ifndef LOSSES_TEST_SHAPES_H
#define LOSSES_TEST_SHAPES_H

#include <stdint.h>

#include "calls.h"

typedef enum {
    LAYOUT_ELEMENTWISE, /* input, target, weight: n values (n × d with a d: kl_div's (n, d)) */
    LAYOUT_CLASSES,     /* input (n, c, d); targets n·d labels or n·c·d probabilities; weight c;
                           sigmoid_dr_loss's logits (n, c) and targets n: one value per batch */
    LAYOUT_QUANTILES,   /* input (n, q); target n; quantile q */
    LAYOUT_ROWS,        /* x1 (n, d), x2 (n, d) or (m, d): one value per pair; embeddings (n, d) and n labels */
    LAYOUT_MATRIX,      /* dist (n, n) and n labels: one value per row */
    LAYOUT_TABLES,      /* features (n, d), labels n, tables of d-wide rows the caller owns:
                           centers (c, d); lut (l, d) and queue (q, d). One value per sample */
    LAYOUT_SIMILARITIES, /* sp (n, k) and sn (n, l), circle_loss's similarities: one value per row */
    LAYOUT_IMAGES,      /* pred and target (n, c, d), an (N, C, H, W) batch with d = H W: one value
                           per sample (dice_loss) */
    LAYOUT_BOXES,       /* boxes1 (n, 4) and boxes2 (n, 4), (x1, y1, x2, y2); iou_loss's pred and target
                           (n, 4) distances and weight n: one value per row */
    LAYOUT_PLANES,      /* x and y (n, c, h, w), the image-quality losses: one value per image */
    LAYOUT_CAPTIONS,    /* DAMSM: img_features (n, d, r) and words_emb (n, d, t), or img_global and
                           sent_emb (n, d); cap_lens (in 1..t) and class_ids n: one value per sample */
    LAYOUT_SCORES,      /* real_scores n and fake_scores m, wgan_critic_loss: one value */
    LAYOUT_LINEAR,      /* linear_cross_entropy: input (n, d), linear_weight (c, d), linear_bias and weight c,
                           target n labels: one value per row */
    LAYOUT_METRIC       /* a metric (is_metric): each buffer's sizes named in METRIC_BUFFERS of shapes.c
                           (wasserstein_distance: u_values and u_weights n, v_values and v_weights m;
                           the value-learning targets (n, l), gae's values (n, l + 1));
                           out holds metric_out_count values */,
    LAYOUT_SEQUENCES    /* ctc_loss: log_probs (t, n, c), padded targets (n, s) (the suites never use
                           the concatenated form, s = 0), input_lengths (0..t) and target_lengths (0..s)
                           n: one value per sample */
} layout_t;

layout_t layout_of(const char *loss);

/* The element count of buffer `name` of `loss` (an input, an output or a parameter vector)
   for the sizes in `a` (n, c, d, q, k, l, h, w, r, t, s and the *_count sizes). */
int64_t buffer_count(const char *loss, const char *name, const args_t *a);

/* The size that counts the rows of a caller-owned table (centers: "c", lut: "l", queue: "q"),
   or NULL for any other buffer. */
const char *table_rows(const char *name);

/* The bound of a loss's int64 labels: the class count c, the lookup table's rows l, or the
   words t of a caption (DAMSM's cap_lens are 1..t; its sentence loss's class ids: 8). */
int64_t label_bound(const char *loss, const args_t *a);

/* 1 for a size parameter: an int64_t n, m, c, d, q, l, k, h, w, r, t, s or <vector>_count (circle loss's
   m is a double margin, not a size; win_size is a parameter, not a size). */
int is_size_param(const char *name, int kind);

/* 1 for a loss over a whole batch (every pair of n rows: O(n^2) work and scratch), whose sizes
   the stress and fuzz programs keep smaller. */
int is_batch(const char *loss);

/* 1 when `loss` takes the size parameter `name` (an int64_t). */
int has_size(const char *loss, const char *name);

/* 1 for an input buffer every call must pass (input, target, x1, x2, features, a quantile
   loss's quantiles, a caller-owned table); the others (weights, grad_output, vectors with a count) may be NULL. */
int is_required_buffer(const char *loss, const char *name);

/* A metric's buffer: the size names whose product is its element count, one letter each ("n",
   "nc", "nkd"), in the order of its array's dimensions (the C harness reads the sizes back from a
   case's shapes with it); NULL for a buffer the table does not name. `required`: a buffer every
   call must pass (weights are optional). */
const char *metric_sizes(const char *loss, const char *name, int *required);

/* The size a letter of metric_sizes names: n, m, c, d, k, l, or l + 1 for "L". */
int64_t metric_size(const args_t *a, char letter);

/* How many values a metric writes to `out`: 1 for a scalar metric, the per-sample count for a
   metric with a reduction of LOSSES_REDUCTION_NONE, n·l for a sequence transform (a size l). */
int64_t metric_out_count(const char *loss, const args_t *a);

/* The number of samples: values of `out` for LOSSES_REDUCTION_NONE. */
int64_t sample_count(const char *loss, const args_t *a);

#endif
