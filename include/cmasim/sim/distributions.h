// Probability distributions written in the project, over a fully specified engine.
//
// Why not <random>'s distributions: their algorithms are not specified by the standard, so the
// same seed gives different numbers with libstdc++ and libc++. These samplers are ours, and their
// first draws are pinned in tests.
#pragma once

#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "cmasim/sim/random.h"

namespace cmasim::sim {

/// Raised by the factories for parameters that describe no distribution. The message says what
/// is wrong and names the parameter, e.g. "lognormal: sd must be > 0 (got -1)".
class DistributionError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

/// A non-negative-or-real valued distribution, immutable once built. Units are the caller's
/// (minutes, days, ...). Cheap to copy.
class Distribution {
  public:
    enum class Kind { Fixed, Exponential, Lognormal, Gamma, Triangular, Uniform, Empirical };

    /// Default: fixed at 0.
    Distribution();

    /// Always `value` (finite); consumes no draws.
    static Distribution fixed(double value);
    /// mean > 0
    static Distribution exponential(double mean);
    /// mean > 0, sd > 0 (of the variable itself, not of its log)
    static Distribution lognormal(double mean, double sd);
    /// mean > 0, sd > 0; shape = (mean/sd)^2, scale = sd^2/mean
    static Distribution gamma(double mean, double sd);
    /// min <= mode <= max, min < max
    static Distribution triangular(double min, double mode, double max);
    /// min < max
    static Distribution uniform(double min, double max);
    /// A discrete table: values[i] with probability weights[i] / sum(weights). Non-empty, equal
    /// lengths, weights >= 0 with a positive sum.
    static Distribution empirical(std::vector<double> values, std::vector<double> weights);

    /// One draw, in the caller's units. Uniforms consumed per call: fixed 0; exponential,
    /// triangular, uniform, empirical 1; lognormal usually 1 (its normal is a ziggurat: more in
    /// about 1.2% of calls); gamma 2 or more per rejection attempt (plus 1 when shape < 1), so a
    /// variable number.
    double sample(RandomStream& rng) const;
    /// Exact mean from the parameters (caller's units).
    double mean() const;
    /// Exact variance from the parameters (caller's units squared).
    double variance() const;
    /// Which family this is.
    Kind kind() const;
    /// e.g. "lognormal(mean=8, sd=4)"
    std::string describe() const;

  private:
    struct FixedP {
        double value;
    };
    struct ExponentialP {
        double mean;
    };
    struct LognormalP {
        double mean, sd, mu, sigma;
    };
    struct GammaP {
        double mean, sd, shape, scale;
    };
    struct TriangularP {
        double min, mode, max;
    };
    struct UniformP {
        double min, max;
    };
    struct EmpiricalP {
        std::vector<double> values;
        std::vector<double> cumulative;
        double mean, variance;
    };
    using Params =
        std::variant<FixedP, ExponentialP, LognormalP, GammaP, TriangularP, UniformP, EmpiricalP>;
    explicit Distribution(Params p);
    Params params_;
};

/// Standard normal draw: the ziggurat (Marsaglia-Tsang, 256 layers); one 64-bit draw in 98.8% of
/// calls, more for a rejected attempt or the tail, so a variable number.
double sample_standard_normal(RandomStream& rng);
/// Gamma(shape, scale=1) draw, Marsaglia-Tsang; shape > 0.
double sample_standard_gamma(double shape, RandomStream& rng);

}  // namespace cmasim::sim
