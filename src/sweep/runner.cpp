#include "cmasim/sweep/runner.h"

#include <atomic>
#include <cmath>
#include <limits>

#include "cmasim/model/runner.h"
#include "cmasim/util/parallel.h"

namespace cmasim::sweep {

struct CountyCache::Entry {
    std::mutex
        compiling;  // held while the county is compiled, so others wait instead of repeating it
    std::shared_ptr<const model::County> county;
};

CountyCache::CountyCache(const SweepPlan& plan, std::size_t capacity)
    : plan_(plan), capacity_(std::max<std::size_t>(1, capacity)) {}

std::shared_ptr<const model::County> CountyCache::county(std::size_t point) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard<std::mutex> g(mutex_);
        auto& slot = entries_[point];
        if (!slot) slot = std::make_shared<Entry>();
        entry = slot;
        recent_.remove(point);
        recent_.push_front(point);
        while (recent_.size() > capacity_) {
            entries_.erase(recent_.back());
            recent_.pop_back();
        }
    }
    std::lock_guard<std::mutex> g(entry->compiling);
    if (!entry->county)
        entry->county =
            std::make_shared<const model::County>(model::compile_county(load_point(plan_, point)));
    return entry->county;
}

TaskRecord run_task(const SweepPlan& plan, CountyCache& cache, std::uint64_t task) {
    TaskRecord record;
    record.point = plan.point_of(task);
    record.replication = plan.replication_of(task);
    const auto county = cache.county(static_cast<std::size_t>(record.point));
    indicators::ReplicationResult result = model::run_replication(*county, record.replication);
    const auto& kept = plan.spec.indicators;
    if (kept.empty()) {
        record.values = std::move(result.county);
        return record;
    }
    for (const auto& name : kept) {
        double value =
            std::numeric_limits<double>::quiet_NaN();  // not reported in this replication
        for (const auto& v : result.county) {
            if (v.indicator == name) value = v.value;
        }
        record.values.push_back({name, value});
    }
    return record;
}

void run_pool(const SweepPlan& plan, CountyCache& cache, int threads, const TaskFlow& flow) {
    util::run_workers(threads, [&](int index, const std::atomic<bool>& stop) {
        while (!stop) {
            const auto task = flow.next(index);
            if (!task) return;
            flow.finished(run_task(plan, cache, *task), index);
        }
    });
}

std::vector<TaskRecord> run_all_tasks(const SweepPlan& plan, int threads) {
    threads = std::max(1, threads);
    CountyCache cache(plan, static_cast<std::size_t>(2 * threads + 2));
    std::vector<TaskRecord> records(plan.task_count());
    std::atomic<std::uint64_t> next{0};
    TaskFlow flow;
    flow.next = [&](int) -> std::optional<std::uint64_t> {
        const std::uint64_t task = next++;
        if (task >= records.size()) return std::nullopt;
        return task;
    };
    // Each task has its own slot, so the workers never write the same element.
    flow.finished = [&](const TaskRecord& record, int) {
        records[plan.task_of(static_cast<std::size_t>(record.point), record.replication)] = record;
    };
    run_pool(plan, cache, threads, flow);
    return records;
}

}  // namespace cmasim::sweep
