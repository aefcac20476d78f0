// Internal to the sweep drivers (driver.cpp: one process; distributed.cpp: MPI ranks): the
// parts both run the same way.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/driver.h"
#include "cmasim/sweep/progress.h"
#include "cmasim/sweep/runner.h"

namespace cmasim::sweep::detail {

/// A TaskFlow::finished that appends each record to its worker's own journal (opened on first
/// use, named `prefix` + worker number; each worker only touches its own) and ticks `progress`.
/// The references must outlive the flow.
inline auto journal_each(const SweepDirectory& dir,
                         std::vector<std::unique_ptr<JournalWriter>>& journals, Progress& progress,
                         std::string prefix) {
    return [&dir, &journals, &progress, prefix = std::move(prefix)](const TaskRecord& record,
                                                                    int worker) {
        auto& journal = journals[static_cast<std::size_t>(worker)];
        if (!journal) journal = dir.open_journal(prefix + std::to_string(worker));
        journal->append(encode_record(record));
        progress.tick();
    };
}

/// The report of a session that ran `ran` tasks of `dir`'s shard, started at `t0`.
inline SweepRunReport session_report(const SweepPlan& plan, const SweepDirectory& dir,
                                     std::uint64_t ran, std::chrono::steady_clock::time_point t0) {
    SweepRunReport report;
    report.points = plan.points.size();
    report.tasks = dir.shard_tasks();
    report.ran = ran;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

}  // namespace cmasim::sweep::detail
