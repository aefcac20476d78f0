// The county engine: patients fall ill in villages, choose facilities, queue, are treated,
// admitted, referred and billed. It gathers facts, asks the pathway rules (pathway.h) what
// happens next and applies the answer; the desks (desk.h) keep each facility's capacity. Its
// methods live in county_engine.cpp (the run and the episodes), doors_and_queues.cpp (arriving,
// queueing, consultations) and treatment.cpp (treatment, beds, referrals, bills). Not a public
// header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cashier.h"
#include "choice.h"
#include "chronic.h"
#include "demand.h"
#include "desk.h"
#include "kernel.h"
#include "staffing.h"

namespace cmasim::model::detail {

struct Patient {
    PatientRef ref;
    std::uint64_t person = 0;
    std::uint32_t facility = kNone;
    std::uint32_t generation = 0;
    SimTime queued_at = 0;
    Fen deductible_paid = 0;
    std::uint64_t tried = 0;  ///< candidate bits already tried at this step
    EpisodeDraws draws;
    std::uint16_t remaining_visits = 0;
    VisitKind kind = VisitKind::FirstContact;
    Stage stage = Stage::Free;
    std::uint8_t attempts = 0;
    bool aged = false;
    bool contracted = false;
    bool low_income = false;  ///< eligible for medical assistance
    bool referred = false;
    bool down_referred = false;
    bool up_referred_in_episode = false;
    bool gatekept = false;              ///< contracted resident under gatekeeping
    bool walkin_doctor = false;         ///< holds one of the walk-in doctors (reserved capacity)
    bool walkin_bed = false;            ///< holds one of the walk-in beds
    bool remote_done = false;           ///< this step's remote consultation is over
    bool down_admission_drawn = false;  ///< the down-referral admission draw has been made
    bool inpatient_transfer = false;    ///< referred up as an inpatient: admitted on arrival
    bool on_call = false;           ///< in an emergency consultation (holds no outpatient doctor)
    bool seeks_care = false;        ///< has decided against the outside option
    bool family_referral = false;   ///< the last up-referral was by the family doctor
    bool ambulance = false;         ///< a pathway emergency that called an ambulance (120)
    bool treatment_timed = false;   ///< its time to treatment has been emitted
    bool exam_done = false;         ///< this step's exam is settled (policy.exams)
    bool exam_recognised = false;   ///< the episode's result is recognised after a referral
    std::uint32_t exam_at = kNone;  ///< where the episode's exam result was ordered
    std::uint8_t period = 0;        ///< the timeline's period the episode started in: its policy
    bool home_bed = false;          ///< admitted to a home bed (policy.home_beds)
};

class CountyEngine {
  public:
    CountyEngine(const County& county, std::uint64_t replication, ModelObserver& observer);
    ReplicationStats run();

  private:
    // county_engine.cpp: the run, demand, episodes, choice
    void start();
    void handle(const Event& e);
    void dispatch(const Event& e);
    void timetable_event(const Event& e);
    void restaff(std::uint32_t facility);
    void year_start();
    // county_invest.cpp: the global budget's settlement of each insurance year and the capacity
    // a retained surplus buys for the next one (docs/model.md)
    void count_fund(Fen fund);
    void settle_year(std::size_t year);
    void invest(std::uint32_t facility, const CapacityPurchase& buy);
    void arrival(std::uint32_t village);
    void emergency_arrival(std::uint32_t village);
    void scripted_arrival(std::uint32_t index);
    void begin_episode(std::uint32_t village, const Onset& onset, bool emergency = false);
    /// Chronic-disease management prevents the onset: its episode number is used up unseen.
    bool prevented(std::uint32_t village, const Onset& onset, bool emergency);
    void managed_visit(std::uint32_t village);
    /// A pathway emergency's ambulance call; true when it takes the patient to a center.
    bool ambulance_first_contact(std::uint32_t p);
    /// Seconds of a trip: by ambulance for a pathway emergency's urgent trips, else the road.
    SimTime trip_seconds(const Patient& pat, double road_minutes, VisitKind kind) const;
    std::uint32_t family_doctor_facility(std::uint32_t village) const;
    enum class EpisodeSource : std::uint8_t { Daytime, Emergency, Scheduled };
    std::uint32_t next_sequence(std::uint32_t village, EpisodeSource source);
    std::uint32_t new_patient(std::uint32_t village, EpisodeSource source);
    void end_episode(std::uint32_t p, EpisodeEnd how);
    bool choose(std::uint32_t p, VisitKind kind, Level min_level, std::uint32_t from_place,
                bool contract_only = false);
    bool stays_out(std::uint32_t p);
    static ChoiceAsk choice_ask(const Patient& pat, Level min_level, bool contract_only,
                                std::uint64_t tried, bool outside) {
        return {pat.ref.village.index(),
                pat.ref.condition.index(),
                pat.gatekept,
                pat.contracted,
                min_level,
                contract_only,
                tried,
                outside,
                pat.low_income};
    }
    void travel(std::uint32_t p, std::uint32_t facility, std::uint32_t from_place, VisitKind kind);
    void retry(std::uint32_t p);
    /// The county (its policy) an episode runs under: the period it started in (docs/model.md:
    /// the policy timeline). Places, capacity and demand are the same in every period.
    const County& cty(const Patient& pat) const { return c_.period(pat.period); }
    const scenario::Scenario& sc(const Patient& pat) const { return cty(pat).scenario; }
    double uniform(Patient& pat, StreamPurpose purpose) {
        return pat.draws.uniform(key_, pat.ref.episode, purpose);
    }
    double sample(Patient& pat, StreamPurpose purpose, const sim::Distribution& d) {
        return pat.draws.sample(key_, pat.ref.episode, purpose, d);
    }
    template <class E>
    void emit(const E& event) {
        obs_.on(event);
    }
    [[noreturn]] void fail(const std::string& what, std::uint32_t p) const;

