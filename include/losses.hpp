// losses.hpp: the C++ interface of liblosses, header-only over the C ABI of losses.h.
//
// C++17 or later. Every loss of losses.h is here under its C name without the prefix and the
// dtype suffix, overloaded by element type (float, double), in namespace losses:
//
//     #include <losses.hpp>          // links as the C library does: -llosses
//     float pred[3] = {0.5f, 2.0f, -3.0f}, target[3] = {}, value, grad[3];
//     losses::huber_loss(pred, target, nullptr, 3, 1.0, losses::reduction::mean, &value, grad);
//
// Parameters, their order and their meaning are the C function's (losses.h documents each);
// the reduction is an enum, and the trailing optional pointers (gradients, grad_output) default
// to nullptr. A failed call throws losses::error, which carries the status and the library's
// message (losses_last_error()); as in C, nothing has been written then. Under C++20 the losses
// whose arrays all have one length also take std::span, with every size checked before the call.
// The defaults of losses.h (LOSSES_*_DEFAULT_*) apply unchanged.
#ifndef LOSSES_HPP
#define LOSSES_HPP

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "losses.h"

#if defined(__cpp_lib_span) || (__cplusplus >= 202002L && __has_include(<span>))
#  include <span>
#  define LOSSES_HAS_SPAN 1
#else
#  define LOSSES_HAS_SPAN 0
#endif

namespace losses {

// LOSSES_REDUCTION_*.
enum class reduction : int32_t {
    none = LOSSES_REDUCTION_NONE,
    mean = LOSSES_REDUCTION_MEAN,
    sum = LOSSES_REDUCTION_SUM,
};

// A failed call: status() is the LOSSES_ERROR_* code, what() the library's message, e.g.
// "huber_loss: delta must be positive and finite, got -1.0".
class error : public std::runtime_error {
public:
    error(int32_t status, const std::string &message) : std::runtime_error(message), status_(status) {}
    int32_t status() const noexcept { return status_; }
    // losses_status_string(status()): "invalid argument", ...
    const char *status_name() const noexcept { return losses_status_string(status_); }

private:
    int32_t status_;
};

// How many threads a large call uses (losses_set_num_threads; 0 restores the default).
inline void set_num_threads(int32_t threads) {
    int32_t status = losses_set_num_threads(threads);
    if (status != LOSSES_OK) throw error(status, losses_last_error());
}
inline int32_t get_num_threads() { return losses_get_num_threads(); }

// The version of the library actually loaded, and of this header.
inline const char *library_version() { return losses_version_string(); }
constexpr const char *header_version = LOSSES_VERSION_STRING;

namespace detail {

inline void check(int32_t status) {
    // The message is per thread and read right after the failed call, on the same thread.
    if (status != LOSSES_OK) throw error(status, losses_last_error());
}

#if LOSSES_HAS_SPAN
inline void check_size(const char *loss, const char *name, std::size_t actual, std::size_t expected, bool optional) {
    if (actual == expected || (optional && actual == 0)) return;
    throw error(LOSSES_ERROR_SHAPE_MISMATCH, std::string(loss) + ": " + name + " has " + std::to_string(actual) +
                                                 " elements, expected " + std::to_string(expected));
}

// The C API wants a non-NULL pointer for every required array, even an empty one; an empty
// optional span is NULL (not given).
template <typename T>
T *pointer(std::span<T> values, bool optional) {
    static T empty[1] = {};
    if (!values.empty()) return values.data();
    return optional ? nullptr : const_cast<T *>(empty);
}
#endif

}  // namespace detail

}  // namespace losses

#include "losses_overloads.hpp"

namespace losses {

// One layer of perceptual_loss over several layers: its maps x and y of (n, c, h, w) (n is the
// call's), its weight, and where its gradients go (nullptr: not computed).
template <typename T>
struct perceptual_layer {
    const T *x;
    const T *y;
    int64_t c, h, w;
    double weight = LOSSES_PERCEPTUAL_DEFAULT_LAYER_WEIGHT;
    T *grad_x = nullptr;
    T *grad_y = nullptr;
};

// perceptual_loss over `count` layers: the sum of the layers' C calls (losses.h computes one layer
// a call), each with its own weight and the same style_weight, reduction and grad_output; `out`
// holds n values for reduction::none, else one. Every layer's arguments are checked (a call of
// each with n = 0) before the first layer is computed, so a refused weight, size or NULL map
// throws before anything is written.
template <typename T>
inline void perceptual_loss(const perceptual_layer<T> *layers, std::size_t count, int64_t n, double style_weight,
                            losses::reduction reduction, T *out, const T *grad_output = nullptr) {
    if (count == 0 || layers == nullptr) throw error(LOSSES_ERROR_INVALID_ARGUMENT, "perceptual_loss: no layer");
    T probe = 0;
    for (std::size_t l = 0; l < count; l++)
        perceptual_loss(layers[l].x, layers[l].y, 0, layers[l].c, layers[l].h, layers[l].w, layers[l].weight,
                        style_weight, losses::reduction::sum, &probe);
    const std::size_t values = reduction == losses::reduction::none ? static_cast<std::size_t>(n) : 1;
    std::vector<T> layer_out(values > 0 ? values : 1);
    std::vector<double> total(values);
    for (std::size_t l = 0; l < count; l++) {
        perceptual_loss(layers[l].x, layers[l].y, n, layers[l].c, layers[l].h, layers[l].w, layers[l].weight,
                        style_weight, reduction, layer_out.data(), layers[l].grad_x, layers[l].grad_y, grad_output);
        for (std::size_t i = 0; i < values; i++) total[i] += static_cast<double>(layer_out[i]);
    }
    for (std::size_t i = 0; i < values; i++) out[i] = static_cast<T>(total[i]);
}

}  // namespace losses

#endif  // LOSSES_HPP
