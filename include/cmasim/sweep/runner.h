// Running sweep tasks: a per-process cache of compiled counties (one per point, compiled once,
// shared read-only by the threads) and a pool of worker threads pulling task numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "cmasim/model/county.h"
#include "cmasim/sweep/journal.h"
#include "cmasim/sweep/plan.h"

namespace cmasim::sweep {

/// Compiled counties by point, thread-safe. Tasks come in point order, so only the few most
/// recently used points are kept; a county still in use elsewhere stays alive through its
/// shared_ptr.
class CountyCache {
  public:
    explicit CountyCache(const SweepPlan& plan, std::size_t capacity = 8);
    /// The compiled county of `point`; compiles it on first use (other threads asking for the
    /// same point wait for that compile instead of repeating it).
    std::shared_ptr<const model::County> county(std::size_t point);

  private:
    struct Entry;
    const SweepPlan& plan_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<std::size_t> recent_;  // most recent first
    std::unordered_map<std::size_t, std::shared_ptr<Entry>> entries_;
};

/// Names of kept indicators measured over the periods of a policy timeline (the calibration's
/// before/after targets, docs/calibration.md): the indicator over period `period`
/// (model::period_indicators; NaN without such a period), and period `to`'s value minus period
/// `from`'s in the same replication.
std::string period_key(const std::string& indicator, std::size_t period);
std::string change_key(const std::string& indicator, std::size_t from, std::size_t to);

/// Runs one task: the point's county, replication r, the kept indicators in output order.
TaskRecord run_task(const SweepPlan& plan, CountyCache& cache, std::uint64_t task);

/// Where workers get tasks and hand results; both are called concurrently from the workers.
struct TaskFlow {
    std::function<std::optional<std::uint64_t>(int worker)> next;  ///< nullopt: no more tasks
    std::function<void(const TaskRecord&, int worker)> finished;   ///< worker in [0, threads)
};

/// Runs tasks on `threads` threads (the caller's thread is one of them) until `next` runs dry.
/// The first exception of any worker stops the others (after their current task) and is
/// rethrown.
void run_pool(const SweepPlan& plan, CountyCache& cache, int threads, const TaskFlow& flow);

/// Every task of `plan` on `threads` threads in this process, with nothing written anywhere (the
/// Python module's sweeps): the records sorted by task, the same as a sweep's journals hold.
std::vector<TaskRecord> run_all_tasks(const SweepPlan& plan, int threads);

}  // namespace cmasim::sweep
