// Samplers, moments and parameter checks for Distribution. Every algorithm here is written out
// (no <random> distributions), so a seed gives the same numbers with any standard library.
#include "cmasim/sim/distributions.h"
#include "cmasim/sim/detmath.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string_view>
#include <utility>

namespace cmasim::sim {
namespace {

/// Shortest-looking text for a parameter value: 15 significant digits, so 0.1 prints as "0.1"
/// and -1 as "-1", while distinct user inputs still print distinctly.
std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", x);
    return buf;
}

[[noreturn]] void fail(std::string_view dist, const std::string& what) {
    throw DistributionError(std::string(dist) + ": " + what);
}

void require_finite(std::string_view dist, std::string_view param, double x) {
    if (!std::isfinite(x)) {
        fail(dist, std::string(param) + " must be finite (got " + num(x) + ")");
    }
}

void require_positive(std::string_view dist, std::string_view param, double x) {
    require_finite(dist, param, x);
    if (!(x > 0.0)) {
        fail(dist, std::string(param) + " must be > 0 (got " + num(x) + ")");
    }
}

/// Index drawn from a cumulative weight table (inverse CDF of the discrete distribution).
std::size_t pick_index(const std::vector<double>& cumulative, double u) {
    const double total = cumulative.back();
    const double target = u * total;
    // First entry whose cumulative weight exceeds the target: a zero-weight entry has the same
    // cumulative as its predecessor, so it can never be the first to exceed anything.
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
    if (it == cumulative.end()) {
        // Only when u * total rounds up to total: take the last entry with positive weight.
        it = std::lower_bound(cumulative.begin(), cumulative.end(), total);
    }
    return static_cast<std::size_t>(it - cumulative.begin());
}

/// Mean and variance of a discrete table. Two passes: the variance is summed about the mean,
/// so large values do not cancel catastrophically as in E[X^2] - E[X]^2.
std::pair<double, double> weighted_moments(const std::vector<double>& values,
                                           const std::vector<double>& weights, double total) {
    double mean = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        mean += weights[i] / total * values[i];
    }
    double variance = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double dev = values[i] - mean;
        variance += weights[i] / total * dev * dev;
    }
    return {mean, variance};
}

}  // namespace

namespace {

/// The ziggurat of Marsaglia and Tsang (2000) for the standard normal, 256 layers of equal area
/// kZigArea under f(x) = exp(-x^2 / 2): layer i spans [0, x[i]) with x[1] = kZigR, the edge of
/// the tail, and x[0] = kZigArea / f(kZigR), the width a rectangle as large as the base layer
/// (strip plus tail) would have. Built once with the project's exp and log (sim/detmath.h), so the
/// table, like every draw, is the same on every CPU.
constexpr double kZigR = 3.6541528853610088;
constexpr double kZigArea = 0.00492867323399;

struct Ziggurat {
    std::array<double, 257> x{};
    std::array<double, 257> f{};  ///< f(x[i])
    Ziggurat() {
        auto pdf = [](double v) { return det::exp(-0.5 * v * v); };
        x[0] = kZigArea / pdf(kZigR);
        x[1] = kZigR;
        for (std::size_t i = 1; i < 255; ++i)
            x[i + 1] = std::sqrt(-2.0 * det::log(kZigArea / x[i] + pdf(x[i])));
        x[256] = 0.0;  // the top layer, [0, x[255]) up to f(0) = 1
        for (std::size_t i = 0; i < 257; ++i) f[i] = pdf(x[i]);
    }
};

const Ziggurat& ziggurat() {
    static const Ziggurat table;
    return table;
}

/// Beyond kZigR (Marsaglia 1964): exact, two uniforms per attempt, rarely needed (0.03%).
double normal_tail(RandomStream& rng) {
    for (;;) {
        const double x = -det::log(rng.uniform()) / kZigR;
        const double y = -det::log(rng.uniform());
        if (2.0 * y >= x * x) return kZigR + x;
    }
}

}  // namespace

