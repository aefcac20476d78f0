// Internal to the calibration: what its parts share. A Run is one simulated parameter point (R
// replications with the scenario's seed: common random numbers); a Wave is one round of history
// matching with the emulators fitted on its training runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cmasim/calibrate/calibrate.h"
#include "cmasim/calibrate/emulator.h"
#include "cmasim/calibrate/spec.h"
#include "cmasim/report/stats.h"

namespace cmasim::calibrate::detail {

/// Everything fixed before the first stage runs.
struct Context {
    CalibrationSpec spec;
    CalibrationOptions options;
    std::uint64_t seed = 0;  ///< the scenario's: every point runs with it
    int replications = 0;
    double years_per_task = 0;  ///< (warm-up + horizon) / 365
    std::string scenario_sha256;
    /// Per target, what its sweeps keep: the indicator over the whole horizon, or over the
    /// before or after period of the reform (sweep::period_key), or its change (change_key).
    std::vector<std::string> keys;
    std::vector<std::string> indicators;  ///< distinct keys, in target order
    std::string reform;                   ///< the reform's timeline entry (empty: none)
};

struct Run {
    std::vector<std::string> values;          ///< per parameter, as the scenario received it
    std::vector<double> unit;                 ///< the same in [0, 1]^d of the bounds
    std::vector<report::Estimate> estimates;  ///< per target
};

struct Wave {
    int number = 0;
    std::vector<Run> runs;
    int training = 0;                 ///< runs the emulators were fitted on
    std::vector<Emulator> emulators;  ///< per target (held-out targets included)
    std::vector<LeaveOneOut> checks;  ///< per target
    /// Per target: the mean simulation variance of one point's mean (sd^2 / n) over training.
    std::vector<double> sim_variance;
    double remaining = 1;  ///< fraction of the pool still non-implausible after this wave
};

/// Text and unit coordinate of a parameter value.
std::string value_text(const FreeParameter& p, double unit);
double unit_of(const FreeParameter& p, const std::string& text);

/// Runs the points (unit coordinates) as one stage in DIR/.calibration/<stage>: a sweep of the
/// scenario, journaled, skipping what a previous session finished (with options.shard, this
/// shard's slice in <stage>/shard-i, then every shard's records once all are done: the same
/// records as one process). Counts the stage and throws
/// Stopped when options.stop_after_stage is reached. `tasks` grows by the stage's tasks.
std::vector<Run> run_stage(const Context& c, const std::string& stage,
                           const std::vector<std::vector<double>>& points, int& stages,
                           std::uint64_t& tasks);

}  // namespace cmasim::calibrate::detail

namespace cmasim::calibrate::detail {

/// I = |z - E[f(x)]| / sqrt(Var_obs + Var_disc + Var_emulator + Var_sim) of one target.
double implausibility(const Target& target, const Prediction& p, double sim_variance);

/// The largest implausibility of the fitted targets at `unit` under one wave's emulators.
double max_implausibility(const Context& c, const Wave& wave, const std::vector<double>& unit);

/// Non-implausible under every wave so far (each wave's emulators refocus the previous ones).
bool plausible(const Context& c, const std::vector<Wave>& waves, const std::vector<double>& unit);

/// The candidate points that measure the space: a scrambled Sobol sequence on [0, 1]^d.
std::vector<std::vector<double>> candidate_pool(const Context& c);

/// Runs every wave (resuming finished ones from their journals). `pool_plausible` ends as the
/// pool points still non-implausible after the last wave.
std::vector<Wave> history_match(const Context& c, const std::vector<std::vector<double>>& pool,
                                std::vector<std::vector<double>>& pool_plausible, int& stages,
                                std::uint64_t& tasks);

/// The best fit's objective at a run: sum over fitted targets of (z - mean)^2 / Var(target),
/// plus each normal prior's ((x - mean) / sd)^2.
double objective(const Context& c, const Run& run);

/// The best fit: NLopt from the best run so far, inside the box of the non-implausible pool
/// points, each evaluation a simulated stage. Returns every run it made.
std::vector<Run> best_fit(const Context& c, const std::vector<Run>& so_far,
                          const std::vector<std::vector<double>>& pool_plausible, int& stages,
                          std::uint64_t& tasks);

}  // namespace cmasim::calibrate::detail

namespace cmasim::calibrate::detail {

struct TargetResult {
    report::Estimate best;      ///< simulated at the best fit
    double z = 0;               ///< (mean - observed) / sqrt(Var_obs + Var_disc)
    double implausibility = 0;  ///< at the best fit, with its simulation variance
    double noise_ratio = 0;     ///< sd of the simulated mean / sqrt(Var_obs + Var_disc)
    /// Held out: the mean of the non-implausible runs' means (the best fit's without two).
    double predicted_mean = 0;
    /// Held out: 5% of the non-implausible runs' means, or the best CI. After-targets: 2.5% of
    /// the mixture over those runs of one replication's spread (predict_after in results.cpp).
    double predicted_low = 0;
    double predicted_high = 0;
    /// Observed value within [predicted_low, predicted_high]; for after-targets, within the
    /// mixture's interval widened by the observation's own uncertainty.
    bool inside = false;
};

struct ParameterResult {
    std::string best;
    double plausible_low = 0;  ///< NaN when no point is non-implausible
    double plausible_high = 0;
    double fraction = 1;  ///< of the bounds' width the plausible range spans
    bool constrained = false;
};

/// Everything the files report.
struct Outcome {
    std::vector<Wave> waves;
    std::vector<Run> fit_runs;
    Run best;
    double best_objective = 0;
    std::vector<TargetResult> targets;
    std::vector<ParameterResult> parameters;
    std::vector<std::vector<std::string>> draws;
    double remaining = 1;
    std::uint64_t tasks = 0;
    double county_years = 0;
};

/// A plausible range spanning at least this fraction of its bounds: not identified.
inline constexpr double kUnidentified = 0.9;

Outcome summarise(const Context& c, std::vector<Wave> waves, std::vector<Run> fit_runs,
                  const std::vector<std::vector<double>>& pool_plausible, std::size_t pool_size);

std::string targets_csv(const Context& c, const Outcome& o);
std::string parameters_csv(const Context& c, const Outcome& o);
std::string waves_csv(const Context& c, const Outcome& o);
std::string draws_csv(const Context& c, const Outcome& o);

/// A target's role in the files: "fit", "holdout", or "after" (predicted after the reform).
inline const char* role_of(const Target& t) {
    if (t.reform == ReformPeriod::After) return "after";
    return t.holdout ? "holdout" : "fit";
}

/// "level" or "change".
inline const char* to_string(Measure m) {
    return m == Measure::Change ? "change" : "level";
}

/// Simulation noise above this fraction of a target's uncertainty earns a warning.
inline constexpr double kNoiseRatioLimit = 0.3;

/// The warnings of the report: unidentified parameters, noisy targets, an empty region.
std::vector<std::string> warnings(const Context& c, const Outcome& o);

/// `v` with `digits` significant digits, for text meant to be read (summary.txt, comments).
std::string g(double v, int digits = 4);

/// summary.txt: what a reader needs first (also printed by the command line).
std::string summary_text(const Context& c, const Outcome& o);

/// Writes the files into c.options.out (each atomically) and returns their names.
std::vector<std::string> write_files(const Context& c, const Outcome& o);

}  // namespace cmasim::calibrate::detail