    // doors_and_queues.cpp: arriving, queueing, consultations
    /// An emergency patient at a facility with an emergency service, for an urgent step (not a
    /// follow-up or a down-referral visit): seen on arrival.
    bool emergency_visit(const Patient& pat) const {
        return pat.ref.emergency && c_.facilities[pat.facility].emergency &&
               pat.kind != VisitKind::FollowUp && pat.kind != VisitKind::DownReferred;
    }
    void reach_facility(std::uint32_t p);
    void enqueue(std::uint32_t p);
    void renege(std::uint32_t p, std::uint32_t gen);
    void serve_next(std::uint32_t facility);
    void start_consultation(std::uint32_t p, SimTime wait);
    void time_treatment(std::uint32_t p);
    void service_end(std::uint32_t p);
    void schedule_visit(std::uint32_t p, SimTime at);

    // treatment.cpp: after a consultation, beds, referrals, bills
    void outcome(std::uint32_t p);
    // exams.cpp: the step's exam before the decision (policy.exams)
    /// True when the patient now waits for an exam's result (outcome() runs again then).
    bool waits_for_exam(std::uint32_t p);
    bool read_exam(std::uint32_t p, std::uint32_t center, bool repeat);
    void treat(std::uint32_t p);
    bool declines_admission_here(std::uint32_t p);
    void wait_for_bed(std::uint32_t p);
    void refer_up(std::uint32_t p);
    void treat_if_medicine(std::uint32_t p);
    void refer_by_rules(std::uint32_t p, FacilityId to);
    void admit(std::uint32_t p, SimTime bed_wait);
    /// The stay of an admission here, `multiplier` times the condition's (and the provider's).
    SimTime stay_here(Patient& pat, double multiplier);
    // home_beds.cpp: home beds at township centers (policy.home_beds)
    bool takes_home_bed_here(const Patient& pat) const;
    void admit_home(std::uint32_t p);
    void home_visit(std::uint32_t p, std::uint32_t gen);
    void home_visit_done(std::uint32_t facility);
    void discharge(std::uint32_t p);
    void free_bed(std::uint32_t p);
    void bill_outpatient(std::uint32_t p);
    void bill_inpatient(std::uint32_t p, SimTime stay, double fee_share = 1);
    /// Walk-in for the reserved capacity and the queues (is_walkin under the scenario's rule).
    bool walkin(const Patient& pat) const {
        return is_walkin(pat.kind, pat.family_referral, s_.policy.reserved_for);
    }
    /// The patient took a doctor (or a bed) the reservation kept free.
    void emit_reserved(const Patient& pat, bool bed) {
        emit(ReservedCapacityUsed{sim_.now(), pat.ref, FacilityId{pat.facility}, bed, pat.kind,
                                  pat.family_referral});
    }
    Encounter encounter(const Patient& pat) const {
        const auto& f = c_.facilities[pat.facility];
        return {
            pat.person,
            pat.ref.condition.index(),
            f.level,
            CareRoute{pat.referred, pat.down_referred, pat.up_referred_in_episode, pat.gatekept},
            pat.low_income,
            f.place_class};
    }

    const County& c_;
    const scenario::Scenario& s_;
    ModelObserver& obs_;
    sim::StreamKey key_;
    sim::Simulator<Event> sim_;
    SimTime end_ = 0;  ///< warm-up + horizon: no arrivals from then on
    PatientPool<Patient> patients_;
    std::vector<FacilityDesk> desks_;
    FacilityChooser chooser_;
    Demand demand_;
    std::vector<ContractBook> contracts_;  ///< one per period: each reads its own contract share
    ContractBook low_income_;  ///< medical-assistance eligibility (empty when no period has it)
    ChronicCare chronic_;
    Cashier cashier_;
    std::vector<ExamCalendar> exam_calendars_;  ///< one per exam center: its daily reads
    std::vector<int> home_beds_used_;           ///< per facility: home beds taken now
    std::vector<std::uint32_t> episode_counter_;
    std::vector<std::uint32_t> emergency_counter_;  ///< emergency episodes' own numbers
    std::vector<std::uint32_t> managed_counter_;    ///< scheduled follow-ups' own numbers
    ReplicationStats stats_;
    /// The fund's share of the bills of each insurance year; empty without a global budget.
    std::vector<Fen> fund_by_year_;
    static constexpr SimTime kNoPeriod = INT64_MAX;
    std::uint8_t period_ = 0;          ///< the timeline's period in force now
    SimTime next_period_ = kNoPeriod;  ///< when the next period starts
};

}  // namespace cmasim::model::detail
