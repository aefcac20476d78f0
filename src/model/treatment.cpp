// The county engine after a consultation: treatment, admission, the bed queue, referrals up and
// down, and the bill of each encounter.
#include <algorithm>

#include "cmasim/model/expected_cost.h"
#include "cmasim/model/pathway.h"
#include "county_engine.h"

namespace cmasim::model::detail {

void CountyEngine::outcome(std::uint32_t p) {
    if (c_.exams.on() && waits_for_exam(p)) return;
    auto& pat = patients_[p];
    const auto& fi = cty(pat).facilities[pat.facility];
    const auto& cond = cty(pat).condition(pat.ref.condition);
    ConsultationFacts facts;
    facts.kind = pat.kind;
    facts.down_admission_drawn = pat.down_admission_drawn;
    facts.down_referral_admission = cond.spec.down_referral_admission;
    facts.referred_bed_free = desks_[pat.facility].may_take_bed(walkin(pat));
    facts.remaining_visits = pat.remaining_visits;
    facts.can_treat = fi.can_treat[pat.ref.condition.index()];
    facts.remote_treat = fi.remote_treat[pat.ref.condition.index()];
    facts.remote_done = pat.remote_done;
    auto clinical = [&] { return uniform(pat, StreamPurpose::Clinical); };
    const ConsultationDecision decision = after_consultation(facts, UniformDraw(clinical));
    if (pat.kind == VisitKind::DownReferred) pat.down_admission_drawn = true;
    std::visit(Overloaded{
                   [&](AdmitForRehabilitation) {
                       pat.remaining_visits = 0;
                       if (takes_home_bed_here(pat))
                           admit_home(p);
                       else
                           admit(p, 0);
                   },
                   [&](NextVisit) {
                       --pat.remaining_visits;
                       schedule_visit(p, sim_.now() + cond.follow_up_interval);
                   },
                   [&](EndEpisode end) { end_episode(p, end.how); },
                   [&](SendUp) { refer_up(p); },
                   [&](RemoteConsult) {  // ask the county, then treat here
                       emit(RemoteConsultation{sim_.now(), pat.ref, FacilityId{pat.facility}});
                       pat.stage = Stage::Away;
                       sim_.schedule_in(fi.remote_delay, kMove, {EventKind::RemoteDone, p, 0, 0});
                   },
                   [&](Treat) { treat_if_medicine(p); },
               },
               decision);
}

/// The facility treats the condition if it has the patient's medicine; else it refers the
/// patient up for it, as if it could not treat the condition (docs/levers.md, medicine lists).
void CountyEngine::treat_if_medicine(std::uint32_t p) {
    auto& pat = patients_[p];
    const Level level = c_.facilities[pat.facility].level;
    const double availability =
        cty(pat).condition(pat.ref.condition).medicine_availability[idx(level)];
    auto medicine = [&] { return uniform(pat, StreamPurpose::Medicine); };
    if (!medicine_missing(availability, UniformDraw(medicine))) {
        treat(p);
        return;
    }
    emit(MedicineMissing{sim_.now(), pat.ref, FacilityId{pat.facility}});
    refer_up(p);
}

/// The facility treats the condition: admission, or outpatient care with follow-ups.
void CountyEngine::treat(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = cty(pat).facilities[pat.facility];
    const auto& cond = cty(pat).condition(pat.ref.condition);
    TreatmentFacts facts;
    facts.inpatient_transfer = pat.inpatient_transfer;
    // The provider's admission propensity under its payment (same draw, moved threshold).
    facts.admission_probability =
        scaled_probability(cond.spec.admission_probability[static_cast<int>(fi.level)],
                           cty(pat).response_at(pat.facility, pat.ref.condition.index()).admission);
    facts.bed_free = desks_[pat.facility].may_take_bed(walkin(pat));
    facts.beds = fi.beds;
    facts.full_ward = sc(pat).behaviour.full_ward;
    facts.has_referral_target = fi.referral_target[pat.ref.condition.index()] != kNone;
    facts.follow_ups = cond.spec.follow_ups;
    auto clinical = [&] { return uniform(pat, StreamPurpose::Clinical); };
    TreatmentDecision decision = treatment(facts, UniformDraw(clinical));
    if (admission_advised(decision) && declines_admission_here(p))
        decision = outpatient_care(facts.follow_ups);
    const bool home = admission_advised(decision) && takes_home_bed_here(pat);
    pat.inpatient_transfer = false;
    if (home) {
        admit_home(p);
        return;
    }
    std::visit(Overloaded{
                   [&](Admit) { admit(p, 0); },
                   [&](QueueForBed) { wait_for_bed(p); },
                   [&](SendUp) { refer_up(p); },
                   [&](Leave) { end_episode(p, EpisodeEnd::LeftUntreated); },
                   [&](StartFollowUps f) {
                       pat.kind = VisitKind::FollowUp;
                       pat.remaining_visits = static_cast<std::uint16_t>(f.remaining);
                       schedule_visit(p, sim_.now() + cond.follow_up_interval);
                   },
                   [&](EndEpisode end) { end_episode(p, end.how); },
               },
               decision);
}

/// The admission's outside option: a patient advised to stay may go home instead. Not offered to
/// a patient transferred up as an inpatient or to an emergency patient.
bool CountyEngine::declines_admission_here(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& ch = sc(pat).choice;
    AdmissionDeclineFacts facts;
    facts.offered =
        ch.admission_outside_option.has_value() && !pat.inpatient_transfer && !pat.ref.emergency;
    if (!facts.offered) return false;
    const Encounter e = encounter(pat);
    facts.outside = *ch.admission_outside_option + ch.admission_level_constant[idx(e.level)];
    facts.b_log_cost = ch.admission_b_log_cost;
    const auto& info = cty(pat).condition(pat.ref.condition);
    facts.stay_out_of_pocket_yuan = expected_stay_out_of_pocket_yuan(
        info.spec, info.terms(e.place), e.level, e.route, pat.deductible_paid);
    auto draw = [&] { return uniform(pat, StreamPurpose::AdmissionDecline); };
    if (!declines_admission(facts, UniformDraw(draw))) return false;
    emit(AdmissionDeclined{sim_.now(), pat.ref, FacilityId{pat.facility}});
    return true;
}

void CountyEngine::wait_for_bed(std::uint32_t p) {
    auto& pat = patients_[p];
    pat.stage = Stage::BedQueue;
    pat.queued_at = sim_.now();
    desks_[pat.facility].wait_for_bed(p);
}

void CountyEngine::refer_up(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t from = pat.facility;
    const auto& fi = cty(pat).facilities[from];
    pat.tried = 0;
    pat.attempts = 0;
    const UpReferralFacts facts{sc(pat).behaviour.self_referral_probability, fi.level,
                                FacilityId{fi.referral_target[pat.ref.condition.index()]}};
    auto behaviour = [&] { return uniform(pat, StreamPurpose::Behaviour); };
    std::visit(Overloaded{
                   [&](SelfRefer s) {
                       pat.referred = false;
                       if (choose(p, VisitKind::SelfReferred, s.at_least, fi.place)) {
                           emit(Referred{sim_.now(), pat.ref, ReferralKind::Self, FacilityId{from},
                                         FacilityId{pat.facility}});
                       } else if (s.otherwise.valid()) {
                           refer_by_rules(p, s.otherwise);
                       } else {
                           end_episode(p, EpisodeEnd::LeftUntreated);
                       }
                   },
                   [&](ReferUp r) { refer_by_rules(p, r.to); },
                   [&](Leave) { end_episode(p, EpisodeEnd::LeftUntreated); },
               },
               up_referral(facts, UniformDraw(behaviour)));
}

void CountyEngine::refer_by_rules(std::uint32_t p, FacilityId to) {
    auto& pat = patients_[p];
    const std::uint32_t from = pat.facility;
    emit(Referred{sim_.now(), pat.ref, ReferralKind::Up, FacilityId{from}, to});
    const VillageInfo& village = cty(pat).village(pat.ref.village);
    pat.family_referral =
        pat.contracted && family_doctor_at(cty(pat).facilities[from], pat.ref.village.index(),
                                           village.township, sc(pat).choice.contract_level);
    pat.referred = true;
    pat.up_referred_in_episode = true;
    travel(p, to.index(), cty(pat).facilities[from].place, VisitKind::Referred);
}

SimTime CountyEngine::stay_here(Patient& pat, double multiplier) {
    const auto& fi = cty(pat).facilities[pat.facility];
    const auto& cond = cty(pat).condition(pat.ref.condition).spec;
    const double days =
        sample(pat, StreamPurpose::Clinical, cond.stay_days[static_cast<int>(fi.level)]) *
        cty(pat).response_at(pat.facility, pat.ref.condition.index()).length_of_stay * multiplier;
    return std::max<SimTime>(sim::kHour, sim::round_half_away(days * sim::kDay));
}

void CountyEngine::admit(std::uint32_t p, SimTime bed_wait) {
    auto& pat = patients_[p];
    const bool reserved = !walkin(pat) && desks_[pat.facility].bed_is_reserved();
    pat.walkin_bed = desks_[pat.facility].take_bed(walkin(pat));
    pat.stage = Stage::Admitted;
    const SimTime stay = stay_here(pat, 1.0);
    emit(Admitted{sim_.now(), pat.ref, FacilityId{pat.facility}, bed_wait, stay});
    if (reserved) emit_reserved(pat, true);
    bill_inpatient(p, stay);
    sim_.schedule_in(stay, kRelease, {EventKind::Discharge, p, 0, 0});
}

/// The patient's bed goes to the first waiting patient who may take it.
void CountyEngine::free_bed(std::uint32_t p) {
    auto& pat = patients_[p];
    auto& desk = desks_[pat.facility];
    if (desk.unlimited()) return;
    desk.release_bed(pat.walkin_bed);
    pat.walkin_bed = false;
    auto is_walkin_at = [this](std::uint32_t q) { return walkin(patients_[q]); };
    if (const auto next = desk.next_for_bed(is_walkin_at))
        admit(*next, sim_.now() - patients_[*next].queued_at);
}

namespace {

/// What decides the step after a stay: the condition's transfer and down-referral
/// probabilities, moved by the discharging provider's response to its payment.
DischargeFacts discharge_facts(const County& c, const Patient& pat) {
    const auto& fi = c.facilities[pat.facility];
    const auto& cond = c.condition(pat.ref.condition).spec;
    const auto& village = c.village(pat.ref.village);
    const ProviderResponse& response = c.response_at(pat.facility, pat.ref.condition.index());
    DischargeFacts facts;
    facts.level = fi.level;
    facts.up = FacilityId{fi.referral_target[pat.ref.condition.index()]};
    const bool out_of_county = facts.up.valid() && !c.facility(facts.up).in_county;
    facts.transfer_up_probability =
        scaled_probability(cond.transfer_up_probability[static_cast<int>(fi.level)],
                           out_of_county ? response.out_of_county_referral : 1.0);
    facts.down_referral_probability =
        scaled_probability(cond.down_referral_probability, response.down_referral);
    facts.home = down_referral_home(cond.down_referral_to, FacilityId{village.own_clinic},
                                    FacilityId{village.own_center});
    if (facts.home.valid()) facts.home_level = c.facility(facts.home).level;
    facts.down_referral_visits = cond.down_referral_visits;
    return facts;
}

}  // namespace

void CountyEngine::discharge(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t from = pat.facility;
    const auto& fi = cty(pat).facilities[from];
    emit(Discharged{sim_.now(), pat.ref, FacilityId{from}});
    if (pat.home_bed) {
        --home_beds_used_[from];
        pat.home_bed = false;
    } else {
        free_bed(p);
    }
    const DischargeFacts facts = discharge_facts(cty(pat), pat);
    auto clinical = [&] { return uniform(pat, StreamPurpose::Clinical); };
    std::visit(
        Overloaded{
            [&](TransferUp t) {  // referred by the rules, admitted on arrival
                pat.inpatient_transfer = true;
                refer_by_rules(p, t.to);
            },
            [&](DownRefer d) {
                emit(Referred{sim_.now(), pat.ref, ReferralKind::Down, FacilityId{from}, d.to});
                pat.referred = true;
                pat.down_referred = true;
                pat.remaining_visits = static_cast<std::uint16_t>(d.remaining);
                travel(p, d.to.index(), fi.place, VisitKind::DownReferred);
            },
            [&](EndEpisode end) { end_episode(p, end.how); },
        },
        after_discharge(facts, UniformDraw(clinical)));
}

void CountyEngine::bill_outpatient(std::uint32_t p) {
    const auto& pat = patients_[p];
    const Bill bill = cashier_.outpatient(cty(pat), encounter(pat));
    count_fund(bill.fund);
    emit(Billed{sim_.now(), pat.ref, FacilityId{pat.facility}, false, bill, false});
}

void CountyEngine::bill_inpatient(std::uint32_t p, SimTime stay, double fee_share) {
    auto& pat = patients_[p];
    const Bill bill =
        cashier_.inpatient(cty(pat), encounter(pat), stay, pat.deductible_paid, fee_share);
    count_fund(bill.fund);
    emit(Billed{sim_.now(), pat.ref, FacilityId{pat.facility}, true, bill, false});
}

}  // namespace cmasim::model::detail
