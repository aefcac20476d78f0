// What the model tells the world: one small struct per state change of an episode. The engine
// emits them in simulated-time order; metrics, traces and writers subscribe (observer.h). Each
// carries the time `at` (seconds since the run's start) and the patient it is about. An event
// lives for the duration of the call that delivers it (the patient is a reference into the
// engine, so an emission costs a few stores): copy what you keep.
#pragma once

#include <cstdint>

#include "cmasim/model/ids.h"
#include "cmasim/model/insurance.h"
#include "cmasim/sim/time.h"

namespace cmasim::model {

/// How a patient came to a consultation.
enum class VisitKind : std::uint8_t {
    FirstContact,
    Referred,
    SelfReferred,
    FollowUp,
    DownReferred,
    Retry,
    Routed,  ///< queueing-network mode: sent on by a fixed routing probability
};

enum class ReferralKind : std::uint8_t { Up, Down, Self };

/// How an episode ended. NoVisit: at the first choice the patient took the outside option
/// (self-treatment, a pharmacy, waiting it out) over every facility, so no formal visit happened.
enum class EpisodeEnd : std::uint8_t { Treated, Discharged, LeftUntreated, NoVisit };

/// Identity of the patient an event is about.
struct PatientRef {
    EpisodeId episode;
    VillageId village{0};
    TownshipId township{0};
    ConditionId condition{0};
    bool contracted = false;  ///< the resident holds a family-doctor contract
    bool emergency = false;   ///< an emergency episode (its first contact is an emergency visit)
    bool low_income = false;  ///< the resident is low-income (eligible for medical assistance)
    bool managed = false;  ///< a chronic patient managed by the family doctor (chronic_management)
    bool scheduled = false;  ///< a managed resident's scheduled follow-up, not an illness
    sim::SimTime episode_start = 0;
};

/// A new episode of illness begins (or a network customer arrives from outside).
struct EpisodeStarted {
    sim::SimTime at;
    const PatientRef& patient;
};

/// The patient set off for a facility for this step of care: a first contact, a new choice after
/// a balk, renege or closed door, a referral, a follow-up, or a network route.
struct FacilityChosen {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    VisitKind kind;
};

/// A consultation (an outpatient or an emergency visit) begins after `wait` seconds in the queue
/// and lasts `duration` seconds.
struct Consultation {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    VisitKind kind;
    sim::SimTime wait;
    sim::SimTime duration;
    bool emergency;  ///< seen by the facility's emergency service (docs/model.md, emergencies)
};

/// The patient takes a bed for `stay` seconds after waiting `bed_wait` seconds for it.
struct Admitted {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    sim::SimTime bed_wait;
    sim::SimTime stay;
    bool home_bed = false;  ///< in a home bed (policy.home_beds), not a ward bed
};

/// The patient leaves the bed.
struct Discharged {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
};

/// The patient is sent from one facility to another: up the referral chain, down after a
/// discharge, or of their own accord past the referral rules (self).
struct Referred {
    sim::SimTime at;
    const PatientRef& patient;
    ReferralKind kind;
    FacilityId from;
    FacilityId to;
};

/// The patient saw the queue and went elsewhere without joining it.
struct Balked {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
};

/// The patient left the queue after waiting `waited` seconds.
struct Reneged {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    sim::SimTime waited;
};

/// A facility that cannot treat the condition asked the county for a remote consultation
/// instead of referring the patient up.
struct RemoteConsultation {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
};

/// The facility treats the condition but does not have the patient's medicine on its list
/// (policy.medicine_list): the patient is referred up for it (a Referred event follows, or the
/// episode ends when there is nowhere to go).
struct MedicineMissing {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
};

/// A doctor of the facility visits a home-bed patient (policy.home_beds), taken from the
/// outpatient desk for `doctor_time` seconds.
struct HomeBedVisit {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    sim::SimTime doctor_time;
};

/// An emergency on the pathway (policy.emergency_pathway) reached treatment: its first urgent
/// consultation at a facility that treats the condition began `to_door` seconds after the onset,
/// and treatment starts `door_to_treatment` seconds later (the facility's center or not).
struct EmergencyTreatment {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    sim::SimTime to_door;
    sim::SimTime door_to_treatment;
    bool ambulance;  ///< the patient called an ambulance
    bool center;     ///< the facility has a center
};

/// A doctor advised admission and the patient declined it (the admission's outside option,
/// docs/model.md §4): outpatient care at the facility instead.
struct AdmissionDeclined {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
};

/// A step needed an exam (policy.exams) and it was settled: read by a shared center (`center`
/// valid), done by the facility itself, or an earlier recognised result used instead (a repeat
/// avoided: no read, no fee). Its fee, if any, is billed by a Billed event with `exam` set.
struct ExamOrdered {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;      ///< where the exam was ordered
    FacilityId center;        ///< the center that read it; invalid when in house or recognised
    sim::SimTime turnaround;  ///< seconds from the order to the result (0 when recognised)
    bool repeat;              ///< the episode had a result already (not recognised here)
    bool recognised;          ///< an earlier result was used: no exam made
};

/// A patient who may use reserved capacity (policy.reserved_share, docs/levers.md) took a doctor
/// or a bed while walk-ins held every one they may use: the one taken is what the reservation
/// kept free (预留号源、住院床位, docs/model.md).
struct ReservedCapacityUsed {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    bool bed;              ///< a bed at an admission, else a doctor at a consultation
    VisitKind kind;        ///< referred up or down-referred
    bool family_referral;  ///< referred up by the resident's own family doctor
};

/// The bill of one encounter (an outpatient visit, an admission, or an exam) was settled.
struct Billed {
    sim::SimTime at;
    const PatientRef& patient;
    FacilityId facility;
    bool inpatient;
    Bill bill;
    bool exam = false;  ///< an exam's fee (policy.exams), part of the outpatient spending
};

/// The episode is over; nothing more is emitted about it.
struct EpisodeEnded {
    sim::SimTime at;
    const PatientRef& patient;
    EpisodeEnd how;
};

/// Every event type, in one list: the observer interface (observer.h) has one handler per entry.
template <class... Events>
struct EventList {};
using ModelEvents =
    EventList<EpisodeStarted, FacilityChosen, Consultation, Admitted, Discharged, Referred, Balked,
              Reneged, RemoteConsultation, MedicineMissing, AdmissionDeclined, EmergencyTreatment,
              ExamOrdered, ReservedCapacityUsed, Billed, EpisodeEnded, HomeBedVisit>;

}  // namespace cmasim::model
