#include "cmasim/analysis/compare.h"

#include <array>
#include <cmath>
#include <stdexcept>

namespace cmasim::analysis {

namespace {

/// One replication's value of a figure: a facility row when `station` is set, else a county
/// row; nullopt when not reported.
std::optional<double> value_in(const indicators::ReplicationResult& r, const std::string& station,
                               const std::string& indicator) {
    std::optional<double> found;
    auto take = [&](double v) {
        if (found) {
            throw std::invalid_argument(
                "replication " + std::to_string(r.replication) + " reports " + indicator +
                (station.empty() ? "" : " of facility " + station) + " twice");
        }
        found = v;
    };
    if (station.empty()) {
        for (const auto& row : r.county) {
            if (row.indicator == indicator) take(row.value);
        }
    } else {
        for (const auto& row : r.groups) {
            if (row.dimension == "facility" && row.group == station && row.indicator == indicator)
                take(row.value);
        }
    }
    return found;
}

Comparison compare(const std::string& station, const std::string& indicator,
                   const std::string& label, double analytic,
                   const std::vector<indicators::ReplicationResult>& results, double confidence) {
    Comparison c{station, indicator, label, analytic, std::nullopt};
    std::vector<double> values;
    for (const auto& r : results) {
        const auto v = value_in(r, station, indicator);
        if (v && std::isfinite(*v)) values.push_back(*v);
    }
    if (!values.empty()) c.simulated = report::estimate(values, confidence);
    return c;
}

}  // namespace

bool Comparison::agrees() const {
    return simulated && simulated->has_interval() && simulated->ci_low <= analytic &&
           analytic <= simulated->ci_high;
}

const std::vector<std::pair<std::string, std::string>>& station_figures() {
    static const std::vector<std::pair<std::string, std::string>> figures = {
        {"throughput_per_minute", "arrival rate (/min)"},
        {"utilisation", "utilisation"},
        {"queue_length_mean", "queue length"},
        {"wait_minutes_mean", "wait (min)"},
        {"sojourn_minutes_mean", "sojourn (min)"},
    };
    return figures;
}

std::vector<Comparison> compare_with_simulation(
    const NetworkResult& analytic, const std::vector<indicators::ReplicationResult>& results,
    double confidence) {
    std::vector<Comparison> out;
    for (const auto& s : analytic.stations) {
        const std::array<double, 5> values = {s.lambda, s.rho, s.lq, s.wq,
                                              s.w};  // station_figures() order
        for (std::size_t k = 0; k < station_figures().size(); ++k) {
            const auto& [indicator, label] = station_figures()[k];
            out.push_back(compare(s.id, indicator, label, values[k], results, confidence));
        }
    }
    out.push_back(compare("", kTimeInSystemIndicator, "time in system (min)",
                          analytic.time_in_system, results, confidence));
    return out;
}

}  // namespace cmasim::analysis
