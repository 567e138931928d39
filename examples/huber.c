/* Computes a Huber loss and its gradient through liblosses' C API, and shows an error.
   Build: cc huber.c $(pkg-config --cflags --libs losses)   (make demo does this) */
#include <losses.h>
#include <stdio.h>

int main(void) {
    if (losses_version_number() != LOSSES_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", LOSSES_VERSION_STRING, losses_version_string());
        return 1;
    }
    const float prediction[4] = {0.5f, 2.0f, -3.0f, 0.1f};
    const float target[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    float value, gradient[4];
    int32_t status = losses_huber_loss_f32(prediction, target, NULL, 4, 1.0, LOSSES_REDUCTION_MEAN, &value,
                                           gradient, NULL);
    if (status != LOSSES_OK) {
        fprintf(stderr, "huber_loss failed: %s\n", losses_last_error());
        return 1;
    }
    printf("C example (liblosses %s): huber_loss(mean) = %.6f\n", losses_version_string(), value);
    printf("  gradient = [%.4f, %.4f, %.4f, %.4f]\n", gradient[0], gradient[1], gradient[2], gradient[3]);

    status = losses_huber_loss_f32(prediction, target, NULL, 4, -1.0, LOSSES_REDUCTION_MEAN, &value, gradient,
                                   NULL);
    printf("  with delta = -1: status %d (%s): %s\n", status, losses_status_string(status), losses_last_error());
    return status == LOSSES_ERROR_INVALID_ARGUMENT ? 0 : 1;
}
