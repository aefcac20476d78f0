#include "cmasim/sweep/runner.h"

#include <atomic>
#include <cmath>
#include <cstdio>
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

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();  // not reported

double county_value(const indicators::ReplicationResult& result, const std::string& name) {
    double value = kMissing;
    for (const auto& v : result.county) {
        if (v.indicator == name) value = v.value;
    }
    return value;
}

double period_value(const std::vector<model::PeriodIndicators>& periods, std::size_t k,
                    const std::string& name) {
    if (k >= periods.size()) return kMissing;
    const auto it = periods[k].values.find(name);
    return it == periods[k].values.end() ? kMissing : it->second;
}

/// A kept name: the county's indicator, or one of period_key's and change_key's forms.
double kept_value(const indicators::ReplicationResult& result,
                  const std::vector<model::PeriodIndicators>& periods, const std::string& name) {
    const auto at = name.find('@');
    if (at == std::string::npos) return county_value(result, name);
    const std::string indicator = name.substr(0, at);
    std::size_t from = 0, to = 0;
    if (std::sscanf(name.c_str() + at, "@period%zu", &to) == 1 && name == period_key(indicator, to))
        return period_value(periods, to, indicator);
    if (std::sscanf(name.c_str() + at, "@change%zu-%zu", &from, &to) == 2 &&
        name == change_key(indicator, from, to))
        return period_value(periods, to, indicator) - period_value(periods, from, indicator);
    return kMissing;
}

}  // namespace

std::string period_key(const std::string& indicator, std::size_t period) {
    return indicator + "@period" + std::to_string(period);
}

std::string change_key(const std::string& indicator, std::size_t from, std::size_t to) {
    return indicator + "@change" + std::to_string(from) + "-" + std::to_string(to);
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
    const auto periods = model::period_indicators(result);
    for (const auto& name : kept)
        record.values.push_back({name, kept_value(result, periods, name)});
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
