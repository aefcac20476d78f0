// The one thread pool: replications (model) and sweep tasks (sweep) both run on it. It hands out
// work only; what each worker computes, and therefore every result, is the same for any thread
// count.
#pragma once

#include <atomic>
#include <functional>

namespace cmasim::util {

/// Worker threads to use: `requested` when positive, else default_threads() of this process:
/// Slurm's SLURM_CPUS_PER_TASK, the CPUs of the process's affinity mask (taskset, cgroups' cpuset),
/// every core.
int worker_threads(int requested);

/// The default thread count, as a pure rule: SLURM_CPUS_PER_TASK when it is set to a positive
/// number (the allocation of this task), else the CPUs the process may run on (`affinity_cpus`,
/// 0 when unknown), else the hardware's cores, at least 1.
int default_threads(const char* slurm_cpus_per_task, int affinity_cpus, unsigned hardware);

/// Runs `work(worker, stop)` on `threads` workers at once (worker 0 on the calling thread, the
/// others on new threads) and returns when every one has returned. When a worker throws, `stop`
/// is set so the others can finish early, and the first exception is rethrown after all joined.
void run_workers(int threads,
                 const std::function<void(int worker, const std::atomic<bool>& stop)>& work);

/// Calls `body(i)` for every i in [0, n), at most `threads` at a time, each index exactly once
/// unless a call throws: then no further index starts and the first exception is rethrown.
void parallel_for(int n, int threads, const std::function<void(int i)>& body);

}  // namespace cmasim::util
