// `cmasim check` as a library: run a scenario the way the check runs it, turn the run into a
// baseline, and compare a run with a baseline (drift test, exact fingerprint, targets).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmasim/check/baseline.h"
#include "cmasim/check/ci_report.h"
#include "cmasim/indicators/results.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::check {

/// The run's settings and the baseline's disagree (replications, horizon, or the seed in exact
/// mode): bad input, not drift.
struct BaselineMismatch : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// How to run a scenario for the check. Zero / empty = the scenario file's value.
struct RunSettings {
    int replications = 0;
    double horizon_days = 0;  ///< measured days after the warm-up
    std::optional<std::uint64_t> seed;
    std::vector<std::string> overrides;  ///< `--set key.path=value`
    int threads = 1;                     ///< results never depend on it
};

/// A finished run of one scenario.
struct CheckRun {
    scenario::Scenario scenario;  ///< with the settings applied
    std::vector<indicators::ReplicationResult> results;
    double seconds = 0;  ///< wall time (reports only)
};

/// Load (throws scenario::ScenarioError), apply the settings and run every replication.
CheckRun run_scenario(const std::filesystem::path& file, const RunSettings& settings);

/// The baseline a run makes; `scenario_file` is recorded as given.
Baseline make_baseline(const std::string& scenario_file, const CheckRun& run);

/// How to judge a run against its baseline.
struct JudgeOptions {
    DriftOptions drift;
    bool exact = false;  ///< compare only the fingerprint (requires the baseline's seed)
    TargetPolicy targets = TargetPolicy::Enforce;
};

/// Compare `run` with `baseline`. Throws BaselineMismatch when the replications or the horizon
/// differ from the baseline's, or, in exact mode, the seed does.
ScenarioCheck judge_run(const std::string& scenario_file, const Baseline& baseline,
                        const CheckRun& run, const JudgeOptions& options);

}  // namespace cmasim::check
