#include "cmasim/model/runner.h"

#include <mutex>

#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/observer.h"
#include "cmasim/util/parallel.h"

namespace cmasim::model {

namespace {

/// A timeline's run: the run's indicators, and each period's county rows as the groups of the
/// "period" breakdown (what happens from the period's start to the next one's, as in the run).
indicators::ReplicationResult run_periods(const County& county, std::uint64_t replication) {
    MetricsCollector metrics(county);
    ObserverList observers(metrics);
    std::vector<MetricsCollector> periods;
    periods.reserve(county.periods.size() + 1);
    const sim::SimTime end = county.warmup + county.horizon;
    for (std::size_t k = 0; k <= county.periods.size(); ++k) {
        const sim::SimTime from = k == 0 ? county.warmup : county.periods[k - 1].start;
        const sim::SimTime to = k < county.periods.size() ? county.periods[k].start : end;
        periods.emplace_back(county, from, to);
    }
    for (auto& p : periods) observers.add(p);
    const ReplicationStats stats = simulate_replication(county, replication, observers);
    metrics.set_settlements(stats.settlements);
    for (auto& p : periods) p.set_settlements(stats.settlements);
    indicators::ReplicationResult r = metrics.result(replication);
    for (std::size_t k = 0; k < periods.size(); ++k) {
        for (const auto& row : periods[k].result(replication).county)
            r.groups.push_back({"period", county.period_name(k), row.indicator, row.value, {}});
    }
    r.events = stats.events;
    r.peak_patients = stats.peak_patients;
    return r;
}

}  // namespace

indicators::ReplicationResult run_replication(const County& county, std::uint64_t replication) {
    if (!county.periods.empty()) return run_periods(county, replication);
    MetricsCollector metrics(county);
    const ReplicationStats stats = simulate_replication(county, replication, metrics);
    metrics.set_settlements(stats.settlements);
    indicators::ReplicationResult r = metrics.result(replication);
    r.events = stats.events;
    r.peak_patients = stats.peak_patients;
    return r;
}

std::vector<PeriodIndicators> period_indicators(const indicators::ReplicationResult& result) {
    std::vector<PeriodIndicators> out;
    for (const auto& row : result.groups) {
        if (row.dimension != "period") continue;
        if (out.empty() || out.back().period != row.group) out.push_back({row.group, {}});
        out.back().values.emplace(row.indicator, row.value);
    }
    return out;
}

std::vector<indicators::ReplicationResult> run_replications(const County& county,
                                                            const RunOptions& options) {
    const int n = options.replications;
    std::vector<indicators::ReplicationResult> results(static_cast<std::size_t>(n));
    std::mutex lock;
    int done = 0;
    util::parallel_for(n, options.threads, [&](int i) {
        results[static_cast<std::size_t>(i)] =
            run_replication(county, options.first_replication + static_cast<std::uint64_t>(i));
        std::lock_guard<std::mutex> g(lock);
        ++done;
        if (options.progress) options.progress(done, n);
    });
    return results;
}

}  // namespace cmasim::model
