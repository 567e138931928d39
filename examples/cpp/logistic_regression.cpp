// Logistic regression trained by gradient descent, with the loss and its gradient from
// liblosses' C++ interface: binary cross entropy with logits (mean), whose gradient w.r.t. the
// logits the library returns; the chain rule to the weights is one product with the features.
//
// Two Gaussian clouds in 2-D, centred at (-1, -1) and (1, 1); exits with status 1 unless the
// loss falls and the training accuracy passes 90%.
#include <losses.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

// A deterministic normal sample (xorshift + Box-Muller): the same data on every machine.
struct Normal {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    double uniform() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return (static_cast<double>(state >> 11) + 0.5) / 9007199254740992.0;
    }
    double operator()() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }
};

}  // namespace

int main() {
    const int64_t n = 400, features = 2;
    std::vector<double> x(static_cast<size_t>(n * features)), y(static_cast<size_t>(n));
    Normal normal;
    for (int64_t i = 0; i < n; i++) {
        double label = static_cast<double>(i % 2), centre = label == 1.0 ? 1.0 : -1.0;
        y[static_cast<size_t>(i)] = label;
        for (int64_t j = 0; j < features; j++) x[static_cast<size_t>(i * features + j)] = centre + normal();
    }

    double w[2] = {0.0, 0.0}, b = 0.0, first = 0.0, loss = 0.0;
    std::vector<double> logits(static_cast<size_t>(n)), grad(static_cast<size_t>(n));
    const double rate = 0.5;
    for (int step = 0; step < 200; step++) {
        for (int64_t i = 0; i < n; i++)
            logits[static_cast<size_t>(i)] = w[0] * x[static_cast<size_t>(2 * i)] + w[1] * x[static_cast<size_t>(2 * i + 1)] + b;
        try {
            losses::binary_cross_entropy_with_logits(logits.data(), y.data(), nullptr, nullptr, n, 0,
                                                     losses::reduction::mean, &loss, grad.data());
        } catch (const losses::error &e) {
            std::fprintf(stderr, "liblosses: %s (%s)\n", e.what(), e.status_name());
            return 1;
        }
        if (step == 0) first = loss;
        double gw[2] = {0.0, 0.0}, gb = 0.0;
        for (int64_t i = 0; i < n; i++) {
            double g = grad[static_cast<size_t>(i)];
            gw[0] += g * x[static_cast<size_t>(2 * i)];
            gw[1] += g * x[static_cast<size_t>(2 * i + 1)];
            gb += g;
        }
        w[0] -= rate * gw[0];
        w[1] -= rate * gw[1];
        b -= rate * gb;
    }

    int64_t correct = 0;
    for (int64_t i = 0; i < n; i++) {
        double z = w[0] * x[static_cast<size_t>(2 * i)] + w[1] * x[static_cast<size_t>(2 * i + 1)] + b;
        correct += (z > 0.0) == (y[static_cast<size_t>(i)] == 1.0);
    }
    double accuracy = static_cast<double>(correct) / static_cast<double>(n);
    std::printf("liblosses %s (C++ header %s): BCE with logits %.4f -> %.4f in 200 steps, accuracy %.1f%%\n",
                losses::library_version(), losses::header_version, first, loss, 100.0 * accuracy);
    return loss < first && accuracy > 0.9 ? 0 : 1;
}
