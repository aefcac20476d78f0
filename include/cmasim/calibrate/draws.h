// A calibration's parameter draws (its draws.csv) carried into `cmasim run` and `cmasim compare`
// (--draws): replication r runs with draw r mod D, so a what-if's interval holds the
// calibration's uncertainty as well as the simulation's, and every arm of a comparison uses the
// same draw in the same replication, keeping the comparison paired (docs/calibration.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/scenario/spec.h"
#include "cmasim/sweep/scenarios.h"

namespace cmasim::calibrate {

struct Draws {
    std::string file;                              ///< as given (the messages' label)
    std::vector<std::string> paths;                ///< the scenario key path of each column
    std::vector<int> header_columns;               ///< where each column's name stands
    std::vector<int> lines;                        ///< the line of each draw
    std::vector<std::vector<std::string>> values;  ///< per draw, one value per column
    std::vector<std::vector<int>> value_columns;   ///< where each value stands

    std::size_t count() const { return values.size(); }
    /// The --set overrides of the draw replication `replication` uses: draw replication mod D.
    std::vector<std::string> overrides_for(std::uint64_t replication) const;
};

/// Reads a draws file: a header `draw,<columns>` and one row per draw. A column is a scenario
/// key path, or a parameter name that parameters.csv beside the file (written by the same
/// calibration) maps to its path. Throws scenario::ScenarioError located in the file.
Draws load_draws(const std::filesystem::path& file);

/// The scenario `file` with `overrides`, then each of the first min(D, replications) draws:
/// what replication r of run_with_draws runs (entry r mod D). A column the scenario does not
/// have or a value it refuses is reported at the draws file's line and column.
std::vector<scenario::Scenario> draw_scenarios(const Draws& draws,
                                               const std::filesystem::path& file,
                                               const std::vector<std::string>& overrides,
                                               int replications);

/// Replications 0 .. replications - 1, replication r of scenarios[r mod size] (each run with
/// `seed`), at most `threads` at a time; ordered by replication number.
std::vector<indicators::ReplicationResult> run_with_draws(
    const std::vector<scenario::Scenario>& scenarios, int replications, std::uint64_t seed,
    int threads);

/// Warns (spdlog) when `replications` is not a multiple of the draws: some draws then count
/// once more than others.
void warn_if_uneven(const Draws& draws, int replications);

/// sweep::run_comparison with draws: every scenario's file is loaded with each draw (all checked
/// before anything runs), and replication r of every arm runs draw r mod D with the same seed
/// (or the independent seeds of options.independent), so the differences stay paired.
sweep::ComparisonRun compare_with_draws(const std::vector<sweep::LabelledScenario>& scenarios,
                                        const sweep::ComparisonOptions& options,
                                        const Draws& draws);

}  // namespace cmasim::calibrate
