// What both engines (county and queueing network) put on the simulation kernel, and the pieces
// of a run they share: the event record, same-time priorities, the per-episode random draws, the
// patient pool and the run-then-drain loop. Not a public header.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
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
    Emergency,       ///< id = village: the next emergency episode there
    ManagedVisit,    ///< id = village: a managed chronic patient's scheduled follow-up
    ExamDone,        ///< id = patient slot: the exam's result is back (policy.exams)
    HomeVisit,       ///< id = patient slot, gen = generation: a home-bed patient's visit is due
    HomeVisitDone,   ///< id = facility: a doctor is back from a home visit
};

struct Event {
    EventKind kind;
    std::uint32_t id;
    std::uint32_t gen;
    std::uint32_t unused;
};

/// Is the event about one patient (so an error while handling it names the patient)?
inline bool about_patient(EventKind k) {
    return k == EventKind::ReachFacility || k == EventKind::ServiceEnd || k == EventKind::Renege ||
           k == EventKind::Discharge || k == EventKind::RemoteDone || k == EventKind::ExamDone ||
           k == EventKind::HomeVisit;
}

/// Same-time order: schedules change first, then resources are released, then patients move.
enum Priority : std::int32_t { kSchedule = 0, kRelease = 1, kMove = 2, kYear = 3 };

enum class Stage : std::uint8_t { Free, Travelling, Queued, InService, BedQueue, Admitted, Away };

/// The draws an episode has taken from each of its streams (one stream per StreamPurpose, keyed
/// by the episode id), so the next draw continues where the last stopped; and the episode's
/// shared block. An episode typically chooses once, is seen once and is decided on once, at three
/// different events: with a stream of its own for each, that ran three Philox blocks for four
/// numbers. Instead the first draw of each of the choice, clinical, service and behaviour streams
/// is a lane (0, 1, 2, 3) of one block (purpose EpisodeShared), computed at the first of them
/// and kept here (a lognormal time usually takes one draw: sample_standard_normal()). Each
/// purpose's draw n is still a function of (key, purpose, episode, n) alone, so common random
/// numbers hold whatever the other purposes draw.
struct EpisodeDraws {
    std::array<std::uint64_t, 4> shared{};
    std::array<std::uint16_t, 9> counters{};
    bool shared_ready = false;

    /// A purpose's counter. Slots 0-2 belong to purposes that are never an episode's (demand,
    /// person); the medicine stream takes slot 0, the admission decline slot 1 and the
    /// ambulance slot 2, so a patient's draws stay nine counters.
    static std::size_t slot(StreamPurpose p) {
        if (p == StreamPurpose::Medicine) return 0;
        if (p == StreamPurpose::AdmissionDecline) return 1;
        if (p == StreamPurpose::Ambulance) return 2;
        return static_cast<std::size_t>(p);
    }
    /// The lanes of the shared block that hold a purpose's first draws: {first lane, count}.
    struct Lanes {
        std::uint32_t first = 0;
        std::uint32_t count = 0;
    };
    static Lanes shared_lanes(StreamPurpose p) {
        switch (p) {
            case StreamPurpose::Choice:
                return {0, 1};
            case StreamPurpose::Clinical:
                return {1, 1};
            case StreamPurpose::Service:
                return {2, 1};
            case StreamPurpose::Behaviour:
                return {3, 1};
            default:
                return {};
        }
    }

    double uniform(const sim::StreamKey& key, EpisodeId episode, StreamPurpose purpose) {
        sim::RandomStream rng = stream(key, episode, purpose);
        const double u = rng.uniform();
        advance(purpose, rng);
        return u;
    }
    double sample(const sim::StreamKey& key, EpisodeId episode, StreamPurpose purpose,
                  const sim::Distribution& d) {
        sim::RandomStream rng = stream(key, episode, purpose);
        const double x = d.sample(rng);
        advance(purpose, rng);
        return x;
    }