double sample_standard_normal(RandomStream& rng) {
    // One 64-bit draw per attempt: its low 8 bits pick the layer, bit 8 the sign and the top 53
    // the position u in [0, 1) across the layer, so the three never share bits. A point inside
    // the next layer's width is under the curve for sure (98.8% of attempts); the base layer
    // sends the rest to the tail; a point in a layer's wedge is accepted against f with one more
    // uniform, else the attempt starts over.
    const Ziggurat& z = ziggurat();
    for (;;) {
        const std::uint64_t bits = rng.next_u64();
        const std::size_t i = bits & 0xff;
        const double sign = (bits & 0x100) != 0 ? -1.0 : 1.0;
        const double x = static_cast<double>(bits >> 11) * 0x1p-53 * z.x[i];
        if (x < z.x[i + 1]) return sign * x;
        if (i == 0) return sign * normal_tail(rng);
        if (z.f[i + 1] + (z.f[i] - z.f[i + 1]) * rng.uniform() < det::exp(-0.5 * x * x))
            return sign * x;
    }
}

double sample_standard_gamma(double shape, RandomStream& rng) {
    if (shape < 1.0) {
        // Marsaglia-Tsang needs shape >= 1; G(a) = G(a + 1) * U^(1/a) (U drawn after G).
        const double g = sample_standard_gamma(shape + 1.0, rng);
        return g * det::pow_positive(rng.uniform(), 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        const double x = sample_standard_normal(rng);
        const double t = 1.0 + c * x;
        if (t <= 0.0) {
            continue;
        }
        const double v = t * t * t;
        const double u = rng.uniform();
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) {  // cheap squeeze accepts ~98% without a log
            return d * v;
        }
        if (det::log(u) < 0.5 * x2 + d * (1.0 - v + det::log(v))) {
            return d * v;
        }
    }
}

Distribution::Distribution() : params_(FixedP{0.0}) {}

Distribution::Distribution(Params p) : params_(std::move(p)) {}

Distribution Distribution::fixed(double value) {
    require_finite("fixed", "value", value);
    return Distribution(FixedP{value});
}

Distribution Distribution::exponential(double mean) {
    require_positive("exponential", "mean", mean);
    return Distribution(ExponentialP{mean});
}

Distribution Distribution::lognormal(double mean, double sd) {
    require_positive("lognormal", "mean", mean);
    require_positive("lognormal", "sd", sd);
    // Moments of the variable -> parameters of its log: sigma^2 = ln(1 + cv^2),
    // mu = ln(mean) - sigma^2 / 2.
    const double cv = sd / mean;
    const double sigma2 = det::log1p(cv * cv);
    return Distribution(LognormalP{mean, sd, det::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)});
}

Distribution Distribution::gamma(double mean, double sd) {
    require_positive("gamma", "mean", mean);
    require_positive("gamma", "sd", sd);
    const double ratio = mean / sd;
    return Distribution(GammaP{mean, sd, ratio * ratio, sd * sd / mean});
}

Distribution Distribution::triangular(double min, double mode, double max) {
    require_finite("triangular", "min", min);
    require_finite("triangular", "mode", mode);
    require_finite("triangular", "max", max);
    if (!(min <= mode && mode <= max)) {
        fail("triangular", "needs min <= mode <= max (got min=" + num(min) + ", mode=" + num(mode) +
                               ", max=" + num(max) + ")");
    }
    if (!(min < max)) {
        fail("triangular", "needs min < max (got min=" + num(min) + ", max=" + num(max) + ")");
    }
    return Distribution(TriangularP{min, mode, max});
}

Distribution Distribution::uniform(double min, double max) {
    require_finite("uniform", "min", min);
    require_finite("uniform", "max", max);
    if (!(min < max)) {
        fail("uniform", "needs min < max (got min=" + num(min) + ", max=" + num(max) + ")");
    }
    return Distribution(UniformP{min, max});
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
    if (values.empty()) {
        fail("empirical", "needs at least one value (got none)");
    }
    if (values.size() != weights.size()) {
        fail("empirical", "values and weights must have the same length (got " +
                              std::to_string(values.size()) + " and " +
                              std::to_string(weights.size()) + ")");
    }
    std::vector<double> cumulative;
    cumulative.reserve(weights.size());
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string idx = "[" + std::to_string(i) + "]";
        require_finite("empirical", "value" + idx, values[i]);
        require_finite("empirical", "weight" + idx, weights[i]);
        if (weights[i] < 0.0) {
            fail("empirical", "weight" + idx + " must be >= 0 (got " + num(weights[i]) + ")");
        }
        total += weights[i];
        cumulative.push_back(total);
    }
    if (!(total > 0.0) || !std::isfinite(total)) {
        fail("empirical", "weights must have a positive finite sum (got " + num(total) + ")");
    }
    const auto [mean, variance] = weighted_moments(values, weights, total);
    return Distribution(EmpiricalP{std::move(values), std::move(cumulative), mean, variance});
}

