// The engine's internals, shared by engine.cpp (demand, choice, run loop) and engine_care.cpp
// (queues, consultations, beds, referrals, bills). Not a public header.
#pragma once

#include <deque>
#include <vector>

#include "cmasim/model/engine.h"
#include "cmasim/sim/distributions.h"
#include "cmasim/sim/random.h"
#include "cmasim/sim/simulator.h"

namespace cmasim::model::detail {

using sim::SimTime;

enum class EventKind : std::uint32_t {
    Arrival,         ///< id = village: the next episode of illness there
    ReachFacility,   ///< id = patient slot: arrives at patient.facility
    ServiceEnd,      ///< id = patient slot: consultation over
    Renege,          ///< id = patient slot, gen = generation when queued
    Discharge,       ///< id = patient slot: leaves the bed
    ScheduleChange,  ///< id = facility: opens or closes
    YearStart,       ///< insurance year begins: yearly caps reset
    Scripted,        ///< id = index into County::scripted: a given episode begins
    StationArrival,  ///< id = facility: the next external arrival at a network station
    RemoteDone,      ///< id = patient slot: the remote consultation's answer is back
};

struct Event {
    EventKind kind;
    std::uint32_t id;
    std::uint32_t gen;
    std::uint32_t unused;
};

/// Same-time order: schedules change first, then resources are released, then patients move.
enum Priority : std::int32_t { kSchedule = 0, kRelease = 1, kMove = 2, kYear = 3 };

enum class Stage : std::uint8_t { Free, Travelling, Queued, InService, BedQueue, Admitted, Away };

struct Patient {
    PatientRef ref;
    std::uint64_t person = 0;
    std::uint32_t facility = kNone;
    std::uint32_t generation = 0;
    SimTime queued_at = 0;
    Fen deductible_paid = 0;
    std::uint64_t tried = 0;  ///< candidate bits already tried at this step
    std::array<std::uint32_t, 9> draws{};  ///< per StreamPurpose draw counters
    std::uint16_t remaining_visits = 0;
    VisitKind kind = VisitKind::FirstContact;
    Stage stage = Stage::Free;
    std::uint8_t attempts = 0;
    bool aged = false;
    bool contracted = false;
    bool referred = false;
    bool down_referred = false;
    bool up_referred_in_episode = false;
    bool gatekept = false;       ///< contracted resident under gatekeeping
    bool walkin_doctor = false;  ///< holds one of the walk-in doctors (reserved capacity)
    bool walkin_bed = false;     ///< holds one of the walk-in beds
    bool remote_done = false;    ///< this step's remote consultation is over
    bool down_admission_drawn = false;  ///< the down-referral admission draw has been made
    bool inpatient_transfer = false;    ///< referred up as an inpatient: admitted on arrival
};

struct QueueEntry {
    std::uint32_t patient;
    std::uint32_t generation;
};

struct FacilityState {
    bool open = true;
    int doctors = 0;       ///< on duty now
    int busy = 0;
    int busy_walkin = 0;   ///< of busy, serving walk-ins
    int beds_used = 0;
    int beds_walkin = 0;   ///< of beds_used, held by walk-ins
    int queued = 0;  ///< live patients in the doctor queues
    std::array<std::deque<QueueEntry>, 2> queue;  ///< [0] referred, [1] walk-ins
    std::deque<std::uint32_t> bed_queue;
    std::uint64_t station_arrivals = 0;  ///< network mode: external arrivals so far
};

class Engine {
public:
    Engine(const County& county, std::uint64_t replication, ModelObserver& observer);
    ReplicationStats run();

private:
    // engine.cpp: demand, choice, run loop
    void handle(const Event& e);
    void dispatch(const Event& e);
    void start_run();
    void arrival(std::uint32_t village);
    void scripted_arrival(std::uint32_t index);
    void begin_episode(std::uint32_t village, std::uint32_t condition, bool aged, sim::RandomStream& rng);
    SimTime next_arrival_time(std::uint32_t village, double from);
    std::uint32_t new_patient(std::uint32_t village);
    void end_episode(std::uint32_t p, EpisodeEnd how);
    bool choose(std::uint32_t p, VisitKind kind, Level min_level, std::uint32_t from_place,
                bool contract_only = false);
    double exact_logit_weights(const Patient& pat, const VillageInfo& village, std::size_t row, double* w) const;
    void travel(std::uint32_t p, std::uint32_t facility, std::uint32_t from_place, VisitKind kind);
    void retry(std::uint32_t p);
    void schedule_change(std::uint32_t facility);
    void year_start();
    bool contracted(std::uint64_t person, double contract_share);
    double uniform(Patient& pat, StreamPurpose purpose);
    double sample(Patient& pat, StreamPurpose purpose, const sim::Distribution& d);
    [[noreturn]] void fail(const std::string& what, std::uint32_t p) const;