  private:
    /// The purpose's stream at its counter, handed its lanes of the shared block while it has
    /// not used them up.
    sim::RandomStream stream(const sim::StreamKey& key, EpisodeId episode, StreamPurpose purpose) {
        const std::uint16_t counter = counters[slot(purpose)];
        sim::RandomStream rng(key, static_cast<std::uint64_t>(purpose), episode.value(), counter);
        const Lanes lanes = shared_lanes(purpose);
        if (counter < lanes.count) {
            if (!shared_ready) {
                shared =
                    sim::philox_block(key, static_cast<std::uint64_t>(StreamPurpose::EpisodeShared),
                                      episode.value(), 0);
                shared_ready = true;
            }
            rng.share_first(shared.data() + lanes.first, lanes.count);
        }
        return rng;
    }
    void advance(StreamPurpose purpose, const sim::RandomStream& rng) {
        if (rng.draws() > UINT16_MAX) [[unlikely]]
            throw std::runtime_error("an episode drew more than 65535 numbers from one stream");
        counters[slot(purpose)] = static_cast<std::uint16_t>(rng.draws());
    }
};

/// Patient slots reused through a free list. A slot's generation keeps counting across reuse:
/// stale queue entries and renege events of a slot's previous patient never match the new one.
template <class Patient>
class PatientPool {
  public:
    PatientPool() { patients_.reserve(4096); }
    /// A fresh patient in a free slot; returns the slot.
    std::uint32_t acquire() {
        std::uint32_t p;
        if (!free_.empty()) {
            p = free_.back();
            free_.pop_back();
        } else {
            p = static_cast<std::uint32_t>(patients_.size());
            patients_.emplace_back();
        }
        Patient& slot = patients_[p];
        const std::uint32_t generation = slot.generation + 1;
        // Constructed in place: `slot = Patient{}` built a temporary on the stack and copied it
        // over (a record reset per episode; docs/performance.md, session 9).
        std::construct_at(&slot);
        slot.generation = generation;
        ++live_;
        peak_ = std::max(peak_, live_);
        return p;
    }
    void release(std::uint32_t p) {
        ++patients_[p].generation;
        free_.push_back(p);
        --live_;
    }
    Patient& operator[](std::uint32_t p) { return patients_[p]; }
    const Patient& operator[](std::uint32_t p) const { return patients_[p]; }
    std::uint64_t live() const { return live_; }
    std::uint64_t peak() const { return peak_; }

  private:
    std::vector<Patient> patients_;
    std::vector<std::uint32_t> free_;
    std::uint64_t live_ = 0;
    std::uint64_t peak_ = 0;
};

/// Runs to `end`, then (no new arrivals are scheduled from then on) until every open episode has
/// ended; throws if some are still open after three more years.
template <class Handler, class Live>
void run_and_drain(sim::Simulator<Event>& sim, SimTime end, Handler handle, Live live) {
    constexpr SimTime kDrainLimit = 3 * 365 * sim::kDay;
    sim.run_until(end, handle);
    if (live() > 0 && sim.state() == sim::RunState::Ready) {
        auto drain = [&](const Event& e) {
            handle(e);
            if (live() == 0) sim.request_stop();
        };
        sim.run_until(end + kDrainLimit, drain);
    }
    if (live() > 0) throw std::runtime_error("episodes still open after the drain limit");
}

/// For std::visit over a pathway decision: one lambda per alternative.
template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

/// Re-raises an error from handling an event with the simulated time (the engines add the
/// episode and the facility for events about a patient).
[[noreturn]] inline void fail_at(SimTime now, const std::string& what) {
    throw std::runtime_error("at t=" + std::to_string(now) + " s: " + what);
}
[[noreturn]] inline void fail_at(SimTime now, EpisodeId episode, const std::string& facility,
                                 const std::string& what) {
    throw std::runtime_error("at t=" + std::to_string(now) + " s, episode " +
                             std::to_string(episode.value()) + ", facility " + facility + ": " +
                             what);
}

}  // namespace cmasim::model::detail
