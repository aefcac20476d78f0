// History matching in waves (Vernon, Goldstein and Bower 2010; Andrianakis et al. 2015 for
// stochastic models): each wave simulates a design inside the space not yet ruled out, fits an
// emulator per target on the runs inside it, and rules out every candidate point whose
// implausibility exceeds the cutoff for some fitted target.
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cmasim/sweep/design.h"
#include "state.h"

namespace cmasim::calibrate::detail {

namespace {

/// Stream key of the wave-1 Latin hypercube (the pool uses the seed itself).
constexpr std::uint64_t kFirstWaveSeedOffset = 0x4341'4C31ull;

/// The training set of target t: the runs with a finite mean, noise = the mean's variance.
TrainingSet training_set(const std::vector<const Run*>& runs, std::size_t t) {
    TrainingSet set;
    for (const Run* r : runs) {
        const report::Estimate& e = r->estimates[t];
        if (!std::isfinite(e.mean)) continue;
        set.x.push_back(r->unit);
        set.y.push_back(e.mean);
        const double var =
            e.n >= 2 && std::isfinite(e.sd) ? e.sd * e.sd / static_cast<double>(e.n) : 0.0;
        set.noise.push_back(var);
    }
    return set;
}

double mean_of(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

Wave fit_wave(const Context& c, int number, std::vector<Run> runs,
              const std::vector<const Run*>& training) {
    Wave w;
    w.number = number;
    w.runs = std::move(runs);
    w.training = static_cast<int>(training.size());
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        const TrainingSet set = training_set(training, t);
        if (set.x.size() < 2) {
            throw std::runtime_error("wave " + std::to_string(number) + ": target " +
                                     c.spec.targets[t].indicator + " has fewer than 2 finite " +
                                     "simulated values to emulate; widen the bounds or add points");
        }
        w.emulators.emplace_back(set);
        w.checks.push_back(w.emulators.back().leave_one_out());
        w.sim_variance.push_back(mean_of(set.noise));
    }
    return w;
}

/// Wave k's design: wave 1 a Latin hypercube of the whole box; later waves evenly spaced
/// through the non-implausible pool points (in pool order, which is space-filling).
std::vector<std::vector<double>> design(const Context& c, int wave,
                                        const std::vector<std::vector<double>>& plausible) {
    const auto n = static_cast<std::size_t>(c.spec.method.points_per_wave);
    const int dims = static_cast<int>(c.spec.parameters.size());
    if (wave == 1)
        return sweep::latin_hypercube(static_cast<int>(n), dims,
                                      c.spec.method.seed + kFirstWaveSeedOffset);
    const std::size_t take = std::min(n, plausible.size());
    std::vector<std::vector<double>> points;
    for (std::size_t i = 0; i < take; ++i) points.push_back(plausible[i * plausible.size() / take]);
    return points;
}

}  // namespace

double implausibility(const Target& target, const Prediction& p, double sim_variance) {
    return std::abs(target.value - p.mean) /
           std::sqrt(target.variance() + p.variance + sim_variance);
}

double max_implausibility(const Context& c, const Wave& wave, const std::vector<double>& unit) {
    double worst = 0;
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        if (c.spec.targets[t].holdout) continue;
        worst = std::max(worst, implausibility(c.spec.targets[t], wave.emulators[t].predict(unit),
                                               wave.sim_variance[t]));
    }
    return worst;
}

bool plausible(const Context& c, const std::vector<Wave>& waves, const std::vector<double>& unit) {
    for (const auto& w : waves) {
        if (max_implausibility(c, w, unit) >= c.spec.method.cutoff) return false;
    }
    return true;
}

std::vector<std::vector<double>> candidate_pool(const Context& c) {
    return sweep::sobol_points(c.spec.method.pool, static_cast<int>(c.spec.parameters.size()),
                               c.spec.method.seed);
}

std::vector<Wave> history_match(const Context& c, const std::vector<std::vector<double>>& pool,
                                std::vector<std::vector<double>>& pool_plausible, int& stages,
                                std::uint64_t& tasks) {
    std::vector<Wave> waves;
    pool_plausible = pool;
    for (int k = 1; k <= c.spec.method.waves; ++k) {
        const auto points = design(c, k, pool_plausible);
        if (points.empty()) {
            spdlog::warn(
                "calibrate: no non-implausible point remains after wave {}; the targets "
                "cannot all be matched within their uncertainty",
                k - 1);
            break;
        }
        std::vector<Run> runs = run_stage(c, "wave-" + std::to_string(k), points, stages, tasks);
        std::vector<const Run*> training;
        for (const auto& w : waves) {
            for (const auto& r : w.runs) {
                if (plausible(c, waves, r.unit)) training.push_back(&r);
            }
        }
        for (const auto& r : runs) training.push_back(&r);
        Wave wave = fit_wave(c, k, std::move(runs), training);
        std::vector<std::vector<double>> kept;
        for (const auto& u : pool_plausible) {
            if (max_implausibility(c, wave, u) < c.spec.method.cutoff) kept.push_back(u);
        }
        pool_plausible = std::move(kept);
        wave.remaining =
            static_cast<double>(pool_plausible.size()) / static_cast<double>(pool.size());
        waves.push_back(std::move(wave));
    }
    return waves;
}

}  // namespace cmasim::calibrate::detail
