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

/// One simulated point's prediction of a period: its mean, and one replication's variance.
struct Component {
    double mean = 0;
    double variance = 0;
};

/// The probability that the mixture (equal weights) of N(mean, variance + extra) lies below x.
double mixture_cdf(const std::vector<Component>& mix, double extra, double x) {
    double p = 0;
    for (const auto& m : mix) {
        const double v = m.variance + extra;
        p += v > 0 ? 0.5 * std::erfc((m.mean - x) / std::sqrt(2 * v)) : (x >= m.mean ? 1.0 : 0.0);
    }
    return p / static_cast<double>(mix.size());
}

/// The q-quantile of that mixture, by bisection on its distribution function.
double mixture_quantile(const std::vector<Component>& mix, double extra, double q) {
    double lo = mix.front().mean, hi = lo, spread = std::sqrt(extra);
    for (const auto& m : mix) {
        lo = std::min(lo, m.mean);
        hi = std::max(hi, m.mean);
        spread = std::max(spread, std::sqrt(m.variance + extra));
    }
    lo -= 10 * spread;
    hi += 10 * spread;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * (1 + std::abs(lo)); ++i) {
        const double mid = 0.5 * (lo + hi);
        (mixture_cdf(mix, extra, mid) < q ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

/// An after-target's prediction: what one county would show over the after period, given the
/// parameter values still plausible on the before period. Each non-implausible simulated point
/// (the best fit alone when fewer than two remain) contributes a normal with its replications'
/// mean and sd (one county-run's simulation noise); the interval is the equal-weight mixture's
/// 2.5% to 97.5%, and coverage asks whether the observation lies in the same mixture widened by
/// its own variance (se^2 + discrepancy^2).
void predict_after(const Target& t, std::size_t index, const Run& best,
                   const std::vector<const Run*>& plausible_runs, TargetResult& r) {
    std::vector<Component> mix;
    const auto component = [&](const report::Estimate& e) {
        const double sd = e.n >= 2 && std::isfinite(e.sd) ? e.sd : 0.0;
        return Component{e.mean, sd * sd};
    };
    for (const Run* run : plausible_runs) {
        if (std::isfinite(run->estimates[index].mean))
            mix.push_back(component(run->estimates[index]));
    }
    if (mix.size() < 2) mix = {component(best.estimates[index])};
    r.predicted_mean = 0;
    for (const auto& m : mix) r.predicted_mean += m.mean / static_cast<double>(mix.size());
    r.predicted_low = mixture_quantile(mix, 0, 0.025);
    r.predicted_high = mixture_quantile(mix, 0, 0.975);
    r.inside = t.value >= mixture_quantile(mix, t.variance(), 0.025) &&
               t.value <= mixture_quantile(mix, t.variance(), 0.975);
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
    if (t.reform == ReformPeriod::After) {
        predict_after(t, index, best, plausible_runs, r);
        return r;
    }
    std::vector<double> means;
    for (const Run* run : plausible_runs) {
        if (std::isfinite(run->estimates[index].mean)) means.push_back(run->estimates[index].mean);
    }
    r.predicted_mean = r.best.mean;
    if (means.size() >= 2) {
        r.predicted_mean = 0;
        for (const double m : means) r.predicted_mean += m / static_cast<double>(means.size());
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
