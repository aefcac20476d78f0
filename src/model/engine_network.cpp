// Engine part 3: the queueing-network validation mode (MODEL.md §9). Choice and referral are
// replaced by fixed routing: external Poisson arrivals at each station, exponential service on
// the station's doctors (the queue, servers and bookkeeping are the county model's own), then a
// routing draw to the next station or out of the network. No travel, no bills.
#include <cmath>

#include "engine_impl.h"

namespace cmasim::model::detail {

void Engine::start_network() {
    for (const std::uint32_t f : c_.stations) {
        if (c_.facilities[f].arrivals_per_minute > 0) station_arrival_schedule(f);
    }
}

/// Schedules the next external arrival at station f: exponential gaps from the demand stream of
/// the station (entity = facility index).
void Engine::station_arrival_schedule(std::uint32_t f) {
    const double rate_per_second = c_.facilities[f].arrivals_per_minute / 60.0;
    next_station_arrival_[f] += -std::log(station_rng_[f].uniform()) / rate_per_second;
    const auto t = static_cast<SimTime>(std::ceil(next_station_arrival_[f]));
    if (t < end_) sim_.schedule_at(t, kMove, {EventKind::StationArrival, f, 0, 0});
}

void Engine::station_arrival(std::uint32_t f) {
    const std::uint32_t p = new_patient(0);
    auto& pat = patients_[p];
    pat.ref.episode = (std::uint64_t{1} << 63) | (static_cast<std::uint64_t>(f) << 32) | fac_[f].station_arrivals++;
    obs_.episode_started(sim_.now(), pat.ref);
    pat.facility = f;
    pat.kind = VisitKind::FirstContact;
    obs_.facility_chosen(sim_.now(), pat.ref, f, pat.kind);
    reach_facility(p);
    station_arrival_schedule(f);
}

void Engine::route_onward(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& routes = c_.facilities[pat.facility].routes;
    if (!routes.empty()) {
        const double u = uniform(pat, StreamPurpose::Routing);
        for (const auto& r : routes) {
            if (u < r.cumulative) {
                pat.facility = r.facility;
                pat.kind = VisitKind::Routed;  // one FIFO queue: routed customers are not "referred"
                obs_.facility_chosen(sim_.now(), pat.ref, r.facility, VisitKind::Routed);
                reach_facility(p);
                return;
            }
        }
    }
    end_episode(p, EpisodeEnd::Treated);
}

}  // namespace cmasim::model::detail
