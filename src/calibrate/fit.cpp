// The best fit after history matching: a derivative-free local search (NLopt Sbplx or BOBYQA)
// on simulated means, every point run with the same seed (common random numbers), so the
// objective's differences between nearby points are not drowned by simulation noise.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "minimize.h"
#include "state.h"

namespace cmasim::calibrate::detail {

namespace {

/// Margin around the non-implausible pool points' box, in unit-cube widths: the pool is a
/// sample, so the region reaches a little beyond its outermost points.
constexpr double kBoxMargin = 0.02;
/// Relative x tolerance: values are written with 6 significant digits anyway.
constexpr double kXTolerance = 1e-3;

Box search_box(const std::vector<double>& start,
               const std::vector<std::vector<double>>& pool_plausible) {
    Box box{start, start, {}};
    for (const auto& u : pool_plausible) {
        for (std::size_t d = 0; d < u.size(); ++d) {
            box.lower[d] = std::min(box.lower[d], u[d]);
            box.upper[d] = std::max(box.upper[d], u[d]);
        }
    }
    for (std::size_t d = 0; d < start.size(); ++d) {
        box.lower[d] = std::max(0.0, box.lower[d] - kBoxMargin);
        box.upper[d] = std::min(1.0, box.upper[d] + kBoxMargin);
        box.step.push_back(std::max(1e-3, 0.25 * (box.upper[d] - box.lower[d])));
    }
    return box;
}

std::string stage_name(int evaluation) {
    char name[32];
    std::snprintf(name, sizeof name, "fit-%04d", evaluation);
    return name;
}

}  // namespace

double objective(const Context& c, const Run& run) {
    double sum = 0;
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        const Target& target = c.spec.targets[t];
        if (target.holdout) continue;
        const double d = run.estimates[t].mean - target.value;
        sum += std::isfinite(d) ? d * d / target.variance() : 1e12;
    }
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i) {
        const FreeParameter& p = c.spec.parameters[i];
        if (!p.prior_mean || !p.prior_sd) continue;
        const double x = p.low + run.unit[i] * (p.high - p.low);
        const double z = (x - *p.prior_mean) / *p.prior_sd;
        sum += z * z;
    }
    return sum;
}

std::vector<Run> best_fit(const Context& c, const std::vector<Run>& so_far,
                          const std::vector<std::vector<double>>& pool_plausible, int& stages,
                          std::uint64_t& tasks) {
    const Run* start = &so_far.front();
    for (const auto& r : so_far) {
        if (objective(c, r) < objective(c, *start)) start = &r;
    }
    if (c.spec.method.fit_evaluations == 0) return {};
    // Points already simulated, by their values: the optimiser may come back to one.
    std::map<std::vector<std::string>, double> known;
    for (const auto& r : so_far) known.emplace(r.values, objective(c, r));
    std::vector<Run> made;
    const auto f = [&](const std::vector<double>& u) {
        std::vector<std::string> values;
        for (std::size_t d = 0; d < u.size(); ++d)
            values.push_back(value_text(c.spec.parameters[d], u[d]));
        if (auto it = known.find(values); it != known.end()) return it->second;
        auto runs = run_stage(c, stage_name(static_cast<int>(made.size()) + 1), {u}, stages, tasks);
        const double value = objective(c, runs.front());
        known.emplace(values, value);
        made.push_back(std::move(runs.front()));
        return value;
    };
    const Minimizer method =
        c.spec.method.optimizer == Optimizer::Bobyqa ? Minimizer::Bobyqa : Minimizer::Sbplx;
    minimize(f, start->unit, search_box(start->unit, pool_plausible), method,
             c.spec.method.fit_evaluations, kXTolerance);
    return made;
}

}  // namespace cmasim::calibrate::detail
