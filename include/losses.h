/*
 * losses.h: the C interface of liblosses, loss functions of machine learning with their
 * analytic gradients.
 *
 * This header is the whole published API: anything not declared here is not part of it.
 * It is C99 and C++ compatible; link with -llosses (pkg-config: losses).
 *
 * Conventions that hold for every function below
 * ------------------------------------------------
 * - Every loss comes as losses_<name>_f32 (float) and losses_<name>_f64 (double), with one
 *   parameter order: inputs, sizes, parameters, reduction, out, then the optional gradient
 *   outputs and the optional grad_output.
 * - Arrays are C-contiguous (row-major, no strides) and aligned for their element type
 *   (LOSSES_ERROR_MISALIGNED otherwise).
 *   Sizes are element counts (int64_t), never bytes.
 * - Tensors (inputs, weights, outputs, gradients) have the function's element type; scalar and
 *   vector parameters (delta, beta, quantiles) are double in both variants.
 * - `reduction` is one of LOSSES_REDUCTION_*. `out` receives one value per element for
 *   LOSSES_REDUCTION_NONE and a single value otherwise. The mean of an empty input is NaN and
 *   its sum 0, as in PyTorch.
 * - Gradient outputs may be NULL: that gradient is then not computed. When given, a gradient
 *   has the shape of its input and is the gradient of the value written to `out`; for
 *   LOSSES_REDUCTION_NONE it is the gradient of sum(grad_output * out).
 * - `grad_output` may be NULL, meaning ones. Otherwise it holds as many values as `out`
 *   (one for the mean and sum reductions).
 * - Required pointers must not be NULL, even when a size is 0.
 * - Outputs must not overlap any input or each other (LOSSES_ERROR_OVERLAP).
 * - Every function returns LOSSES_OK or an error status, and checks all its arguments before
 *   it computes anything: on error no output buffer is written, and losses_last_error() holds
 *   a message naming the argument, the expected and the actual value.
 * - NaN inputs give NaN values and gradients where the formula involves them; they are not
 *   errors.
 * - The library keeps no state besides the per-thread error message: every function is
 *   reentrant and may be called from any number of threads at once.
 * - Inputs of 2^18 elements and more are split into fixed chunks computed on several threads
 *   (see "Threads" below). Chunks are combined in a fixed order: every result is bitwise the
 *   same whatever the thread count, and from one call to the next. When the system cannot
 *   start a thread (process or memory limits), the calling thread computes every chunk itself:
 *   a call never waits for a thread that cannot exist.
 * - Threads that call the library need at least 64 KiB of stack.
 * - float32 sums are accumulated in double: means and sums stay within a few ulp of the
 *   float64 result.
 */
#ifndef LOSSES_H
#define LOSSES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define LOSSES_API __attribute__((visibility("default")))
#  define LOSSES_NODISCARD __attribute__((warn_unused_result))
#else
#  define LOSSES_API
#  define LOSSES_NODISCARD
#endif

/* ---- Versions ------------------------------------------------------------------------- */

/* The release of this header. The library reports its own with losses_version_number(). */
#define LOSSES_VERSION_MAJOR 0
#define LOSSES_VERSION_MINOR 6
#define LOSSES_VERSION_PATCH 0
#define LOSSES_VERSION_NUMBER \
    (LOSSES_VERSION_MAJOR * 10000 + LOSSES_VERSION_MINOR * 100 + LOSSES_VERSION_PATCH)
#define LOSSES_VERSION_STRING "0.6.0"

/* The ABI generation: the library's SONAME is liblosses.so.<LOSSES_ABI_VERSION>. It changes
   only when a declared function changes or disappears, never when one is added. */
#define LOSSES_ABI_VERSION 1

/* LOSSES_VERSION_NUMBER of the library actually loaded (compare with the macro to catch a
   header/library mismatch). */
LOSSES_API int32_t losses_version_number(void);
/* LOSSES_VERSION_STRING of the library actually loaded; a static string, never freed. */
LOSSES_API const char *losses_version_string(void);
/* LOSSES_ABI_VERSION of the library actually loaded. */
LOSSES_API int32_t losses_abi_version(void);

/* ---- Status codes and messages -------------------------------------------------------- */

/* Values are fixed forever; new codes are only appended. */
enum {
    LOSSES_OK = 0,
    LOSSES_ERROR_NULL_POINTER = 1,      /* a required pointer is NULL */
    LOSSES_ERROR_INVALID_SIZE = 2,      /* a negative size, or sizes whose product overflows */
    LOSSES_ERROR_SHAPE_MISMATCH = 3,    /* sizes that must agree do not */
    LOSSES_ERROR_INVALID_OPTION = 4,    /* a selector (reduction, ...) outside its values */
    LOSSES_ERROR_INVALID_ARGUMENT = 5,  /* a parameter outside its domain (delta <= 0, ...) */
    LOSSES_ERROR_LABEL_OUT_OF_RANGE = 6,/* a class index outside [0, C) that is not ignored */
    LOSSES_ERROR_OVERLAP = 7,           /* an output overlaps an input or another output */
    LOSSES_ERROR_MISALIGNED = 8,        /* a pointer not aligned for its element type */
    LOSSES_ERROR_OUT_OF_MEMORY = 9      /* the library's scratch memory could not be allocated */
};

/* A static English name for a status code ("invalid argument"); "unknown status" for codes
   this library does not know. Never NULL, never freed. */
LOSSES_API const char *losses_status_string(int32_t status);

/* The message of the most recent failed call on the calling thread, for example
   "huber_loss: delta must be positive and finite, got -1.0". Successful calls leave it as it
   was. Empty ("") before any failure. The pointer stays valid until the next call on the same
   thread; each thread has its own message. */
LOSSES_API const char *losses_last_error(void);

/* ---- Threads -------------------------------------------------------------------------- */

/* How many threads a large call uses, the calling thread included: the LOSSES_NUM_THREADS
   environment variable, read once when the library is loaded (a positive integer), else one
   per online processor; at most 256. losses_set_num_threads(n) changes it for every later call
   of any thread (n >= 1; 0 restores the default; LOSSES_ERROR_INVALID_ARGUMENT for n < 0).
   The pool's threads are started on first use and live as long as the process; they take no
   signals. */
LOSSES_API LOSSES_NODISCARD int32_t losses_set_num_threads(int32_t threads);
LOSSES_API int32_t losses_get_num_threads(void);

/* ---- Reductions ----------------------------------------------------------------------- */

enum {
    LOSSES_REDUCTION_NONE = 0,
    LOSSES_REDUCTION_MEAN = 1,
    LOSSES_REDUCTION_SUM = 2
};

/* ---- Defaults ------------------------------------------------------------------------- */

/* The default of every parameter that has one, as PyTorch (torchvision for sigmoid_focal_loss,
   optax for log_cosh_loss) defines it; the Python and Swift APIs default to the same values, and
   the conformance vectors check each against the reference's own default. Named
   LOSSES_<LOSS>_DEFAULT_<PARAMETER> (LOSS without "_loss"), or LOSSES_DEFAULT_<PARAMETER> when
   every loss with that parameter shares it. */
#define LOSSES_DEFAULT_REDUCTION LOSSES_REDUCTION_MEAN
#define LOSSES_DEFAULT_IGNORE_INDEX (-100)
#define LOSSES_DEFAULT_LABEL_SMOOTHING 0.0
#define LOSSES_FOCAL_DEFAULT_GAMMA 2.0
#define LOSSES_MULTI_MARGIN_DEFAULT_P 1
#define LOSSES_MULTI_MARGIN_DEFAULT_MARGIN 1.0
#define LOSSES_SIGMOID_FOCAL_DEFAULT_ALPHA 0.25
#define LOSSES_SIGMOID_FOCAL_DEFAULT_GAMMA 2.0
#define LOSSES_SIGMOID_FOCAL_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_HINGE_DEFAULT_MARGIN 1.0
#define LOSSES_HINGE_DEFAULT_SQUARED 0
#define LOSSES_HINGE_EMBEDDING_DEFAULT_MARGIN 1.0
#define LOSSES_HUBER_DEFAULT_DELTA 1.0
#define LOSSES_SMOOTH_L1_DEFAULT_BETA 1.0
#define LOSSES_QUANTILE_DEFAULT_QUANTILE 0.5
#define LOSSES_PAIRWISE_DISTANCE_DEFAULT_P 2.0
#define LOSSES_PAIRWISE_DISTANCE_DEFAULT_EPS 1e-6
#define LOSSES_PAIRWISE_DISTANCE_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_COSINE_SIMILARITY_DEFAULT_EPS 1e-8
#define LOSSES_COSINE_SIMILARITY_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_PAIRWISE_DISTANCE_MATRIX_DEFAULT_P 2.0
#define LOSSES_PAIRWISE_DISTANCE_MATRIX_DEFAULT_EPS 1e-6
#define LOSSES_PAIRWISE_DISTANCE_MATRIX_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_COSINE_SIMILARITY_MATRIX_DEFAULT_EPS 1e-8
#define LOSSES_COSINE_SIMILARITY_MATRIX_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE

/* ---- Classification: class-index losses (docs/classification.md) ---------------------- */

/*
 * Layout shared by the class-index losses: `input` is (n, c, d) row-major, where d is the
 * product of PyTorch's trailing dimensions d1..dk (1 for a plain (n, c) batch), so class k of
 * sample (i, j) is input[(i*c + k)*d + j]. `target` holds n*d class indices (int64_t), each in
 * [0, c) or equal to ignore_index (LOSSES_ERROR_LABEL_OUT_OF_RANGE otherwise, naming the
 * label and c). c must be >= 1. For LOSSES_REDUCTION_NONE `out` holds n*d values, one per
 * target; grad_input has the n*c*d values of input.
 */

/*
 * Cross entropy with class-index targets, PyTorch's cross_entropy:
 *   loss = (1 - eps) w[y] (lse - z[y]) + (eps / c) sum_k w[k] (lse - z[k]),  lse = log sum exp z,
 *   eps = label_smoothing in [0, 1]; weight: c values or NULL (ones).
 *   Targets equal to ignore_index give 0 and are left out of the mean, which divides by the
 *   summed w[y] of the kept targets (so an all-ignored batch gives NaN, as in PyTorch).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_f32(
    const float *input, const int64_t *target, const float *weight, int64_t n, int64_t c, int64_t d,
    int64_t ignore_index, double label_smoothing, int32_t reduction, float *out, float *grad_input,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_f64(
    const double *input, const int64_t *target, const double *weight, int64_t n, int64_t c, int64_t d,
    int64_t ignore_index, double label_smoothing, int32_t reduction, double *out, double *grad_input,
    const double *grad_output);

/*
 * Cross entropy with probability targets, PyTorch's cross_entropy with a float target shaped
 * like input (n*c*d values): t' = (1 - eps) t + eps / c, loss = sum_k w[k] t'[k] (lse - z[k]).
 * The mean divides by n*d. No ignore_index (PyTorch refuses one for probability targets).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_probs_f32(
    const float *input, const float *target, const float *weight, int64_t n, int64_t c, int64_t d,
    double label_smoothing, int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_probs_f64(
    const double *input, const double *target, const double *weight, int64_t n, int64_t c, int64_t d,
    double label_smoothing, int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Linear cross entropy, PyTorch's linear_cross_entropy with class-index targets: the cross
 * entropy above of the logits of a linear layer,
 *   z = input linear_weight^T + linear_bias,  loss_i = cross_entropy(z_i, target_i),
 * input (n, d) row-major (d = in_features), linear_weight (c, d), linear_bias c values or NULL
 * (no bias), weight c class weights or NULL (ones), target n class indices in [0, c) or equal to
 * ignore_index (LOSSES_ERROR_LABEL_OUT_OF_RANGE otherwise); c >= 1, d >= 0; label_smoothing,
 * ignore_index, the weighted mean and the all-ignored NaN as for cross_entropy. The N x C logits
 * are never held: rows go by blocks of at most 1024 (about 2^18 logits a block), each logit a
 * float64 fused multiply-add chain over the d features in ascending order plus the bias.
 * Gradients, each optional, with G = dloss/dz times the upstream gradient (zero rows for
 * ignored targets): grad_input = G linear_weight (n*d values), grad_linear_weight = G^T input
 * (c*d values; a sum over rows, each block's chain added in block order) and grad_linear_bias =
 * sum over rows of G (c values; also written when linear_bias is NULL: the gradient at a zero
 * bias). Every sum is in a fixed order: bitwise the same for any thread count. n = 0: a NaN mean,
 * a 0 sum, zero grad_linear_weight and grad_linear_bias; d = 0: z = linear_bias. The labels are
 * read once (copied into scratch, checked there, used from there). Allocates its scratch, in
 * float64, before anything is written (LOSSES_ERROR_OUT_OF_MEMORY when it cannot): for float32
 * a copy of linear_weight, plus a packed linear_weight (c*d), its packed columns with grad_input
 * (c*d), grad_linear_weight's sum with it (c*d, and c*d more when n exceeds one block), and
 * blocks of rows (about 2 (B c + B d) doubles, B the block's rows). For LOSSES_REDUCTION_NONE,
 * out and grad_output hold n values. PyTorch's K-dimensional form (linear_weight of more than
 * two dimensions) and probability targets are not provided.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_linear_cross_entropy_f32(
    const float *input, const float *linear_weight, const int64_t *target, const float *linear_bias,
    const float *weight, int64_t n, int64_t c, int64_t d, int64_t ignore_index, double label_smoothing,
    int32_t reduction, float *out, float *grad_input, float *grad_linear_weight, float *grad_linear_bias,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_linear_cross_entropy_f64(
    const double *input, const double *linear_weight, const int64_t *target, const double *linear_bias,
    const double *weight, int64_t n, int64_t c, int64_t d, int64_t ignore_index, double label_smoothing,
    int32_t reduction, double *out, double *grad_input, double *grad_linear_weight, double *grad_linear_bias,
    const double *grad_output);

/*
 * Negative log likelihood of log-probabilities, PyTorch's nll_loss: loss = -w[y] input[y],
 * with cross entropy's ignore_index and weighted-mean rules.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_nll_loss_f32(
    const float *input, const int64_t *target, const float *weight, int64_t n, int64_t c, int64_t d,
    int64_t ignore_index, int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_nll_loss_f64(
    const double *input, const int64_t *target, const double *weight, int64_t n, int64_t c, int64_t d,
    int64_t ignore_index, int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Softmax focal loss (Lin et al. 2017), per target: loss = -alpha_y (1 - p_y)^gamma log p_y,
 * p = softmax(input). alpha: NULL (no weighting), alpha_count = 1 (one value for every class)
 * or alpha_count = c (per class); finite doubles. gamma: finite, >= 0. Ignored targets give
 * 0; the mean divides by the number of kept targets. Value and gradient are finite for every
 * gamma >= 0 and every finite logit.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_focal_loss_f32(
    const float *input, const int64_t *target, const double *alpha, int64_t n, int64_t c, int64_t d,
    int64_t alpha_count, double gamma, int64_t ignore_index, int32_t reduction, float *out,
    float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_focal_loss_f64(
    const double *input, const int64_t *target, const double *alpha, int64_t n, int64_t c, int64_t d,
    int64_t alpha_count, double gamma, int64_t ignore_index, int32_t reduction, double *out,
    double *grad_input, const double *grad_output);

/*
 * Multi-class margin loss, PyTorch's multi_margin_loss, over (n, c) scores (d = 1, no
 * ignore_index): loss = (1/c) sum_{k != y} w[y] max(0, margin - x[y] + x[k])^p, p in {1, 2}
 * (else LOSSES_ERROR_INVALID_ARGUMENT). The mean divides by n.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_multi_margin_loss_f32(
    const float *input, const int64_t *target, const float *weight, int64_t n, int64_t c, int32_t p,
    double margin, int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_multi_margin_loss_f64(
    const double *input, const int64_t *target, const double *weight, int64_t n, int64_t c, int32_t p,
    double margin, int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Multi-label margin loss, PyTorch's multilabel_margin_loss, over (n, c) scores. target holds
 * n*c class indices (int64_t), row-major like input: row i's targets are its entries before its
 * first -1 (all c of them when it has none). Every entry must be in [-1, c), also after the
 * first -1, as PyTorch checks (LOSSES_ERROR_LABEL_OUT_OF_RANGE otherwise); c >= 1. With J_i
 * the targets of row i and "not J_i" the classes absent from them:
 *   loss_i = (1/c) sum_{j in J_i} sum_{k not in J_i} max(0, 1 - (x[j] - x[k]))
 * (a repeated target counts once per repetition, as in PyTorch). A row whose first entry is -1
 * gives 0. The mean divides by n (NaN at n = 0, where PyTorch's value is undefined). Gradient
 * w.r.t. input: for each active pair, -1/c on x[j] and +1/c on x[k]; 0 at the hinge.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_margin_loss_f32(
    const float *input, const int64_t *target, int64_t n, int64_t c,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_margin_loss_f64(
    const double *input, const int64_t *target, int64_t n, int64_t c,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Multi-label soft margin loss, PyTorch's multilabel_soft_margin_loss, over (n, c) scores and
 * targets (n*c values, usually 0 or 1, not checked):
 *   loss_i = -(1/c) sum_k w[k] (t_ik log sigmoid(x_ik) + (1 - t_ik) log sigmoid(-x_ik)),
 * with log sigmoid(x) = -softplus(-x), finite for every finite x. weight: c values or NULL
 * (ones); c >= 1. The mean divides by n. Gradient w.r.t. input (w[k]/c) (sigmoid(x) - t); w.r.t.
 * target: losses_multilabel_soft_margin_loss_grad_target_*.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_soft_margin_loss_f32(
    const float *input, const float *target, const float *weight, int64_t n, int64_t c,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_soft_margin_loss_f64(
    const double *input, const double *target, const double *weight, int64_t n, int64_t c,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Poly-1 loss (Leng et al. 2022), optax's poly_loss_cross_entropy: softmax cross entropy with
 * probability labels plus epsilon times the first polynomial term of its expansion in (1 - p),
 * over rows of c classes (optax's last axis): input and target are (n, c) row-major, and
 *   loss_i = sum_k t[k] (lse - z[k]) + epsilon sum_k t[k] (1 - p[k]),  p = softmax(z), lse = log sum exp z.
 * For labels that sum to 1 the second sum is 1 - sum_k t[k] p[k]; for others it is optax's
 * sum_k t[k] - sum_k t[k] p[k] (labels are taken as given: not checked, not normalised).
 * epsilon: any finite value (optax's default 2.0; the paper also recommends -1 for detection;
 * epsilon = 0 is cross_entropy_probs). c must be >= 1; c = 1 gives 0. The mean divides by n
 * (NaN for n = 0). Finite for finite logits.
 * Gradient: d/dz_k = p[k] sum_j t[j] - t[k] + epsilon p[k] (sum_j t[j] p[j] - t[k]).
 */
