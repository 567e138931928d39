#include "calls.h"

#include <string.h>

#include "losses.h"

#define CALL(name, ...) (f32 ? losses_##name##_f32(__VA_ARGS__) : losses_##name##_f64(__VA_ARGS__))

const char *const LOSS_NAMES[LOSS_COUNT] = {
    "mse_loss",          "l1_loss",           "huber_loss",           "smooth_l1_loss",
    "quantile_loss",     "log_cosh_loss",     "cross_entropy",        "cross_entropy_probs",
    "nll_loss",          "focal_loss",        "multi_margin_loss",    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",       "sigmoid_focal_loss",   "hinge_loss",
    "hinge_embedding_loss", "soft_margin_loss", "logistic_loss"};
/* Losses whose input is (n, c, d) with int64 class-index targets. */
int is_class_index(const char *loss) {
    return !strcmp(loss, "cross_entropy") || !strcmp(loss, "nll_loss") || !strcmp(loss, "focal_loss") ||
           !strcmp(loss, "multi_margin_loss");
}

/* Returns -1 for a loss this harness does not know. */
int32_t call_loss(const char *loss, int f32, const args_t *a) {
    if (!strcmp(loss, "mse_loss"))
        return CALL(mse_loss, a->input, a->target, a->weight, a->n, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "l1_loss"))
        return CALL(l1_loss, a->input, a->target, a->weight, a->n, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "huber_loss"))
        return CALL(huber_loss, a->input, a->target, a->weight, a->n, a->param, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "smooth_l1_loss"))
        return CALL(smooth_l1_loss, a->input, a->target, a->n, a->param, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "quantile_loss"))
        return CALL(quantile_loss, a->input, a->target, a->quantile, a->n, a->q, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "log_cosh_loss"))
        return CALL(log_cosh_loss, a->input, a->target, a->n, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "cross_entropy"))
        return CALL(cross_entropy, a->input, a->labels, a->weight, a->n, a->c, a->d, a->ignore_index,
                    a->label_smoothing, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "cross_entropy_probs"))
        return CALL(cross_entropy_probs, a->input, a->target, a->weight, a->n, a->c, a->d, a->label_smoothing,
                    a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "nll_loss"))
        return CALL(nll_loss, a->input, a->labels, a->weight, a->n, a->c, a->d, a->ignore_index, a->reduction,
                    a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "focal_loss"))
        return CALL(focal_loss, a->input, a->labels, a->alpha, a->n, a->c, a->d, a->alpha_count, a->gamma,
                    a->ignore_index, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "multi_margin_loss"))
        return CALL(multi_margin_loss, a->input, a->labels, a->weight, a->n, a->c, a->p, a->margin, a->reduction,
                    a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "binary_cross_entropy"))
        return CALL(binary_cross_entropy, a->input, a->target, a->weight, a->n, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "binary_cross_entropy_with_logits"))
        return CALL(binary_cross_entropy_with_logits, a->input, a->target, a->weight, a->pos_weight, a->n,
                    a->pos_count, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "sigmoid_focal_loss"))
        return CALL(sigmoid_focal_loss, a->input, a->target, a->n, a->alpha_scalar, a->gamma, a->reduction, a->out,
                    a->grad, a->grad_output);
    if (!strcmp(loss, "hinge_loss"))
        return CALL(hinge_loss, a->input, a->target, a->n, a->margin, a->squared, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "hinge_embedding_loss"))
        return CALL(hinge_embedding_loss, a->input, a->target, a->n, a->margin, a->reduction, a->out, a->grad,
                    a->grad_output);
    if (!strcmp(loss, "soft_margin_loss"))
        return CALL(soft_margin_loss, a->input, a->target, a->n, a->reduction, a->out, a->grad, a->grad_output);
    if (!strcmp(loss, "logistic_loss"))
        return CALL(logistic_loss, a->input, a->target, a->n, a->reduction, a->out, a->grad, a->grad_output);
    return -1;
}
