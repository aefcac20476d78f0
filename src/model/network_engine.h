// The queueing-network validation engine (docs/validation.md): choice, referral, demand and
// money are replaced by fixed routing. External Poisson arrivals at each station, exponential
// service by the station's doctors (the same facility desks as the county engine), then a routing
// draw to the next station or out of the network. Patients do not balk, renege or leave a
// closed station: they wait. Not a public header.
#pragma once

#include <cstdint>
#include <vector>

#include "desk.h"
#include "kernel.h"
#include "staffing.h"

namespace cmasim::model::detail {

/// A customer of the network.
struct Customer {
    PatientRef ref;
    std::uint32_t facility = kNone;
    std::uint32_t generation = 0;
    SimTime queued_at = 0;
    EpisodeDraws draws;
    VisitKind kind = VisitKind::FirstContact;
    Stage stage = Stage::Free;
    bool walkin_doctor = false;  ///< holds one of the walk-in doctors (reserved capacity)
};

class NetworkEngine {
  public:
    NetworkEngine(const County& county, std::uint64_t replication, ModelObserver& observer);
    ReplicationStats run();

  private:
    void start();
    void handle(const Event& e);
    void restaff(std::uint32_t facility);
    void year_start();
    void schedule_arrival(std::uint32_t station);
    void station_arrival(std::uint32_t facility);
    void reach_station(std::uint32_t p);
    void serve_next(std::uint32_t facility);
    void start_service(std::uint32_t p, SimTime wait);
    void service_end(std::uint32_t p);
    void route_onward(std::uint32_t p);
    void end_episode(std::uint32_t p);
    template <class E>
    void emit(const E& event) {
        obs_.on(event);
    }

    const County& c_;
    ModelObserver& obs_;
    sim::StreamKey key_;
    sim::Simulator<Event> sim_;
    SimTime end_ = 0;
    PatientPool<Customer> customers_;
    std::vector<FacilityDesk> desks_;
    std::vector<std::uint32_t> station_of_;  ///< by facility: index into County::stations, or kNone
    std::vector<sim::RandomStream> arrivals_;  ///< per station: external arrivals
    std::vector<double> next_arrival_;         ///< per station, exact (fractional) seconds
    std::vector<std::uint32_t> arrived_;       ///< per station: external arrivals so far
    std::vector<sim::Distribution> service_;   ///< per station: exponential
    ReplicationStats stats_;
};

}  // namespace cmasim::model::detail
