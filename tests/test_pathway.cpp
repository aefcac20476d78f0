// Table tests of the patient-pathway rules in pathway.h. Every row names its case, the facts, the
// uniform numbers the engine would draw, the decision expected and how many numbers the rule may
// use: the count and order of draws are part of each rule, because every fingerprint depends on
// them.
#include <gtest/gtest.h>

#include <cmath>

#include <string>
#include <variant>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/pathway.h"

namespace {

using namespace cmasim::model;
using cmasim::scenario::ClosedAction;
using cmasim::scenario::FullWardAction;
using cmasim::scenario::RenegeAction;
using cmasim::sim::SimTime;

/// The uniforms a rule may draw, in order; counts what it used. A rule drawing past the script
/// gets 0.5 and the row fails on the count.
struct Script {
    std::vector<double> values;
    std::size_t used = 0;
    double operator()() { return used < values.size() ? values[used++] : (++used, 0.5); }
};

/// A decision in words, so that a table row reads as what it expects.
struct Name {
    std::string operator()(StartConsultation) const { return "start"; }
    std::string operator()(JoinQueue) const { return "queue"; }
    std::string operator()(Balk) const { return "balk"; }
    std::string operator()(ChooseAgain) const { return "choose_again"; }
    std::string operator()(WaitForOpening w) const { return "wait_until " + std::to_string(w.at); }
    std::string operator()(Leave) const { return "leave"; }
    std::string operator()(EndEpisode e) const {
        return e.how == EpisodeEnd::Discharged ? "end discharged"
               : e.how == EpisodeEnd::Treated  ? "end treated"
                                               : "end left";
    }
    std::string operator()(NextVisit) const { return "next_visit"; }
    std::string operator()(AdmitForRehabilitation) const { return "admit_rehabilitation"; }
    std::string operator()(SendUp) const { return "send_up"; }
    std::string operator()(RemoteConsult) const { return "remote"; }
    std::string operator()(Treat) const { return "treat"; }
    std::string operator()(Admit) const { return "admit"; }
    std::string operator()(QueueForBed) const { return "bed_queue"; }
    std::string operator()(StartFollowUps f) const {
        return "follow_ups " + std::to_string(f.remaining);
    }
    std::string operator()(SelfRefer s) const {
        return "self_refer level>=" + std::to_string(static_cast<int>(s.at_least)) + " else " +
               id(s.otherwise);
    }
    std::string operator()(ReferUp r) const { return "refer_up " + id(r.to); }
    std::string operator()(TransferUp t) const { return "transfer_up " + id(t.to); }
    std::string operator()(DownRefer d) const {
        return "down_refer " + id(d.to) + " +" + std::to_string(d.remaining);
    }
    static std::string id(FacilityId f) { return f.valid() ? std::to_string(f.index()) : "none"; }
};

template <class Variant>
std::string name(const Variant& v) {
    return std::visit(Name{}, v);
}

/// Runs a table of a rule that draws: each row's decision, and how many numbers it drew.
template <class Rows, class Rule>
void check_rows(const Rows& rows, Rule rule) {
    for (const auto& r : rows) {
        Script s{r.draws};
        EXPECT_EQ(rule(r.f, UniformDraw(s)), r.expected) << r.what;
        EXPECT_EQ(s.used, r.used) << r.what;
    }
}

constexpr FacilityId kNowhere{};
constexpr FacilityId kCountyHospital{7};
constexpr FacilityId kHomeCenter{2};

TEST(PathwayReferralSlip, WhoHoldsOneAndWhoIsAWalkIn) {
    struct Row {
        VisitKind kind;
        bool holds, walkin;
    };
    const Row rows[] = {
        {VisitKind::FirstContact, false, true}, {VisitKind::Retry, false, true},
        {VisitKind::SelfReferred, false, true}, {VisitKind::Routed, false, true},
        {VisitKind::Referred, true, false},     {VisitKind::DownReferred, true, false},
        {VisitKind::FollowUp, true, true},  // keeps the slip, but not reserved capacity
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(static_cast<int>(r.kind));
        EXPECT_EQ(holds_referral(r.kind), r.holds);
        EXPECT_EQ(is_walkin(r.kind), r.walkin);
        EXPECT_FALSE(may_renege(r.kind, false));
        EXPECT_EQ(may_renege(r.kind, true), !r.holds);
    }
}

/// Reserved capacity (and the referred queue) under each rule: under contracted_referrals only
/// a family doctor's up-referral; under any_referral every up- or down-referral.
TEST(PathwayReservedFor, OnlyContractedReferralsUnderTheDefault) {
    using cmasim::scenario::ReservedFor;
    struct Row {
        VisitKind kind;
        bool family;
        bool walkin_contracted, walkin_any;
    };
    const Row rows[] = {
        {VisitKind::Referred, true, false, false},  // the family doctor referred up
        {VisitKind::Referred, false, true, false},  // another facility referred up
        {VisitKind::DownReferred, false, true, false},
        {VisitKind::DownReferred, true, true, false},  // a down-referral is no family referral
        {VisitKind::FirstContact, true, true, true},   // the flag alone reserves nothing
        {VisitKind::FollowUp, true, true, true},
        {VisitKind::SelfReferred, false, true, true},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(static_cast<int>(r.kind));
        EXPECT_EQ(is_walkin(r.kind, r.family, ReservedFor::ContractedReferrals),
                  r.walkin_contracted);
        EXPECT_EQ(is_walkin(r.kind, r.family, ReservedFor::AnyReferral), r.walkin_any);
    }
}

TEST(PathwayQueueOrder, ReferredFirstOrEarliest) {
    struct Row {
        const char* what;
        ServeOrderFacts f;
        ServeFrom expected;
    };
    const Row rows[] = {
        {"nobody may be served", {false, false, true, 0, 0}, ServeFrom::Nobody},
        {"only referred", {true, false, false, 50, 0}, ServeFrom::Referred},
        {"only walk-ins", {false, true, true, 0, 50}, ServeFrom::Walkin},
        {"priority: referred although later", {true, true, true, 100, 10}, ServeFrom::Referred},
        {"no priority: earlier walk-in", {true, true, false, 100, 10}, ServeFrom::Walkin},
        {"no priority: earlier referred", {true, true, false, 10, 100}, ServeFrom::Referred},
        {"no priority: a tie goes to referred", {true, true, false, 10, 10}, ServeFrom::Referred},
    };
    for (const auto& r : rows) EXPECT_EQ(serve_order(r.f), r.expected) << r.what;
}

DoorFacts door(VisitKind kind, bool open, int queued, bool free, double balk, int doctors) {
    DoorFacts f;
    f.kind = kind;
    f.open = open;
    f.next_staffed = 5000;
    f.queued = queued;
    f.doctor_free = free;
    f.balk_queue_per_doctor = balk;
    f.doctors = doctors;
    return f;
}

struct DoorRow {
    const char* what;
    DoorFacts f;
    std::string expected;
};

TEST(PathwayDoor, ClosedDoorsFreeDoctorsAndBalking) {
    const DoorRow rows[] = {
        {"closed: wait for the opening", door(VisitKind::FirstContact, false, 0, false, 0, 0),
         "wait_until 5000"},
        {"open, empty queue, doctor free", door(VisitKind::FirstContact, true, 0, true, 0, 2),
         "start"},
        {"open, empty queue, all busy", door(VisitKind::FirstContact, true, 0, false, 0, 2),
         "queue"},
        {"someone waits: join even if a doctor is free",
         door(VisitKind::FirstContact, true, 1, true, 0, 2), "queue"},
        {"queue at the balking length", door(VisitKind::FirstContact, true, 4, false, 2, 2),
         "balk"},
        {"queue below the balking length", door(VisitKind::FirstContact, true, 3, false, 2, 2),
         "queue"},
        {"a referred patient never balks", door(VisitKind::Referred, true, 9, false, 2, 2),
         "queue"},
        {"a follow-up never balks", door(VisitKind::FollowUp, true, 9, false, 2, 2), "queue"},
        {"balking off", door(VisitKind::FirstContact, true, 99, false, 0, 2), "queue"},
    };
    for (const auto& r : rows) EXPECT_EQ(name(at_the_door(r.f)), r.expected) << r.what;
}

TEST(PathwayDoor, ClosedForGoodChooseAgainPolicyAndEmergencyServices) {
    std::vector<DoorRow> rows;
    DoorRow never{"closed for good: choose again", door(VisitKind::Referred, false, 0, false, 0, 0),
                  "choose_again"};
    never.f.next_staffed = WeeklySchedule::kNever;
    rows.push_back(never);
    DoorRow walk_away{"closed, choose-again policy, walk-in",
                      door(VisitKind::FirstContact, false, 0, false, 0, 0), "choose_again"};
    walk_away.f.closed_action = ClosedAction::ChooseAgain;
    rows.push_back(walk_away);
    DoorRow slip{"closed, choose-again policy, referred waits",
                 door(VisitKind::Referred, false, 0, false, 0, 0), "wait_until 5000"};
    slip.f.closed_action = ClosedAction::ChooseAgain;
    rows.push_back(slip);
    DoorRow unlimited{"unlimited: always seen at once",
                      door(VisitKind::FirstContact, false, 7, false, 1, 0), "start"};
    unlimited.f.unlimited = true;
    rows.push_back(unlimited);
    DoorRow night{"emergency service: seen at once when closed",
                  door(VisitKind::FirstContact, false, 0, false, 0, 0), "start"};
    night.f.emergency_service = true;
    rows.push_back(night);
    DoorRow crowded{"emergency service: seen at once past the balking length",
                    door(VisitKind::FirstContact, true, 9, false, 2, 2), "start"};
    crowded.f.emergency_service = true;
    rows.push_back(crowded);
    for (const auto& r : rows) EXPECT_EQ(name(at_the_door(r.f)), r.expected) << r.what;
}

TEST(PathwaySetbacks, RetryUntilTheAttemptsRunOutAndRenegeAction) {
    EXPECT_EQ(name(after_setback(1, 3)), "choose_again");
    EXPECT_EQ(name(after_setback(2, 3)), "choose_again");
    EXPECT_EQ(name(after_setback(3, 3)), "leave");
    EXPECT_EQ(name(after_setback(1, 1)), "leave");
    EXPECT_EQ(name(after_renege(RenegeAction::Leave)), "leave");
    EXPECT_EQ(name(after_renege(RenegeAction::ChooseAgain)), "choose_again");
}

TEST(PathwayGatekeeping, FamilyDoctorFirstDrawsOnlyForGatekept) {
    struct Row {
        const char* what;
        bool gatekept;
        double compliance;
        std::vector<double> draws;
        bool expected;
        std::size_t used;
    };
    const Row rows[] = {
        {"not gatekept: no draw", false, 0.9, {}, false, 0},
        {"gatekept, complies", true, 0.9, {0.5}, true, 1},
        {"gatekept, does not comply", true, 0.3, {0.5}, false, 1},
        {"compliance 0 still draws", true, 0.0, {0.0}, false, 1},
    };
    for (const auto& r : rows) {
        Script s{r.draws};
        EXPECT_EQ(family_doctor_first(r.gatekept, r.compliance, UniformDraw(s)), r.expected)
            << r.what;
        EXPECT_EQ(s.used, r.used) << r.what;
    }
}

/// The first choice: weights {1, 2, -1 (not allowed), 1} plus the outside option's. One uniform
/// walks the candidates in order and the outside option last; a candidate's probability is its
/// weight over the total, the outside option's likewise, and a not-allowed one is never picked.
TEST(PathwayFirstChoice, OutsideOptionJoinsTheSameDraw) {
    struct Row {
        const char* what;
        double outside;
        double u;
        std::size_t expected;
    };
    const double w[4] = {1, 2, -1, 1};
    const std::vector<Row> rows = {
        {"no outside option, first slice", 0, 0.0, 0},
        {"no outside option, second slice", 0, 0.3, 1},
        {"no outside option, last slice skips the forbidden one", 0, 0.9, 3},
        {"no outside option, rounding remainder: last allowed", 0, 1.0, 3},
        {"outside 4 of 8: a low draw still picks a facility", 4, 0.1, 0},
        {"outside 4 of 8: 3/8 is the second candidate", 4, 0.3, 1},
        {"outside 4 of 8: 3.5/8 is the fourth candidate", 4, 0.45, 3},
        {"outside 4 of 8: past every facility", 4, 0.5, kOutsideOption},
        {"outside 4 of 8: top of the range", 4, 0.99, kOutsideOption},
        {"outside 4 of 8: rounding remainder goes outside", 4, 1.0, kOutsideOption},
    };
    for (const auto& r : rows) {
        Script s{{r.u}};
        const double total = 4 + r.outside;
        EXPECT_EQ(logit_pick(w, 4, r.outside, total, UniformDraw(s)), r.expected) << r.what;
        EXPECT_EQ(s.used, 1U) << r.what;
    }
    const double none[2] = {-1, -1};
    Script s{{0.5}};
    EXPECT_EQ(logit_pick(none, 2, 0, 0, UniformDraw(s)), 2U) << "nothing allowed: n";
}

ConsultationFacts consultation(VisitKind kind, bool can_treat = true) {
    ConsultationFacts f;
    f.kind = kind;
    f.can_treat = can_treat;
    return f;
}

TEST(PathwayAfterConsultation, ContinueEndReferRemoteOrTreat) {
    struct Row {
        const char* what;
        ConsultationFacts f;
        std::vector<double> draws;
        std::string expected;
        std::size_t used;
    };
    std::vector<Row> rows = {
        {"first contact, treatable", consultation(VisitKind::FirstContact), {}, "treat", 0},
        {"cannot treat, no remote: send up",
         consultation(VisitKind::FirstContact, false),
         {},
         "send_up",
         0},
        {"follow-up, last visit", consultation(VisitKind::FollowUp), {}, "end treated", 0},
        {"down-referred, last visit, no rehabilitation",
         consultation(VisitKind::DownReferred),
         {},
         "end discharged",
         0},
    };
    Row more = {"follow-up, 2 visits left", consultation(VisitKind::FollowUp), {}, "next_visit", 0};
    more.f.remaining_visits = 2;
    rows.push_back(more);
    Row remote = {
        "cannot treat, remote possible", consultation(VisitKind::Referred, false), {}, "remote", 0};
    remote.f.remote_treat = true;
    rows.push_back(remote);
    Row answered = remote;
    answered.what = "remote answer back: treat";
    answered.f.remote_done = true;
    answered.expected = "treat";
    rows.push_back(answered);
    check_rows(rows, [](const auto& f, UniformDraw d) { return name(after_consultation(f, d)); });
}

TEST(PathwayAfterConsultation, RehabilitationAfterADownReferralIsDrawnOnce) {
    struct Row {
        const char* what;
        ConsultationFacts f;
        std::vector<double> draws;
        std::string expected;
        std::size_t used;
    };
    std::vector<Row> rows;
    Row rehab = {"down-referred, rehabilitation drawn, bed free",
                 consultation(VisitKind::DownReferred),
                 {0.1},
                 "admit_rehabilitation",
                 1};
    rehab.f.down_referral_admission = 0.5;
    rehab.f.referred_bed_free = true;
    rehab.f.remaining_visits = 3;
    rows.push_back(rehab);
    Row no_bed = rehab;
    no_bed.what = "rehabilitation drawn, ward full: visits go on";
    no_bed.f.referred_bed_free = false;
    no_bed.expected = "next_visit";
    rows.push_back(no_bed);
    Row not_drawn = rehab;
    not_drawn.what = "rehabilitation not drawn";
    not_drawn.draws = {0.9};
    not_drawn.expected = "next_visit";
    rows.push_back(not_drawn);
    Row once = rehab;
    once.what = "the rehabilitation draw is made once per down-referral";
    once.f.down_admission_drawn = true;
    once.draws = {};
    once.used = 0;
    once.expected = "next_visit";
    rows.push_back(once);
    check_rows(rows, [](const auto& f, UniformDraw d) { return name(after_consultation(f, d)); });
}

TreatmentFacts ward(double p_admit, bool bed_free, int beds, bool target) {
    TreatmentFacts f;
    f.admission_probability = p_admit;
    f.bed_free = bed_free;
    f.beds = beds;
    f.has_referral_target = target;
    return f;
}

TEST(PathwayTreatment, AdmissionFullWardsAndFollowUps) {
    struct Row {
        const char* what;
        TreatmentFacts f;
        std::vector<double> draws;
        std::string expected;
        std::size_t used;
    };
    std::vector<Row> rows = {
        {"outpatient, no follow-ups", ward(0.2, true, 5, true), {0.5}, "end treated", 1},
        {"admitted, bed free", ward(0.2, true, 5, true), {0.1}, "admit", 1},
        {"admitted, ward full, wait policy", ward(0.2, false, 5, true), {0.1}, "bed_queue", 1},
        {"admitted, no ward: up the chain", ward(0.2, false, 0, true), {0.1}, "send_up", 1},
        {"admitted, no ward, nowhere to go", ward(0.2, false, 0, false), {0.1}, "leave", 1},
    };
    Row follow = {
        "outpatient with 3 follow-ups", ward(0.2, true, 5, true), {0.5}, "follow_ups 2", 1};
    follow.f.follow_ups = 3;
    rows.push_back(follow);
    Row transfer = {
        "inpatient transfer: admitted without a draw", ward(0.0, true, 5, true), {}, "admit", 0};
    transfer.f.inpatient_transfer = true;
    rows.push_back(transfer);
    Row refer = {"ward full, refer policy, target", ward(0.2, false, 5, true), {0.1}, "send_up", 1};
    refer.f.full_ward = FullWardAction::Refer;
    rows.push_back(refer);
    Row stuck = {"ward full, refer policy, no target: wait here",
                 ward(0.2, false, 5, false),
                 {0.1},
                 "bed_queue",
                 1};
    stuck.f.full_ward = FullWardAction::Refer;
    rows.push_back(stuck);
    check_rows(rows, [](const auto& f, UniformDraw d) { return name(treatment(f, d)); });
}

/// The admission's outside option. With outside = b * ln(1 + 999) the two alternatives are
/// equally good at a 999-yuan stay, so half decline; a dearer stay raises the share.
TEST(PathwayAdmissionDecline, LogitOnTheStaysPriceDrawnOnlyWhenOffered) {
    const double b = -1.2;
    const double even = b * std::log(1000.0);
    auto facts = [&](bool offered, double outside, double yuan) {
        AdmissionDeclineFacts f;
        f.offered = offered;
        f.outside = outside;
        f.b_log_cost = b;
        f.stay_out_of_pocket_yuan = yuan;
        return f;
    };
    EXPECT_EQ(admission_decline_probability(facts(false, 0, 999)), 0.0);
    EXPECT_NEAR(admission_decline_probability(facts(true, even, 999)), 0.5, 1e-12);
    // Ten times the price: odds of declining x 10^1.2 (up to the 1 in ln(1 + yuan)).
    const double dear = admission_decline_probability(facts(true, even, 9999));
    EXPECT_NEAR(dear / (1 - dear), std::pow(10000.0 / 1000.0, 1.2), 1e-9);
    EXPECT_NEAR(admission_decline_probability(facts(true, even + std::log(3.0), 999)), 0.75, 1e-12);
    struct Row {
        const char* what;
        AdmissionDeclineFacts f;
        std::vector<double> draws;
        bool expected;
        std::size_t used;
    };
    const std::vector<Row> rows = {
        {"not offered: no draw", facts(false, even, 999), {}, false, 0},
        {"even odds, low draw declines", facts(true, even, 999), {0.49}, true, 1},
        {"even odds, high draw accepts", facts(true, even, 999), {0.51}, false, 1},
        {"free stay, outside far below: accepts", facts(true, -20, 0), {1e-6}, false, 1},
    };
    check_rows(rows, [](const auto& f, UniformDraw d) { return declines_admission(f, d); });
}

/// Which treatment decisions are an advised admission, and outpatient care instead of one.
TEST(PathwayAdmissionDecline, AdvisedAdmissionsAndTheOutpatientAlternative) {
    EXPECT_TRUE(admission_advised(TreatmentDecision{Admit{}}));
    EXPECT_TRUE(admission_advised(TreatmentDecision{QueueForBed{}}));
    EXPECT_TRUE(admission_advised(TreatmentDecision{SendUp{}}));
    EXPECT_TRUE(admission_advised(TreatmentDecision{Leave{}}));
    EXPECT_FALSE(admission_advised(TreatmentDecision{StartFollowUps{2}}));
    EXPECT_FALSE(admission_advised(TreatmentDecision{EndEpisode{EpisodeEnd::Treated}}));
    EXPECT_EQ(name(outpatient_care(0)), "end treated");
    EXPECT_EQ(name(outpatient_care(3)), "follow_ups 2");
}

TEST(PathwayUpReferral, SelfReferralRulesTargetOrLeave) {
    struct Row {
        const char* what;
        UpReferralFacts f;
        std::vector<double> draws;
        std::string expected;
        std::size_t used;
    };
    const Row rows[] = {
        {"no self-referral: by the rules",
         {0.0, Level::Township, kCountyHospital},
         {},
         "refer_up 7",
         0},
        {"no self-referral, nowhere: leave", {0.0, Level::Township, kNowhere}, {}, "leave", 0},
        {"self-referral drawn",
         {0.3, Level::Township, kCountyHospital},
         {0.1},
         "self_refer level>=2 else 7",
         1},
        {"self-referral drawn, no rules target",
         {0.3, Level::Village, kNowhere},
         {0.1},
         "self_refer level>=1 else none",
         1},
        {"self-referral not drawn",
         {0.3, Level::Township, kCountyHospital},
         {0.9},
         "refer_up 7",
         1},
        {"nothing above external: rules only", {0.3, Level::External, kNowhere}, {0.1}, "leave", 1},
    };
    check_rows(rows, [](const auto& f, UniformDraw d) { return name(up_referral(f, d)); });
}

DischargeFacts discharge(double p_up, FacilityId up, double p_down, FacilityId home, int visits) {
    DischargeFacts f;
    f.level = Level::County;
    f.transfer_up_probability = p_up;
    f.up = up;
    f.down_referral_probability = p_down;
    f.home = home;
    f.home_level = Level::Township;
    f.down_referral_visits = visits;
    return f;
}

TEST(PathwayDischarge, TransferUpDownReferralOrEnd) {
    struct Row {
        const char* what;
        DischargeFacts f;
        std::vector<double> draws;
        std::string expected;
        std::size_t used;
    };
    std::vector<Row> rows = {
        {"nothing possible: no draw",
         discharge(0, kCountyHospital, 0, kHomeCenter, 2),
         {},
         "end discharged",
         0},
        {"transfer drawn",
         discharge(0.2, kCountyHospital, 0.9, kHomeCenter, 2),
         {0.1},
         "transfer_up 7",
         1},
        {"transfer not drawn, down drawn",
         discharge(0.2, kCountyHospital, 0.9, kHomeCenter, 2),
         {0.5, 0.5},
         "down_refer 2 +1",
         2},
        {"transfer impossible (no target): no draw",
         discharge(0.2, kNowhere, 0.9, kHomeCenter, 2),
         {0.5},
         "down_refer 2 +1",
         1},
        {"down not drawn", discharge(0, kNowhere, 0.3, kHomeCenter, 2), {0.5}, "end discharged", 1},
        {"down drawn, but no visits: still one draw",
         discharge(0, kNowhere, 0.3, kHomeCenter, 0),
         {0.1},
         "end discharged",
         1},
        {"no home facility: no draw",
         discharge(0, kNowhere, 0.3, kNowhere, 2),
         {},
         "end discharged",
         0},
    };
    Row not_lower = {"home not below the discharging level: no draw",
                     discharge(0, kNowhere, 0.9, kHomeCenter, 2),
                     {},
                     "end discharged",
                     0};
    not_lower.f.home_level = Level::County;
    rows.push_back(not_lower);
    check_rows(rows, [](const auto& f, UniformDraw d) { return name(after_discharge(f, d)); });
    EXPECT_EQ(down_referral_home(Level::Village, FacilityId{4}, FacilityId{2}), FacilityId{4});
    EXPECT_EQ(down_referral_home(Level::Township, FacilityId{4}, FacilityId{2}), FacilityId{2});
}

TEST(PathwayIds, EpisodeIdsKeepOriginAndSequenceApart) {
    const EpisodeId a = village_episode(VillageId{3}, 17);
    EXPECT_EQ(a.origin(), 3u);
    EXPECT_EQ(a.sequence(), 17u);
    EXPECT_EQ(a.value(), (std::uint64_t{3} << 32) | 17);
    const EpisodeId s = station_episode(FacilityId{3}, 17);
    EXPECT_EQ(s.origin(), 0x8000'0003u);
    EXPECT_EQ(s.sequence(), 17u);
    EXPECT_NE(a, s);
}

}  // namespace