    // engine_network.cpp: queueing-network validation mode
    void start_network();
    void station_arrival_schedule(std::uint32_t facility);
    void station_arrival(std::uint32_t facility);
    void route_onward(std::uint32_t p);

    // engine_care.cpp: what happens at a facility
    void reach_facility(std::uint32_t p);
    void enqueue(std::uint32_t p);
    void start_consultation(std::uint32_t p, SimTime wait);
    void service_end(std::uint32_t p);
    void serve_next(std::uint32_t facility);
    void outcome(std::uint32_t p);
    void treat(std::uint32_t p);
    bool is_walkin(const Patient& pat) const;
    bool may_take_doctor(std::uint32_t facility, bool walkin) const;
    bool may_take_bed(std::uint32_t facility, bool walkin) const;
    void refer_up(std::uint32_t p);
    void admit(std::uint32_t p, SimTime bed_wait);
    void discharge(std::uint32_t p);
    void renege(std::uint32_t p, std::uint32_t gen);
    void schedule_visit(std::uint32_t p, SimTime at);
    void bill_outpatient(std::uint32_t p);
    void bill_inpatient(std::uint32_t p, SimTime stay);

    const County& c_;
    const scenario::Scenario& s_;
    ModelObserver& obs_;
    sim::StreamKey key_;
    sim::Simulator<Event> sim_;
    SimTime end_ = 0;  ///< warm-up + horizon: no arrivals from then on
    std::vector<Patient> patients_;
    std::vector<std::uint32_t> free_;
    std::vector<FacilityState> fac_;
    /// Smoothed consultation wait per facility, minutes: what patients expect when choosing. Kept
    /// apart from FacilityState so the choice loop reads one dense array.
    std::vector<double> expected_wait_;
    std::vector<double> wait_weight_;  ///< exp(b_wait * expected wait): the dynamic logit factor
    double contract_weight_ = 1;       ///< exp(b_contract)
    std::vector<sim::RandomStream> demand_;
    std::vector<double> next_arrival_;  ///< exact (fractional-second) arrival times per village
    std::vector<sim::RandomStream> station_rng_;  ///< network mode: arrivals per facility
    std::vector<double> next_station_arrival_;
    std::vector<sim::Distribution> station_service_;  ///< network mode: exponential, per facility
    std::vector<std::uint32_t> episode_counter_;
    /// Per resident, 2 bits (four residents a byte): 0 = contract status not drawn yet,
    /// 1 = not contracted, 2 = contracted. The status is one draw of the resident's own stream;
    /// caching it saves a Philox block at every later episode of the same resident, and packing
    /// keeps the table in cache even for millions of residents.
    std::vector<std::uint8_t> contract_;
    /// Fund payments per resident this year, fen, against the yearly outpatient and inpatient
    /// caps. 32 bits suffice: a cap is at most 10^9 fen (the loader's bound) and the fund never
    /// pays past it. One table per cap, each empty when its cap does not apply: an outpatient
    /// bill then reads 4 bytes of a table half as large (at 16x the baseline, 32 MB instead of
    /// 64 MB, which matters when it no longer fits the cache).
    std::vector<std::uint32_t> paid_outpatient_;
    std::vector<std::uint32_t> paid_inpatient_;
    std::uint64_t live_ = 0;
    ReplicationStats stats_;
};

}  // namespace cmasim::model::detail
