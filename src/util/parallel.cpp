#include "cmasim/util/parallel.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cmasim::util {

int worker_threads(int requested) {
    return requested > 0 ? requested
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
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
