// Loading and running whole scenarios for the front ends (the command line and the Python
// module), so that both load with the same checks and compare with the same random numbers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::sweep {

/// Load options with the indicator table's keys as the names a `targets:` entry may use, and
/// `overrides` (key.path=value) applied in order.
scenario::LoadOptions load_options(std::vector<std::string> overrides = {});

/// The scenario in `file`, or, when `text` is given, the scenario in that YAML text labelled
/// `file` (whose directory anchors its `extends:` paths). Throws scenario::ScenarioError.
scenario::Scenario load_scenario_source(const std::filesystem::path& file,
                                        const std::optional<std::string>& text,
                                        const scenario::LoadOptions& options);

/// The hash of that scenario (scenario::scenario_sha256 of the file, or of the text), as
/// summary.json, compare.json and the manifests record it. Throws scenario::ScenarioError.
std::string scenario_source_sha256(const std::filesystem::path& file,
                                   const std::optional<std::string>& text,
                                   const scenario::LoadOptions& options);

/// Seed step between scenarios compared with independent streams: scenario k runs with
/// seed + k * stride, far from any seed a user would pick next to the base's.
inline constexpr std::uint64_t kIndependentSeedStride = 1'000'003;

/// A loaded scenario and how a comparison names it.
struct LabelledScenario {
    std::string label;  ///< e.g. the file name without extension
    std::string file;   ///< the path (or label of the text) it was loaded from
    scenario::Scenario scenario;
    std::string sha256;  ///< scenario_source_sha256() of it (empty when not known)
};

struct ComparisonOptions {
    std::optional<int> replications;    ///< none = the base's
    std::optional<std::uint64_t> seed;  ///< none = the base's
    int threads = 1;                    ///< >= 1; results never depend on it
    bool independent = false;           ///< independent streams (Welch) instead of common ones
};

/// A finished comparison and the replications and seed it ran with.
struct ComparisonRun {
    report::Comparison comparison;
    int replications = 0;
    std::uint64_t seed = 0;
};

/// Runs every scenario (base first) with the same replication numbers and the same seed, so that
/// replication r of each sees the same patients (common random numbers), or with independent
/// seeds; then compares each with the base (report::compare_runs).
ComparisonRun run_comparison(std::vector<LabelledScenario> scenarios,
                             const ComparisonOptions& options);

/// The periods of one run of a scenario with a policy timeline, compared as `run_comparison`
/// compares scenarios: each period's indicators (model::period_indicators) against the first
/// period's, paired by replication (the periods of one replication share its patients' streams).
/// The comparison's labels are the periods' names. Throws std::invalid_argument when the
/// scenario has no timeline (options.independent is ignored).
ComparisonRun compare_periods(LabelledScenario scenario, const ComparisonOptions& options);

}  // namespace cmasim::sweep
