#include "demand.h"

#include <algorithm>
#include <cmath>

#include "cmasim/sim/detmath.h"

#include "cmasim/model/engine.h"

namespace cmasim::model::detail {

Demand::Demand(const County& county, const sim::StreamKey& key, sim::SimTime end)
    : c_(county), end_(end) {
    for (std::size_t v = 0; v < c_.villages.size(); ++v) {
        streams_.emplace_back(key, static_cast<std::uint64_t>(StreamPurpose::Demand), v);
    }
    next_arrival_.assign(c_.villages.size(), 0.0);
    stretch_.assign(c_.villages.size(), WindowStretch{});
    if (c_.villages.empty() || c_.villages[0].emergency_rate[0].empty()) return;
    for (std::size_t v = 0; v < c_.villages.size(); ++v) {
        emergency_streams_.emplace_back(
            key, static_cast<std::uint64_t>(StreamPurpose::EmergencyDemand), v);
    }
    next_emergency_.assign(c_.villages.size(), 0.0);
}

/// Exact inversion of the piecewise-constant intensity (next_in_window()).
sim::SimTime Demand::next_arrival_time(std::uint32_t v, double from) {
    const auto& village = c_.villages[v];
    const double hazard = -sim::det::log(streams_[v].uniform());
    const double t = next_in_window(
        c_, hazard, from, static_cast<double>(end_),
        [&](std::size_t month) { return village.cumulative_rate[month].back(); }, stretch_[v]);
    next_arrival_[v] = t;
    return static_cast<sim::SimTime>(std::ceil(t));
}

/// Emergencies come at any hour: the intensity changes only at month starts.
sim::SimTime Demand::next_emergency_time(std::uint32_t v, double from) {
    const auto& village = c_.villages[v];
    const auto horizon_end = static_cast<double>(end_);
    double hazard = -sim::det::log(emergency_streams_[v].uniform());
    double t = from;
    while (t < horizon_end) {
        const auto now = static_cast<sim::SimTime>(std::floor(t));
        const double rate =
            village.emergency_rate[static_cast<std::size_t>(c_.month_of(now))].back();
        const auto seg_end = static_cast<double>(c_.next_month_start(now));
        if (spend_hazard(hazard, t, rate, seg_end)) break;
    }
    next_emergency_[v] = t;
    return static_cast<sim::SimTime>(std::ceil(t));
}

Onset Demand::arrival(std::uint32_t v, sim::SimTime now, sim::SimTime& next) {
    const Onset onset = draw_onset(
        streams_[v], v, c_.villages[v].cumulative_rate[static_cast<std::size_t>(c_.month_of(now))]);
    next = next_arrival_time(v, next_arrival_[v]);
    return onset;
}

Onset Demand::emergency(std::uint32_t v, sim::SimTime now, sim::SimTime& next) {
    const Onset onset =
        draw_onset(emergency_streams_[v], v,
                   c_.villages[v].emergency_rate[static_cast<std::size_t>(c_.month_of(now))]);
    next = next_emergency_time(v, next_emergency_[v]);
    return onset;
}

/// The condition and age group in proportion to their rates (cum: [2*condition + aged]), then
/// the resident.
Onset Demand::draw_onset(sim::RandomStream& rng, std::uint32_t v, const std::vector<double>& cum) {
    const double u = rng.uniform() * cum.back();
    const auto k =
        static_cast<std::uint32_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
    const std::uint32_t category =
        std::min<std::uint32_t>(k, static_cast<std::uint32_t>(cum.size() - 1));
    return resident(rng, v, category / 2, (category % 2) == 1);
}

Onset Demand::resident(sim::RandomStream& rng, std::uint32_t v, std::uint32_t condition,
                       bool aged) {
    const auto& village = c_.villages[v];
    const auto group =
        static_cast<std::uint64_t>(aged ? village.aged : village.population - village.aged);
    const std::uint64_t offset = aged ? 0 : static_cast<std::uint64_t>(village.aged);
    return {condition, aged, village.first_person + offset + (group > 0 ? rng.below(group) : 0)};
}

bool ContractBook::member(std::uint64_t person, double share) {
    std::uint8_t& cell = bits_[person / 4];
    const unsigned shift = 2 * static_cast<unsigned>(person % 4);
    unsigned status = (cell >> shift) & 3U;
    if (status == 0) {
        sim::RandomStream rng(key_, static_cast<std::uint64_t>(purpose_), person);
        status = rng.uniform() < share ? 2U : 1U;
        cell = static_cast<std::uint8_t>(cell | (status << shift));
    }
    return status == 2;
}

}  // namespace cmasim::model::detail
