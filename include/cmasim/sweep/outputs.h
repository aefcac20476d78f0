// The files of a finished sweep, produced only from task records sorted by (point, replication),
// so they are byte-identical whatever the threads, ranks, shards or interruptions:
//  - results.csv: point,<parameter columns>,replication,indicator,value (tidy: one row per value)
//  - summary.csv: point,<parameter columns>,indicator,n,mean,sd,ci_low,ci_high
//  - manifest.json: provenance; everything that depends on when it ran is under "timing".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cmasim/report/compare.h"
#include "cmasim/report/manifest.h"
#include "cmasim/report/stats.h"
#include "cmasim/sweep/journal.h"
#include "cmasim/sweep/plan.h"

namespace cmasim::sweep {

/// A slice of the tasks: those with task % count == index.
struct Shard {
    int index = 0;
    int count = 1;
    bool whole() const { return count == 1; }
    bool contains(std::uint64_t task) const {
        return task % static_cast<std::uint64_t>(count) == static_cast<std::uint64_t>(index);
    }
    std::string to_string() const { return std::to_string(index) + "/" + std::to_string(count); }
    bool operator==(const Shard&) const = default;
};

/// What the manifest says beyond the plan.
struct ManifestInfo {
    report::Provenance provenance;  ///< build, command line, threads
    Shard shard;                    ///< whole() for a complete sweep
    std::uint64_t tasks_in_files = 0;
    // Timing: the only fields that differ between runs of the same sweep.
    std::string started_at;      ///< ISO 8601 UTC, first session
    std::string finished_at;     ///< ISO 8601 UTC
    double elapsed_seconds = 0;  ///< wall time from started_at to finished_at
    int sessions = 1;            ///< runs that contributed (1 + resumes; summed over shards)
};

/// One indicator's estimate over the replications of one point (a row of summary.csv).
struct PointEstimate {
    std::uint64_t point = 0;
    std::string indicator;
    report::Estimate estimate;  ///< of the finite values, in replication order
};

/// Every point's estimates, points in order and indicators in order of first appearance.
std::vector<PointEstimate> point_estimates(const std::vector<TaskRecord>& sorted_records,
                                           double confidence);

/// Every point against point `reference`, indicator by indicator, as report::compare_runs does
/// for scenarios: paired differences over replications when the points share their random
/// numbers, else Welch. Labels are the point numbers, the reference's first. Throws
/// std::out_of_range for a reference that is no point.
report::Comparison compare_points(const SweepPlan& plan,
                                  const std::vector<TaskRecord>& sorted_records,
                                  std::size_t reference);

std::string results_csv(const SweepPlan& plan, const std::vector<TaskRecord>& sorted_records);
std::string summary_csv(const SweepPlan& plan, const std::vector<TaskRecord>& sorted_records);
std::string manifest_json(const SweepPlan& plan, const ManifestInfo& info);

/// Writes the three files into `dir` (which must exist), each atomically; with `csv_bom` the two
/// CSV files start with the UTF-8 byte order mark (report::kUtf8Bom, for Excel: `--csv-bom`).
void write_sweep_outputs(const std::filesystem::path& dir, const SweepPlan& plan,
                         const std::vector<TaskRecord>& sorted_records, const ManifestInfo& info,
                         bool csv_bom = false);

}  // namespace cmasim::sweep
