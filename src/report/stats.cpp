#include "cmasim/report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "cmasim/util/student_t.h"

namespace cmasim::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

bool Estimate::has_interval() const {
    return n >= 2 && std::isfinite(ci_low) && std::isfinite(ci_high);
}

Estimate estimate(std::span<const double> values, double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0)) {
        throw std::invalid_argument("confidence level must be in (0, 1) (got " +
                                    std::to_string(confidence) + ")");
    }
    Estimate e;
    e.n = values.size();
    if (e.n == 0) {
        e.mean = e.sd = e.ci_low = e.ci_high = e.half_width = kNaN;
        return e;
    }
    double sum = 0;
    for (const double v : values) sum += v;
    e.mean = sum / static_cast<double>(e.n);
    // A constant indicator (e.g. a static access share) must report exactly its value and a
    // zero-width interval, so a target equal to it is met; rounding in the sum would break that.
    if (std::all_of(values.begin(), values.end(), [&](double v) { return v == values[0]; })) {
        e.mean = values[0];
    }
    if (e.n == 1) {
        e.sd = e.half_width = kNaN;
        e.ci_low = e.ci_high = e.mean;
        return e;
    }
    // Two passes (mean, then squared deviations) rather than sum of squares: no cancellation.
    double squares = 0;
    for (const double v : values) squares += (v - e.mean) * (v - e.mean);
    const double dof = static_cast<double>(e.n - 1);
    e.sd = std::sqrt(squares / dof);
    if (std::isfinite(e.sd)) {
        e.half_width =
            util::t_quantile(confidence, dof) * e.sd / std::sqrt(static_cast<double>(e.n));
    } else {
        e.half_width = kNaN;
    }
    e.ci_low = e.mean - e.half_width;
    e.ci_high = e.mean + e.half_width;
    return e;
}

Estimate welch_difference(std::span<const double> a, std::span<const double> b, double confidence) {
    const Estimate ea = estimate(a, confidence);
    const Estimate eb = estimate(b, confidence);
    Estimate d;
    d.n = std::min(ea.n, eb.n);
    d.mean = eb.mean - ea.mean;
    if (ea.n < 2 || eb.n < 2) {
        d.sd = d.half_width = kNaN;
        d.ci_low = d.ci_high = d.mean;
        return d;
    }
    const double va = ea.sd * ea.sd / static_cast<double>(ea.n);
    const double vb = eb.sd * eb.sd / static_cast<double>(eb.n);
    d.sd = std::sqrt(va + vb);
    if (d.sd == 0) {
        d.half_width = 0;
    } else {
        const double dof =
            (va + vb) * (va + vb) /
            (va * va / static_cast<double>(ea.n - 1) + vb * vb / static_cast<double>(eb.n - 1));
        d.half_width = util::t_quantile(confidence, dof) * d.sd;
    }
    d.ci_low = d.mean - d.half_width;
    d.ci_high = d.mean + d.half_width;
    return d;
}

TargetVerdict judge(const Estimate& est, std::optional<double> min, std::optional<double> max) {
    if (!est.has_interval() || (!min && !max)) return TargetVerdict::Undecided;
    const bool below_min = min && est.ci_high < *min;
    const bool above_max = max && est.ci_low > *max;
    if (below_min || above_max) return TargetVerdict::Missed;
    const bool min_ok = !min || est.ci_low >= *min;
    const bool max_ok = !max || est.ci_high <= *max;
    return (min_ok && max_ok) ? TargetVerdict::Met : TargetVerdict::Undecided;
}

const char* to_string(TargetVerdict verdict) {
    switch (verdict) {
        case TargetVerdict::Met:
            return "met";
        case TargetVerdict::Missed:
            return "missed";
        case TargetVerdict::Undecided:
            return "undecided";
    }
    return "undecided";
}

}  // namespace cmasim::report
