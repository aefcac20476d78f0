#include "cmasim/sweep/driver.h"

#include <spdlog/spdlog.h>
#include <atomic>
#include <chrono>

#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/progress.h"
#include "cmasim/sweep/runner.h"
#include "run_parts.h"

namespace cmasim::sweep {

SweepRunReport run_sweep(const SweepRunOptions& options) {
    return run_plan(make_plan(load_sweep_file(options.sweep_file)), options);
}

SweepRunReport run_plan(const SweepPlan& plan, const SweepRunOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    SweepDirectory dir(plan, options.out, options.resume, options.shard);
    const auto& todo = dir.todo();
    const int threads = std::max(1, options.threads);
    spdlog::info("sweep {}: {} points x {} replications = {} tasks{}; {} to run on {} threads",
                 plan.spec.name, plan.points.size(), plan.basis.replications, plan.task_count(),
                 options.shard.whole() ? ""
                                       : ", shard " + options.shard.to_string() + ": " +
                                             std::to_string(dir.shard_tasks()),
                 todo.size(), threads);

    Progress progress(dir.shard_tasks(), dir.shard_tasks() - todo.size(), options.progress,
                      options.progress_interval);
    CountyCache cache(plan, static_cast<std::size_t>(2 * threads + 2));
    std::vector<std::unique_ptr<JournalWriter>> journals(static_cast<std::size_t>(threads));
    std::atomic<std::size_t> next{0};
    TaskFlow flow;
    flow.next = [&](int) -> std::optional<std::uint64_t> {
        const std::size_t i = next++;
        if (i >= todo.size()) return std::nullopt;
        return todo[i];
    };
    flow.finished = detail::journal_each(dir, journals, progress, "t");
    try {
        run_pool(plan, cache, threads, flow);
    } catch (...) {
        progress.finish();
        throw;
    }
    progress.finish();
    dir.finish(plan, options.provenance, options.csv_bom);
    return detail::session_report(plan, dir, todo.size(), t0);
}

}  // namespace cmasim::sweep
