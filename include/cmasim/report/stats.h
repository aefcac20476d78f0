// Replication statistics: mean and Student-t confidence interval over independent
// replications (docs/model.md §8), and the verdict on a scenario target.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace cmasim::report {

/// Mean and confidence interval of one indicator over replications, in the indicator's unit.
/// n == 0: every field NaN. n == 1: sd and half_width are NaN and the interval is
/// [mean, mean], i.e. "no interval"; callers test `has_interval()` before trusting it.
struct Estimate {
    std::size_t n = 0;      ///< number of replications that reported a value
    double mean = 0;        ///< arithmetic mean
    double sd = 0;          ///< sample standard deviation (n - 1 denominator)
    double ci_low = 0;      ///< mean - half_width
    double ci_high = 0;     ///< mean + half_width
    double half_width = 0;  ///< t_{(1+confidence)/2, n-1} * sd / sqrt(n)

    /// True when the interval is a real confidence interval (n >= 2, finite bounds).
    bool has_interval() const;
};

/// Estimate from `values` in the order given (sums run front to back, so the result is
/// bit-for-bit reproducible). `confidence` is the two-sided level, in (0, 1); anything else
/// throws std::invalid_argument. Values are used as they are: a NaN value makes a NaN mean.
Estimate estimate(std::span<const double> values, double confidence = 0.95);

/// Whether a target is reached, judged on the confidence interval, not on the mean alone.
/// Difference of means b - a of two independent samples with a Welch interval (unequal
/// variances, Welch-Satterthwaite degrees of freedom). n is min(na, nb); sd is the standard
/// error of the difference. Used when two scenarios were run with independent streams.
Estimate welch_difference(std::span<const double> a, std::span<const double> b,
                          double confidence = 0.95);

enum class TargetVerdict { Met, Missed, Undecided };

/// Judge an estimate against a target `min <= value <= max` (either bound may be absent):
///  - Met:       the whole interval [ci_low, ci_high] satisfies every given bound
///               (ci_low >= min and ci_high <= max);
///  - Missed:    the whole interval violates at least one bound (ci_high < min or ci_low > max);
///  - Undecided: otherwise, i.e. the interval straddles a bound; also when there is no interval
///               (fewer than 2 replications, NaN values) or no bound at all.
TargetVerdict judge(const Estimate& est, std::optional<double> min, std::optional<double> max);

/// "met", "missed" or "undecided".
const char* to_string(TargetVerdict verdict);

}  // namespace cmasim::report
