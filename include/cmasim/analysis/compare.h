// Analytic Jackson-network figures beside the simulation's estimates of the same figures: what
// `cmasim analyze --simulate` prints and what the validation tests assert (docs/model.md §9).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cmasim/analysis/jackson.h"
#include "cmasim/indicators/results.h"
#include "cmasim/report/stats.h"

namespace cmasim::analysis {

/// One analytic figure and the simulation's estimate of it.
struct Comparison {
    std::string station;    ///< facility id; empty for the network-wide figure
    std::string indicator;  ///< simulated indicator key, e.g. "wait_minutes_mean"
    std::string label;      ///< short human label with unit, e.g. "wait (min)"
    double analytic = 0;    ///< in the indicator's unit
    /// Over the replications that reported a finite value; absent when none did (e.g. an
    /// engine without the queueing-network mode).
    std::optional<report::Estimate> simulated;

    /// The analytic value lies inside the simulated confidence interval (false without one).
    bool agrees() const;
};

/// The figures compared for each station, as (indicator key, label) in print order:
/// throughput_per_minute (lambda), utilisation (rho), queue_length_mean (Lq),
/// wait_minutes_mean (Wq), sojourn_minutes_mean (W).
const std::vector<std::pair<std::string, std::string>>& station_figures();

/// The network-wide figure: the county indicator time_in_system_minutes.
inline constexpr const char* kTimeInSystemIndicator = "time_in_system_minutes";

/// For every station (in the network's order) its station_figures(), then the network's time
/// in system, each with the estimate over `results` at two-sided level `confidence`. Station
/// figures are read from the facility group rows (dimension "facility", group = station id),
/// the network figure from the county rows. Values are taken in the order of `results`;
/// non-finite values are left out. Throws std::invalid_argument when a replication reports
/// the same figure twice.
std::vector<Comparison> compare_with_simulation(
    const NetworkResult& analytic, const std::vector<indicators::ReplicationResult>& results,
    double confidence = 0.99);

}  // namespace cmasim::analysis