#define LOSSES_POLY_LOSS_CROSS_ENTROPY_DEFAULT_EPSILON 2.0
LOSSES_API LOSSES_NODISCARD int32_t losses_poly_loss_cross_entropy_f32(
    const float *input, const float *target, int64_t n, int64_t c, double epsilon,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_poly_loss_cross_entropy_f64(
    const double *input, const double *target, int64_t n, int64_t c, double epsilon,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/* ---- Classification: binary and margin losses (docs/classification.md) ---------------- */

/* Elementwise in (input, target), n values each; `out`, `weight`, gradients as for mse_loss. */

/*
 * Binary cross entropy of probabilities, PyTorch's binary_cross_entropy:
 *   loss = -w (t max(log x, -100) + (1 - t) max(log(1 - x), -100)).
 * Every input must be in [0, 1] (NaN included: LOSSES_ERROR_INVALID_ARGUMENT, naming the
 * index). The mean is mean(w * loss). Gradient (x - t) / max(x (1 - x), 1e-12), as PyTorch.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Binary cross entropy of logits, PyTorch's binary_cross_entropy_with_logits, computed as
 *   loss = w (pw t softplus(-x) + (1 - t) softplus(x)),
 * which neither overflows nor cancels. pos_weight: NULL, or pos_weight_count values repeated
 * along the last axis (element i uses pos_weight[i % pos_weight_count]; the count must divide
 * n). The mean is mean(w * loss). Gradient w ((1 - t) sigmoid(x) - pw t sigmoid(-x)).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_with_logits_f32(
    const float *input, const float *target, const float *weight, const float *pos_weight, int64_t n,
    int64_t pos_weight_count, int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_with_logits_f64(
    const double *input, const double *target, const double *weight, const double *pos_weight, int64_t n,
    int64_t pos_weight_count, int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Sigmoid focal loss, torchvision.ops.sigmoid_focal_loss: alpha_t (1 - p_t)^gamma ce, with ce
 * the binary cross entropy of logits, p_t = p t + (1 - p)(1 - t), alpha_t = alpha t +
 * (1 - alpha)(1 - t). alpha in [0, 1], or exactly -1 for no weighting; gamma finite, >= 0.
 * Gradients stay finite for every gamma >= 0 (torchvision's are NaN for gamma < 1 at saturated
 * logits). torchvision's default reduction is none.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_sigmoid_focal_loss_f32(
    const float *input, const float *target, int64_t n, double alpha, double gamma,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_sigmoid_focal_loss_f64(
    const double *input, const double *target, int64_t n, double alpha, double gamma,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Binary hinge loss for targets in {-1, +1}: loss = max(0, margin - y x), squared when
 * squared = 1 (0 or 1, else LOSSES_ERROR_INVALID_OPTION). margin finite. The gradient is 0 at
 * the hinge.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_hinge_loss_f32(
    const float *input, const float *target, int64_t n, double margin, int32_t squared,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_hinge_loss_f64(
    const double *input, const double *target, int64_t n, double margin, int32_t squared,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * PyTorch's hinge_embedding_loss: x where y != -1, plus max(0, margin - x) where y != 1 (a
 * target of 1 or -1 selects one term). margin finite.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_hinge_embedding_loss_f32(
    const float *input, const float *target, int64_t n, double margin,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_hinge_embedding_loss_f64(
    const double *input, const double *target, int64_t n, double margin,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Soft margin loss, PyTorch's soft_margin_loss: loss = log(1 + exp(-y x)), computed as
 * softplus(-y x): finite where PyTorch overflows (-y x > 88.7 in float32). Gradient
 * -y sigmoid(-y x).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_soft_margin_loss_f32(
    const float *input, const float *target, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_soft_margin_loss_f64(
    const double *input, const double *target, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/* The logistic loss log(1 + exp(-y x)) of scores and targets in {-1, +1}: the same function
   as losses_soft_margin_loss_*, under the name the literature gives it. */
LOSSES_API LOSSES_NODISCARD int32_t losses_logistic_loss_f32(
    const float *input, const float *target, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_logistic_loss_f64(
    const double *input, const double *target, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Binary sparsemax loss, optax.losses.sparsemax_loss(logits, labels): per element,
 *   loss = sparse_plus(-input) where target != 0,  sparse_plus(input) where target == 0,
 *   sparse_plus(z) = 0 for z <= -1, (z + 1)^2 / 4 for -1 < z < 1, z for z >= 1
 * (Blondel, Martins and Niculae 2020, "Learning with Fenchel-Young losses", sec. 4.4): zero
 * exactly where sparse_sigmoid(input) equals the label. The target is optax's label, 0 or 1; any
 * nonzero value (NaN included) counts as 1, as optax's jnp.where. optax returns the unreduced
 * values (LOSSES_REDUCTION_NONE); the default reduction is the library's, the mean. Gradient,
 * optional, w.r.t. input: -sparse_plus'(-input) or sparse_plus'(input), sparse_plus'(z) = 0,
 * (z + 1) / 2, 1 on the three pieces (continuous). A NaN input gives NaN for both.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_sparsemax_loss_f32(
    const float *input, const float *target, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_sparsemax_loss_f64(
    const double *input, const double *target, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/* ---- Regression losses (docs/regression.md) -------------------------------------------- */

/*
 * Mean squared error: loss_i = weight_i * (input_i - target_i)^2, PyTorch's mse_loss.
 *   input, target: n values.  weight: n values or NULL (ones).
 *   Mean divides by sum(weight) when weight is given (PyTorch 2.x), else by n.
 *   grad_input: n values or NULL; d loss_i / d input_i = 2 weight_i (input_i - target_i).
 *   The gradient with respect to target is -grad_input.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_mse_loss_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_mse_loss_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Mean absolute error: loss_i = weight_i * |input_i - target_i|, PyTorch's l1_loss.
 *   Shapes and weighted mean as losses_mse_loss_*. The gradient is sign(input_i - target_i),
 *   0 where the residual is 0.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_l1_loss_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_l1_loss_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Huber loss, PyTorch's huber_loss. With d = input_i - target_i:
 *   loss_i = weight_i * (0.5 d^2 if |d| < delta, else delta (|d| - 0.5 delta)).
 *   delta: positive and finite (else LOSSES_ERROR_INVALID_ARGUMENT).
 *   Unlike mse and l1, the weighted mean divides by n, as PyTorch does.
 *   The gradient is weight_i * clamp(d, -delta, delta).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_huber_loss_f32(
    const float *input, const float *target, const float *weight, int64_t n, double delta,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_huber_loss_f64(
    const double *input, const double *target, const double *weight, int64_t n, double delta,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Smooth L1 loss, PyTorch's smooth_l1_loss. With d = input_i - target_i:
 *   loss_i = 0.5 d^2 / beta if |d| < beta, else |d| - 0.5 beta; beta = 0 is the L1 loss.
 *   beta: finite and >= 0 (else LOSSES_ERROR_INVALID_ARGUMENT).
 *   The gradient is clamp(d / beta, -1, 1).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_smooth_l1_loss_f32(
    const float *input, const float *target, int64_t n, double beta,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_smooth_l1_loss_f64(
    const double *input, const double *target, int64_t n, double beta,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Quantile (pinball) loss for q quantiles at once. With u = target_i - input_ij:
 *   loss_ij = max(quantile_j u, (quantile_j - 1) u).
 *   input: n*q values, row-major (n, q).  target: n values.  quantile: q values in [0, 1].
 *   out: n*q values for LOSSES_REDUCTION_NONE; the mean divides by n*q
 *   (sklearn.metrics.mean_pinball_loss averaged over the quantiles).
 *   grad_input: n*q values; -quantile_j if u > 0, 1 - quantile_j if u < 0, and
 *   0.5 - quantile_j at u = 0 (PyTorch's maximum splits the tie).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_quantile_loss_f32(
    const float *input, const float *target, const double *quantile, int64_t n, int64_t q,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_quantile_loss_f64(
    const double *input, const double *target, const double *quantile, int64_t n, int64_t q,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Log-cosh loss: loss_i = log(cosh(input_i - target_i)), optax's log_cosh, finite for every
 * finite residual (about |d| - log 2 for large |d|). The gradient is tanh(input_i - target_i).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_log_cosh_loss_f32(
    const float *input, const float *target, int64_t n,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_log_cosh_loss_f64(
    const double *input, const double *target, int64_t n,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Poisson negative log likelihood, PyTorch's poisson_nll_loss, elementwise in (input, target),
 * n values each:
 *   log_input = 1: loss = exp(x) - t x          (input holds log-rates)
 *   log_input = 0: loss = x - t log(x + eps)    (input holds rates)
 *   full = 1 adds Stirling's term t log t - t + 0.5 log(2 pi t) where t > 1 (0 where t <= 1).
 * log_input and full are 0 or 1 (else LOSSES_ERROR_INVALID_OPTION); eps finite and >= 0 (else
 * LOSSES_ERROR_INVALID_ARGUMENT; PyTorch takes any eps). Values are not checked, as in PyTorch:
 * exp(x) overflows to inf for x > 88.7 (float32) / 709.8 (float64), x + eps <= 0 gives inf or
 * NaN. The mean divides by n (NaN at n = 0). Gradient w.r.t. input: exp(x) - t, or
 * 1 - t / (x + eps); w.r.t. target: losses_poisson_nll_loss_grad_target_*.
 */
#define LOSSES_POISSON_NLL_DEFAULT_LOG_INPUT 1
#define LOSSES_POISSON_NLL_DEFAULT_FULL 0
#define LOSSES_POISSON_NLL_DEFAULT_EPS 1e-8
LOSSES_API LOSSES_NODISCARD int32_t losses_poisson_nll_loss_f32(
    const float *input, const float *target, int64_t n, int32_t log_input, int32_t full, double eps,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_poisson_nll_loss_f64(
    const double *input, const double *target, int64_t n, int32_t log_input, int32_t full, double eps,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Gaussian negative log likelihood, PyTorch's gaussian_nll_loss, over input and target (n, d)
 * row-major (d: PyTorch's last dimension, n the product of the others):
 *   loss_ij = 0.5 (log v + (x_ij - t_ij)^2 / v),  v = max(var, eps),  plus 0.5 log(2 pi) when full = 1.
 * var: var_per_row = 0, n*d values, one per element (var shaped like input); var_per_row = 1,
 * n values, one per row, shared by its d elements (PyTorch's var with a last dimension of 1,
 * or one dimension fewer than input). var_per_row and full are 0 or 1 (else
 * LOSSES_ERROR_INVALID_OPTION); eps finite and > 0; every var >= 0 (a negative or NaN var:
 * LOSSES_ERROR_INVALID_ARGUMENT naming its index, as PyTorch refuses a negative one), so a var
 * of 0 is clamped to eps. LOSSES_REDUCTION_NONE writes n*d values; the mean divides by n*d.
 * Gradients: w.r.t. input (x - t) / v (w.r.t. target its negative); w.r.t. var
 * 0.5 (1/v - (x - t)^2 / v^2), summed over the row for var_per_row = 1. PyTorch clamps var
 * without recording it for autograd, so the var gradient is the unclamped formula's evaluated
 * at the clamped v, also below eps (not 0): so is this one.
 */
#define LOSSES_GAUSSIAN_NLL_DEFAULT_FULL 0
#define LOSSES_GAUSSIAN_NLL_DEFAULT_EPS 1e-6
LOSSES_API LOSSES_NODISCARD int32_t losses_gaussian_nll_loss_f32(
    const float *input, const float *target, const float *var, int64_t n, int64_t d, int32_t var_per_row,
    int32_t full, double eps, int32_t reduction, float *out, float *grad_input, float *grad_var,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_gaussian_nll_loss_f64(
    const double *input, const double *target, const double *var, int64_t n, int64_t d, int32_t var_per_row,
    int32_t full, double eps, int32_t reduction, double *out, double *grad_input, double *grad_var,
    const double *grad_output);

/* ---- Distances and similarities between rows (docs/primitives.md) -------------------- */

/*
 * The building blocks of the metric-learning losses, with PyTorch's semantics and a reduction
 * (none by default, which is PyTorch's per-row output). x1 and x2 are row-major; every row is
 * d values. Gradients are with respect to both inputs, each optional (NULL: not computed).
 * For LOSSES_REDUCTION_NONE, out and grad_output hold one value per pair.
 */

/*
 * Pairwise distance, PyTorch's pairwise_distance over rows: x1 and x2 are (n, d), and
 *   out_i = ( sum_k |x1_ik - x2_ik + eps|^p )^(1/p),
 * eps added to the difference as PyTorch does. p: finite and >= 0 (p = 0 counts the non-zero
 * differences); eps: finite. Computed in double with scaling: no overflow or underflow for any
 * finite input. For float32 inputs the difference x1 - x2 + eps is formed in double too, where
 * PyTorch rounds it to float32: where it cancels, liblosses gives the exact value's distance. The gradient with respect to x1 is sign(v) (|v| / out)^(p-1) with
 * v = x1 - x2 + eps, and its negative with respect to x2; it is 0 where out is 0 (zero
 * distance), where v_k = 0, and everywhere for p = 0, as PyTorch's.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_pairwise_distance_f32(
    const float *x1, const float *x2, int64_t n, int64_t d, double p, double eps,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_pairwise_distance_f64(
    const double *x1, const double *x2, int64_t n, int64_t d, double p, double eps,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);

/*
 * Cosine similarity, PyTorch's cosine_similarity over rows: x1 and x2 are (n, d), and
 *   out_i = sum_k (x1_ik / max(|x1_i|, eps)) (x2_ik / max(|x2_i|, eps)),
 * |.| the Euclidean norm. eps: finite and > 0. The gradient is PyTorch autograd's, also where a
 * norm is below eps: x2_i / (a b) - out_i x1_i / (a |x1_i|) with a = max(|x1_i|, eps),
 * b = max(|x2_i|, eps), the second term 0 for a zero row; symmetrically for x2.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_similarity_f32(
    const float *x1, const float *x2, int64_t n, int64_t d, double eps,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_similarity_f64(
    const double *x1, const double *x2, int64_t n, int64_t d, double eps,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);

/*
 * The same two functions between every row of x1, (n, d), and every row of x2, (m, d): out is
 * the (n, m) matrix of PyTorch's broadcast call, pairwise_distance(x1[:, None], x2[None], p, eps)
 * and cosine_similarity(x1[:, None], x2[None], dim=-1, eps), with the parameters, edge cases and
 * gradients above; for LOSSES_REDUCTION_NONE grad_output is (n, m). The mean divides by n*m.
 * Rows are computed in fixed blocks on several threads for large inputs and each gradient row is
 * accumulated by one thread in a fixed order: bitwise the same for any thread count. The
 * distances are summed pair by pair (exact differences, eps added to each); the similarities
 * are one blocked product of the rows scaled to x / max(|x|, eps), each entry one fused
 * multiply-add chain in a fixed order (the same bits on every CPU), and their gradients two more.
 * The library allocates an (n, m) scratch matrix for the distances, up to three and
 * (n + m) * d doubles for the similarities (LOSSES_ERROR_OUT_OF_MEMORY when it cannot).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_pairwise_distance_matrix_f32(
    const float *x1, const float *x2, int64_t n, int64_t m, int64_t d, double p, double eps,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_pairwise_distance_matrix_f64(
    const double *x1, const double *x2, int64_t n, int64_t m, int64_t d, double p, double eps,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_similarity_matrix_f32(
    const float *x1, const float *x2, int64_t n, int64_t m, int64_t d, double eps,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_similarity_matrix_f64(
    const double *x1, const double *x2, int64_t n, int64_t m, int64_t d, double eps,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);

/* ---- Metric learning over a whole batch (docs/metric_learning.md) --------------------- */

/*
 * The losses that mine a labelled batch: every row of embeddings, (n, d) row-major, is an
 * anchor, and every other row a positive (same label) or a negative (different label) of it.
 * labels are n int64 values compared for equality only (any value is a label). The similarities
 * come from one Gram matrix of the batch in double (every entry one fused multiply-add chain in
 * a fixed order: the same bits on every CPU and for any thread count). An anchor with no
 * positive or no negative contributes 0 and is not counted: 'mean' divides by the anchors
 * counted, and is 0 when none is (pytorch-metric-learning's convention, where a NaN would end a
 * training run). Ties take the first index. A NaN in an embedding makes the loss of every
 * anchor it reaches NaN. The library allocates O(n^2 + n d) doubles of scratch
 * (LOSSES_ERROR_OUT_OF_MEMORY when it cannot). For LOSSES_REDUCTION_NONE, out and grad_output
 * hold n values.
 */

/*
 * Batch-hard triplet loss (Hermans, Beyer and Leibe 2017): per anchor i, its farthest positive
 * p and its closest negative q by Euclidean distance d(x, y) = ||x - y|| (squared = 1: ||x - y||^2),
 *   loss_i = max(0, d(i, p) - d(i, q) + margin),  or softplus(d(i, p) - d(i, q)) when soft = 1
 * (the soft margin of the paper, which has no margin). The pairs are mined on the Gram
 * matrix; the two chosen distances are then summed directly from the rows, so the value keeps
 * full accuracy where |x|^2 + |y|^2 - 2 x.y would cancel. margin: finite; squared, soft: 0 or 1.
 * Gradient with respect to the embeddings, optional: through the two chosen distances only, 0
 * where the hinge is inactive or at its kink, and 0 for a distance that is 0 (no NaN at zero
 * distance, as |x| at 0).
 */
#define LOSSES_BATCH_HARD_TRIPLET_DEFAULT_MARGIN 0.3
#define LOSSES_BATCH_HARD_TRIPLET_DEFAULT_SQUARED 0
#define LOSSES_BATCH_HARD_TRIPLET_DEFAULT_SOFT 0
LOSSES_API LOSSES_NODISCARD int32_t losses_batch_hard_triplet_loss_f32(
    const float *embeddings, const int64_t *labels, int64_t n, int64_t d, double margin, int32_t squared,
    int32_t soft, int32_t reduction, float *out, float *grad_embeddings, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_batch_hard_triplet_loss_f64(
    const double *embeddings, const int64_t *labels, int64_t n, int64_t d, double margin, int32_t squared,
    int32_t soft, int32_t reduction, double *out, double *grad_embeddings, const double *grad_output);

/*
 * Batch-hard quadruplet loss (Chen et al. 2017) over a given (n, n) distance matrix dist and n
 * labels: per anchor i, its farthest positive p (j != i, same label), its closest negative q, and
 * the closest pair (k, l), k != l, of two different labels both different from the anchor's:
 *   loss_i = max(0, dist[i,p] - dist[i,q] + margin1) + max(0, dist[i,p] - dist[k,l] + margin2),
 * the second term 0 when the batch has no such pair (fewer than three labels). Ties take the
 * first index (row-major for the pair). dist need not be symmetric; its diagonal is never read
 * as a pair. margin1, margin2: finite. Gradient with respect to dist, optional: +-1 times the
 * upstream weight on the chosen entries where each hinge is active, 0 elsewhere.
 */
#define LOSSES_BATCH_HARD_QUADRUPLET_DEFAULT_MARGIN1 1.0
#define LOSSES_BATCH_HARD_QUADRUPLET_DEFAULT_MARGIN2 0.5
LOSSES_API LOSSES_NODISCARD int32_t losses_batch_hard_quadruplet_loss_f32(
    const float *dist, const int64_t *labels, int64_t n, double margin1, double margin2, int32_t reduction,
    float *out, float *grad_dist, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_batch_hard_quadruplet_loss_f64(
    const double *dist, const int64_t *labels, int64_t n, double margin1, double margin2, int32_t reduction,
    double *out, double *grad_dist, const double *grad_output);

/*
 * Circle loss over a labelled batch (Sun et al. 2020), as pytorch-metric-learning's CircleLoss:
 * s_ij the cosine similarity of rows i and j, each row divided by max(||x||, 1e-12), and per
 * anchor i, over its positives j (j != i, same label) and negatives j (different label),
 *   loss_i = softplus( logsumexp_pos(-gamma a_p (s_ij - 1 + m)) + logsumexp_neg(gamma a_n (s_ij - m)) ),
 * a_p = max(0, 1 + m - s_ij) and a_n = max(0, s_ij + m) held constant in the gradient (the
 * paper's detached weights). m, gamma: finite, gamma > 0. pytorch-metric-learning's mean
 * divides by the anchors whose loss is not 0, which differs only where a loss underflows to 0.
 * Gradient with respect to the embeddings, optional, through the normalisation (x / 1e-12 below
 * the floor, as PyTorch's F.normalize).
 */
#define LOSSES_CIRCLE_LOSS_EMBEDDINGS_DEFAULT_M 0.4
#define LOSSES_CIRCLE_LOSS_EMBEDDINGS_DEFAULT_GAMMA 80.0
LOSSES_API LOSSES_NODISCARD int32_t losses_circle_loss_embeddings_f32(
    const float *embeddings, const int64_t *labels, int64_t n, int64_t d, double m, double gamma,
    int32_t reduction, float *out, float *grad_embeddings, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_circle_loss_embeddings_f64(
    const double *embeddings, const int64_t *labels, int64_t n, int64_t d, double m, double gamma,
    int32_t reduction, double *out, double *grad_embeddings, const double *grad_output);

/*
 * NT-Xent, the normalised temperature-scaled cross entropy of SimCLR (Chen et al. 2020), as
 * pytorch-metric-learning's NTXentLoss: embeddings holds n = 2k rows, two views of k examples,
 * row i paired with row i + k (and i + k with i); every other row is a negative. With s_ij the
 * cosine similarity (rows divided by max(||x||, 1e-12)) and t = temperature,
 *   loss_i = -log( exp(s_ip / t) / sum_{j != i} exp(s_ij / t) ),  p the pair of i,
 * one value per row; the mean divides by n. No labels: every row has its positive and its
 * negatives (n = 2: no negative, the loss is 0). n: even. temperature: finite, > 0. Gradient
 * with respect to the embeddings, optional, through the normalisation.
 */
#define LOSSES_NTXENT_DEFAULT_TEMPERATURE 0.07
LOSSES_API LOSSES_NODISCARD int32_t losses_ntxent_loss_f32(
    const float *embeddings, int64_t n, int64_t d, double temperature, int32_t reduction, float *out,
    float *grad_embeddings, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_ntxent_loss_f64(
    const double *embeddings, int64_t n, int64_t d, double temperature, int32_t reduction, double *out,
    double *grad_embeddings, const double *grad_output);

/* ---- Metric learning (docs/metric_learning.md) ----------------------------------------- */

/*
 * Margin ranking loss, PyTorch's margin_ranking_loss: with input1, input2 and target of n
 * values each,
 *   loss_i = max(0, -target_i (input1_i - input2_i) + margin).
 * target is +1 where input1 should rank above input2 and -1 where below; it is not checked
 * (any value enters the formula as written, as in PyTorch). margin: finite. The gradient with
 * respect to input1 is -target_i where the hinge is active (> 0) and 0 elsewhere, the kink
 * included (PyTorch's clamp_min); with respect to input2 its negative. Each gradient is
 * optional. A NaN input gives a NaN value and a 0 gradient.
 */
#define LOSSES_MARGIN_RANKING_DEFAULT_MARGIN 0.0
LOSSES_API LOSSES_NODISCARD int32_t losses_margin_ranking_loss_f32(
    const float *input1, const float *input2, const float *target, int64_t n, double margin,
    int32_t reduction, float *out, float *grad_input1, float *grad_input2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_margin_ranking_loss_f64(
    const double *input1, const double *input2, const double *target, int64_t n, double margin,
    int32_t reduction, double *out, double *grad_input1, double *grad_input2, const double *grad_output);

/*
 * Triplet margin loss, PyTorch's triplet_margin_loss: anchor, positive and negative are (n, d)
 * row-major, and per row
 *   loss_i = max(0, d(a_i, p_i) - d(a_i, n_i) + margin),
 * d(x, y) = ||x - y + eps||_p, PyTorch's pairwise_distance (eps added to the difference). With
 * swap = 1 the negative distance is min(d(a_i, n_i), d(p_i, n_i)) (Balntas et al. 2016); where
 * the two tie, d(a_i, n_i) is taken (the first; PyTorch splits the gradient between them).
 * margin: finite and > 0 (PyTorch refuses margin <= 0); p: finite, >= 0; eps: finite; swap: 0
 * or 1. Gradients with respect to all three inputs, each optional: those of the two distances
 * (pairwise_distance's, 0 at zero distance) where the hinge is active, 0 elsewhere and at the
 * kink. A NaN in a row makes its value NaN and the gradient terms of the distance it enters NaN
 * (PyTorch's 0·NaN), never hidden behind zeros. For LOSSES_REDUCTION_NONE, out and grad_output
 * hold n values. The library allocates
 * 3*n*d doubles of scratch when a gradient is asked for (LOSSES_ERROR_OUT_OF_MEMORY when it
 * cannot).
 */
#define LOSSES_TRIPLET_MARGIN_DEFAULT_MARGIN 1.0
#define LOSSES_TRIPLET_MARGIN_DEFAULT_P 2.0
#define LOSSES_TRIPLET_MARGIN_DEFAULT_EPS 1e-6
#define LOSSES_TRIPLET_MARGIN_DEFAULT_SWAP 0
LOSSES_API LOSSES_NODISCARD int32_t losses_triplet_margin_loss_f32(
    const float *anchor, const float *positive, const float *negative, int64_t n, int64_t d,
    double margin, double p, double eps, int32_t swap, int32_t reduction, float *out,
    float *grad_anchor, float *grad_positive, float *grad_negative, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_triplet_margin_loss_f64(
    const double *anchor, const double *positive, const double *negative, int64_t n, int64_t d,
    double margin, double p, double eps, int32_t swap, int32_t reduction, double *out,
    double *grad_anchor, double *grad_positive, double *grad_negative, const double *grad_output);

/*
 * Triplet margin loss with a named distance, PyTorch's triplet_margin_with_distance_loss:
 * anchor, positive and negative are (n, d) row-major, and per row
 *   loss_i = max(0, D(a_i, p_i) - D(a_i, n_i) + margin),
 * with distance_function
 *   LOSSES_TRIPLET_DISTANCE_EUCLIDEAN (0): D(x, y) = ||x - y + 1e-6||_2, PyTorch's default
 *     distance (pairwise_distance with its own p = 2 and eps = 1e-6): losses_triplet_margin_loss
 *     with p = 2, eps = 1e-6, bit for bit;
 *   LOSSES_TRIPLET_DISTANCE_COSINE (1): D(x, y) = 1 - x.y / (max(||x||, 1e-8) max(||y||, 1e-8)),
 *     1 - cosine_similarity with its eps = 1e-8;
 * another value: LOSSES_ERROR_INVALID_ARGUMENT. (PyTorch accepts any callable; a C caller with
 * another distance composes it from losses_pairwise_distance_* / losses_cosine_similarity_*.)
 * With swap = 1 the negative distance is min(D(a_i, n_i), D(p_i, n_i)) (Balntas et al. 2016);
 * where the two tie, D(a_i, n_i) is taken (the first; PyTorch's torch.minimum splits the
 * gradient between them). margin: finite and > 0 (PyTorch refuses margin <= 0); swap: 0 or 1.
 * Gradients with respect to all three inputs, each optional: those of the two distances where
 * the hinge is active, 0 elsewhere and at the kink. The Euclidean distance's gradient is 0 at
 * zero distance; the cosine distance's at a zero row (norm below 1e-8) is PyTorch's through its
 * clamped norm: the other row divided by both clamped norms, negated, with no term from the
 * row's own norm. A NaN in a row makes its value NaN and the gradient terms of the distance it
 * enters NaN. For LOSSES_REDUCTION_NONE, out and grad_output hold n values. The cosine
 * distance allocates 3*n*d doubles of scratch when a gradient is asked for
 * (LOSSES_ERROR_OUT_OF_MEMORY when it cannot).
 */
enum {
    LOSSES_TRIPLET_DISTANCE_EUCLIDEAN = 0,
    LOSSES_TRIPLET_DISTANCE_COSINE = 1
};
#define LOSSES_TRIPLET_MARGIN_WITH_DISTANCE_DEFAULT_DISTANCE_FUNCTION 0 /* LOSSES_TRIPLET_DISTANCE_EUCLIDEAN */
#define LOSSES_TRIPLET_MARGIN_WITH_DISTANCE_DEFAULT_MARGIN 1.0
#define LOSSES_TRIPLET_MARGIN_WITH_DISTANCE_DEFAULT_SWAP 0
LOSSES_API LOSSES_NODISCARD int32_t losses_triplet_margin_with_distance_loss_f32(
    const float *anchor, const float *positive, const float *negative, int64_t n, int64_t d,
    int32_t distance_function, double margin, int32_t swap, int32_t reduction, float *out,
    float *grad_anchor, float *grad_positive, float *grad_negative, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_triplet_margin_with_distance_loss_f64(
    const double *anchor, const double *positive, const double *negative, int64_t n, int64_t d,
    int32_t distance_function, double margin, int32_t swap, int32_t reduction, double *out,
    double *grad_anchor, double *grad_positive, double *grad_negative, const double *grad_output);

/*
 * Cosine embedding loss, PyTorch's cosine_embedding_loss: x1 and x2 are (n, d) row-major,
 * target has n values, and with c_i = x1_i . x2_i / sqrt((|x1_i|^2 + e)(|x2_i|^2 + e)), e the
 * float constant 1e-12f in both precisions (PyTorch's own cosine here, not cosine_similarity's),
 *   loss_i = 1 - c_i where target_i = 1,  max(0, c_i - margin) where target_i = -1,
 * and 0 for any other target (as PyTorch). margin: finite. Sums are taken in double, so float
 * rows never overflow. Gradients with respect to x1 and x2, each optional: -dc/dx for target 1,
 * dc/dx where the hinge is active for target -1, 0 elsewhere and at the kink, with
 * dc/dx1 = x2 / D - c x1 / (|x1|^2 + e), D the denominator above. Where c is +-1 up to e
 * (a single column, parallel rows) that gradient is e-sized and computed by cancellation, as
 * PyTorch computes it: both agree only to the rounding of the O(1) terms.
 */
#define LOSSES_COSINE_EMBEDDING_DEFAULT_MARGIN 0.0
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_embedding_loss_f32(
    const float *x1, const float *x2, const float *target, int64_t n, int64_t d, double margin,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cosine_embedding_loss_f64(
    const double *x1, const double *x2, const double *target, int64_t n, int64_t d, double margin,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);

/*
 * Contrastive loss (Hadsell, Chopra and LeCun 2006, in the form Siamese-network code uses): x1
 * and x2 are (n, d) row-major, target has n values (0 for a similar pair, 1 for a dissimilar
 * one; other values enter the formula as written), and with d_i = pairwise_distance(x1_i,
 * x2_i) (p = 2, eps = 1e-6 added to the difference),
 *   loss_i = (1 - target_i) d_i^2 + target_i max(0, margin - d_i)^2.
 * No 1/2 factor. margin: finite. Gradients with respect to x1 and x2, each optional:
 * 2 (1 - t) v - 2 t max(0, m - d) v / d for x1 (v = x1 - x2 + eps; the second term 0 at zero
 * distance), the negative for x2.
 */
#define LOSSES_CONTRASTIVE_DEFAULT_MARGIN 2.0
LOSSES_API LOSSES_NODISCARD int32_t losses_contrastive_loss_f32(
    const float *x1, const float *x2, const float *target, int64_t n, int64_t d, double margin,
    int32_t reduction, float *out, float *grad_x1, float *grad_x2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_contrastive_loss_f64(
    const double *x1, const double *x2, const double *target, int64_t n, int64_t d, double margin,
    int32_t reduction, double *out, double *grad_x1, double *grad_x2, const double *grad_output);

/*
 * Quadruplet loss (Chen et al. 2017, "Beyond triplet loss"): anchor, positive, negative1 and
 * negative2 are (n, d) row-major, and per row
 *   loss_i = max(d2(a_i, p_i) - d2(a_i, n1_i) + margin1, 0)
 *          + max(d2(a_i, p_i) - d2(n1_i, n2_i) + margin2, 0),
 * d2(x, y) = sum_k (x_k - y_k)^2, the squared Euclidean distance computed directly (no eps, no
 * square root), summed in double in a fixed order. margin1, margin2: finite (any sign; the
 * paper takes margin1 > margin2 > 0). Gradients with respect to all four inputs, each optional:
 * where a hinge is active (its argument > 0) it contributes 2(x - y) times the upstream gradient
 * through each of its distances; an inactive hinge, one exactly at its kink and one whose
 * argument is NaN contribute 0 times 2(x - y), as PyTorch's clamp_min of the composed formula:
 * an element whose difference is NaN or infinite has a NaN gradient, the rest of its row not.
 * Squares that overflow give an infinite distance (and inf - inf a NaN loss), as that formula.
 * n = 0 gives a NaN mean and a 0 sum; d = 0 gives distances 0. For LOSSES_REDUCTION_NONE, out
 * and grad_output hold n values. Allocates nothing.
 */
#define LOSSES_QUADRUPLET_DEFAULT_MARGIN1 1.0
#define LOSSES_QUADRUPLET_DEFAULT_MARGIN2 0.5
LOSSES_API LOSSES_NODISCARD int32_t losses_quadruplet_loss_f32(
    const float *anchor, const float *positive, const float *negative1, const float *negative2,
    int64_t n, int64_t d, double margin1, double margin2, int32_t reduction, float *out,
    float *grad_anchor, float *grad_positive, float *grad_negative1, float *grad_negative2,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_quadruplet_loss_f64(
    const double *anchor, const double *positive, const double *negative1, const double *negative2,
    int64_t n, int64_t d, double margin1, double margin2, int32_t reduction, double *out,
    double *grad_anchor, double *grad_positive, double *grad_negative1, double *grad_negative2,
    const double *grad_output);

/*
 * Verification loss, the verification head of a re-identification Siamese network (Zheng, Zheng
 * and Yang 2017): f1 and f2 are (n, d) row-major embeddings, label holds n values (1: the same
 * identity, 0: different ones; soft labels enter as written), weight holds d values (NULL: every
 * weight 1) and bias is finite. Per row
 *   s_i = sum_k weight_k (f1_ik - f2_ik)^2 + bias,
 *   loss_i = max(s_i, 0) - s_i label_i + log1p(exp(-|s_i|)),
 * binary cross entropy with logits of s_i, exact for logits of any size (no overflow, no
 * cancellation); s_i summed in double in a fixed order. Gradients, each optional:
 * grad_f1 = 2 c_i weight_k (f1_ik - f2_ik) and grad_f2 its negative, with
 * c_i = (sigmoid(s_i) - label_i) times the row's upstream gradient; grad_weight (d values)
 * = sum_i c_i (f1_ik - f2_ik)^2 and grad_bias (one value) = sum_i c_i, both summed over rows in
 * row order: bitwise the same for any thread count. A NaN in a row makes its value and its
 * gradients NaN, and so the weight's and the bias's gradients. n = 0: a NaN mean, a 0 sum and
 * zero gradients; d = 0: s_i = bias. For LOSSES_REDUCTION_NONE, out and grad_output hold n
 * values. Allocates n doubles of scratch when grad_weight or grad_bias is asked for
 * (LOSSES_ERROR_OUT_OF_MEMORY when it cannot, before anything is written).
 */
#define LOSSES_VERIFICATION_DEFAULT_BIAS 0.0
LOSSES_API LOSSES_NODISCARD int32_t losses_verification_loss_f32(
    const float *f1, const float *f2, const float *label, const float *weight, int64_t n, int64_t d,
    double bias, int32_t reduction, float *out, float *grad_f1, float *grad_f2, float *grad_weight,
    float *grad_bias, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_verification_loss_f64(
    const double *f1, const double *f2, const double *label, const double *weight, int64_t n,
    int64_t d, double bias, int32_t reduction, double *out, double *grad_f1, double *grad_f2,
    double *grad_weight, double *grad_bias, const double *grad_output);

/*
 * Circle loss over given similarities (Sun et al. 2020, the authors' CircleLoss(m, gamma) with
 * forward(sp, sn)): sp is (n, k) row-major, the similarities of each row's k positive pairs, and
 * sn is (n, l), those of its l negative pairs. Per row, with the pair weights
 *   a_p = max(0, 1 + m - sp_j),  a_n = max(0, sn_j + m)
 * held constant in the gradient (the paper's detached weights; NaN kept, as clamp_min),
 *   logit_p = -gamma a_p (sp_j - (1 - m)),  logit_n = gamma a_n (sn_j - m),
 *   loss_i = softplus( logsumexp_j(logit_n) + logsumexp_j(logit_p) ),
 * computed in double: each logsumexp shifted by its maximum, softplus as
 * max(z, 0) + log1p(exp(-|z|)), exact for logits in the thousands (gamma = 256 makes them
 * hundreds). m: finite; gamma: finite and > 0 (else LOSSES_ERROR_INVALID_ARGUMENT).
 * Gradients, each optional, of the loss with the weights constant (so not the derivative of the
 * value where a weight is not 0):
 *   grad_sp_ij = c_i softmax_j(logit_p) (-gamma a_p),  grad_sn_ij = c_i softmax_j(logit_n) (gamma a_n),
 * c_i = sigmoid(z_i) times the row's upstream gradient. k = 0 or l = 0: a logsumexp of nothing
 * is -inf, so loss_i = softplus(-inf) = 0 with zero gradients. A NaN similarity makes its row's
 * value and gradients NaN; a logit of +inf (sp = -inf, or sn = +inf or overflowing) gives the
 * value +inf, as torch.logsumexp. n = 0: a NaN mean, a 0 sum, nothing else written. For
 * LOSSES_REDUCTION_NONE, out and grad_output hold n values. Allocates n (k + l) doubles of
 * scratch (LOSSES_ERROR_OUT_OF_MEMORY when it cannot, before anything is written).
 */
#define LOSSES_CIRCLE_DEFAULT_M 0.25
#define LOSSES_CIRCLE_DEFAULT_GAMMA 256.0
LOSSES_API LOSSES_NODISCARD int32_t losses_circle_loss_f32(
    const float *sp, const float *sn, int64_t n, int64_t k, int64_t l, double m, double gamma,
    int32_t reduction, float *out, float *grad_sp, float *grad_sn, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_circle_loss_f64(
    const double *sp, const double *sn, int64_t n, int64_t k, int64_t l, double m, double gamma,
    int32_t reduction, double *out, double *grad_sp, double *grad_sn, const double *grad_output);

/* ---- Re-identification with caller-owned state (docs/metric_learning.md) ---- */

/*
 * Entries of this section read features (n, d) row-major, int64 labels (n) and tables of
 * d-wide rows that the caller owns and keeps between calls (the centres of center loss; the
 * lookup table and the circular queue of OIM). Each loss comes with an update function that
 * writes the caller's table in place: an update has no reduction, no out and no gradient; it
 * checks every argument (every label included) before it writes, so on error the table is
 * untouched, and it reads each label once (a label changed by another thread during the call
 * never becomes an index out of range: that sample is skipped).
 */

/*
 * Center loss (Wen et al. 2016, "A Discriminative Feature Learning Approach for Deep Face
 * Recognition"): features (n, d), labels (n) in [0, c) (LOSSES_ERROR_LABEL_OUT_OF_RANGE
 * otherwise: there is no ignore_index), centers (c, d), and per sample
 *   loss_i = clamp(sum_k (x_ik - centers[y_i]_k)^2, 1e-12, 1e12),
 * the squared distance summed directly (not by the expansion |x|^2 + |c|^2 - 2 x.c, which
 * cancels); the clamp is part of the definition (c = 0 leaves no valid label). The mean
 * divides by n (an empty batch: NaN mean, 0 sum). Gradients, each optional:
 *   grad_features_i = 2 (x_i - centers[y_i]) g_i,
 *   grad_centers_j  = -sum over the samples i with y_i = j, in ascending i, of 2 (x_i - c_j) g_i,
 * with g_i the upstream gradient of sample i (grad_output for LOSSES_REDUCTION_NONE, its value
 * over n for the mean), replaced by 0 where the clamp bites (a distance below 1e-12 or above
 * 1e12, or NaN: PyTorch's clamp passes no gradient there; 0 times a NaN or infinite difference
 * is NaN, as in PyTorch). A centre without samples gets a zero gradient; a NaN feature gives a
 * NaN value (the clamp keeps NaN). Each centre's gradient is gathered by the task that owns it,
 * in ascending sample order: the results do not depend on the thread count. With grad_centers
 * the library allocates 2n + c + 1 integers and n doubles of scratch (LOSSES_ERROR_OUT_OF_MEMORY
 * when it cannot, before anything is written).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_center_loss_f32(
    const float *features, const int64_t *labels, const float *centers, int64_t n, int64_t d, int64_t c,
    int32_t reduction, float *out, float *grad_features, float *grad_centers, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_center_loss_f64(
    const double *features, const int64_t *labels, const double *centers, int64_t n, int64_t d, int64_t c,
    int32_t reduction, double *out, double *grad_features, double *grad_centers, const double *grad_output);

/*
 * The centre update of center loss (Wen et al. 2016, eq. 4), in place: for every centre j,
 *   centers[j] -= alpha * sum over the samples i with y_i = j of (centers[j] - x_i) / (1 + n_j),
 * n_j the number of samples labelled j, every centre from its values before the call (the
 * update is simultaneous; a centre without samples is unchanged). alpha: finite, in [0, 1]
 * (LOSSES_ERROR_INVALID_ARGUMENT). labels in [0, c) (LOSSES_ERROR_LABEL_OUT_OF_RANGE); centers
 * must not overlap features or labels (LOSSES_ERROR_OVERLAP). Sums in double, in ascending
 * sample order; each centre is written by the task that owns it. The library allocates 2n + c + 1
 * integers of scratch (LOSSES_ERROR_OUT_OF_MEMORY when it cannot, before anything is written).
 */
#define LOSSES_CENTER_DEFAULT_ALPHA 0.5
LOSSES_API LOSSES_NODISCARD int32_t losses_center_loss_update_f32(
    const float *features, const int64_t *labels, float *centers, int64_t n, int64_t d, int64_t c, double alpha);
LOSSES_API LOSSES_NODISCARD int32_t losses_center_loss_update_f64(
    const double *features, const int64_t *labels, double *centers, int64_t n, int64_t d, int64_t c, double alpha);

/*
 * OIM loss, Online Instance Matching (Xiao et al. 2017, "Joint Detection and Identification
 * Feature Learning for Person Search", as open-reid and SeqNet implement it): features (n, d)
 * (L2-normalised by the caller), targets (n), the lookup table lut (l, d) of the labelled
 * identities and the circular queue (q, d) of unlabelled features. Per sample, the logits are
 *   z_ij = scalar * features_i . [lut; queue]_j,   j in [0, l + q),
 * and loss_i = log sum_j exp z_ij - z_i,y_i (cross entropy over all l + q columns, with the
 * library's softmax row, in double). targets: in [0, l), or ignore_index (an unlabelled sample:
 * loss 0, gradient 0, left out of the mean, which divides by the labelled count: NaN when every
 * sample is unlabelled, as PyTorch's cross_entropy); anything else is
 * LOSSES_ERROR_LABEL_OUT_OF_RANGE. scalar: finite (LOSSES_ERROR_INVALID_ARGUMENT). The gradient
 * is with respect to the features only (the tables are not learned by gradient):
 *   grad_features_i = g_i * scalar * sum_j (softmax(z_i)_j - [j = y_i]) [lut; queue]_j,
 * g_i the upstream gradient of sample i. NaN features give NaN values and gradients. The
 * library allocates n * (2 (l + q) + d) doubles of scratch (LOSSES_ERROR_OUT_OF_MEMORY when it
 * cannot, before anything is written).
 */
#define LOSSES_OIM_DEFAULT_SCALAR 30.0
#define LOSSES_OIM_DEFAULT_IGNORE_INDEX (-1)
LOSSES_API LOSSES_NODISCARD int32_t losses_oim_loss_f32(
    const float *features, const int64_t *targets, const float *lut, const float *queue, int64_t n, int64_t d,
    int64_t l, int64_t q, double scalar, int64_t ignore_index, int32_t reduction, float *out, float *grad_features,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_oim_loss_f64(
    const double *features, const int64_t *targets, const double *lut, const double *queue, int64_t n, int64_t d,
    int64_t l, int64_t q, double scalar, int64_t ignore_index, int32_t reduction, double *out,
    double *grad_features, const double *grad_output);

/*
 * The table update of OIM, in place, sample by sample in ascending order (a label repeated in
 * the batch updates its row again, from the row as the previous sample left it):
 *   a labelled sample (target y in [0, l)): lut[y] = normalise(momentum * lut[y] + (1 - momentum) * x_i),
 *     normalise(v) = v / ||v||_2 (computed with scaling, in double; a zero vector stays zero);
 *   an unlabelled one (target == ignore_index): queue[head] = x_i, head = (head + 1) mod q.
 * queue_head is the head before the call, in [0, q) (0 when q = 0); *new_head receives the head
 * after it. momentum: in [0, 1] (LOSSES_ERROR_INVALID_ARGUMENT). Errors, all checked before
 * anything is written (lut, queue and *new_head are then untouched): a target neither in
 * [0, l) nor ignore_index (LOSSES_ERROR_LABEL_OUT_OF_RANGE); a queue_head outside its range, or
 * an unlabelled sample when q = 0 (no queue to hold it: LOSSES_ERROR_INVALID_ARGUMENT); lut,
 * queue or new_head overlapping each other or an input (LOSSES_ERROR_OVERLAP).
 */
#define LOSSES_OIM_DEFAULT_MOMENTUM 0.5
LOSSES_API LOSSES_NODISCARD int32_t losses_oim_update_f32(
    const float *features, const int64_t *targets, float *lut, float *queue, int64_t n, int64_t d, int64_t l,
    int64_t q, int64_t queue_head, double momentum, int64_t ignore_index, int64_t *new_head);
LOSSES_API LOSSES_NODISCARD int32_t losses_oim_update_f64(
    const double *features, const int64_t *targets, double *lut, double *queue, int64_t n, int64_t d, int64_t l,
    int64_t q, int64_t queue_head, double momentum, int64_t ignore_index, int64_t *new_head);

/* ---- Images: segmentation and reconstruction (docs/images.md) ---- */

/*
 * Dice loss (Milletari et al. 2016, the soft form with additive smoothing): pred and target are
 * (n, c, d) row-major, an (N, C, H, W) batch with its spatial dimensions flattened into d = H W
 * (any trailing dimensions likewise). Per sample i and channel j, with sums over the d values,
 *   r_ij = (2 sum_s p t + smooth) / (sum_s p + sum_s t + smooth),
 *   loss_i = 1 - (1/c) sum_j r_ij,
 * so that the mean over samples is 1 - mean_{i,j} r_ij. Sums in double, in a fixed order. pred and
 * target are read as given (probabilities and masks in [0, 1] in use; any finite values are
 * computed as the formula). smooth: finite and >= 0 (else LOSSES_ERROR_INVALID_ARGUMENT).
 * A channel whose pred and target are all zero has the ratio smooth / smooth = 1 (no loss); with
 * smooth = 0 it is 0 / 0, NaN, as the formula. c = 0 gives a NaN per-sample value (the mean over
 * no channels); d = 0 gives empty sums. n = 0 gives a NaN mean and a 0 sum. Gradients, each
 * optional, with respect to pred and target (soft targets are differentiable):
 *   d loss_i / d p_ijs = -(2 t_ijs - r_ij) / (c D_ij),  d loss_i / d t_ijs = -(2 p_ijs - r_ij) / (c D_ij),
 * D_ij = sum_s p + sum_s t + smooth. For LOSSES_REDUCTION_NONE, out and grad_output hold n values
 * (one per sample, the mean over its channels). Allocates nothing.
 */
#define LOSSES_DICE_DEFAULT_SMOOTH 1.0
LOSSES_API LOSSES_NODISCARD int32_t losses_dice_loss_f32(
    const float *pred, const float *target, int64_t n, int64_t c, int64_t d, double smooth,
    int32_t reduction, float *out, float *grad_pred, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_dice_loss_f64(
    const double *pred, const double *target, int64_t n, int64_t c, int64_t d, double smooth,
    int32_t reduction, double *out, double *grad_pred, double *grad_target, const double *grad_output);

/*
 * Reconstruction loss of an autoencoder: x (the input) and x_hat (its reconstruction), n values
 * each (any shape, flattened). p = 1: loss_i = |x_hat_i - x_i|, PyTorch's l1_loss(x_hat, x);
 * p = 2: loss_i = (x_hat_i - x_i)^2, mse_loss(x_hat, x); any other p (NaN included) is
 * LOSSES_ERROR_INVALID_ARGUMENT. Computed by the l1_loss and mse_loss kernels themselves.
 * Gradients, each optional: with respect to x_hat, sign(x_hat - x) (0 where they are equal) or
 * 2 (x_hat - x), times the upstream gradient (and 1/n for the mean); with respect to x, exactly
 * its negative. n = 0 gives a NaN mean and a 0 sum. For LOSSES_REDUCTION_NONE, out and
 * grad_output hold n values. Allocates nothing.
 */
#define LOSSES_RECONSTRUCTION_DEFAULT_P 1.0
LOSSES_API LOSSES_NODISCARD int32_t losses_reconstruction_loss_f32(
    const float *x, const float *x_hat, int64_t n, double p, int32_t reduction, float *out,
    float *grad_x, float *grad_x_hat, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_reconstruction_loss_f64(
    const double *x, const double *x_hat, int64_t n, double p, int32_t reduction, double *out,
    double *grad_x, double *grad_x_hat, const double *grad_output);
/*
 * Perceptual loss of one layer (Johnson et al. 2016) over feature maps x and y of (n, c, h, w)
 * that the caller's network produced: with F the c × (h w) map of a sample and K = c h w, per
 * sample
 *   loss_i = layer_weight * sum((x_i - y_i)^2) / K + style_weight * ||G(x_i) - G(y_i)||_F^2,
 *   G(x_i) = F F^T / K (the c × c Gram matrix).
 * A network's loss over L layers is the sum of its layers' calls, each with its own layer_weight
 * and the same style_weight and reduction: with reduction MEAN the content term is then
 * sum_l w_l mean((phi_l(x) - phi_l(y))^2), the mean over every element of each layer, and the style
 * term the mean over samples of sum_l ||G_l(x) - G_l(y)||_F^2. (The language layers take lists
 * of maps and make those calls; keeping one buffer per layer keeps every map the caller's own.)
 * layer_weight and style_weight must be finite and >= 0 (LOSSES_ERROR_INVALID_ARGUMENT); c, h and
 * w must be >= 1 (LOSSES_ERROR_INVALID_SIZE). Gradients, each optional:
 *   grad_x = u_i (2 layer_weight (x - y) + 4 style_weight D F_x) / K,
 *   grad_y = -u_i (2 layer_weight (x - y) + 4 style_weight D F_y) / K,  D = G(x_i) - G(y_i),
 * u_i the upstream gradient of sample i (grad_output for LOSSES_REDUCTION_NONE, its value over n
 * for the mean). style_weight = 0 computes no Gram matrix. Maps and Gram entries are summed in
 * float64 in a fixed order. A NaN makes its sample's value and gradients NaN. n = 0: a NaN mean,
 * a 0 sum, nothing else written. For LOSSES_REDUCTION_NONE, out and grad_output hold n values.
 */
#define LOSSES_PERCEPTUAL_DEFAULT_LAYER_WEIGHT 1.0
#define LOSSES_PERCEPTUAL_DEFAULT_STYLE_WEIGHT 0.0
LOSSES_API LOSSES_NODISCARD int32_t losses_perceptual_loss_f32(
    const float *x, const float *y, int64_t n, int64_t c, int64_t h, int64_t w, double layer_weight,
    double style_weight, int32_t reduction, float *out, float *grad_x, float *grad_y, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_perceptual_loss_f64(
    const double *x, const double *y, int64_t n, int64_t c, int64_t h, int64_t w, double layer_weight,
    double style_weight, int32_t reduction, double *out, double *grad_x, double *grad_y,
    const double *grad_output);

/*
 * Tversky loss, kornia.losses.tversky_loss (Salehi et al. 2017): pred holds (n, c, d) logits, an
 * (N, C, H, W) batch with d = H W, softmaxed over c per pixel (p); target holds n*d class indices
 * (int64_t) in [0, c) or equal to ignore_index (that pixel leaves its sample). Per sample i and
 * class j, over the sample's kept pixels,
 *   tp = sum p_j [y = j],  fp = sum p_j [y != j],  fn = sum (1 - p_j) [y = j],
 *   TI_ij = tp / (tp + alpha fp + beta fn + eps),
 *   loss_i = 1 - (1/P_i) sum_{j present} TI_ij,
 * where class j is present when a kept pixel of sample i has label j and P_i counts them; a sample
 * with no present class (every pixel ignored, or d = 0) has loss 1 and a zero gradient.
 * LOSSES_REDUCTION_MEAN (kornia's 0-d result) averages over the n samples. alpha weights false
 * positives, beta false negatives; alpha = beta = 1/2 is the macro Dice with 2 eps. alpha, beta
 * and eps finite and >= 0 (else LOSSES_ERROR_INVALID_ARGUMENT); c >= 1 (LOSSES_ERROR_INVALID_SIZE);
 * a label outside [0, c) that is not ignore_index: LOSSES_ERROR_LABEL_OUT_OF_RANGE. c = 1: p = 1,
 * a constant loss and a zero gradient. n = 0: a NaN mean, a 0 sum. Gradient with respect to pred,
 * through the softmax: with D = tp + alpha fp + beta fn + eps, d TI / d p_j is
 * (D - (1 - beta) tp) / D^2 at pixels labelled j and -alpha tp / D^2 at the other kept pixels, and
 * d loss / d z_j = p_j (G_j - sum_k p_k G_k) with G_k = d loss / d p_k. Sums in double in a fixed
 * order. For LOSSES_REDUCTION_NONE, out and grad_output hold n values. Allocates n*d indices and
 * 5 n c doubles of scratch (LOSSES_ERROR_OUT_OF_MEMORY when it cannot).
 */
#define LOSSES_TVERSKY_DEFAULT_EPS 1e-8
#define LOSSES_TVERSKY_DEFAULT_IGNORE_INDEX -100
LOSSES_API LOSSES_NODISCARD int32_t losses_tversky_loss_f32(
    const float *pred, const int64_t *target, int64_t n, int64_t c, int64_t d, double alpha, double beta,
    double eps, int64_t ignore_index, int32_t reduction, float *out, float *grad_pred, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_tversky_loss_f64(
    const double *pred, const int64_t *target, int64_t n, int64_t c, int64_t d, double alpha, double beta,
    double eps, int64_t ignore_index, int32_t reduction, double *out, double *grad_pred,
    const double *grad_output);

/*
 * Focal Tversky loss (Abraham & Khan 2019, "A novel focal Tversky loss function with improved
 * attention U-Net for lesion segmentation"): tversky_loss's layout, labels, TI_ij and present
 * classes, with
 *   loss_i = (1/P_i) sum_{j present} (1 - TI_ij)^(1/gamma),
 * 1 for a sample with no present class. gamma = 1 is tversky_loss; the paper uses gamma in [1, 3]
 * and recommends 4/3 (the default). The paper writes alpha for false negatives; here, as in
 * tversky_loss, alpha weights false positives and beta false negatives, and eps is added to the
 * denominator only. alpha, beta, eps finite and >= 0, gamma finite and > 0 (else
 * LOSSES_ERROR_INVALID_ARGUMENT). Gradient as tversky_loss's with d/dTI (1 - TI)^(1/gamma) =
 * -(1/gamma) (1 - TI)^(1/gamma - 1); where 1 - TI rounds to 0 and gamma > 1 it is taken as 0 (the
 * minimum; the derivative is unbounded there). Everything else as tversky_loss.
 */
#define LOSSES_FOCAL_TVERSKY_DEFAULT_GAMMA 1.3333333333333333
#define LOSSES_FOCAL_TVERSKY_DEFAULT_EPS 1e-8
#define LOSSES_FOCAL_TVERSKY_DEFAULT_IGNORE_INDEX -100
LOSSES_API LOSSES_NODISCARD int32_t losses_focal_tversky_loss_f32(
    const float *pred, const int64_t *target, int64_t n, int64_t c, int64_t d, double alpha, double beta,
    double gamma, double eps, int64_t ignore_index, int32_t reduction, float *out, float *grad_pred,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_focal_tversky_loss_f64(
    const double *pred, const int64_t *target, int64_t n, int64_t c, int64_t d, double alpha, double beta,
    double gamma, double eps, int64_t ignore_index, int32_t reduction, double *out, double *grad_pred,
    const double *grad_output);

/*
 * Total variation, kornia.losses.total_variation: img holds n planes of (h, w) (an (N, C, H, W)
 * batch has n = N C planes). Per plane,
 *   V = sum |x[r+1, c] - x[r, c]| over the (h - 1) w vertical differences,
 *   H = sum |x[r, c+1] - x[r, c]| over the h (w - 1) horizontal ones,
 *   tv_i = V + H (mean = 0, kornia's reduction='sum'), or
 *   tv_i = V / ((h - 1) w) + H / (h (w - 1)) (mean = 1, kornia's reduction='mean'; a term with no
 *   differences, h = 1 or w = 1, is 0, not the sum over h w).
 * kornia's result is LOSSES_REDUCTION_NONE: out holds the n values (grad_output too); MEAN and SUM
 * reduce them over the planes. mean is 0 or 1 (else LOSSES_ERROR_INVALID_OPTION). Gradient with
 * respect to img: sign of each difference (0 where it is 0, as autograd; NaN where it is NaN)
 * times its weight (1, or 1/count for mean = 1), added at the later pixel and subtracted at the
 * earlier one. h = 0 or w = 0: tv 0. n = 0: a NaN mean, a 0 sum. Sums in double in a fixed order.
 * Allocates nothing.
 */
#define LOSSES_TOTAL_VARIATION_DEFAULT_MEAN 0
#define LOSSES_TOTAL_VARIATION_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
LOSSES_API LOSSES_NODISCARD int32_t losses_total_variation_f32(
    const float *img, int64_t n, int64_t h, int64_t w, int32_t mean, int32_t reduction, float *out,
    float *grad_img, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_total_variation_f64(
    const double *img, int64_t n, int64_t h, int64_t w, int32_t mean, int32_t reduction, double *out,
    double *grad_img, const double *grad_output);

/*
 * Lovász hinge loss, kornia.losses.lovasz_hinge_loss (Berman et al. 2018): pred holds (n, d) logits
 * z, an (N, 1, H, W) batch with d = H W; target holds n*d labels t (int64_t), 0 or 1 (else
 * LOSSES_ERROR_LABEL_OUT_OF_RANGE; kornia does not check them). Per image, with errors
 * e_k = 1 - z_k (2 t_k - 1) sorted descending (NaN first, ties by pixel index ascending),
 *   loss_i = sum_r max(e_(r), 0) (J_r - J_(r-1)),  J_r = 1 - (F - f_r) / (F + b_r),  J_0 = 0,
 * F the image's foreground count and f_r, b_r the foreground and background pixels among the first
 * r: the Lovász extension of the Jaccard loss at the hinge errors. LOSSES_REDUCTION_MEAN (kornia's
 * 0-d result) averages over the n images. Gradient with respect to pred: d loss_i / d z_k =
 * -(2 t_k - 1) (J_r - J_(r-1)) at the rank r of pixel k where e_k > 0, 0 where e_k <= 0 (autograd's
 * relu); where errors tie, the pixel-index order decides the ranks (the value does not depend on
 * it). d = 0: loss 0. n = 0: a NaN mean, a 0 sum. Sums in double. For LOSSES_REDUCTION_NONE, out and
 * grad_output hold n values. Allocates 2 n d doubles and 2 n d indices of scratch
 * (LOSSES_ERROR_OUT_OF_MEMORY when it cannot).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_lovasz_hinge_loss_f32(
    const float *pred, const int64_t *target, int64_t n, int64_t d, int32_t reduction, float *out,
    float *grad_pred, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_lovasz_hinge_loss_f64(
    const double *pred, const int64_t *target, int64_t n, int64_t d, int32_t reduction, double *out,
    double *grad_pred, const double *grad_output);

/*
 * Lovász-Softmax loss, kornia.losses.lovasz_softmax_loss (Berman et al. 2018): pred holds (n, c, d)
 * logits, softmaxed over c per pixel (p), c >= 2 (else LOSSES_ERROR_INVALID_SIZE, as kornia);
 * target holds n*d class indices in [0, c) (else LOSSES_ERROR_LABEL_OUT_OF_RANGE); weight, optional
 * (NULL: 1), one value per class. Per image i and class j, the Lovász extension of the Jaccard loss
 * (lovasz_hinge_loss's, with foreground y = j) at the errors e_k = |p_jk - [y_k = j]|, L_ij; then
 *   loss_i = (1/c) sum_j weight_j L_ij
 * over every class, absent ones included (an absent class's L_ij is its largest probability).
 * LOSSES_REDUCTION_MEAN is kornia's result. Gradient with respect to pred: d L_ij / d p_jk is the
 * Jaccard increment at the rank of pixel k times sign(p_jk - [y_k = j]) (0 where they are equal, as
 * autograd), then through the softmax. The weight is not differentiated. Ties as
 * lovasz_hinge_loss. d = 0: loss 0. n = 0: a NaN mean, a 0 sum. For LOSSES_REDUCTION_NONE, out and
 * grad_output hold n values. Allocates n (2 c d + 2 d) doubles and 2 n d indices of scratch
 * (LOSSES_ERROR_OUT_OF_MEMORY when it cannot).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_lovasz_softmax_loss_f32(
    const float *pred, const int64_t *target, const float *weight, int64_t n, int64_t c, int64_t d,
    int32_t reduction, float *out, float *grad_pred, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_lovasz_softmax_loss_f64(
    const double *pred, const int64_t *target, const double *weight, int64_t n, int64_t c, int64_t d,
    int32_t reduction, double *out, double *grad_pred, const double *grad_output);

/* ---- Detection (docs/detection.md) ---- */

/*
 * Box IoU losses, as torchvision.ops: boxes1 and boxes2 are (n, 4) row-major, one box
 * (x1, y1, x2, y2) per row, every coordinate finite with x2 >= x1 and y2 >= y1 (else
 * LOSSES_ERROR_INVALID_ARGUMENT: a NaN or infinite coordinate and an unordered box are bad input,
 * refused before anything is computed). Per row, computed in double, with
 *   I = intersection area (0 unless the overlap's width and height are both > 0),
 *   U = w1 h1 + w2 h2 - I,  IoU = I / (U + eps),
 *   C = the smallest enclosing box's area, c2 = its squared diagonal,
 *   rho2 = the squared distance of the two centres:
 *   generalized_box_iou_loss = 1 - IoU + (C - U) / (C + eps)
 *   distance_box_iou_loss    = 1 - IoU + rho2 / (c2 + eps)
 *   complete_box_iou_loss    = distance_box_iou_loss (at eps = 1e-7) + alpha v,
 *     v = (4 / pi^2) (atan(w2 / h2) - atan(w1 / h1))^2,  alpha = v / (1 - IoU + v + eps).
 * As torchvision, complete_box_iou_loss computes its IoU and DIoU term with eps = 1e-7 whatever
 * the eps passed (torchvision calls its DIoU helper without it): eps enters alpha only.
 * atan(w / h) is atan2(w, h): a zero-height box has the angle pi/2 (as torchvision) and a point
 * box (w = h = 0) the angle 0 (torchvision: NaN). eps: finite and >= 0 (else
 * LOSSES_ERROR_INVALID_ARGUMENT); eps = 0 on boxes of zero area is 0/0, NaN, as torchvision.
 * Gradients, each optional, w.r.t. boxes1 and boxes2: torchvision's autograd ones (min and max
 * split a tie's gradient in half, no gradient through an empty intersection, CIoU's alpha held
 * constant), except that d atan(w/h) is taken as (h, -w) / (w^2 + h^2), 0 at w = h = 0, so a
 * zero-height box has a finite gradient where torchvision's is NaN (0/0 inside atan).
 * n = 0: the mean and the sum are 0 (torchvision's 0 * sum), nothing else written. For
 * LOSSES_REDUCTION_NONE (the default, as torchvision), out and grad_output hold n values.
 */
#define LOSSES_GENERALIZED_BOX_IOU_DEFAULT_EPS 1e-7
#define LOSSES_GENERALIZED_BOX_IOU_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_DISTANCE_BOX_IOU_DEFAULT_EPS 1e-7
#define LOSSES_DISTANCE_BOX_IOU_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
#define LOSSES_COMPLETE_BOX_IOU_DEFAULT_EPS 1e-7
#define LOSSES_COMPLETE_BOX_IOU_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
LOSSES_API LOSSES_NODISCARD int32_t losses_generalized_box_iou_loss_f32(
    const float *boxes1, const float *boxes2, int64_t n, double eps, int32_t reduction, float *out,
    float *grad_boxes1, float *grad_boxes2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_generalized_box_iou_loss_f64(
    const double *boxes1, const double *boxes2, int64_t n, double eps, int32_t reduction, double *out,
    double *grad_boxes1, double *grad_boxes2, const double *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_distance_box_iou_loss_f32(
    const float *boxes1, const float *boxes2, int64_t n, double eps, int32_t reduction, float *out,
    float *grad_boxes1, float *grad_boxes2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_distance_box_iou_loss_f64(
    const double *boxes1, const double *boxes2, int64_t n, double eps, int32_t reduction, double *out,
    double *grad_boxes1, double *grad_boxes2, const double *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_complete_box_iou_loss_f32(
    const float *boxes1, const float *boxes2, int64_t n, double eps, int32_t reduction, float *out,
    float *grad_boxes1, float *grad_boxes2, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_complete_box_iou_loss_f64(
    const double *boxes1, const double *boxes2, int64_t n, double eps, int32_t reduction, double *out,
    double *grad_boxes1, double *grad_boxes2, const double *grad_output);

/*
 * FCOS's IOULoss (the UnitBox form): pred and target are (n, 4) row-major, the distances
 * (left, top, right, bottom) from a location to the four sides of its box, every entry finite
 * and >= 0 (else LOSSES_ERROR_INVALID_ARGUMENT); weight, optional (NULL: none), n values finite
 * and >= 0. Per row, in double:
 *   A_p = (l_p + r_p)(t_p + b_p),  A_t likewise,
 *   I = (min(l_p, l_t) + min(r_p, r_t)) (min(t_p, t_t) + min(b_p, b_t)),  U = A_p + A_t - I,
 *   IoU = (I + 1) / (U + 1),  C = (max(l) + max(r)) (max(t) + max(b)) + 1e-7,
 *   loss_type LOSSES_IOU_LOSS_TYPE_IOU (0):        -log(IoU)
 *             LOSSES_IOU_LOSS_TYPE_LINEAR_IOU (1): 1 - IoU
 *             LOSSES_IOU_LOSS_TYPE_GIOU (2):       1 - (IoU - (C - U) / C)
 * (another loss_type: LOSSES_ERROR_INVALID_ARGUMENT). With a weight, each row's value is w_i loss_i;
 * LOSSES_REDUCTION_MEAN is FCOS's: sum_i w_i loss_i / sum_i w_i when a weight is given and its sum
 * is > 0, else the plain mean (a weight whose sum is 0 is ignored, for every reduction, as FCOS's
 * `weight.sum() > 0` test). n = 0: a NaN mean, a 0 sum. Gradient, optional, w.r.t. pred (min and
 * max split a tie's gradient in half between their arguments). For LOSSES_REDUCTION_NONE, out
 * and grad_output hold n values.
 */
enum {
    LOSSES_IOU_LOSS_TYPE_IOU = 0,
    LOSSES_IOU_LOSS_TYPE_LINEAR_IOU = 1,
    LOSSES_IOU_LOSS_TYPE_GIOU = 2
};
#define LOSSES_IOU_DEFAULT_LOSS_TYPE 0 /* LOSSES_IOU_LOSS_TYPE_IOU */
LOSSES_API LOSSES_NODISCARD int32_t losses_iou_loss_f32(
    const float *pred, const float *target, const float *weight, int64_t n, int32_t loss_type,
    int32_t reduction, float *out, float *grad_pred, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_iou_loss_f64(
    const double *pred, const double *target, const double *weight, int64_t n, int32_t loss_type,
    int32_t reduction, double *out, double *grad_pred, const double *grad_output);

/*
 * The distributional ranking loss (Qian et al. 2020), as SigmoidDRLoss of idstcv/DR_loss: logits
 * is (n, c) row-major, c >= 1 (else LOSSES_ERROR_INVALID_SIZE); targets n labels, 0 (background),
 * 1..c (a class: logit t - 1 is the row's positive) or -1 (ignored), anything else
 * LOSSES_ERROR_LABEL_OUT_OF_RANGE. Over the whole batch, with q = sigmoid(logit):
 *   positives P: the entries (i, t_i - 1) of rows with t_i >= 1;
 *   negatives N: every other entry of the rows with t_i >= 0;
 *   neg = sum_N softmax_N(q / neg_lambda) q,  pos = sum_P softmax_P(-q / pos_lambda) q (0 if P is empty),
 *   loss = tau softplus(L (neg - pos + margin)) / L,
 * in double, in one fixed order, each softmax shifted by its maximum, softplus computed stably
 * (max(z, 0) + log1p(exp(-|z|)); the reference's log(1 + exp(z)) overflows for large L).
 * pos_lambda, neg_lambda and L: finite and > 0; tau and margin: finite (else
 * LOSSES_ERROR_INVALID_ARGUMENT). The loss is one value for the whole batch (both softmaxes couple
 * every selected entry): there are no per-sample values, and every reduction writes that one
 * value to out[0] (LOSSES_REDUCTION_NONE included; grad_output holds one value). Gradient,
 * optional, w.r.t. the logits: for a negative tau sigmoid(z) w (1 + (q - neg) / neg_lambda) q (1 - q),
 * for a positive -tau sigmoid(z) w (1 - (q - pos) / pos_lambda) q (1 - q) (w its softmax weight,
 * z = L (neg - pos + margin)), 0 on ignored rows. n = 0 or every row ignored: neg = pos = 0, the
 * loss tau softplus(L margin) / L.
 */
#define LOSSES_SIGMOID_DR_DEFAULT_POS_LAMBDA 1.0
#define LOSSES_SIGMOID_DR_DEFAULT_NEG_LAMBDA 0.07982356001479281 /* 0.1 / ln(3.5) */
#define LOSSES_SIGMOID_DR_DEFAULT_L 6.0
#define LOSSES_SIGMOID_DR_DEFAULT_TAU 4.0
#define LOSSES_SIGMOID_DR_DEFAULT_MARGIN 0.5
LOSSES_API LOSSES_NODISCARD int32_t losses_sigmoid_dr_loss_f32(
    const float *logits, const int64_t *targets, int64_t n, int64_t c, double pos_lambda, double neg_lambda,
    double L, double tau, double margin, int32_t reduction, float *out, float *grad_logits,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_sigmoid_dr_loss_f64(
    const double *logits, const int64_t *targets, int64_t n, int64_t c, double pos_lambda, double neg_lambda,
    double L, double tau, double margin, int32_t reduction, double *out, double *grad_logits,
    const double *grad_output);
/* ---- Image quality (docs/image_quality.md) ---- */

/*
 * Entries of this section read batches of images x and y, each (n, c, h, w) row-major (PyTorch's
 * contiguous NCHW), and give one value per image. The window is pytorch_msssim's: win_size
 * (odd, >= 1) taps g_i = exp(-(i - win_size/2)^2 / (2 win_sigma^2)) / sum, built in the input's
 * precision (float for _f32, double for _f64; pytorch_msssim builds it in float32 for every
 * input). Filtering is separable and valid (no padding): over h, then w. Everything after the
 * window is computed in double. Parameters: data_range finite and > 0, win_sigma finite and > 0,
 * k1 and k2 finite and > 0, win_size odd and >= 1 (else LOSSES_ERROR_INVALID_ARGUMENT); c >= 1
 * (else LOSSES_ERROR_INVALID_SIZE). Each (image, channel) plane is one task, and the planes'
 * results are combined in plane order: bitwise the same for any thread count. The library
 * allocates a few planes of doubles of scratch per thread (LOSSES_ERROR_OUT_OF_MEMORY when it
 * cannot, before anything is written).
 */

/*
 * SSIM loss, 1 - SSIM, as 1 - pytorch_msssim.ssim(x, y, data_range, size_average, win_size,
 * win_sigma, K = (k1, k2)): with G the Gaussian filter, mu_x = G x, mu_y = G y,
 * s_xx = G(x^2) - mu_x^2, s_yy = G(y^2) - mu_y^2, s_xy = G(xy) - mu_x mu_y, C1 = (k1 data_range)^2
 * and C2 = (k2 data_range)^2, the SSIM map
 *   S = ((2 mu_x mu_y + C1) (2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1) (s_xx + s_yy + C2))
 * over the (h - win_size + 1) (w - win_size + 1) valid positions, and per image
 *   loss_i = 1 - mean over its channels of the mean of S over the positions.
 * h and w must be >= win_size (else LOSSES_ERROR_INVALID_SIZE). Gradients, each optional, by the
 * adjoint filtering G* (the full, transposed filter): with a1 = dS/dmu_x, b1 = dS/dmu_y,
 * a2 = dS/dG(x^2) = dS/dG(y^2) and a3 = dS/dG(xy) at each position,
 *   grad_x = -u_i / (c P) (G*(a1) + 2 x G*(a2) + y G*(a3)),
 *   grad_y = -u_i / (c P) (G*(b1) + 2 y G*(a2) + x G*(a3)),
 * P the number of positions, u_i the upstream gradient of image i (grad_output for
 * LOSSES_REDUCTION_NONE, its value over n for the mean). A NaN makes its image's value and
 * gradients NaN. n = 0: a NaN mean, a 0 sum, nothing else written. For LOSSES_REDUCTION_NONE,
 * out and grad_output hold n values.
 */
#define LOSSES_SSIM_DEFAULT_DATA_RANGE 1.0
#define LOSSES_SSIM_DEFAULT_WIN_SIZE 11
#define LOSSES_SSIM_DEFAULT_WIN_SIGMA 1.5
#define LOSSES_SSIM_DEFAULT_K1 0.01
#define LOSSES_SSIM_DEFAULT_K2 0.03
LOSSES_API LOSSES_NODISCARD int32_t losses_ssim_loss_f32(
    const float *x, const float *y, int64_t n, int64_t c, int64_t h, int64_t w, double data_range,
    int64_t win_size, double win_sigma, double k1, double k2, int32_t reduction, float *out, float *grad_x,
    float *grad_y, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_ssim_loss_f64(
    const double *x, const double *y, int64_t n, int64_t c, int64_t h, int64_t w, double data_range,
    int64_t win_size, double win_sigma, double k1, double k2, int32_t reduction, double *out, double *grad_x,
    double *grad_y, const double *grad_output);

/*
 * MS-SSIM loss, 1 - MS-SSIM, as 1 - pytorch_msssim.ms_ssim(x, y, data_range, size_average,
 * win_size, win_sigma, weights, K = (k1, k2)): a pyramid of L = weights_count levels, level 0 the
 * images, level l + 1 level l averaged over 2 x 2 blocks (avg_pool2d with kernel 2 and padding
 * h % 2, w % 2 on both sides, the padding counted: every average divides by 4). With cs_l the mean
 * over level l's positions of the contrast-structure map (2 s_xy + C2) / (s_xx + s_yy + C2) and
 * ssim_L the mean of the SSIM map (ssim_loss) at the last level, per image and channel
 *   v = prod_{l < L-1} relu(cs_l)^weights_l * relu(ssim_L)^weights_{L-1},
 *   loss_i = 1 - mean over its channels of v.
 * weights: NULL for pytorch_msssim's five (0.0448, 0.2856, 0.3001, 0.2363, 0.1333; weights_count
 * is then not read), else weights_count >= 1 finite values (LOSSES_ERROR_INVALID_ARGUMENT). The
 * shorter side of the images must exceed (win_size - 1) * 2^4 (pytorch_msssim's rule), and every
 * level must be at least win_size on each side (else LOSSES_ERROR_INVALID_SIZE). Gradients, each
 * optional, back through the pyramid: at each level the map gradient of ssim_loss (of the cs map
 * below the last level) scaled by dv/d(mean_l) over the level's positions (0 where relu clamps a
 * mean below 0), plus the adjoint of the pooling of the level above. A NaN makes its image's value
 * and gradients NaN. n = 0: a NaN mean, a 0 sum, nothing else written. For
 * LOSSES_REDUCTION_NONE, out and grad_output hold n values.
 */
#define LOSSES_MS_SSIM_DEFAULT_DATA_RANGE 1.0
#define LOSSES_MS_SSIM_DEFAULT_WIN_SIZE 11
#define LOSSES_MS_SSIM_DEFAULT_WIN_SIGMA 1.5
#define LOSSES_MS_SSIM_DEFAULT_K1 0.01
#define LOSSES_MS_SSIM_DEFAULT_K2 0.03
LOSSES_API LOSSES_NODISCARD int32_t losses_ms_ssim_loss_f32(
    const float *x, const float *y, int64_t n, int64_t c, int64_t h, int64_t w, double data_range,
    int64_t win_size, double win_sigma, const double *weights, int64_t weights_count, double k1, double k2,
    int32_t reduction, float *out, float *grad_x, float *grad_y, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_ms_ssim_loss_f64(
    const double *x, const double *y, int64_t n, int64_t c, int64_t h, int64_t w, double data_range,
    int64_t win_size, double win_sigma, const double *weights, int64_t weights_count, double k1, double k2,
    int32_t reduction, double *out, double *grad_x, double *grad_y, const double *grad_output);

/* ---- Reinforcement learning (docs/reinforcement.md) ------------------------------------ */

/*
 * Temporal-difference loss of n transitions (rlax's td_learning, then optax's l2 or Huber loss):
 * rewards, values, next_values and dones are n values each, step i's reward r_i, its state's
 * value V(s_i), the value V(s'_i) of the state it reached and its termination flag, and
 *   delta_i = r_i + gamma (1 - done_i) V(s'_i) - V(s_i),
 *   loss LOSSES_TD_LOSS_MSE (0):   loss_i = delta_i^2 / 2
 *        LOSSES_TD_LOSS_HUBER (1): loss_i = delta_i^2 / 2 if |delta_i| <= 1, else |delta_i| - 1/2
 * (optax's huber_loss with delta 1; another loss: LOSSES_ERROR_INVALID_ARGUMENT). gamma: in
 * [0, 1] (else LOSSES_ERROR_INVALID_ARGUMENT). dones are not checked: 1 marks a terminal step,
 * 0 a step that bootstraps, any other value enters the formula as written. delta is computed in
 * double for both variants. A NaN or infinite next value propagates even where done_i = 1 or
 * gamma = 0 (0 times it is NaN, as in the reference formula). n = 0: a NaN mean, a 0 sum.
 * Gradient, optional, w.r.t. values only: the target r_i + gamma (1 - done_i) V(s'_i) is held
 * constant (the semi-gradient, rlax's stop_gradient), so d loss_i / d V(s_i) = -delta_i (mse) or
 * -clamp(delta_i, -1, 1) (huber). For LOSSES_REDUCTION_NONE, out and grad_output hold n values.
 */
enum {
    LOSSES_TD_LOSS_MSE = 0,
    LOSSES_TD_LOSS_HUBER = 1
};
#define LOSSES_TD_DEFAULT_GAMMA 0.99
#define LOSSES_TD_DEFAULT_LOSS 0 /* LOSSES_TD_LOSS_MSE */
LOSSES_API LOSSES_NODISCARD int32_t losses_td_loss_f32(
    const float *rewards, const float *values, const float *next_values, const float *dones, int64_t n,
    double gamma, int32_t loss, int32_t reduction, float *out, float *grad_values, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_td_loss_f64(
    const double *rewards, const double *values, const double *next_values, const double *dones, int64_t n,
    double gamma, int32_t loss, int32_t reduction, double *out, double *grad_values, const double *grad_output);

/*
 * The targets of value learning, per rlax: metrics (no gradient, no reduction: targets are held
 * constant by definition). Each reads n trajectories of l steps, row-major (n, l) (one trajectory:
 * n = 1), the rows independent and computed in parallel, each scanned in double in a fixed order
 * (bitwise the same for any thread count) and rounded once; out holds n*l values, (n, l). n = 0 or
 * l = 0: nothing to compute, out is not read (a valid call). rewards and discounts are the reward
 * and discount received on arriving at the next state (rlax's r_t and discount_t; a terminal step
 * has discount 0, else gamma). Discounts are not checked: any value enters the recurrences as
 * written (outside [0, 1] the returns may grow geometrically, to infinity). A NaN reaches every
 * earlier step of its row (the scans run backwards), not the other rows.
 */

/*
 * TD error per step, rlax's td_learning: rewards, values, next_values and dones (n, l),
 *   out = rewards + gamma (1 - dones) next_values - values,
 * elementwise (the rows only shape the call). gamma in [0, 1] (else LOSSES_ERROR_INVALID_ARGUMENT).
 * As losses_td_loss_*: computed in double, dones unchecked, a NaN or infinite next value NaN even
 * where done = 1.
 */
#define LOSSES_TD_ERROR_DEFAULT_GAMMA 0.99
LOSSES_API LOSSES_NODISCARD int32_t losses_td_error_f32(
    const float *rewards, const float *values, const float *next_values, const float *dones, int64_t n, int64_t l,
    double gamma, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_td_error_f64(
    const double *rewards, const double *values, const double *next_values, const double *dones, int64_t n,
    int64_t l, double gamma, double *out);

/*
 * lambda-returns, rlax's lambda_returns(r_t, discount_t, v_t, lambda_): rewards, discounts and
 * next_values (n, l), next_values[t] the value of the state step t reached (rlax's v_t; its last
 * entry also bootstraps the tail). Per row, backwards from G_l = next_values[l - 1]:
 *   G_t = rewards[t] + discounts[t] ((1 - lambda_) next_values[t] + lambda_ G_{t+1}).
 * lambda_ = 1: the discounted returns bootstrapped on the last value (Monte Carlo with a
 * bootstrap); lambda_ = 0: the one-step targets rewards + discounts next_values. lambda_ in [0, 1]
 * (else LOSSES_ERROR_INVALID_ARGUMENT). With V(s_0..s_l) as losses_gae_* takes them,
 * next_values = values[1:], and out = gae + values[:-1].
 */
#define LOSSES_TD_LAMBDA_RETURNS_DEFAULT_LAMBDA_ 0.95
LOSSES_API LOSSES_NODISCARD int32_t losses_td_lambda_returns_f32(
    const float *rewards, const float *discounts, const float *next_values, int64_t n, int64_t l, double lambda_,
    float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_td_lambda_returns_f64(
    const double *rewards, const double *discounts, const double *next_values, int64_t n, int64_t l,
    double lambda_, double *out);

/*
 * Generalised advantage estimates, rlax's truncated_generalized_advantage_estimation(r_t,
 * discount_t, lambda_, values): rewards and discounts (n, l), values (n, l + 1), V(s_0)..V(s_l)
 * of each trajectory (the last bootstraps). Per row, backwards from A_l = 0:
 *   delta_t = rewards[t] + discounts[t] values[t + 1] - values[t],
 *   A_t = delta_t + lambda_ discounts[t] A_{t+1}.
 * lambda_ = 0: the one-step TD errors; lambda_ = 1: the bootstrapped discounted returns minus
 * values[t]. lambda_ in [0, 1] (else LOSSES_ERROR_INVALID_ARGUMENT). l + 1 must not overflow.
 */
#define LOSSES_GAE_DEFAULT_LAMBDA_ 0.95
LOSSES_API LOSSES_NODISCARD int32_t losses_gae_f32(
    const float *rewards, const float *discounts, const float *values, int64_t n, int64_t l, double lambda_,
    float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_gae_f64(
    const double *rewards, const double *discounts, const double *values, int64_t n, int64_t l, double lambda_,
    double *out);


/* ---- Distributions: divergences and adversarial losses (docs/distributions.md) -------- */

/*
 * Kullback-Leibler divergence of log-probabilities, PyTorch's kl_div(input, target, reduction,
 * log_target), elementwise:
 *   log_target = 0: loss = xlogy(t, t) - t x   (t log t - t x, with 0 log 0 = 0: 0 where t = 0)
 *   log_target = 1: loss = exp(t) (t - x)      (target holds log-probabilities)
 * input and target are (n, d) row-major: n = input.shape[0] (the element count of a 1-D input,
 * 1 of a 0-d one), d the product of the other dimensions. LOSSES_REDUCTION_NONE writes n*d
 * values; MEAN divides the sum by n*d, or by n when batchmean = 1 (PyTorch's
 * reduction='batchmean'); SUM adds. log_target and batchmean are 0 or 1, and batchmean = 1 only
 * with LOSSES_REDUCTION_MEAN (LOSSES_ERROR_INVALID_OPTION otherwise). Values are not checked, as
 * in PyTorch: a negative target gives NaN (log of a negative), t = 0 with an infinite input NaN
 * (0 * inf). Gradient w.r.t. input: -t (log_target: -exp(t)); w.r.t. target:
 * losses_kl_div_grad_target_*. n*d = 0: a NaN mean (batchmean: 0/0 at n = 0), a 0 sum.
 */
#define LOSSES_KL_DIV_DEFAULT_LOG_TARGET 0
#define LOSSES_KL_DIV_DEFAULT_BATCHMEAN 0
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_div_f32(
    const float *input, const float *target, int64_t n, int64_t d, int32_t log_target, int32_t batchmean,
    int32_t reduction, float *out, float *grad_input, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_div_f64(
    const double *input, const double *target, int64_t n, int64_t d, int32_t log_target, int32_t batchmean,
    int32_t reduction, double *out, double *grad_input, const double *grad_output);

/*
 * Kullback-Leibler divergence of distributions, per row of pk and qk (n, d) row-major (the
 * axis summed over is the last; Python moves any other there):
 *   loss_i = sum_j rel_entr(p_ij, q_ij),  rel_entr(p, q) = p log(p / q) for p > 0, q > 0,
 *   0 for p = 0, q >= 0, and +inf otherwise (p > 0 = q, or a negative entry): scipy.special.rel_entr,
 * the seed's KL(P, Q) = sum(P log(P / Q)). Rows are NOT normalised (scipy.stats.entropy(p, q)
 * divides each by its sum first: the two agree on rows that sum to 1). Computed in double
 * (log p - log q, which neither overflows nor underflows where p / q would). Gradients, each
 * optional: w.r.t. qk -p/q (0 where p = 0; -inf where p > 0 = q), w.r.t. pk log(p/q) + 1 (0 where
 * p = 0, by convention: the one-sided derivative is -inf there; +inf where p > 0 = q); NaN for
 * a negative or NaN entry. d = 0 gives 0 per row. LOSSES_REDUCTION_NONE (the default, as scipy)
 * writes n values; MEAN divides by n (NaN at n = 0).
 */
#define LOSSES_KL_DIVERGENCE_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_divergence_f32(
    const float *pk, const float *qk, int64_t n, int64_t d, int32_t reduction, float *out, float *grad_pk,
    float *grad_qk, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_divergence_f64(
    const double *pk, const double *qk, int64_t n, int64_t d, int32_t reduction, double *out, double *grad_pk,
    double *grad_qk, const double *grad_output);

/*
 * Jensen-Shannon divergence (natural log) per row of pk and qk (n, d), the layout of
 * kl_divergence: with m = (p + q) / 2,
 *   loss_i = 1/2 sum_j rel_entr(p_ij, m_ij) + 1/2 sum_j rel_entr(q_ij, m_ij),
 * scipy.spatial.distance.jensenshannon(p, q)**2 on rows that sum to 1 (scipy normalises each row
 * first; liblosses does not). Finite for non-negative entries (m > 0 wherever p or q is), in
 * [0, log 2] for distributions. Gradients, each optional: w.r.t. pk 1/2 log(p / m) where p > 0,
 * -1/2 where p = 0 < q (the derivative of the formula with each 0 log 0 term held at 0: the
 * one-sided one is -inf), 0 where p = q = 0; w.r.t. qk the same with p and q exchanged. A
 * negative entry gives rel_entr's +inf and NaN gradients, a NaN entry NaN. LOSSES_REDUCTION_NONE
 * (the default) writes n values; MEAN divides by n.
 */
#define LOSSES_JS_DIVERGENCE_DEFAULT_REDUCTION LOSSES_REDUCTION_NONE
LOSSES_API LOSSES_NODISCARD int32_t losses_js_divergence_f32(
    const float *pk, const float *qk, int64_t n, int64_t d, int32_t reduction, float *out, float *grad_pk,
    float *grad_qk, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_js_divergence_f64(
    const double *pk, const double *qk, int64_t n, int64_t d, int32_t reduction, double *out, double *grad_pk,
    double *grad_qk, const double *grad_output);

/*
 * WGAN critic loss (Arjovsky et al. 2017), what the critic minimises over n scores of real
 * samples and m of generated ones:
 *   LOSSES_REDUCTION_MEAN (and NONE): mean(fake_scores) - mean(real_scores);
 *   LOSSES_REDUCTION_SUM: sum(fake_scores) - sum(real_scores).
 * One value for every reduction (a real and a fake score form no pair: there is no per-sample
 * loss); grad_output holds one value. Gradients, each optional: 1/m w.r.t. each fake score and
 * -1/n w.r.t. each real one (1 and -1 for SUM). An empty batch has a NaN mean, as PyTorch's
 * mean of nothing: n = 0 or m = 0 gives a NaN value with MEAN (the other batch's gradient is
 * still its 1/m or -1/n), and a sum over the empty batch of 0 with SUM.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_wgan_critic_loss_f32(
    const float *real_scores, const float *fake_scores, int64_t n, int64_t m, int32_t reduction, float *out,
    float *grad_real_scores, float *grad_fake_scores, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_wgan_critic_loss_f64(
    const double *real_scores, const double *fake_scores, int64_t n, int64_t m, int32_t reduction, double *out,
    double *grad_real_scores, double *grad_fake_scores, const double *grad_output);

/*
 * WGAN generator loss: loss_j = -fake_scores_j; LOSSES_REDUCTION_MEAN gives -mean(fake_scores),
 * SUM -sum, NONE the n values. Gradient -1/n per score (-1 for SUM and NONE). n = 0: a NaN mean.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_wgan_generator_loss_f32(
    const float *fake_scores, int64_t n, int32_t reduction, float *out, float *grad_fake_scores,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_wgan_generator_loss_f64(
    const double *fake_scores, int64_t n, int32_t reduction, double *out, double *grad_fake_scores,
    const double *grad_output);

/*
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017) of gradients (n, d), the critic's gradients
 * at the interpolates, one flattened row per sample, as the caller's framework computed them:
 *   loss_i = weight (||g_i||_2 - 1)^2,
 * the norm over the row's d values, in double. weight finite and >= 0
 * (LOSSES_ERROR_INVALID_ARGUMENT). LOSSES_REDUCTION_NONE writes n values, MEAN divides by n
 * (the paper's weight mean_i (||g_i|| - 1)^2), SUM adds. Gradient w.r.t. the gradients:
 * 2 weight (||g_i|| - 1) g_i / ||g_i||, and 0 for a zero row (the subgradient PyTorch's autograd
 * gives for (g.norm(2, dim=1) - 1)**2). d = 0: every row has norm 0 and loss weight.
 */
#define LOSSES_GRADIENT_PENALTY_DEFAULT_WEIGHT 10.0
LOSSES_API LOSSES_NODISCARD int32_t losses_gradient_penalty_f32(
    const float *gradients, int64_t n, int64_t d, double weight, int32_t reduction, float *out,
    float *grad_gradients, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_gradient_penalty_f64(
    const double *gradients, int64_t n, int64_t d, double weight, int32_t reduction, double *out,
    double *grad_gradients, const double *grad_output);

/* ---- Metrics (docs/metrics.md) ---- */

/*
 * Metrics are evaluation quantities with no gradient: an entry has its inputs, its sizes, its
 * parameters and `out` (how many values `out` holds is stated per metric), and no gradient
 * output and no grad_output; a reduction only where the metric has per-sample values. A metric
 * may refuse an empty input (LOSSES_ERROR_INVALID_SIZE) where its reference has no value for it.
 */

/*
 * 1-D Wasserstein distance (earth mover's distance) between the empirical distributions of
 * u_values (n values) and v_values (m values), as scipy.stats.wasserstein_distance:
 *   W = integral over x of |U(x) - V(x)| dx,
 * U and V the distributions' CDFs (each value carrying its weight, or 1 / n (1 / m) when its
 * weights are NULL), evaluated as the sum over the sorted union z of both value sets of
 * |U(z_k) - V(z_k)| (z_{k+1} - z_k). Values and weights are read once into double scratch, sorted
 * in double; the CDFs are running sums of the sorted weights in double divided by their total,
 * and the integral is a fixed-order compensated sum in double, rounded once to the dtype: the
 * result is within a few ulp of the double computation in both dtypes. u_weights (n values) and
 * v_weights (m values) are optional; when given, every weight must be >= 0 and the weights must
 * sum (in double) to a positive finite number, else LOSSES_ERROR_INVALID_ARGUMENT (NaN weights
 * included), as scipy refuses them. n = 0 or m = 0 (an empty distribution, which scipy refuses)
 * is LOSSES_ERROR_INVALID_SIZE. A NaN value anywhere gives NaN (as scipy); infinite values follow
 * the formula (an infinite gap times a CDF difference of 0 is NaN, as scipy). out holds one value.
 * Allocates scratch of n + m (value, weight) pairs of double; LOSSES_ERROR_OUT_OF_MEMORY when
 * that fails. No gradient (a metric).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_wasserstein_distance_f32(
    const float *u_values, const float *v_values, const float *u_weights, const float *v_weights, int64_t n,
    int64_t m, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_wasserstein_distance_f64(
    const double *u_values, const double *v_values, const double *u_weights, const double *v_weights, int64_t n,
    int64_t m, double *out);

/*
 * Inception score (Salimans et al. 2016, the improved-GAN procedure) of n rows of class
 * probabilities probs (n, c), row-major, from the caller's classifier. The rows are cut into
 * `splits` consecutive parts in order (no shuffling): split k holds rows k n / s ... (k + 1) n / s
 * (integer division). Per split, with p(y) the mean of its rows,
 *   IS_k = exp(mean over its rows x of sum_j p_j(x) (log p_j(x) - log p_j(y))),
 * a term with p_j(x) = 0 counting 0 (0 log 0 = 0). out holds two values: the mean of the IS_k and
 * their standard deviation with ddof 0. Rows are read as given (no normalisation; rows that do
 * not sum to 1 are computed as the formula, as the original code does); every entry must be
 * finite and >= 0 (else LOSSES_ERROR_INVALID_ARGUMENT). splits must be 1 ... n (else
 * LOSSES_ERROR_INVALID_ARGUMENT: a split needs a row; n = 0 is therefore always refused). Sums in
 * double in a fixed order; allocates c + splits doubles of scratch (LOSSES_ERROR_OUT_OF_MEMORY
 * when it cannot). No gradient (a metric).
 */
#define LOSSES_INCEPTION_SCORE_DEFAULT_SPLITS 10
LOSSES_API LOSSES_NODISCARD int32_t losses_inception_score_f32(
    const float *probs, int64_t n, int64_t c, int64_t splits, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_inception_score_f64(
    const double *probs, int64_t n, int64_t c, int64_t splits, double *out);

/*
 * Streamed statistics for the Fréchet distance. The state is the caller's: a sample count
 * (one double, a whole number in [0, 2^53)), the mean (d doubles) and the co-moment matrix
 *   M = sum over the samples of (x - mean)(x - mean)^T   (d x d doubles, row-major),
 * double whatever the features' type; a fresh state is all zeros, and the unbiased covariance is
 * M / (count - 1). An update folds features (n, d) into the state in place by Chan, Golub and
 * LeVeque's formula: the batch's mean and its co-moment about that mean in double (rows in
 * ascending order, blocks of 256 rows through one BLAS dsyrk each), then
 *   count' = count + n,  delta = batch_mean - mean,  mean' = mean + delta n / count',
 *   M' = M + M_batch + delta delta^T count n / count'.
 * n = 0 leaves the state unchanged; d = 0 only counts. Non-finite features give non-finite
 * statistics (which losses_fid_from_stats refuses). The count is checked (LOSSES_ERROR_INVALID_ARGUMENT)
 * and the state must not overlap the features (LOSSES_ERROR_OVERLAP); d at most
 * LOSSES_FID_MAX_D (LOSSES_ERROR_INVALID_SIZE). The library allocates d^2 + 257 d doubles of
 * scratch (LOSSES_ERROR_OUT_OF_MEMORY before anything is written). The Gram updates run in
 * OpenBLAS (inside the library), one call at a time in the process; the bits do not depend on
 * the library's thread count.
 */
#define LOSSES_FID_MAX_D 16384
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_statistics_update_f32(
    const float *features, int64_t n, int64_t d, double *count, double *mean, double *comoment);
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_statistics_update_f64(
    const double *features, int64_t n, int64_t d, double *count, double *mean, double *comoment);

/*
 * Merges another worker's statistics (other_count, other_mean (d), other_comoment (d x d)) into
 * (count, mean, comoment) in place, by the same formula with the other state as the batch: the
 * statistics of the union of the two sets of samples, exactly in exact arithmetic, in any order
 * of merging up to round-off. Counts checked as above; the two states must not overlap.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_statistics_merge(
    double *count, double *mean, double *comoment, double other_count, const double *other_mean,
    const double *other_comoment, int64_t d);

/*
 * The Fréchet distance between two Gaussians (FID, Heusel et al. 2017; pytorch-fid's
 * calculate_frechet_distance): mu1, mu2 (d), sigma1, sigma2 (d x d, row-major), one value in out:
 *   |mu1 - mu2|^2 + Tr sigma1 + Tr sigma2 - 2 Tr sqrt(sigma1 sigma2),
 * in double. Tr sqrt(sigma1 sigma2) is the sum of the square roots of the eigenvalues of
 * L^T sigma2 L, sigma1 = L L^T by Cholesky (pivoted and cut at its numerical rank when sigma1 is
 * singular: fewer samples than features, a collapsed generator), a symmetric eigenvalue problem
 * solved by LAPACK (dsygst, dsyev_2stage): never complex, never NaN for finite statistics;
 * eigenvalues at or below d * DBL_EPSILON * the largest are round-off of 0 and count as 0.
 * pytorch-fid adds eps to both diagonals when its complex sqrtm is not finite; this function
 * never needs to, and computes the distance of the statistics as given (eps is checked, finite and
 * >= 0, and otherwise unused: where pytorch-fid falls back to it, its value carries an error of
 * order eps * d that this one has not). The value can come out below 0 by round-off for equal
 * statistics, as pytorch-fid's. Refused (LOSSES_ERROR_INVALID_ARGUMENT): non-finite statistics,
 * a negative variance, a sigma that is not symmetric (|s_ij - s_ji| above 1e-6 sqrt(s_ii s_jj)).
 * A sigma that is symmetric but not positive semi-definite is not detected: its negative
 * directions are dropped by the pivoted Cholesky or the clamp, and the value has no meaning.
 * d = 0 gives 0; d at most LOSSES_FID_MAX_D. The library allocates 4 d^2 + O(d) doubles
 * (LOSSES_ERROR_OUT_OF_MEMORY). The f32 entries read float statistics and round the value.
 */
#define LOSSES_FID_DEFAULT_EPS 1e-6
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_from_stats_f32(
    const float *mu1, const float *sigma1, const float *mu2, const float *sigma2, int64_t d, double eps, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_from_stats_f64(
    const double *mu1, const double *sigma1, const double *mu2, const double *sigma2, int64_t d, double eps,
    double *out);

/*
 * The Fréchet distance between two sets of features, features1 (n, d) and features2 (m, d)
 * (the sizes in that order: n, d, m):
 * each set's mean and unbiased covariance (the statistics update above on a fresh state), then
 * losses_fid_from_stats. n and m at least 2 (LOSSES_ERROR_INVALID_SIZE: no unbiased covariance
 * below); non-finite features are refused as non-finite statistics. Allocates 2 d^2 + 257 d
 * doubles beside fid_from_stats' own.
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_f32(
    const float *features1, const float *features2, int64_t n, int64_t d, int64_t m, double eps, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_fid_f64(
    const double *features1, const double *features2, int64_t n, int64_t d, int64_t m, double eps, double *out);

/*
 * R-precision of n queries, each scored against k candidates: scores (n, k) and relevance (n, k)
 * row-major, relevance 0 or 1 (else LOSSES_ERROR_LABEL_OUT_OF_RANGE, read once before anything
 * is computed). For query i with R_i = its count of relevant candidates, its value is
 *   (relevant candidates among its top R_i by score) / R_i,
 * the candidates ranked by score, higher first, equal scores in candidate-index order (the lower
 * index first) and a NaN score after every number. This tie rule is stricter than evaluators that
 * count a tie with a relevant candidate as a hit (AttnGAN's). A query with R_i = 0 has no value:
 * NaN in LOSSES_REDUCTION_NONE's n values, left out of the mean and the sum; the mean over no
 * counted query (n = 0 included) is NaN, the sum 0. reduction: LOSSES_REDUCTION_MEAN (the
 * default), SUM or NONE (out holds n values, else one). Computed in double, queries in order;
 * allocates n doubles and k indices of scratch (LOSSES_ERROR_OUT_OF_MEMORY when it cannot). No
 * gradient (a metric).
 */
LOSSES_API LOSSES_NODISCARD int32_t losses_r_precision_f32(
    const float *scores, const int64_t *relevance, int64_t n, int64_t k, int32_t reduction, float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_r_precision_f64(
    const double *scores, const int64_t *relevance, int64_t n, int64_t k, int32_t reduction, double *out);

/*
 * R-precision by cosine similarity, AttnGAN's evaluation: image (n, d) and text (n, k, d)
 * row-major, each image's k candidate captions with its true caption at index 0 (R = 1). Per
 * image, the cosine similarity with each candidate as losses_cosine_similarity_* computes it
 * (x . y / (max(|x|, eps) max(|y|, eps)), in double), ranked as losses_r_precision_*: higher
 * first, ties in candidate-index order, a NaN after every number. The image's value is 1 when
 * caption 0 ranks first, else 0; so a candidate tied with caption 0 does not displace it (a tie
 * counts as a hit, caption 0 having the lowest index), and k = 1 always gives 1 (k = 0 gives 0).
 * eps finite and > 0 (else LOSSES_ERROR_INVALID_ARGUMENT). reduction: LOSSES_REDUCTION_MEAN (the
 * default), SUM or NONE (out holds n values, else one); the mean of n = 0 images is NaN, the sum
 * 0. Allocates n doubles of scratch. No gradient (a metric).
 */
#define LOSSES_R_PRECISION_EMBEDDINGS_DEFAULT_EPS 1e-8
LOSSES_API LOSSES_NODISCARD int32_t losses_r_precision_embeddings_f32(
    const float *image, const float *text, int64_t n, int64_t k, int64_t d, double eps, int32_t reduction,
    float *out);
LOSSES_API LOSSES_NODISCARD int32_t losses_r_precision_embeddings_f64(
    const double *image, const double *text, int64_t n, int64_t k, int64_t d, double eps, int32_t reduction,
    double *out);

/* ---- Retrieval: matching images and captions (docs/retrieval.md) ---- */

/*
 * DAMSM words loss, the word-level half of AttnGAN's Deep Attentional Multimodal Similarity
 * Model (Xu et al. 2018) exactly as its released code computes it (`words_loss` with
 * `func_attention`). img_features is (n, d, r) row-major (the r = 17 x 17 region features of each
 * image), words_emb is (n, d, t) (the word features of each caption, padded to t words),
 * cap_lens holds n caption lengths, each in 1..t (LOSSES_ERROR_LABEL_OUT_OF_RANGE otherwise;
 * the words past a caption's length never enter), and class_ids holds n class ids or is NULL.
 * For image b and caption i of T_i words, with e_k the word features and v_j the regions:
 *   a1[k, j] = softmax over k < T_i of e_k . v_j,
 *   a2[k, j] = softmax over j of gamma1 a1[k, j],   c_k = sum_j a2[k, j] v_j,
 *   S[b, i]  = log sum_{k < T_i} exp(gamma2 cos(c_k, e_k)),
 * cos(x, y) = x . y / max(|x| |y|, 1e-8) (the product of the norms clamped, as AttnGAN's
 * cosine_similarity). M = gamma3 S; when class_ids is given, M[b, i] = -inf for b != i of the
 * same class. Sample j's loss is the image->text cross entropy of row j plus the text->image cross
 * entropy of column j, both with label j:
 *   loss_j = (logsumexp_i M[j, i] - M[j, j]) + (logsumexp_b M[b, j] - M[j, j]),
 * so the mean (the default) is AttnGAN's w_loss0 + w_loss1 (nn.CrossEntropyLoss means over the
 * batch). No 1/gamma2 on the aggregation (the paper's formula has one; the code, the definition
 * here, does not). gamma1, gamma2, gamma3: finite (else LOSSES_ERROR_INVALID_ARGUMENT; the released
 * configs use 4, 5 and 10). Gradients with respect to img_features and words_emb, each optional,
 * by the chain through the two cross entropies, the log-sum-exp, the cosine (c/den - cos e/|e|^2
 * where the clamp is not active, c/1e-8 where it is), the context, and the two softmaxes; masked
 * pairs contribute nothing. Every pair's attention maps are computed in double; images are dealt
 * to a fixed number of chunks (every core) whose sums combine in a fixed order: bitwise the same
 * for any thread count. n = 1: the loss is 0 (one entry per row). n = 0: a NaN mean, a 0 sum.
 * For LOSSES_REDUCTION_NONE, out and grad_output hold n values. Allocates the features in double,
 * n^2 scores and per chunk (at most 16; fewer, down to 2, when 16 accumulators would pass 2^25
 * doubles) a workspace and an n d t accumulator for grad_words_emb (LOSSES_ERROR_OUT_OF_MEMORY
 * when it cannot, before anything is written).
 */
#define LOSSES_DAMSM_WORDS_DEFAULT_GAMMA1 4.0
#define LOSSES_DAMSM_WORDS_DEFAULT_GAMMA2 5.0
#define LOSSES_DAMSM_WORDS_DEFAULT_GAMMA3 10.0
LOSSES_API LOSSES_NODISCARD int32_t losses_damsm_words_loss_f32(
    const float *img_features, const float *words_emb, const int64_t *cap_lens, const int64_t *class_ids,
    int64_t n, int64_t d, int64_t r, int64_t t, double gamma1, double gamma2, double gamma3, int32_t reduction,
    float *out, float *grad_img_features, float *grad_words_emb, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_damsm_words_loss_f64(
    const double *img_features, const double *words_emb, const int64_t *cap_lens, const int64_t *class_ids,
    int64_t n, int64_t d, int64_t r, int64_t t, double gamma1, double gamma2, double gamma3, int32_t reduction,
    double *out, double *grad_img_features, double *grad_words_emb, const double *grad_output);

/*
 * DAMSM sentence loss, the sentence-level half of AttnGAN's DAMSM (`sent_loss`): img_global and
 * sent_emb are (n, d) row-major, class_ids as for the words loss (NULL: no masking), and
 *   M[b, i] = gamma3 (x_b . y_i) / max(|x_b| |y_i|, 1e-8),
 * masked and reduced as the words loss (the mean is AttnGAN's s_loss0 + s_loss1). gamma3: finite.
 * Gradients with respect to img_global and sent_emb, each optional: with h = gamma3 dvalue/dM,
 * sum_i h (y_i/den - cos x_b/|x_b|^2) for x_b (h y_i/1e-8 where the clamp is active), and the
 * same with the roles swapped for y_i. The dot products are fixed-order chains (every core for
 * large n). n = 1: 0 (AttnGAN's code fails there: its squeeze() drops the batch axis). n = 0: a
 * NaN mean, a 0 sum. For LOSSES_REDUCTION_NONE, out and grad_output hold n values. Allocates the
 * features in double and four n^2 matrices.
 */
#define LOSSES_DAMSM_SENTENCE_DEFAULT_GAMMA3 10.0
LOSSES_API LOSSES_NODISCARD int32_t losses_damsm_sentence_loss_f32(
    const float *img_global, const float *sent_emb, const int64_t *class_ids, int64_t n, int64_t d,
    double gamma3, int32_t reduction, float *out, float *grad_img_global, float *grad_sent_emb,
    const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_damsm_sentence_loss_f64(
    const double *img_global, const double *sent_emb, const int64_t *class_ids, int64_t n, int64_t d,
    double gamma3, int32_t reduction, double *out, double *grad_img_global, double *grad_sent_emb,
    const double *grad_output);

/* ---- Sequences (docs/sequences.md) ------------------------------------------------------ */

/*
 * CTC loss, connectionist temporal classification (Graves et al. 2006), as PyTorch's
 * F.ctc_loss. log_probs is (t, n, c) row-major: t time steps, n samples, c classes (log
 * probabilities, normally a log_softmax over c; any finite values are accepted). input_lengths
 * and target_lengths hold n lengths. The targets come in one of two layouts, told by s:
 *   s > 0: padded, targets is (n, s) row-major, sample b's labels the first target_lengths[b]
 *          of row b (the rest of the row is never read);
 *   s = 0: concatenated, targets holds sum(target_lengths) labels, sample b's following those
 *          of samples 0..b-1.
 * Checked before any arithmetic (read once into the library's memory; refused with
 * LOSSES_ERROR_LABEL_OUT_OF_RANGE, nothing written): 0 <= input_lengths[b] <= t,
 * 0 <= target_lengths[b] (<= s when padded), every label read in 0..c-1 and != blank. blank: in
 * 0..c-1 (LOSSES_ERROR_INVALID_ARGUMENT otherwise); zero_infinity: 0 or 1.
 * For sample b with T = input_lengths[b] and target l of L labels, the extended target
 * l' = (blank, l_1, blank, ..., l_L, blank) of 2L + 1 states and
 *   loss_b = -log sum over alignments of prod_{t<T} exp(log_probs[t, b, path_t]),
 * the sum over every path of T states through l' that moves by 0 or 1 state, or by 2 onto a
 * label different from the one two states back, and ends in one of the last two states; computed
 * by the forward-backward (alpha/beta) recursions in log space, in double. T = 0: loss 0 for an
 * empty target, +inf otherwise. An impossible alignment (T too short for the target and its
 * repeats) gives +inf; with zero_infinity = 1 its loss and gradient are 0 instead.
 * Reductions as PyTorch: 'mean' is the batch mean of loss_b / max(L, 1); 'sum'; 'none' gives n
 * values (out and grad_output). n = 0: a NaN mean, a 0 sum (PyTorch refuses empty log_probs).
 * Gradient grad_log_probs (t, n, c), optional: the true partial derivative of the loss with
 * respect to the given log_probs, -gamma_b(t, k) scaled as the reduction, where gamma is the
 * posterior probability that frame t emits class k (the sum over the states of l' of class k of
 * exp(alpha + beta - log_probs - log p)); 0 in every row t >= T of a sample. PyTorch's kernel
 * returns exp(log_probs) - gamma instead, which assumes log_softmax inputs: after log_softmax's
 * backward both give the same gradient w.r.t. the logits (softmax - gamma), and the PyTorch
 * adapter passes log_softmax's backward the same. An infinite loss without zero_infinity has a
 * NaN gradient in every class of the rows t < T, as PyTorch. A label equal to blank, which
 * PyTorch accepts as an ordinary class, is refused here. Allocates n losses, the lengths and
 * labels, and per thread alpha of t (2 max(L) + 1) doubles (LOSSES_ERROR_OUT_OF_MEMORY when it
 * cannot, before anything is written). Samples are computed independently, each by one thread:
 * the same bits for any thread count.
 */
#define LOSSES_CTC_DEFAULT_BLANK 0
#define LOSSES_CTC_DEFAULT_ZERO_INFINITY 0
LOSSES_API LOSSES_NODISCARD int32_t losses_ctc_loss_f32(
    const float *log_probs, const int64_t *targets, const int64_t *input_lengths, const int64_t *target_lengths,
    int64_t t, int64_t n, int64_t c, int64_t s, int64_t blank, int32_t zero_infinity, int32_t reduction,
    float *out, float *grad_log_probs, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_ctc_loss_f64(
    const double *log_probs, const int64_t *targets, const int64_t *input_lengths, const int64_t *target_lengths,
    int64_t t, int64_t n, int64_t c, int64_t s, int64_t blank, int32_t zero_infinity, int32_t reduction,
    double *out, double *grad_log_probs, const double *grad_output);

/* ---- Gradients with respect to the target ------------------------------------------- */

/*
 * losses_<loss>_grad_target_*: the gradient of losses_<loss>_* with respect to its target, for
 * the losses whose target PyTorch differentiates (two learned outputs compared by mse_loss,
 * soft labels in distillation). The parameters are the loss's own, in its order, with `out`
 * and `grad_input` replaced by `grad_target` (required; shaped like target) and the same
 * `grad_output` (NULL: ones; one value per element for LOSSES_REDUCTION_NONE, else one). The
 * same checks as the loss, and the same reduction and weight semantics: grad_target is the
 * gradient with respect to target of the value losses_<loss>_* writes to `out`. Like every
 * function, bitwise the same for any thread count.
 */

/* -2 weight_i (input_i - target_i), reduced as the loss: exactly -grad_input. */
LOSSES_API LOSSES_NODISCARD int32_t losses_mse_loss_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_mse_loss_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *grad_target, const double *grad_output);

/* -weight_i sign(input_i - target_i): exactly -grad_input. */
LOSSES_API LOSSES_NODISCARD int32_t losses_l1_loss_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_l1_loss_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *grad_target, const double *grad_output);

/* -weight_i clamp(d, -delta, delta): exactly -grad_input. */
LOSSES_API LOSSES_NODISCARD int32_t losses_huber_loss_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n, double delta,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_huber_loss_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n, double delta,
    int32_t reduction, double *grad_target, const double *grad_output);

/* -clamp(d / beta, -1, 1): exactly -grad_input. */
LOSSES_API LOSSES_NODISCARD int32_t losses_smooth_l1_loss_grad_target_f32(
    const float *input, const float *target, int64_t n, double beta,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_smooth_l1_loss_grad_target_f64(
    const double *input, const double *target, int64_t n, double beta,
    int32_t reduction, double *grad_target, const double *grad_output);

/* -w (max(log x, -100) - max(log(1 - x), -100)): the derivative of the value as computed, with
   its logs clamped, so finite for x = 0 and 1 (PyTorch's is log(1 - x) - log(x) unclamped, and
   infinite there; they agree elsewhere). Inputs are checked as for the loss. */
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n,
    int32_t reduction, double *grad_target, const double *grad_output);

/* w (pw softplus(-x) - softplus(x)), pos_weight repeated as for the loss. */
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_with_logits_grad_target_f32(
    const float *input, const float *target, const float *weight, const float *pos_weight, int64_t n,
    int64_t pos_weight_count, int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_binary_cross_entropy_with_logits_grad_target_f64(
    const double *input, const double *target, const double *weight, const double *pos_weight, int64_t n,
    int64_t pos_weight_count, int32_t reduction, double *grad_target, const double *grad_output);

/* -(1 - label_smoothing) w[k] (z[k] - lse) = -(1 - eps) w[k] log softmax(z)[k] for each of the
   n*c*d targets; the mean divides by n*d, as the loss's. */
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_probs_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n, int64_t c, int64_t d,
    double label_smoothing, int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_cross_entropy_probs_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n, int64_t c, int64_t d,
    double label_smoothing, int32_t reduction, double *grad_target, const double *grad_output);

/* kl_div's target gradient, elementwise before the reduction: log t + 1 - x where t > 0 (PyTorch's)
   and 0 where t = 0 (PyTorch's is NaN there; 0 is the derivative of its "0 where t = 0" branch, as
   PyTorch before 1.13 returned); with log_target = 1, exp(t) (t - x + 1). */
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_div_grad_target_f32(
    const float *input, const float *target, int64_t n, int64_t d, int32_t log_target, int32_t batchmean,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_kl_div_grad_target_f64(
    const double *input, const double *target, int64_t n, int64_t d, int32_t log_target, int32_t batchmean,
    int32_t reduction, double *grad_target, const double *grad_output);

/* poisson_nll_loss's target gradient, elementwise before the reduction: -x (log_input = 1) or
   -log(x + eps), plus log t + 1 / (2 t) where full = 1 and t > 1. Where t <= 1 Stirling's term is
   masked to 0 and so is its derivative (PyTorch's autograd gives NaN at t = 0 and t < 0, the
   masked branch's 0 times log t). */
LOSSES_API LOSSES_NODISCARD int32_t losses_poisson_nll_loss_grad_target_f32(
    const float *input, const float *target, int64_t n, int32_t log_input, int32_t full, double eps,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_poisson_nll_loss_grad_target_f64(
    const double *input, const double *target, int64_t n, int32_t log_input, int32_t full, double eps,
    int32_t reduction, double *grad_target, const double *grad_output);

/* multilabel_soft_margin_loss's target gradient: -(w[k]/c) x_ik (log sigmoid(x) - log sigmoid(-x)
   = x), reduced as the loss (the mean divides by n). */
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_soft_margin_loss_grad_target_f32(
    const float *input, const float *target, const float *weight, int64_t n, int64_t c,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_multilabel_soft_margin_loss_grad_target_f64(
    const double *input, const double *target, const double *weight, int64_t n, int64_t c,
    int32_t reduction, double *grad_target, const double *grad_output);

/* (lse - z[k]) + epsilon (1 - p[k]) for each of the n*c labels; the mean divides by n, as the loss's. */
LOSSES_API LOSSES_NODISCARD int32_t losses_poly_loss_cross_entropy_grad_target_f32(
    const float *input, const float *target, int64_t n, int64_t c, double epsilon,
    int32_t reduction, float *grad_target, const float *grad_output);
LOSSES_API LOSSES_NODISCARD int32_t losses_poly_loss_cross_entropy_grad_target_f64(
    const double *input, const double *target, int64_t n, int64_t c, double epsilon,
    int32_t reduction, double *grad_target, const double *grad_output);

#ifdef __cplusplus
}
#endif

#endif /* LOSSES_H */
