// The county engine's home beds at township centers (家庭病床, policy.home_beds; docs/levers.md):
// an eligible admission takes a home-bed slot instead of a ward bed, is billed its share of the
// fee, and the center's doctors leave the outpatient desk to visit the patient.
#include "cmasim/model/home_beds.h"

#include "county_engine.h"

namespace cmasim::model::detail {

bool CountyEngine::takes_home_bed_here(const Patient& pat) const {
    const auto& h = sc(pat).policy.home_beds;
    HomeBedFacts facts;
    facts.slots = cty(pat).facilities[pat.facility].home_bed_slots;
    if (facts.slots <= 0) return false;
    facts.used = home_beds_used_[pat.facility];
    facts.condition_eligible = cty(pat).condition(pat.ref.condition).home_bed;
    facts.emergency = pat.ref.emergency;
    facts.inpatient_transfer = pat.inpatient_transfer;
    facts.contracted_only = h.contracted_only;
    facts.contracted = pat.contracted;
    facts.aged_only = h.aged_only;
    facts.aged = pat.aged;
    return takes_home_bed(facts);
}

/// Admitted to a home bed: no ward bed, the home bed's own stay and share of the fee, and the
/// first doctor's visit one interval later.
void CountyEngine::admit_home(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& h = sc(pat).policy.home_beds;
    ++home_beds_used_[pat.facility];
    pat.home_bed = true;
    pat.stage = Stage::Admitted;
    const SimTime stay = stay_here(pat, h.stay_multiplier);
    emit(Admitted{sim_.now(), pat.ref, FacilityId{pat.facility}, 0, stay, true});
    bill_inpatient(p, stay, h.fee_share);
    sim_.schedule_in(stay, kRelease, {EventKind::Discharge, p, 0, 0});
    const SimTime interval = home_visit_interval(h.visits_per_week);
    if (interval > 0 && interval < stay)
        sim_.schedule_in(interval, kMove, {EventKind::HomeVisit, p, pat.generation, 0});
}

/// A visit is due: a doctor of the open desk goes (the next one free: the desk may be over-
/// committed until then, so the queue waits), and is back `visit_hours` later. While the center
/// is closed, the visit waits for its next change of staffing. A patient discharged meanwhile
/// has no visit.
void CountyEngine::home_visit(std::uint32_t p, std::uint32_t gen) {
    auto& pat = patients_[p];
    if (pat.generation != gen || !pat.home_bed) return;
    const auto& h = sc(pat).policy.home_beds;
    auto& desk = desks_[pat.facility];
    const auto& fi = c_.facilities[pat.facility];
    if (!desk.open()) {
        const SimTime next = fi.next_change(sim_.now());
        if (next != WeeklySchedule::kNever)
            sim_.schedule_at(next, kMove, {EventKind::HomeVisit, p, gen, 0});
        return;
    }
    const SimTime doctor_time = sim::round_half_away(h.visit_hours * sim::kHour);
    desk.take_doctor(false);
    emit(HomeBedVisit{sim_.now(), pat.ref, FacilityId{pat.facility}, doctor_time});
    sim_.schedule_in(doctor_time, kRelease, {EventKind::HomeVisitDone, pat.facility, 0, 0});
    sim_.schedule_in(home_visit_interval(h.visits_per_week), kMove,
                     {EventKind::HomeVisit, p, gen, 0});
}

void CountyEngine::home_visit_done(std::uint32_t facility) {
    desks_[facility].release_doctor(false);
    serve_next(facility);
}

}  // namespace cmasim::model::detail
