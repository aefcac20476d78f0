// Comparing scenarios: each what-if against the base, indicator by indicator, as a paired
// difference over replications (common random numbers: replication r of every scenario sees the
// same patients) or, for runs with independent streams, as a Welch difference of means.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/report/stats.h"
#include "cmasim/report/summary.h"

namespace cmasim::report {

/// One scenario's run, ready to compare.
struct ScenarioRun {
    std::string label;  ///< e.g. the file name without extension
    std::string file;
    std::uint64_t seed = 0;
    std::vector<indicators::ReplicationResult> results;
    std::vector<scenario::Target> targets;
    std::string sha256;  ///< scenario::scenario_sha256 of the file (empty when not known)
};

struct IndicatorComparison {
    std::string indicator;
    std::vector<Estimate> scenario;    ///< per scenario, base first
    std::vector<Estimate> difference;  ///< per scenario minus base; [0] is empty (n = 0)
};

struct Comparison {
    bool paired = true;  ///< false: independent streams, Welch intervals
    double confidence = 0.95;
    std::vector<std::string> labels;  ///< base first
    /// Per scenario, its `name:`, printed next to the label; set by the caller that knows the
    /// scenarios (empty: no names, e.g. a policy timeline's periods, whose labels are names).
    std::vector<std::string> names;
    std::vector<std::string> files;
    std::vector<std::uint64_t> seeds;                ///< per scenario (equal when paired)
    std::vector<std::string> sha256;                 ///< per scenario
    int replications = 0;                            ///< of the base
    std::string git_commit;                          ///< of the build (build_info())
    std::vector<IndicatorComparison> indicators;     ///< county indicators in the base's order
    std::vector<std::vector<TargetResult>> targets;  ///< per scenario
    /// Per scenario, its monthly series (the "month" groups of its summary: month, indicator,
    /// estimate), for the report's monthly charts of each what-if against the base.
    std::vector<std::vector<GroupEstimate>> months;
};

/// Compares every run with runs[0]. Paired differences match replications by number; an
/// indicator missing from a scenario gets n = 0. Throws std::invalid_argument when paired runs
/// do not cover the same replication numbers.
Comparison compare_runs(const std::vector<ScenarioRun>& runs, bool paired,
                        double confidence = 0.95);

/// A readable table per what-if: base mean [CI], what-if mean [CI], difference [CI] and a
/// marker where the difference's interval excludes zero.
void print_comparison(std::ostream& out, const Comparison& c);

/// compare.json's content (what write_comparison writes), ending in a newline.
std::string comparison_json(const Comparison& c);

/// compare.json and compare.csv (tidy: one row per scenario x indicator, the scenario's label
/// then its name), written atomically.
/// With `csv_bom` compare.csv starts with the UTF-8 byte order mark (report::write_outputs).
void write_comparison(const std::filesystem::path& out_dir, const Comparison& c,
                      bool csv_bom = false);

}  // namespace cmasim::report
