#include "cmasim/util/parallel.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cmasim::util {

int default_threads(const char* slurm_cpus_per_task, int affinity_cpus, unsigned hardware) {
    if (slurm_cpus_per_task != nullptr) {
        char* end = nullptr;
        const long n = std::strtol(slurm_cpus_per_task, &end, 10);
        if (end != slurm_cpus_per_task && *end == '\0' && n > 0 && n <= 4096) {
            return static_cast<int>(n);
        }
    }
    if (affinity_cpus > 0) return affinity_cpus;
    return static_cast<int>(std::max(1u, hardware));
}

int worker_threads(int requested) {
    if (requested > 0) return requested;
    int affinity = 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) affinity = CPU_COUNT(&set);
    return default_threads(std::getenv("SLURM_CPUS_PER_TASK"), affinity,
                           std::thread::hardware_concurrency());
}

void run_workers(int threads,
                 const std::function<void(int worker, const std::atomic<bool>& stop)>& work) {
    std::atomic<bool> stop{false};
    std::exception_ptr error;
    std::mutex error_lock;
    auto worker = [&](int index) {
        try {
            work(index, stop);
        } catch (...) {
            std::lock_guard<std::mutex> g(error_lock);
            if (!error) error = std::current_exception();
            stop = true;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

void parallel_for(int n, int threads, const std::function<void(int i)>& body) {
    std::atomic<int> next{0};
    run_workers(std::max(1, std::min(threads, n)), [&](int, const std::atomic<bool>& stop) {
        for (int i = next++; i < n && !stop; i = next++) body(i);
    });
}

}  // namespace cmasim::util
