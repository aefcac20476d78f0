// The patient-pathway rules (pathway.h): pure functions of their facts and, where a rule needs a
// random number, of the numbers it draws. The behaviour they encode is described in docs/.
#include "cmasim/model/pathway.h"

#include "cmasim/model/county.h"

namespace cmasim::model {

bool holds_referral(VisitKind k) {
    return k == VisitKind::Referred || k == VisitKind::DownReferred || k == VisitKind::FollowUp;
}

bool is_walkin(VisitKind k) { return !(k == VisitKind::Referred || k == VisitKind::DownReferred); }

bool may_renege(VisitKind k, bool patience_set) { return patience_set && !holds_referral(k); }

ServeFrom serve_order(const ServeOrderFacts& f) {
    if (!f.referred_waiting && !f.walkin_waiting) return ServeFrom::Nobody;
    if (!f.walkin_waiting) return ServeFrom::Referred;
    if (!f.referred_waiting) return ServeFrom::Walkin;
    if (f.referred_priority) return ServeFrom::Referred;
    return f.walkin_since < f.referred_since ? ServeFrom::Walkin : ServeFrom::Referred;
}

DoorDecision at_the_door(const DoorFacts& f) {
    if (!f.unlimited && !f.open) {
        if (f.next_staffed == WeeklySchedule::kNever) return ChooseAgain{};  // nobody ever on duty
        if (f.closed_action == scenario::ClosedAction::ChooseAgain && !holds_referral(f.kind)) return ChooseAgain{};
        return WaitForOpening{f.next_staffed};
    }
    if (f.unlimited || (f.queued == 0 && f.doctor_free)) return StartConsultation{};
    const double balk_at = f.balk_queue_per_doctor * f.doctors;
    if (balk_at > 0 && f.queued >= balk_at && !holds_referral(f.kind)) return Balk{};
    return JoinQueue{};
}

std::variant<ChooseAgain, Leave> after_setback(int attempts, int max_attempts) {
    if (attempts >= max_attempts) return Leave{};
    return ChooseAgain{};
}

std::variant<ChooseAgain, Leave> after_renege(scenario::RenegeAction action) {
    if (action == scenario::RenegeAction::Leave) return Leave{};
    return ChooseAgain{};
}

bool family_doctor_first(bool gatekept, double compliance, UniformDraw compliance_draw) {
    return gatekept && compliance_draw() < compliance;
}

ConsultationDecision after_consultation(const ConsultationFacts& f, UniformDraw clinical) {
    if (f.kind == VisitKind::DownReferred && !f.down_admission_drawn) {
        // The first visit after a down-referral may lead to a rehabilitation stay here.
        if (f.down_referral_admission > 0 && clinical() < f.down_referral_admission && f.referred_bed_free) {
            return AdmitForRehabilitation{};
        }
    }
    if (f.kind == VisitKind::FollowUp || f.kind == VisitKind::DownReferred) {
        if (f.remaining_visits > 0) return NextVisit{};
        return EndEpisode{f.kind == VisitKind::DownReferred ? EpisodeEnd::Discharged : EpisodeEnd::Treated};
    }
    if (!f.can_treat) {
        if (!f.remote_treat) return SendUp{};
        if (!f.remote_done) return RemoteConsult{};
    }
    return Treat{};
}

TreatmentDecision treatment(const TreatmentFacts& f, UniformDraw clinical) {
    if (f.inpatient_transfer || clinical() < f.admission_probability) {
        if (f.bed_free) return Admit{};
        if (f.beds > 0 && f.full_ward == scenario::FullWardAction::Wait) return QueueForBed{};
        if (f.has_referral_target) return SendUp{};
        if (f.beds == 0) return Leave{};  // no ward and nowhere to send the patient
        return QueueForBed{};             // nowhere to go: wait for a bed here
    }
    if (f.follow_ups > 0) return StartFollowUps{f.follow_ups - 1};
    return EndEpisode{EpisodeEnd::Treated};
}

UpReferralDecision up_referral(const UpReferralFacts& f, UniformDraw behaviour) {
    if (f.self_referral_probability > 0 && behaviour() < f.self_referral_probability &&
        f.level != Level::External) {
        return SelfRefer{static_cast<Level>(static_cast<int>(f.level) + 1), f.target};
    }
    if (!f.target.valid()) return Leave{};
    return ReferUp{f.target};
}

FacilityId down_referral_home(Level to, FacilityId own_clinic, FacilityId own_center) {
    return to == Level::Village ? own_clinic : own_center;
}

DischargeDecision after_discharge(const DischargeFacts& f, UniformDraw clinical) {
    if (f.transfer_up_probability > 0 && f.up.valid() && clinical() < f.transfer_up_probability) {
        return TransferUp{f.up};
    }
    if (f.down_referral_probability > 0 && f.home.valid() && f.home_level < f.level &&
        clinical() < f.down_referral_probability && f.down_referral_visits > 0) {
        return DownRefer{f.home, f.down_referral_visits - 1};
    }
    return EndEpisode{EpisodeEnd::Discharged};
}

}  // namespace cmasim::model
