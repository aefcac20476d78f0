#include "cmasim/model/runner.h"

#include <mutex>

#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/util/parallel.h"

namespace cmasim::model {

indicators::ReplicationResult run_replication(const County& county, std::uint64_t replication) {
    MetricsCollector metrics(county);
    const ReplicationStats stats = simulate_replication(county, replication, metrics);
    indicators::ReplicationResult r = metrics.result(replication);
    r.events = stats.events;
    r.peak_patients = stats.peak_patients;
    return r;
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
