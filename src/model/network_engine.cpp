#include "network_engine.h"

#include <algorithm>
#include <cmath>

#include "cmasim/sim/detmath.h"

namespace cmasim::model::detail {

NetworkEngine::NetworkEngine(const County& county, std::uint64_t replication,
                             ModelObserver& observer)
    : c_(county),
      obs_(observer),
      key_{county.scenario.seed, replication},
      end_(county.warmup + county.horizon) {
    station_of_.assign(c_.facilities.size(), kNone);
    for (std::uint32_t s = 0; s < c_.stations.size(); ++s) {
        const auto& st = c_.stations[s];
        station_of_[st.facility] = s;
        // Demand purpose, entity 2^40 + facility: apart from every village's demand stream.
        arrivals_.emplace_back(key_, static_cast<std::uint64_t>(StreamPurpose::Demand),
                               (std::uint64_t{1} << 40) | st.facility);
        service_.push_back(sim::Distribution::exponential(st.service_minutes));
    }
    next_arrival_.assign(c_.stations.size(), 0.0);
    arrived_.assign(c_.stations.size(), 0);
}

/// Same-time events keep their scheduling order: opening hours, then arrivals, then the year.
void NetworkEngine::start() {
    desks_ = open_desks(c_, sim_);
    for (std::uint32_t s = 0; s < c_.stations.size(); ++s) {
        if (c_.stations[s].arrivals_per_minute > 0) schedule_arrival(s);
    }
    sim_.schedule_at(c_.warmup, kYear, {EventKind::YearStart, 0, 0, 0});
}

ReplicationStats NetworkEngine::run() {
    start();
    run_and_drain(
        sim_, end_, [this](const Event& e) { handle(e); }, [this] { return customers_.live(); });
    stats_.events = sim_.events_processed();
    stats_.peak_patients = customers_.peak();
    return stats_;
}

void NetworkEngine::handle(const Event& e) {
    try {
        switch (e.kind) {
            case EventKind::StationArrival:
                station_arrival(e.id);
                break;
            case EventKind::ServiceEnd:
                service_end(e.id);
                break;
            case EventKind::ScheduleChange:
                restaff(e.id);
                break;
            case EventKind::YearStart:
                year_start();
                break;
            default:
                throw std::logic_error("not an event of the queueing network");
        }
    } catch (const std::exception& ex) {
        if (about_patient(e.kind)) {
            const auto& cu = customers_[e.id];
            fail_at(sim_.now(), cu.ref.episode,
                    cu.facility == kNone ? "-" : c_.facilities[cu.facility].id, ex.what());
        }
        fail_at(sim_.now(), ex.what());
    }
}

void NetworkEngine::restaff(std::uint32_t f) {
    restaff_desk(c_, desks_, sim_, f, [this](std::uint32_t facility) { serve_next(facility); });
}

/// Nothing to reset (no money here), but the years are kept as in the county engine.
void NetworkEngine::year_start() {
    const SimTime next = sim_.now() + 365 * sim::kDay;
    if (next < end_) sim_.schedule_at(next, kYear, {EventKind::YearStart, 0, 0, 0});
}

/// The next external arrival at station s: exponential gaps from the station's own stream.
void NetworkEngine::schedule_arrival(std::uint32_t s) {
    const double rate_per_second = c_.stations[s].arrivals_per_minute / 60.0;
    next_arrival_[s] += -sim::det::log(arrivals_[s].uniform()) / rate_per_second;
    const auto t = static_cast<SimTime>(std::ceil(next_arrival_[s]));
    if (t < end_)
        sim_.schedule_at(t, kMove, {EventKind::StationArrival, c_.stations[s].facility, 0, 0});
}

void NetworkEngine::station_arrival(std::uint32_t f) {
    const std::uint32_t s = station_of_[f];
    const std::uint32_t p = customers_.acquire();
    auto& cu = customers_[p];
    cu.ref.episode = station_episode(FacilityId{f}, arrived_[s]++);
    cu.ref.township = TownshipId{c_.villages[0].township};  // every scenario has a village
    cu.ref.episode_start = sim_.now();
    ++stats_.episodes_started;
    emit(EpisodeStarted{sim_.now(), cu.ref});
    cu.facility = f;
    cu.kind = VisitKind::FirstContact;
    emit(FacilityChosen{sim_.now(), cu.ref, FacilityId{f}, cu.kind});
    reach_station(p);
    schedule_arrival(s);
}

void NetworkEngine::reach_station(std::uint32_t p) {
    auto& cu = customers_[p];
    auto& desk = desks_[cu.facility];
    const bool walkin = is_walkin(cu.kind, false, c_.scenario.policy.reserved_for);
    if (desk.unlimited() || (desk.queued() == 0 && desk.may_take_doctor(walkin))) {
        start_service(p, 0);
        return;
    }
    cu.stage = Stage::Queued;
    cu.queued_at = sim_.now();
    desk.join_queue({p, cu.generation}, walkin);
    serve_next(cu.facility);
}

void NetworkEngine::serve_next(std::uint32_t f) {
    serve_queue(desks_[f], customers_, c_.scenario.referral.referred_priority, sim_.now(),
                [this](std::uint32_t p, SimTime wait) { start_service(p, wait); });
}

void NetworkEngine::start_service(std::uint32_t p, SimTime wait) {
    auto& cu = customers_[p];
    ++cu.generation;
    cu.stage = Stage::InService;
    cu.walkin_doctor =
        desks_[cu.facility].take_doctor(is_walkin(cu.kind, false, c_.scenario.policy.reserved_for));
    const auto& dist = service_[station_of_[cu.facility]];
    const double minutes = cu.draws.sample(key_, cu.ref.episode, StreamPurpose::Service, dist);
    const SimTime duration = std::max<SimTime>(1, sim::round_half_away(minutes * 60.0));
    emit(Consultation{sim_.now(), cu.ref, FacilityId{cu.facility}, cu.kind, wait, duration, false});
    sim_.schedule_in(duration, kRelease, {EventKind::ServiceEnd, p, 0, 0});
}

void NetworkEngine::service_end(std::uint32_t p) {
    auto& cu = customers_[p];
    const std::uint32_t f = cu.facility;
    if (!desks_[f].unlimited()) {
        desks_[f].release_doctor(cu.walkin_doctor);
        cu.walkin_doctor = false;
        serve_next(f);
    }
    route_onward(p);
}

/// One routing draw (only at a station with routes): on to the route it falls on, or out.
void NetworkEngine::route_onward(std::uint32_t p) {
    auto& cu = customers_[p];
    const auto& routes = c_.stations[station_of_[cu.facility]].routes;
    if (!routes.empty()) {
        const double u = cu.draws.uniform(key_, cu.ref.episode, StreamPurpose::Routing);
        for (const auto& r : routes) {
            if (u < r.cumulative) {
                cu.facility = r.facility;
                cu.kind = VisitKind::Routed;  // one FIFO queue: routed customers are not "referred"
                emit(FacilityChosen{sim_.now(), cu.ref, FacilityId{r.facility}, VisitKind::Routed});
                reach_station(p);
                return;
            }
        }
    }
    end_episode(p);
}

void NetworkEngine::end_episode(std::uint32_t p) {
    auto& cu = customers_[p];
    emit(EpisodeEnded{sim_.now(), cu.ref, EpisodeEnd::Treated});
    cu.stage = Stage::Free;
    customers_.release(p);
    ++stats_.episodes_ended;
}

}  // namespace cmasim::model::detail
