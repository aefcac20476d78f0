// From the waves and the best fit's runs to what the files report: per target the simulated
// value at the best fit and its predicted interval, per parameter the best value and its
// non-implausible range, and the parameter draws.
#include <algorithm>
#include <cmath>
#include <limits>

#include "state.h"

namespace cmasim::calibrate::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The q-quantile of sorted values (linear between order statistics).
double quantile(const std::vector<double>& sorted, double q) {
    const double at = q * static_cast<double>(sorted.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(at));
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] + (at - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

double mean_variance(const report::Estimate& e) {
    return e.n >= 2 && std::isfinite(e.sd) ? e.sd * e.sd / static_cast<double>(e.n) : 0.0;
}

TargetResult target_result(const Target& t, std::size_t index, const Run& best,
                           const std::vector<const Run*>& plausible_runs) {
    TargetResult r;
    r.best = best.estimates[index];
    const double sim = mean_variance(r.best);
    r.z = (r.best.mean - t.value) / std::sqrt(t.variance());
    r.implausibility = std::abs(r.best.mean - t.value) / std::sqrt(t.variance() + sim);
    r.noise_ratio = std::sqrt(sim / t.variance());
    const bool interval = r.best.has_interval();
    r.predicted_low = interval ? r.best.ci_low : r.best.mean;
    r.predicted_high = interval ? r.best.ci_high : r.best.mean;
    std::vector<double> means;
    for (const Run* run : plausible_runs) {
        if (std::isfinite(run->estimates[index].mean)) means.push_back(run->estimates[index].mean);
    }
    if (means.size() >= 2) {
        std::sort(means.begin(), means.end());
        r.predicted_low = std::min(r.predicted_low, quantile(means, 0.05));
        r.predicted_high = std::max(r.predicted_high, quantile(means, 0.95));
    }
    r.inside = t.value >= r.predicted_low && t.value <= r.predicted_high;
    return r;
}

ParameterResult parameter_result(const FreeParameter& p, std::size_t d, const Run& best,
                                 const std::vector<std::vector<double>>& pool_plausible) {
    ParameterResult r;
    r.best = best.values[d];
    if (pool_plausible.empty()) {
        r.plausible_low = r.plausible_high = kNaN;
        return r;
    }
    double lo = 1, hi = 0;
    for (const auto& u : pool_plausible) {
        lo = std::min(lo, u[d]);
        hi = std::max(hi, u[d]);
    }
    r.plausible_low = p.low + lo * (p.high - p.low);
    r.plausible_high = p.low + hi * (p.high - p.low);
    r.fraction = hi - lo;
    r.constrained = r.fraction < kUnidentified;
    return r;
}

std::vector<std::vector<std::string>> draws_of(const Context& c, const Run& best,
                                               const std::vector<std::vector<double>>& pool) {
    if (pool.empty()) return {best.values};
    const std::size_t take = std::min(pool.size(), static_cast<std::size_t>(c.spec.method.draws));
    std::vector<std::vector<std::string>> draws;
    for (std::size_t i = 0; i < take; ++i) {
        const auto& u = pool[i * pool.size() / take];
        std::vector<std::string> row;
        for (std::size_t d = 0; d < u.size(); ++d)
            row.push_back(value_text(c.spec.parameters[d], u[d]));
        draws.push_back(std::move(row));
    }
    return draws;
}

}  // namespace

Outcome summarise(const Context& c, std::vector<Wave> waves, std::vector<Run> fit_runs,
                  const std::vector<std::vector<double>>& pool_plausible, std::size_t pool_size) {
    Outcome o;
    o.waves = std::move(waves);
    o.fit_runs = std::move(fit_runs);
    std::vector<const Run*> all, plausible_runs;
    for (const auto& w : o.waves) {
        for (const auto& r : w.runs) all.push_back(&r);
    }
    for (const auto& r : o.fit_runs) all.push_back(&r);
    const Run* best = all.front();
    for (const Run* r : all) {
        if (objective(c, *r) < objective(c, *best)) best = r;
        if (plausible(c, o.waves, r->unit)) plausible_runs.push_back(r);
    }
    o.best = *best;
    o.best_objective = objective(c, *best);
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t)
        o.targets.push_back(target_result(c.spec.targets[t], t, o.best, plausible_runs));
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d)
        o.parameters.push_back(parameter_result(c.spec.parameters[d], d, o.best, pool_plausible));
    o.draws = draws_of(c, o.best, pool_plausible);
    o.remaining = static_cast<double>(pool_plausible.size()) / static_cast<double>(pool_size);
    return o;
}

}  // namespace cmasim::calibrate::detail
