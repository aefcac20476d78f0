// Running many replications of one county on a pool of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/model/county.h"

namespace cmasim::model {

struct RunOptions {
    int replications = 1;
    std::uint64_t first_replication = 0;  ///< replication numbers are first .. first + n - 1
    int threads = 1;                      ///< >= 1; results never depend on it
    /// Called after each finished replication with (done, total), from the worker thread that
    /// finished it, serialised by a lock.
    std::function<void(int, int)> progress;
};

/// One replication: engine + metrics. Deterministic in (scenario, seed, replication).
indicators::ReplicationResult run_replication(const County& county, std::uint64_t replication);

/// One period of a policy timeline and its indicators in one replication.
struct PeriodIndicators {
    std::string period;                    ///< its name (County::period_name)
    std::map<std::string, double> values;  ///< indicator key -> value over the period
};

/// The per-period indicators of a replication of a county with a timeline, in period order
/// (the "period" breakdown of run_replication); empty without a timeline. Each period counts
/// what happens from its start to the next period's start (or the horizon's end), as the run
/// counts its whole window (docs/model.md: the policy timeline).
std::vector<PeriodIndicators> period_indicators(const indicators::ReplicationResult& result);

/// Runs the replications, at most `threads` at a time, and returns them ordered by replication
/// number. The first exception raised by any replication is rethrown after all threads stop.
std::vector<indicators::ReplicationResult> run_replications(const County& county,
                                                            const RunOptions& options);

}  // namespace cmasim::model