namespace {
/// std::visit helper: one lambda per alternative.
template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

/// Derived quantities (not typed by the user) are shown to 6 significant digits.
std::string approx(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}
}  // namespace

double Distribution::sample(RandomStream& rng) const {
    return std::visit(
        Overloaded{
            [](const FixedP& p) { return p.value; },
            [&](const ExponentialP& p) { return -p.mean * det::log(rng.uniform()); },
            [&](const LognormalP& p) {
                return det::exp(p.mu + p.sigma * sample_standard_normal(rng));
            },
            [&](const GammaP& p) { return p.scale * sample_standard_gamma(p.shape, rng); },
            [&](const TriangularP& p) {
                // Inverse CDF: one uniform per draw, monotone in u (good for common numbers).
                const double u = rng.uniform();
                const double width = p.max - p.min;
                if (u * width < p.mode - p.min) {
                    return p.min + std::sqrt(u * width * (p.mode - p.min));
                }
                return p.max - std::sqrt((1.0 - u) * width * (p.max - p.mode));
            },
            [&](const UniformP& p) { return p.min + (p.max - p.min) * rng.uniform(); },
            [&](const EmpiricalP& p) { return p.values[pick_index(p.cumulative, rng.uniform())]; },
        },
        params_);
}

double Distribution::mean() const {
    return std::visit(Overloaded{
                          [](const FixedP& p) { return p.value; },
                          [](const ExponentialP& p) { return p.mean; },
                          [](const LognormalP& p) { return p.mean; },
                          [](const GammaP& p) { return p.mean; },
                          [](const TriangularP& p) { return (p.min + p.mode + p.max) / 3.0; },
                          [](const UniformP& p) { return 0.5 * (p.min + p.max); },
                          [](const EmpiricalP& p) { return p.mean; },
                      },
                      params_);
}

double Distribution::variance() const {
    return std::visit(Overloaded{
                          [](const FixedP&) { return 0.0; },
                          [](const ExponentialP& p) { return p.mean * p.mean; },
                          [](const LognormalP& p) { return p.sd * p.sd; },
                          [](const GammaP& p) { return p.sd * p.sd; },
                          [](const TriangularP& p) {
                              const double a = p.min, c = p.mode, b = p.max;
                              return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
                          },
                          [](const UniformP& p) {
                              const double w = p.max - p.min;
                              return w * w / 12.0;
                          },
                          [](const EmpiricalP& p) { return p.variance; },
                      },
                      params_);
}

Distribution::Kind Distribution::kind() const {
    // The variant's alternatives are declared in the same order as Kind's enumerators.
    return static_cast<Kind>(params_.index());
}

std::string Distribution::describe() const {
    return std::visit(
        Overloaded{
            [](const FixedP& p) { return "fixed(value=" + num(p.value) + ")"; },
            [](const ExponentialP& p) { return "exponential(mean=" + num(p.mean) + ")"; },
            [](const LognormalP& p) {
                return "lognormal(mean=" + num(p.mean) + ", sd=" + num(p.sd) + ")";
            },
            [](const GammaP& p) { return "gamma(mean=" + num(p.mean) + ", sd=" + num(p.sd) + ")"; },
            [](const TriangularP& p) {
                return "triangular(min=" + num(p.min) + ", mode=" + num(p.mode) +
                       ", max=" + num(p.max) + ")";
            },
            [](const UniformP& p) {
                return "uniform(min=" + num(p.min) + ", max=" + num(p.max) + ")";
            },
            [](const EmpiricalP& p) {
                return "empirical(n=" + std::to_string(p.values.size()) +
                       ", mean=" + approx(p.mean) + ", sd=" + approx(std::sqrt(p.variance)) + ")";
            },
        },
        params_);
}

}  // namespace cmasim::sim
