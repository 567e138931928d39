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
#define LOSSES_VERSION_MINOR 1
#define LOSSES_VERSION_PATCH 0
#define LOSSES_VERSION_NUMBER \
    (LOSSES_VERSION_MAJOR * 10000 + LOSSES_VERSION_MINOR * 100 + LOSSES_VERSION_PATCH)
#define LOSSES_VERSION_STRING "0.1.0"

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
    LOSSES_ERROR_MISALIGNED = 8         /* a pointer not aligned for its element type */
};

/* A static English name for a status code ("invalid argument"); "unknown status" for codes
   this library does not know. Never NULL, never freed. */
LOSSES_API const char *losses_status_string(int32_t status);

/* The message of the most recent failed call on the calling thread, for example
   "huber_loss: delta must be positive and finite, got -1.0". Successful calls leave it as it
   was. Empty ("") before any failure. The pointer stays valid until the next call on the same
   thread; each thread has its own message. */
LOSSES_API const char *losses_last_error(void);

/* ---- Reductions ----------------------------------------------------------------------- */

enum {
    LOSSES_REDUCTION_NONE = 0,
    LOSSES_REDUCTION_MEAN = 1,
    LOSSES_REDUCTION_SUM = 2
};

/* ---- Regression losses (LOSSES.md section 2) ------------------------------------------ */

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

#ifdef __cplusplus
}
#endif

#endif /* LOSSES_H */
