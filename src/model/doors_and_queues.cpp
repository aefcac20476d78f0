// The county engine at a facility's door: opening hours, balking, the doctor queues, reneging,
// the consultations themselves, and a pathway emergency's time to treatment.
#include <algorithm>
#include <cmath>

#include "cmasim/model/pathway.h"
#include "county_engine.h"

namespace cmasim::model::detail {

void CountyEngine::reach_facility(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = cty(pat).facilities[pat.facility];
    const auto& desk = desks_[pat.facility];
    DoorFacts facts;
    facts.kind = pat.kind;
    facts.unlimited = fi.unlimited;
    facts.open = desk.open();
    if (!fi.unlimited && !desk.open()) facts.next_staffed = fi.next_staffed(sim_.now());
    facts.closed_action = sc(pat).behaviour.closed_facility;
    facts.queued = desk.queued();
    facts.doctor_free = desk.may_take_doctor(walkin(pat));
    facts.balk_queue_per_doctor = sc(pat).behaviour.balk_queue_per_doctor;
    facts.doctors = desk.doctors();
    facts.emergency_service = emergency_visit(pat);
    std::visit(Overloaded{
                   [&](StartConsultation) { start_consultation(p, 0); },
                   [&](JoinQueue) {
                       enqueue(p);
                       serve_next(pat.facility);  // a referred patient may take a reserved doctor
                   },
                   [&](Balk) {
                       emit(Balked{sim_.now(), pat.ref, FacilityId{pat.facility}});
                       retry(p);
                   },
                   [&](ChooseAgain) { retry(p); },
                   [&](WaitForOpening w) {
                       sim_.schedule_at(w.at, kMove, {EventKind::ReachFacility, p, 0, 0});
                   },
               },
               at_the_door(facts));
}

void CountyEngine::enqueue(std::uint32_t p) {
    auto& pat = patients_[p];
    pat.stage = Stage::Queued;
    pat.queued_at = sim_.now();
    desks_[pat.facility].join_queue({p, pat.generation}, walkin(pat));
    if (may_renege(pat.kind, sc(pat).behaviour.patience_minutes.has_value())) {
        const double minutes =
            sample(pat, StreamPurpose::Behaviour, *sc(pat).behaviour.patience_minutes);
        sim_.schedule_in(sim::round_half_away(minutes * 60.0), kMove,
                         {EventKind::Renege, p, pat.generation, 0});
    }
}

void CountyEngine::renege(std::uint32_t p, std::uint32_t gen) {
    auto& pat = patients_[p];
    if (pat.generation != gen || pat.stage != Stage::Queued) return;  // served meanwhile
    ++pat.generation;  // its queue entry is now stale and will be skipped
    desks_[pat.facility].left_queue();
    emit(Reneged{sim_.now(), pat.ref, FacilityId{pat.facility}, sim_.now() - pat.queued_at});
    if (std::holds_alternative<Leave>(after_renege(sc(pat).behaviour.renege_action))) {
        end_episode(p, EpisodeEnd::LeftUntreated);
    } else {
        retry(p);
    }
}

/// Starts consultations while a doctor may take the next patient in serve_order().
void CountyEngine::serve_next(std::uint32_t f) {
    serve_queue(desks_[f], patients_, s_.referral.referred_priority, sim_.now(),
                [this](std::uint32_t p, SimTime wait) { start_consultation(p, wait); });
}

void CountyEngine::start_consultation(std::uint32_t p, SimTime wait) {
    auto& pat = patients_[p];
    const auto& fi = cty(pat).facilities[pat.facility];
    ++pat.generation;
    pat.stage = Stage::InService;
    pat.on_call = emergency_visit(pat);
    const bool reserved = !pat.on_call && !walkin(pat) && desks_[pat.facility].doctor_is_reserved();
    if (!pat.on_call) pat.walkin_doctor = desks_[pat.facility].take_doctor(walkin(pat));
    const auto& cond = cty(pat).condition(pat.ref.condition).spec;
    const double minutes =
        sample(pat, StreamPurpose::Service, cond.consult_minutes[static_cast<int>(fi.level)]);
    const SimTime duration = std::max<SimTime>(1, sim::round_half_away(minutes * 60.0));
    // Outpatients' waits only, in the class (walk-in or referred) the patient queued in.
    if (!pat.on_call) chooser_.learn_wait(pat.facility, wait, walkin(pat));
    emit(Consultation{sim_.now(), pat.ref, FacilityId{pat.facility}, pat.kind, wait, duration,
                      pat.on_call});
    if (reserved) emit_reserved(pat, false);
    if (cty(pat).emergency.covers(pat.ref.emergency, pat.ref.condition.index())) time_treatment(p);
    bill_outpatient(p);
    sim_.schedule_in(duration, kRelease, {EventKind::ServiceEnd, p, 0, 0});
}

/// A pathway emergency's first urgent consultation where the condition is treated: its time
/// from onset to this door, and the door-to-treatment time of a center or of any other facility.
void CountyEngine::time_treatment(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& path = cty(pat).emergency;
    const bool can_treat = cty(pat).facilities[pat.facility].can_treat[pat.ref.condition.index()];
    if (!starts_treatment(pat.kind, can_treat, pat.treatment_timed)) return;
    pat.treatment_timed = true;
    const bool center = path.center[pat.facility];
    emit(EmergencyTreatment{
        sim_.now(), pat.ref, FacilityId{pat.facility}, sim_.now() - pat.ref.episode_start,
        center ? path.center_door_to_treatment : path.door_to_treatment, pat.ambulance, center});
}

void CountyEngine::service_end(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t f = pat.facility;
    if (pat.on_call) {
        pat.on_call = false;
    } else if (!desks_[f].unlimited()) {
        desks_[f].release_doctor(pat.walkin_doctor);
        pat.walkin_doctor = false;
        serve_next(f);
    }
    pat.remote_done = false;
    pat.exam_done = false;
    outcome(p);
}

void CountyEngine::schedule_visit(std::uint32_t p, SimTime at) {
    auto& pat = patients_[p];
    pat.stage = Stage::Away;
    sim_.schedule_at(at, kMove, {EventKind::ReachFacility, p, 0, 0});
}

}  // namespace cmasim::model::detail
