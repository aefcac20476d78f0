// What the model tells the world. The engine emits one notification per state change; metrics,
// traces and writers subscribe. The engine itself never counts anything for reporting.
#pragma once

#include <cstdint>

#include "cmasim/model/insurance.h"
#include "cmasim/sim/time.h"

namespace cmasim::model {

/// How a patient came to a consultation.
enum class VisitKind : std::uint8_t {
    FirstContact, Referred, SelfReferred, FollowUp, DownReferred, Retry,
    Routed,  ///< queueing-network mode: sent on by a fixed routing probability
};

enum class ReferralKind : std::uint8_t { Up, Down, Self };

/// How an episode ended.
enum class EpisodeEnd : std::uint8_t { Treated, Discharged, LeftUntreated };

/// Identity of the patient an event is about (indices into the compiled County).
struct PatientRef {
    std::uint64_t episode = 0;
    std::uint32_t village = 0;
    std::uint32_t township = 0;
    std::uint32_t condition = 0;
    sim::SimTime episode_start = 0;
};

class ModelObserver {
public:
    virtual ~ModelObserver() = default;
    /// A new episode of illness begins.
    virtual void episode_started(sim::SimTime, const PatientRef&) {}
    /// The patient picked a facility for this step (first contact or a new choice).
    virtual void facility_chosen(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/, VisitKind) {}
    /// A consultation begins; wait is the time spent queueing (seconds), duration its length.
    virtual void consultation(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/, VisitKind,
                              sim::SimTime /*wait*/, sim::SimTime /*duration*/) {}
    /// The patient takes a bed for stay seconds after waiting bed_wait seconds.
    virtual void admitted(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/,
                          sim::SimTime /*bed_wait*/, sim::SimTime /*stay*/) {}
    virtual void discharged(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/) {}
    virtual void referred(sim::SimTime, const PatientRef&, ReferralKind, std::uint32_t /*from*/, std::uint32_t /*to*/) {}
    virtual void balked(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/) {}
    /// The patient left the queue after waiting `waited` seconds.
    virtual void reneged(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/, sim::SimTime /*waited*/) {}
    /// A facility that cannot treat the condition asked for a remote consultation instead of
    /// referring the patient up.
    virtual void remote_consultation(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/) {}
    /// A bill was settled for an encounter at the facility.
    virtual void billed(sim::SimTime, const PatientRef&, std::uint32_t /*facility*/, bool /*inpatient*/, const Bill&) {}
    virtual void episode_ended(sim::SimTime, const PatientRef&, EpisodeEnd) {}
};

}  // namespace cmasim::model
