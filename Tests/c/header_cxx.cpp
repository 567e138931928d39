// Compiles include/losses.h as C++ with warnings as errors, and checks that its declarations
// have C linkage and the types the ABI promises.
#include "losses.h"

#include <cstdint>

// Each assignment fails to compile if a declaration's type drifts.
static int32_t (*const mse_f32)(const float *, const float *, const float *, int64_t, int32_t, float *,
                                float *, const float *) = losses_mse_loss_f32;
static int32_t (*const quantile_f64)(const double *, const double *, const double *, int64_t, int64_t,
                                     int32_t, double *, double *, const double *) = losses_quantile_loss_f64;
static_assert(LOSSES_VERSION_NUMBER ==
                  LOSSES_VERSION_MAJOR * 10000 + LOSSES_VERSION_MINOR * 100 + LOSSES_VERSION_PATCH,
              "version number");

extern "C" int losses_header_compiles_as_cxx() {
    (void)mse_f32;
    (void)quantile_f64;
    return losses_abi_version() == LOSSES_ABI_VERSION;
}
