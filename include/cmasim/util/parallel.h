// The one thread pool: replications (model) and sweep tasks (sweep) both run on it. It hands out
// work only; what each worker computes, and therefore every result, is the same for any thread
// count.
#pragma once

#include <atomic>
#include <functional>

namespace cmasim::util {

/// Worker threads to use: `requested` when positive, else every core (at least 1).
int worker_threads(int requested);

/// Runs `work(worker, stop)` on `threads` workers at once (worker 0 on the calling thread, the
/// others on new threads) and returns when every one has returned. When a worker throws, `stop`
/// is set so the others can finish early, and the first exception is rethrown after all joined.
void run_workers(int threads,
                 const std::function<void(int worker, const std::atomic<bool>& stop)>& work);

/// Calls `body(i)` for every i in [0, n), at most `threads` at a time, each index exactly once
/// unless a call throws: then no further index starts and the first exception is rethrown.
void parallel_for(int n, int threads, const std::function<void(int i)>& body);

}  // namespace cmasim::util
