#include "cmasim/check/drift.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "cmasim/util/student_t.h"

namespace cmasim::check {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
    std::size_t n = 0;
    double mean = kNaN;
    double var = kNaN;  // sample variance (n - 1)
};

Moments moments(std::span<const double> values) {
    Moments m;
    double sum = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++m.n;
        }
    if (m.n == 0) return m;
    m.mean = sum / static_cast<double>(m.n);
    if (m.n < 2) return m;
    double ss = 0;
    for (double v : values)
        if (std::isfinite(v)) ss += (v - m.mean) * (v - m.mean);
    m.var = ss / static_cast<double>(m.n - 1);
    return m;
}

const IndicatorSeries* find_series(const std::vector<IndicatorSeries>& list,
                                   const std::string& key) {
    for (const auto& s : list)
        if (s.indicator == key) return &s;
    return nullptr;
}

bool within_tolerance(double base, double current, double tolerance) {
    return std::abs(current - base) <= tolerance * std::abs(base);
}

/// Same values in the same replications, bit for bit (+0 and -0 differ; undefined matches
/// undefined).
bool bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        // Undefined on both sides counts as the same: baselines store every non-finite value as
        // null (and the fingerprint writes it as an empty field), so NaN and inf read back alike.
        if (!std::isfinite(a[i]) && !std::isfinite(b[i])) continue;
        if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
    }
    return true;
}

/// Fill everything but the Holm threshold and the final status.
IndicatorCheck describe(const IndicatorSeries& base, const IndicatorSeries& current, bool paired) {
    const Moments a = moments(base.values), b = moments(current.values);
    IndicatorCheck c;
    c.indicator = base.indicator;
    c.n_base = a.n;
    c.n_new = b.n;
    c.mean_base = a.mean;
    c.mean_new = b.mean;
    c.sd_base = std::sqrt(a.var);
    c.sd_new = std::sqrt(b.var);
    c.identical = bit_identical(base.values, current.values);
    c.p_value = paired && base.values.size() == current.values.size()
                    ? paired_p_value(base.values, current.values)
                    : welch_p_value(base.values, current.values);
    return c;
}

}  // namespace

const char* to_string(IndicatorStatus status) {
    switch (status) {
        case IndicatorStatus::Pass:
            return "pass";
        case IndicatorStatus::Drift:
            return "drift";
        case IndicatorStatus::Untested:
            return "untested";
        case IndicatorStatus::Missing:
            return "missing";
        case IndicatorStatus::New:
            return "new";
    }
    return "?";
}

double IndicatorCheck::relative_difference() const {
    return mean_base != 0 ? difference() / std::abs(mean_base) : kNaN;
}

double welch_p_value(std::span<const double> a, std::span<const double> b) {
    const Moments x = moments(a), y = moments(b);
    if (x.n < 2 || y.n < 2) return kNaN;
    const double va = x.var / static_cast<double>(x.n), vb = y.var / static_cast<double>(y.n);
    const double se2 = va + vb;
    if (se2 == 0) return x.mean == y.mean ? 1.0 : 0.0;
    const double t = std::abs(x.mean - y.mean) / std::sqrt(se2);
    // Welch-Satterthwaite degrees of freedom.
    const double dof =
        se2 * se2 /
        (va * va / static_cast<double>(x.n - 1) + vb * vb / static_cast<double>(y.n - 1));
    return util::t_two_sided_p(t, dof);
}

double paired_p_value(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size())
        throw std::invalid_argument("paired test needs series of equal length");
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::isfinite(a[i]) && std::isfinite(b[i])) d.push_back(b[i] - a[i]);
    const Moments m = moments(d);
    if (m.n < 2) return kNaN;
    if (m.var == 0) return m.mean == 0 ? 1.0 : 0.0;
    const double t = std::abs(m.mean) / std::sqrt(m.var / static_cast<double>(m.n));
    return util::t_two_sided_p(t, static_cast<double>(m.n - 1));
}

namespace {

/// Holm's step-down over checks[tested[...]]: the k-th smallest p-value (k = 0..m-1) is compared
/// with alpha / (m - k); once one is not rejected, none after it is. The family-wise false-alarm
/// rate is <= alpha for any dependence between the indicators.
void judge_holm(std::vector<IndicatorCheck>& checks, std::vector<std::size_t> tested,
                const DriftOptions& options) {
    std::stable_sort(tested.begin(), tested.end(), [&](std::size_t i, std::size_t j) {
        return checks[i].p_value < checks[j].p_value;
    });
    const std::size_t m = tested.size();
    bool rejecting = true;
    for (std::size_t k = 0; k < m; ++k) {
        IndicatorCheck& c = checks[tested[k]];
        c.threshold = options.alpha / static_cast<double>(m - k);
        rejecting = rejecting && c.p_value <= c.threshold;
        const bool drifted =
            rejecting && !within_tolerance(c.mean_base, c.mean_new, options.tolerance);
        c.status = drifted ? IndicatorStatus::Drift : IndicatorStatus::Pass;
    }
}

}  // namespace
Change change_of(const IndicatorCheck& c) {
    if (c.status == IndicatorStatus::Drift || c.status == IndicatorStatus::Missing)
        return Change::Drifted;
    return c.identical ? Change::Identical : Change::WithinTolerance;
}

const char* to_string(Change change) {
    switch (change) {
        case Change::Identical:
            return "bit-identical";
        case Change::WithinTolerance:
            return "changed within tolerance";
        case Change::Drifted:
            return "drifted";
    }
    return "drifted";
}

std::vector<IndicatorCheck> compare_series(const std::vector<IndicatorSeries>& baseline,
                                           const std::vector<IndicatorSeries>& current,
                                           const DriftOptions& options) {
    if (!(options.alpha > 0 && options.alpha < 1))
        throw std::invalid_argument("drift level alpha must be in (0, 1)");
    if (!(options.tolerance >= 0)) throw std::invalid_argument("tolerance must be >= 0");
    std::vector<IndicatorCheck> checks;
    std::vector<std::size_t> tested;  // indices into checks with a Welch p-value
    for (const auto& base : baseline) {
        const IndicatorSeries* now = find_series(current, base.indicator);
        if (now == nullptr) {
            IndicatorCheck c;
            c.indicator = base.indicator;
            c.status = IndicatorStatus::Missing;
            checks.push_back(c);
            continue;
        }
        IndicatorCheck c = describe(base, *now, options.paired);
        if (std::isnan(c.p_value))
            c.status = IndicatorStatus::Untested;
        else
            tested.push_back(checks.size());
        checks.push_back(c);
    }
    for (const auto& now : current) {
        if (find_series(baseline, now.indicator) != nullptr) continue;
        IndicatorCheck c = describe(now, now, false);
        c.indicator = now.indicator;
        c.n_base = 0;
        c.mean_base = kNaN;
        c.sd_base = kNaN;
        c.status = IndicatorStatus::New;
        c.identical = false;
        checks.push_back(c);
    }
    judge_holm(checks, tested, options);
    return checks;
}

}  // namespace cmasim::check
