// The summary of a run: every indicator's estimate over replications, for the county and for
// each group of each breakdown, plus the verdict on each of the scenario's targets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/report/stats.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::report {

/// What was run. Everything here goes into summary.json, so nothing run-to-run variable
/// (no timestamps, no host names, no thread counts).
struct RunInfo {
    std::string scenario_name;
    std::string scenario_file;
    std::uint64_t seed = 0;
    int replications = 0;
    double horizon_days = 0;
    double warmup_days = 0;
    std::string version;          ///< cmasim version that produced the run
    std::string git_commit;       ///< commit of the build (report::BuildInfo::commit)
    std::string scenario_sha256;  ///< scenario::scenario_sha256 of the file and its --set
};

/// What summary.json says about a run of `scenario` (with the seed and replications it runs
/// with), read from `file` (the path or label as the user gave it) whose hash is
/// `scenario_sha256` (scenario::scenario_sha256); the commit is this build's (build_info()).
RunInfo run_info(const scenario::Scenario& scenario, const std::string& file,
                 const std::string& scenario_sha256);

/// A county-wide indicator over replications.
struct CountyEstimate {
    std::string indicator;
    Estimate estimate;
};

/// One indicator of one group of a breakdown (dimension "township", "month", ...).
struct GroupEstimate {
    std::string dimension;
    std::string group;
    std::string indicator;
    Estimate estimate;
};

/// The human name of a group (a township's, facility's or condition's `name`), for the writers to
/// print next to its id; groups that are their own name (levels, months) have none.
struct GroupName {
    std::string dimension;
    std::string group;
    std::string name;
};

/// A scenario target and how the run did against it.
struct TargetResult {
    scenario::Target target;
    std::optional<Estimate> estimate;  ///< absent when the indicator was not reported
    TargetVerdict verdict = TargetVerdict::Undecided;
    std::string note;  ///< why the verdict is undecided for a reason other than the interval
};

/// Everything a writer needs. Built by summarise(); orders are deterministic.
struct Summary {
    RunInfo run;
    double confidence = 0.95;            ///< two-sided level of every interval
    std::vector<CountyEstimate> county;  ///< in first-seen order (by replication, then row)
    std::vector<GroupEstimate> groups;   ///< in first-seen order (by replication, then row)
    std::vector<GroupName> group_names;  ///< named groups, in first-seen order
    std::vector<TargetResult> targets;   ///< in the scenario's order
};

/// The results ordered by replication number. Throws std::invalid_argument if two results
/// carry the same replication number.
std::vector<const indicators::ReplicationResult*> in_replication_order(
    const std::vector<indicators::ReplicationResult>& results);

/// estimate() of one indicator's values with the interval clipped to the indicator's range
/// (indicators::range: a count's lower bound is never below 0, a proportion's bounds stay in
/// [0, 1]; docs/model.md). The mean, sd and half_width are left as they are.
Estimate indicator_estimate(std::string_view indicator, std::span<const double> values,
                            double confidence);

/// Summarise `results` (any order: they are sorted by replication first). Non-finite values
/// (an undefined rate, e.g. no admissions in a month) are left out of that indicator's estimate,
/// so its n may be below the number of replications. Throws std::invalid_argument when a
/// replication reports the same county indicator, or the same (dimension, group, indicator),
/// twice. A target naming an indicator that was not reported is Undecided with a note.
Summary summarise(RunInfo run, const std::vector<indicators::ReplicationResult>& results,
                  const std::vector<scenario::Target>& targets, double confidence = 0.95);

}  // namespace cmasim::report
