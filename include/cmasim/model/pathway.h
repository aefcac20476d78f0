// The patient's pathway as pure decisions. Each rule takes a small snapshot of the facts it needs
// (gathered by the engine) and returns what happens next; the engine applies it. Random draws
// stay in the engine's streams: a rule that may need one receives a UniformDraw and calls it
// exactly when the rule needs the number, so the count and order of draws per stream are part of
// the rule (and its table tests).
#pragma once

#include <variant>

#include "cmasim/model/county.h"
#include "cmasim/model/events.h"
#include "cmasim/scenario/spec.h"
#include "cmasim/sim/detmath.h"

namespace cmasim::model {

/// A uniform number on [0, 1), drawn from one of the episode's streams only when called. A
/// non-owning reference to the engine's draw (two pointers, no allocation).
class UniformDraw {
  public:
    template <class F>
    explicit UniformDraw(F& draw) : target_(&draw), call_(&invoke<F>) {}
    double operator()() const { return call_(target_); }

  private:
    template <class F>
    static double invoke(void* f) {
        return (*static_cast<F*>(f))();
    }
    void* target_;
    double (*call_)(void*);
};

// ---- The decisions. Each rule returns a std::variant of the few that can follow.

struct StartConsultation {};  ///< a doctor takes the patient now
struct JoinQueue {};          ///< wait for a doctor here
struct Balk {};               ///< the queue is too long: go elsewhere (then ChooseAgain)
struct ChooseAgain {};        ///< pick another facility for this step, or leave
struct WaitForOpening {
    sim::SimTime at;
};                ///< come back when a doctor is next on duty
struct Leave {};  ///< give up: the episode ends untreated
struct EndEpisode {
    EpisodeEnd how;
};                                 ///< the episode ends treated or discharged
struct NextVisit {};               ///< one more follow-up or down-referred visit
struct AdmitForRehabilitation {};  ///< the first visit after a down-referral admits the patient
struct SendUp {};                  ///< refer the patient up (up_referral() decides where)
struct RemoteConsult {};           ///< ask the county, then treat here
struct Treat {};                   ///< treat here (treatment() decides how)
struct Admit {};                   ///< take a bed now
struct QueueForBed {};             ///< wait here for a bed
struct StartFollowUps {
    int remaining;
};  ///< outpatient care: come back `remaining` + 1 times
struct SelfRefer {
    Level at_least;
    FacilityId otherwise;
};  ///< choose a facility at or above
    ///< at_least; if none will do, refer to `otherwise` (or leave)
struct ReferUp {
    FacilityId to;
};  ///< by the referral rules
struct TransferUp {
    FacilityId to;
};  ///< as an inpatient, admitted on arrival
struct DownRefer {
    FacilityId to;
    int remaining;
};  ///< to the home facility for remaining + 1 visits

// ---- Who holds a referral slip.

/// Referred, down-referred and follow-up patients hold a slip: they never balk, never renege
/// and never walk away from a closed door.
bool holds_referral(VisitKind k);
/// Patients referred up or down may use capacity reserved for referrals; everyone else is a
/// walk-in.
bool is_walkin(VisitKind k);
/// The same under a reservation rule: under contracted_referrals only an up-referral made by the
/// resident's own family doctor (`family_referral`) uses reserved capacity; everyone else,
/// other referred patients included, is a walk-in there.
bool is_walkin(VisitKind k, bool family_referral, scenario::ReservedFor rule);
/// Does a patient who joins a queue give up after a patience draw?
bool may_renege(VisitKind k, bool patience_set);

// ---- Queue order.

enum class ServeFrom : std::uint8_t { Nobody, Referred, Walkin };

struct ServeOrderFacts {
    bool referred_waiting = false;    ///< a referred patient waits and a doctor may take them
    bool walkin_waiting = false;      ///< a walk-in waits and a (non-reserved) doctor may take them
    bool referred_priority = true;    ///< referral.referred_priority
    sim::SimTime referred_since = 0;  ///< when the first referred patient joined
    sim::SimTime walkin_since = 0;    ///< when the first walk-in joined
};

/// Referred patients first under referred_priority, else the earlier of the two queue heads.
ServeFrom serve_order(const ServeOrderFacts& f);

// ---- Arriving at a facility.

struct DoorFacts {
    VisitKind kind = VisitKind::FirstContact;
    bool unlimited = false;
    bool open = true;
    sim::SimTime next_staffed = 0;  ///< when closed: the next time a doctor is on duty (or kNever)
    scenario::ClosedAction closed_action = scenario::ClosedAction::Wait;
    int queued = 0;            ///< live patients in the doctor queues
    bool doctor_free = false;  ///< a doctor may take this patient now
    double balk_queue_per_doctor = 0;
    int doctors = 0;  ///< on duty now
    /// An emergency patient at a facility with an emergency service: seen on arrival, day and
    /// night, by the emergency doctor (not one of the outpatient doctors; docs/model.md).
    bool emergency_service = false;
};
using DoorDecision = std::variant<StartConsultation, JoinQueue, Balk, ChooseAgain, WaitForOpening>;

/// An emergency service, closed doors, a free doctor, balking at a long queue, or joining it.
DoorDecision at_the_door(const DoorFacts& f);

/// After a balk, a renege or a closed door, with `attempts` choices made this step.
std::variant<ChooseAgain, Leave> after_setback(int attempts, int max_attempts);

/// A patient who ran out of patience in the queue.
std::variant<ChooseAgain, Leave> after_renege(scenario::RenegeAction action);

// ---- The start of an episode.

/// Gatekeeping: does a gatekept resident first try the family doctor (contract facilities
/// only)? Draws (compliance stream) only for gatekept residents.
bool family_doctor_first(bool gatekept, double compliance, UniformDraw compliance_draw);

/// Chronic-disease management: is an episode of a managed resident prevented? Only episodes of
/// the acute conditions of managed residents can be, each kept with probability `multiplier`.
/// Draws (prevention stream) only for those.
bool management_prevents(bool managed, bool acute, double multiplier, UniformDraw prevention);

// ---- The first choice of an episode.

/// What logit_pick() returns when the patient takes the outside option.
inline constexpr std::size_t kOutsideOption = ~std::size_t{0} - 1;

/// One draw of the choice logit. Candidate k's weight is w[k] (<= 0: not allowed, never
/// picked); `outside` is the outside option's weight (self-treatment, a pharmacy, waiting it
/// out; 0 when not offered); `total` is the sum of the positive weights and `outside`. Draws one
/// uniform: the candidates' weights come first in their order, the outside option last, so one
/// number decides between every facility and staying out of formal care. A rounding remainder
/// past the last weight goes to the outside option when offered, else to the last allowed
/// candidate (n when none is allowed).
std::size_t logit_pick(const double* w, std::size_t n, double outside, double total,
                       UniformDraw draw);

// ---- After a consultation.

struct ConsultationFacts {
    VisitKind kind = VisitKind::FirstContact;
    bool down_admission_drawn = false;   ///< the down-referral admission draw was made already
    double down_referral_admission = 0;  ///< the condition's rehabilitation-stay probability
    bool referred_bed_free = false;      ///< a bed is free for a referred patient here
    int remaining_visits = 0;
    bool can_treat = false;
    bool remote_treat = false;  ///< treatable here after a remote consultation
    bool remote_done = false;   ///< this step's remote consultation is over
};
using ConsultationDecision =
    std::variant<AdmitForRehabilitation, NextVisit, EndEpisode, SendUp, RemoteConsult, Treat>;

/// Follow-ups and down-referred visits continue or end; a facility that cannot treat the
/// condition refers up or asks for a remote consultation. Draws (clinical stream) once, at the
/// first visit after a down-referral when a rehabilitation stay is possible.
ConsultationDecision after_consultation(const ConsultationFacts& f, UniformDraw clinical);

/// Medicine lists: is the patient's medicine missing at a facility that treats the condition,
/// so that the patient is referred up? Draws (medicine stream) only when the level lacks the
/// medicine for some patients (availability below 1).
bool medicine_missing(double availability, UniformDraw medicine);

struct TreatmentFacts {
    bool inpatient_transfer = false;  ///< referred up as an inpatient: admitted on arrival
    double admission_probability = 0;
    bool bed_free = false;  ///< a bed may be taken by this patient now
    int beds = 0;
    scenario::FullWardAction full_ward = scenario::FullWardAction::Wait;
    bool has_referral_target = false;
    int follow_ups = 0;
};
using TreatmentDecision =
    std::variant<Admit, QueueForBed, SendUp, Leave, StartFollowUps, EndEpisode>;

/// Admission (to a bed, the bed queue, or up when the ward is full) or outpatient care with
/// follow-ups. Draws (clinical stream) the admission unless the patient was transferred as an
/// inpatient.
TreatmentDecision treatment(const TreatmentFacts& f, UniformDraw clinical);

/// Did treatment() decide to admit (a bed, the bed queue, up for a full ward, or away when
/// there is no ward)? Only then can the patient decline the admission.
bool admission_advised(const TreatmentDecision& d);

/// Outpatient care at the facility: the condition's follow-ups, or the end of the episode.
TreatmentDecision outpatient_care(int follow_ups);

// ---- Declining an advised admission (the admission's outside option, docs/model.md §4).

struct AdmissionDeclineFacts {
    bool offered = false;   ///< the scenario sets an outside option and the patient may decline
    double outside = 0;     ///< choice.admission_outside_option
    double b_log_cost = 0;  ///< choice.admission_b_log_cost
    double stay_out_of_pocket_yuan = 0;  ///< what this stay is expected to cost the patient
};

/// Binary logit between accepting (utility b_log_cost * ln(1 + the stay's out-of-pocket)) and
/// declining (utility `outside`); 0 when not offered.
double admission_decline_probability(const AdmissionDeclineFacts& f);

/// Does the patient decline the advised admission? Draws (its own stream, so that no other
/// stream moves) once, and only when the decline is offered.
bool declines_admission(const AdmissionDeclineFacts& f, UniformDraw decline);

struct UpReferralFacts {
    double self_referral_probability = 0;
    Level level = Level::Village;  ///< of the referring facility
    FacilityId target;             ///< by the referral rules; invalid when nowhere
};
using UpReferralDecision = std::variant<SelfRefer, ReferUp, Leave>;

/// Self-referral past the rules (draws the behaviour stream when it is possible at all), else
/// the rules' target, else the patient leaves.
UpReferralDecision up_referral(const UpReferralFacts& f, UniformDraw behaviour);

// ---- After a discharge.

/// The facility a patient is down-referred to: the village clinic or the township center of the
/// patient's village (kNone-like invalid id when the village has none).
FacilityId down_referral_home(Level to, FacilityId own_clinic, FacilityId own_center);

struct DischargeFacts {
    Level level = Level::County;  ///< of the discharging facility
    double transfer_up_probability = 0;
    FacilityId up;  ///< by the referral rules; invalid when nowhere
    double down_referral_probability = 0;
    FacilityId home;  ///< down_referral_home(); invalid when none
    Level home_level = Level::Village;
    int down_referral_visits = 0;
};
using DischargeDecision = std::variant<TransferUp, DownRefer, EndEpisode>;

/// Transfer up as an inpatient, down-referral home, or the end of the episode. Draws (clinical
/// stream) for a transfer when one is possible, then for a down-referral when one is possible.
DischargeDecision after_discharge(const DischargeFacts& f, UniformDraw clinical);

// ---- Definitions: inline, because the engine asks these at every step of every patient and
// the answer should cost no more than the branches it replaces.

inline bool holds_referral(VisitKind k) {
    return k == VisitKind::Referred || k == VisitKind::DownReferred || k == VisitKind::FollowUp;
}

inline bool is_walkin(VisitKind k) {
    return !(k == VisitKind::Referred || k == VisitKind::DownReferred);
}

inline bool is_walkin(VisitKind k, bool family_referral, scenario::ReservedFor rule) {
    if (rule == scenario::ReservedFor::AnyReferral) return is_walkin(k);
    return !(k == VisitKind::Referred && family_referral);
}

inline bool may_renege(VisitKind k, bool patience_set) {
    return patience_set && !holds_referral(k);
}

inline ServeFrom serve_order(const ServeOrderFacts& f) {
    if (!f.referred_waiting && !f.walkin_waiting) return ServeFrom::Nobody;
    if (!f.walkin_waiting) return ServeFrom::Referred;
    if (!f.referred_waiting) return ServeFrom::Walkin;
    if (f.referred_priority) return ServeFrom::Referred;
    return f.walkin_since < f.referred_since ? ServeFrom::Walkin : ServeFrom::Referred;
}

inline DoorDecision at_the_door(const DoorFacts& f) {
    if (f.emergency_service) return StartConsultation{};
    if (!f.unlimited && !f.open) {
        if (f.next_staffed == WeeklySchedule::kNever) return ChooseAgain{};  // nobody ever on duty
        if (f.closed_action == scenario::ClosedAction::ChooseAgain && !holds_referral(f.kind))
            return ChooseAgain{};
        return WaitForOpening{f.next_staffed};
    }
    if (f.unlimited || (f.queued == 0 && f.doctor_free)) return StartConsultation{};
    const double balk_at = f.balk_queue_per_doctor * f.doctors;
    if (balk_at > 0 && f.queued >= balk_at && !holds_referral(f.kind)) return Balk{};
    return JoinQueue{};
}

inline std::variant<ChooseAgain, Leave> after_setback(int attempts, int max_attempts) {
    if (attempts >= max_attempts) return Leave{};
    return ChooseAgain{};
}

inline std::variant<ChooseAgain, Leave> after_renege(scenario::RenegeAction action) {
    if (action == scenario::RenegeAction::Leave) return Leave{};
    return ChooseAgain{};
}

inline bool family_doctor_first(bool gatekept, double compliance, UniformDraw compliance_draw) {
    return gatekept && compliance_draw() < compliance;
}

inline ConsultationDecision after_consultation(const ConsultationFacts& f, UniformDraw clinical) {
    if (f.kind == VisitKind::DownReferred && !f.down_admission_drawn) {
        // The first visit after a down-referral may lead to a rehabilitation stay here.
        if (f.down_referral_admission > 0 && clinical() < f.down_referral_admission &&
            f.referred_bed_free) {
            return AdmitForRehabilitation{};
        }
    }
    if (f.kind == VisitKind::FollowUp || f.kind == VisitKind::DownReferred) {
        if (f.remaining_visits > 0) return NextVisit{};
        return EndEpisode{f.kind == VisitKind::DownReferred ? EpisodeEnd::Discharged
                                                            : EpisodeEnd::Treated};
    }
    if (!f.can_treat) {
        if (!f.remote_treat) return SendUp{};
        if (!f.remote_done) return RemoteConsult{};
    }
    return Treat{};
}

inline bool management_prevents(bool managed, bool acute, double multiplier,
                                UniformDraw prevention) {
    return managed && acute && prevention() >= multiplier;
}

inline bool medicine_missing(double availability, UniformDraw medicine) {
    return availability < 1 && medicine() >= availability;
}

inline TreatmentDecision treatment(const TreatmentFacts& f, UniformDraw clinical) {
    if (f.inpatient_transfer || clinical() < f.admission_probability) {
        if (f.bed_free) return Admit{};
        if (f.beds > 0 && f.full_ward == scenario::FullWardAction::Wait) return QueueForBed{};
        if (f.has_referral_target) return SendUp{};
        if (f.beds == 0) return Leave{};  // no ward and nowhere to send the patient
        return QueueForBed{};             // nowhere to go: wait for a bed here
    }
    return outpatient_care(f.follow_ups);
}

inline TreatmentDecision outpatient_care(int follow_ups) {
    if (follow_ups > 0) return StartFollowUps{follow_ups - 1};
    return EndEpisode{EpisodeEnd::Treated};
}

inline bool admission_advised(const TreatmentDecision& d) {
    return std::holds_alternative<Admit>(d) || std::holds_alternative<QueueForBed>(d) ||
           std::holds_alternative<SendUp>(d) || std::holds_alternative<Leave>(d);
}

inline double admission_decline_probability(const AdmissionDeclineFacts& f) {
    if (!f.offered) return 0;
    const double accept = f.b_log_cost * sim::det::log1p(f.stay_out_of_pocket_yuan);
    return 1.0 / (1.0 + sim::det::exp(accept - f.outside));
}

inline bool declines_admission(const AdmissionDeclineFacts& f, UniformDraw decline) {
    return f.offered && decline() < admission_decline_probability(f);
}

inline UpReferralDecision up_referral(const UpReferralFacts& f, UniformDraw behaviour) {
    if (f.self_referral_probability > 0 && behaviour() < f.self_referral_probability &&
        f.level != Level::External) {
        return SelfRefer{static_cast<Level>(static_cast<int>(f.level) + 1), f.target};
    }
    if (!f.target.valid()) return Leave{};
    return ReferUp{f.target};
}

inline FacilityId down_referral_home(Level to, FacilityId own_clinic, FacilityId own_center) {
    return to == Level::Village ? own_clinic : own_center;
}

inline DischargeDecision after_discharge(const DischargeFacts& f, UniformDraw clinical) {
    if (f.transfer_up_probability > 0 && f.up.valid() && clinical() < f.transfer_up_probability) {
        return TransferUp{f.up};
    }
    if (f.down_referral_probability > 0 && f.home.valid() && f.home_level < f.level &&
        clinical() < f.down_referral_probability && f.down_referral_visits > 0) {
        return DownRefer{f.home, f.down_referral_visits - 1};
    }
    return EndEpisode{EpisodeEnd::Discharged};
}

inline std::size_t logit_pick(const double* w, std::size_t n, double outside, double total,
                              UniformDraw draw) {
    double u = draw() * total;
    std::size_t pick = n;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] <= 0) continue;
        pick = k;
        if (u < w[k]) return k;
        u -= w[k];
    }
    return outside > 0 ? kOutsideOption : pick;
}

}  // namespace cmasim::model
