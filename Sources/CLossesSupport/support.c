/* The parts of include/losses.h that are plain C: versions, status names, and the per-thread
   message of the last failed call. */
#include "losses.h"
#include "losses_support.h"
#include <string.h>

static _Thread_local char last_error[512];

void _losses_set_error(const char *message) {
    size_t n = strlen(message);
    if (n >= sizeof last_error) n = sizeof last_error - 1;
    memcpy(last_error, message, n);
    last_error[n] = '\0';
}

const char *losses_last_error(void) { return last_error; }

int32_t losses_version_number(void) { return LOSSES_VERSION_NUMBER; }
const char *losses_version_string(void) { return LOSSES_VERSION_STRING; }
int32_t losses_abi_version(void) { return LOSSES_ABI_VERSION; }

const char *losses_status_string(int32_t status) {
    switch (status) {
    case LOSSES_OK: return "ok";
    case LOSSES_ERROR_NULL_POINTER: return "null pointer";
    case LOSSES_ERROR_INVALID_SIZE: return "invalid size";
    case LOSSES_ERROR_SHAPE_MISMATCH: return "shape mismatch";
    case LOSSES_ERROR_INVALID_OPTION: return "invalid option";
    case LOSSES_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case LOSSES_ERROR_LABEL_OUT_OF_RANGE: return "label out of range";
    case LOSSES_ERROR_OVERLAP: return "overlapping buffers";
    case LOSSES_ERROR_MISALIGNED: return "misaligned pointer";
    case LOSSES_ERROR_OUT_OF_MEMORY: return "out of memory";
    default: return "unknown status";
    }
}
