#include "cmasim/model/runner.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"

namespace cmasim::model {

int worker_threads(int requested) {
    return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

report::ReplicationResult run_replication(const County& county, std::uint64_t replication) {
    MetricsCollector metrics(county);
    const ReplicationStats stats = simulate_replication(county, replication, metrics);
    report::ReplicationResult r = metrics.result(replication);
    r.events = stats.events;
    r.peak_patients = stats.peak_patients;
    return r;
}

std::vector<report::ReplicationResult> run_replications(const County& county, const RunOptions& options) {
    const int n = options.replications;
    std::vector<report::ReplicationResult> results(static_cast<std::size_t>(n));
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex lock;
    int done = 0;
    auto worker = [&] {
        for (int i = next++; i < n && !failed; i = next++) {
            try {
                results[static_cast<std::size_t>(i)] =
                    run_replication(county, options.first_replication + static_cast<std::uint64_t>(i));
            } catch (...) {
                std::lock_guard<std::mutex> g(lock);
                if (!error) error = std::current_exception();
                failed = true;
                return;
            }
            std::lock_guard<std::mutex> g(lock);
            ++done;
            if (options.progress) options.progress(done, n);
        }
    };
    const int threads = std::max(1, std::min(options.threads, n));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    return results;
}

}  // namespace cmasim::model
