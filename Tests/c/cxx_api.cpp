// The C++ interface (losses.hpp) against the C calls it wraps: the same bits from the pointer
// and span overloads, losses::error with the status and the library's message on failure,
// nothing written then, and the span sizes checked before the call.
#include "losses.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

static int failures = 0;

#define EXPECT(condition)                                                         \
    do {                                                                          \
        if (!(condition)) {                                                       \
            std::fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
            failures++;                                                           \
        }                                                                         \
    } while (0)

template <typename T>
static bool same_bits(const std::vector<T> &a, const std::vector<T> &b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <typename T>
static std::vector<T> ramp(size_t n, double scale, double shift) {
    std::vector<T> v(n);
    for (size_t i = 0; i < n; i++) v[i] = static_cast<T>(std::sin(scale * static_cast<double>(i)) * 3.0 + shift);
    return v;
}

// The pointer overload of one element type against its C function, value and gradient.
template <typename T>
static void pointwise_matches_c() {
    const size_t n = 37;
    auto x = ramp<T>(n, 0.7, 0.1), y = ramp<T>(n, 1.3, -0.2), w = ramp<T>(n, 0.1, 4.0);
    std::vector<T> out_c(1), grad_c(n), out_cxx(1), grad_cxx(n);
    int32_t status;
    if constexpr (sizeof(T) == 4)
        status = losses_huber_loss_f32(x.data(), y.data(), w.data(), n, 0.5, LOSSES_REDUCTION_SUM, out_c.data(),
                                       grad_c.data(), nullptr);
    else
        status = losses_huber_loss_f64(x.data(), y.data(), w.data(), n, 0.5, LOSSES_REDUCTION_SUM, out_c.data(),
                                       grad_c.data(), nullptr);
    EXPECT(status == LOSSES_OK);
    losses::huber_loss(x.data(), y.data(), w.data(), static_cast<int64_t>(n), 0.5, losses::reduction::sum,
                       out_cxx.data(), grad_cxx.data());
    EXPECT(same_bits(out_c, out_cxx) && same_bits(grad_c, grad_cxx));

    // The span overload: n from the input, the same bits.
    std::vector<T> out_span(1), grad_span(n);
    losses::huber_loss(std::span<const T>(x), std::span<const T>(y), std::span<const T>(w), 0.5,
                       losses::reduction::sum, std::span<T>(out_span), std::span<T>(grad_span));
    EXPECT(same_bits(out_c, out_span) && same_bits(grad_c, grad_span));
}

static void errors_carry_status_and_message_and_write_nothing() {
    float x[2] = {1, 2}, y[2] = {0, 0}, out = 7.0f, grad[2] = {7.0f, 7.0f};
    try {
        losses::huber_loss(x, y, nullptr, 2, -1.0, losses::reduction::mean, &out, grad);
        EXPECT(!"no exception");
    } catch (const losses::error &e) {
        EXPECT(e.status() == LOSSES_ERROR_INVALID_ARGUMENT);
        EXPECT(std::string(e.what()).rfind("huber_loss: delta", 0) == 0);
        EXPECT(std::string(e.status_name()) == "invalid argument");
    }
    EXPECT(out == 7.0f && grad[0] == 7.0f && grad[1] == 7.0f);

    // A class label out of range, through the labels overload.
    double logits[3] = {0.1, 0.2, 0.3}, value = 7.0;
    int64_t label = 3;
    try {
        losses::cross_entropy(logits, &label, nullptr, 1, 3, 1, LOSSES_DEFAULT_IGNORE_INDEX, 0.0,
                              losses::reduction::mean, &value);
        EXPECT(!"no exception");
    } catch (const losses::error &e) {
        EXPECT(e.status() == LOSSES_ERROR_LABEL_OUT_OF_RANGE);
    }
    EXPECT(value == 7.0);
}

static void span_sizes_are_checked_before_the_call() {
    std::vector<double> x{1, 2, 3}, y{0, 0}, out{7};
    try {
        losses::mse_loss(std::span<const double>(x), std::span<const double>(y), {}, losses::reduction::mean,
                         std::span<double>(out));
        EXPECT(!"no exception");
    } catch (const losses::error &e) {
        EXPECT(e.status() == LOSSES_ERROR_SHAPE_MISMATCH);
        EXPECT(std::string(e.what()) == "mse_loss: target has 2 elements, expected 3");
    }
    EXPECT(out[0] == 7);
    // reduction none: out has one value per element.
    std::vector<double> none(2);
    try {
        losses::mse_loss(std::span<const double>(x), std::span<const double>(x), {}, losses::reduction::none,
                         std::span<double>(none));
        EXPECT(!"no exception");
    } catch (const losses::error &e) {
        EXPECT(e.status() == LOSSES_ERROR_SHAPE_MISMATCH);
    }
    // Empty input: the mean is NaN and the sum 0, as in C (the required pointers are not NULL).
    std::vector<float> empty, mean(1), sum(1);
    losses::mse_loss(std::span<const float>(empty), std::span<const float>(empty), {}, losses::reduction::mean,
                     std::span<float>(mean));
    losses::mse_loss(std::span<const float>(empty), std::span<const float>(empty), {}, losses::reduction::sum,
                     std::span<float>(sum));
    EXPECT(std::isnan(mean[0]) && sum[0] == 0.0f);
}

static void two_gradients() {
    const size_t n = 4, d = 5;
    auto a = ramp<double>(n * d, 0.3, 0.0), b = ramp<double>(n * d, 0.5, 1.0);
    std::vector<double> out_c(n), g1_c(n * d), g2_c(n * d), out(n), g1(n * d), g2(n * d);
    EXPECT(losses_pairwise_distance_f64(a.data(), b.data(), n, d, 2.0, 1e-6, LOSSES_REDUCTION_NONE, out_c.data(),
                                        g1_c.data(), g2_c.data(), nullptr) == LOSSES_OK);
    losses::pairwise_distance(a.data(), b.data(), n, d, 2.0, 1e-6, losses::reduction::none, out.data(), g1.data(),
                              g2.data());
    EXPECT(same_bits(out, out_c) && same_bits(g1, g1_c) && same_bits(g2, g2_c));
}

static void threads() {
    int32_t before = losses::get_num_threads();
    losses::set_num_threads(1);
    EXPECT(losses::get_num_threads() == 1);
    losses::set_num_threads(0);
    EXPECT(losses::get_num_threads() == before);
    try {
        losses::set_num_threads(-1);
        EXPECT(!"no exception");
    } catch (const losses::error &e) {
        EXPECT(e.status() == LOSSES_ERROR_INVALID_ARGUMENT);
    }
}

static int32_t c_perceptual(const float *x, const float *y, int64_t n, int64_t c, int64_t h, int64_t w, double lw,
                            double sw, int32_t r, float *out, float *gx, float *gy, const float *go) {
    return losses_perceptual_loss_f32(x, y, n, c, h, w, lw, sw, r, out, gx, gy, go);
}
static int32_t c_perceptual(const double *x, const double *y, int64_t n, int64_t c, int64_t h, int64_t w, double lw,
                            double sw, int32_t r, double *out, double *gx, double *gy, const double *go) {
    return losses_perceptual_loss_f64(x, y, n, c, h, w, lw, sw, r, out, gx, gy, go);
}

// perceptual_loss over two layers: the sum of the two layers' C calls, their gradients those of
// the C calls; a refused weight in the second layer throws before the first layer is written.
template <typename T>
static void perceptual_layers_add_up() {
    const int64_t n = 3;
    auto x0 = ramp<T>(n * 2 * 4 * 5, 0.3, 0.1), y0 = ramp<T>(n * 2 * 4 * 5, 0.7, 0.2);
    auto x1 = ramp<T>(n * 6 * 3, 1.1, -0.3), y1 = ramp<T>(n * 6 * 3, 0.5, 0.4);
    std::vector<T> o0(n), o1(n), g0(x0.size()), g1(x1.size()), go(n, T(1));
    EXPECT(c_perceptual(x0.data(), y0.data(), n, 2, 4, 5, 0.5, 0.25, LOSSES_REDUCTION_NONE, o0.data(), g0.data(),
                        nullptr, go.data()) == LOSSES_OK);
    EXPECT(c_perceptual(x1.data(), y1.data(), n, 6, 3, 1, 2.0, 0.25, LOSSES_REDUCTION_NONE, o1.data(), g1.data(),
                        nullptr, go.data()) == LOSSES_OK);
    std::vector<T> out(n), h0(x0.size()), h1(x1.size());
    losses::perceptual_layer<T> layers[2] = {{x0.data(), y0.data(), 2, 4, 5, 0.5, h0.data()},
                                             {x1.data(), y1.data(), 6, 3, 1, 2.0, h1.data()}};
    losses::perceptual_loss(layers, 2, n, 0.25, losses::reduction::none, out.data(), go.data());
    for (int64_t i = 0; i < n; i++)
        EXPECT(out[i] == static_cast<T>(static_cast<double>(o0[i]) + static_cast<double>(o1[i])));
    EXPECT(same_bits(h0, g0) && same_bits(h1, g1));
    std::vector<T> untouched(x0.size(), T(7));
    layers[0].grad_x = untouched.data();
    layers[1].weight = -1.0;
    bool thrown = false;
    try {
        losses::perceptual_loss(layers, 2, n, 0.25, losses::reduction::none, out.data());
    } catch (const losses::error &e) {
        thrown = e.status() == LOSSES_ERROR_INVALID_ARGUMENT && std::strstr(e.what(), "layer_weight") != nullptr;
    }
    EXPECT(thrown);
    EXPECT(same_bits(untouched, std::vector<T>(x0.size(), T(7))));
}

int main() {
    perceptual_layers_add_up<float>();
    perceptual_layers_add_up<double>();
    pointwise_matches_c<float>();
    pointwise_matches_c<double>();
    errors_carry_status_and_message_and_write_nothing();
    span_sizes_are_checked_before_the_call();
    two_gradients();
    threads();
    EXPECT(std::string(losses::library_version()) == losses::header_version);
    if (failures) return 1;
    std::printf("cxx_api: the C++ overloads agree with the C calls bit for bit; errors and sizes checked\n");
    return 0;
}
