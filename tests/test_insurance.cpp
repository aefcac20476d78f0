// Table tests of the cost-sharing functions in insurance.h. Every row names its case and gives
// the exact fen it expects; every bill row also checks fund + out_of_pocket == total.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "cmasim/model/insurance.h"
#include "insurance_scheme.h"

namespace {

using cmasim::model::Bill;
using cmasim::model::CareRoute;
using cmasim::scenario::Fen;
using cmasim::scenario::Insurance;
using cmasim::scenario::Level;
using cmasim::test::base_scheme;

constexpr Level kVillage = Level::Village;
constexpr Level kTownship = Level::Township;
constexpr Level kCounty = Level::County;
constexpr Level kExternal = Level::External;

constexpr CareRoute kWalkIn{false, false, false};                // own choice, nothing before
constexpr CareRoute kReferredUp{true, false, true};              // referred up within the episode
constexpr CareRoute kDownReferred{true, true, true};             // sent down after a discharge
constexpr CareRoute kSelfReferred{false, false, true};           // went up without a referral
constexpr CareRoute kGatekeptWalkIn{false, false, false, true};  // contracted, own choice
constexpr CareRoute kGatekeptReferred{true, false, true, true};  // contracted, referred up

/// What a row changes in the base scheme (designated initializers name what is set).
struct Policy {
    bool continuous = false;
    bool waiver = false;
    double county_penalty = 0;    ///< unreferred ratio points off at county level
    double external_penalty = 0;  ///< unreferred ratio points off outside the county
    Fen outpatient_cap = 0;
    Fen inpatient_cap = 0;
    bool gatekeeping = false;
    double gate_county_penalty = 0;    ///< for gatekept residents, instead of county_penalty
    double gate_external_penalty = 0;  ///< for gatekept residents, instead of external_penalty
    double grassroots_penalty = 0;     ///< written to the village and township entries
};

Insurance scheme(const Policy& p) {
    Insurance ins = base_scheme();
    ins.continuous_deductible = p.continuous;
    ins.down_referral_waiver = p.waiver;
    ins.unreferred_penalty = {p.grassroots_penalty, p.grassroots_penalty, p.county_penalty,
                              p.external_penalty};
    ins.outpatient_cap = p.outpatient_cap;
    ins.inpatient_cap = p.inpatient_cap;
    ins.gatekeeping.enabled = p.gatekeeping;
    ins.gatekeeping.penalty = {p.grassroots_penalty, p.grassroots_penalty, p.gate_county_penalty,
                               p.gate_external_penalty};
    return ins;
}

struct BillCase {
    const char* name;
    bool inpatient;
    Fen fee;
    Level level;
    CareRoute route;
    Policy policy;
    Fen deductible_paid;  ///< earlier deductibles of the episode (inpatient only)
    Fen cap_used;
    Bill expected;  ///< total, fund, out_of_pocket, deductible
};

void PrintTo(const BillCase& c, std::ostream* os) {
    *os << c.name;
}

Bill bill_of(const BillCase& c) {
    const Insurance ins = scheme(c.policy);
    return c.inpatient ? cmasim::model::inpatient_bill(c.fee, c.level, c.route, ins,
                                                       c.deductible_paid, c.cap_used)
                       : cmasim::model::outpatient_bill(c.fee, c.level, c.route, ins, c.cap_used);
}

const Policy kPlain{};
const Policy kContinuous{.continuous = true};
const Policy kWaiver{.waiver = true};
const Policy kBoth{.continuous = true, .waiver = true};
const Policy kPenalty20{.external_penalty = 0.2};
const Policy kPenalty80{.external_penalty = 0.8};
const Policy kCountyPenalty10{.county_penalty = 0.1, .external_penalty = 0.2};
const Policy kEveryLevelPenalty50{
    .county_penalty = 0.5, .external_penalty = 0.5, .grassroots_penalty = 0.5};
const Policy kOutCap100{.outpatient_cap = 10000};  // 100 yuan a year
const Policy kInCap2000{.inpatient_cap = 200000};  // 2,000 yuan a year
// Unreferred external care: 0.2 off in general, 0.4 off for gatekept residents.
const Policy kGatekeeping{
    .external_penalty = 0.2, .gatekeeping = true, .gate_external_penalty = 0.4};
const Policy kGatekeepingOff{
    .external_penalty = 0.2, .gatekeeping = false, .gate_external_penalty = 0.4};

const std::vector<BillCase> kBillCases = {
    // --- outpatient: ratio x fee, rounded half away from zero
    {"op_village_plain", false, 4000, kVillage, kWalkIn, kPlain, 0, 0, {4000, 2400, 1600, 0}},
    {"op_township_half_fen_rounds_up",
     false,
     12345,
     kTownship,
     kWalkIn,
     kPlain,
     0,
     0,
     {12345, 6173, 6172, 0}},
    {"op_county_low_ratio", false, 22200, kCounty, kWalkIn, kPlain, 0, 0, {22200, 4440, 17760, 0}},
    {"op_zero_fee", false, 0, kVillage, kWalkIn, kPlain, 0, 0, {0, 0, 0, 0}},
    // --- outpatient yearly cap of 10000 fen
    {"op_cap_unused", false, 4000, kVillage, kWalkIn, kOutCap100, 0, 0, {4000, 2400, 1600, 0}},
    {"op_cap_partly_used",
     false,
     4000,
     kVillage,
     kWalkIn,
     kOutCap100,
     0,
     9000,
     {4000, 1000, 3000, 0}},
    {"op_cap_exactly_reached",
     false,
     4000,
     kVillage,
     kWalkIn,
     kOutCap100,
     0,
     7600,
     {4000, 2400, 1600, 0}},
    {"op_cap_fully_used", false, 4000, kVillage, kWalkIn, kOutCap100, 0, 10000, {4000, 0, 4000, 0}},
    {"op_cap_overdrawn", false, 4000, kVillage, kWalkIn, kOutCap100, 0, 12000, {4000, 0, 4000, 0}},
    {"op_no_cap_ignores_cap_used",
     false,
     4000,
     kVillage,
     kWalkIn,
     kPlain,
     0,
     99999999,
     {4000, 2400, 1600, 0}},
    // --- unreferred external care loses penalty points; referred care does not
    {"op_external_referred_full_ratio",
     false,
     33300,
     kExternal,
     kReferredUp,
     kPenalty20,
     0,
     0,
     {33300, 16650, 16650, 0}},
    {"op_external_unreferred_penalty",
     false,
     33300,
     kExternal,
     kWalkIn,
     kPenalty20,
     0,
     0,
     {33300, 9990, 23310, 0}},
    {"op_external_self_referred_penalty",
     false,
     33300,
     kExternal,
     kSelfReferred,
     kPenalty20,
     0,
     0,
     {33300, 9990, 23310, 0}},
    {"op_external_penalty_clamped_at_zero",
     false,
     33300,
     kExternal,
     kWalkIn,
     kPenalty80,
     0,
     0,
     {33300, 0, 33300, 0}},
    {"op_county_unaffected_by_external_penalty",
     false,
     22200,
     kCounty,
     kWalkIn,
     kPenalty80,
     0,
     0,
     {22200, 4440, 17760, 0}},
    {"op_county_unreferred_penalty",
     false,
     22200,
     kCounty,
     kWalkIn,
     kCountyPenalty10,
     0,
     0,
     {22200, 2220, 19980, 0}},
    {"op_county_referred_no_penalty",
     false,
     22200,
     kCounty,
     kReferredUp,
     kCountyPenalty10,
     0,
     0,
     {22200, 4440, 17760, 0}},
    {"op_township_never_penalised",
     false,
     12000,
     kTownship,
     kWalkIn,
     kEveryLevelPenalty50,
     0,
     0,
     {12000, 6000, 6000, 0}},
    {"op_village_never_penalised",
     false,
     4000,
     kVillage,
     kWalkIn,
     kEveryLevelPenalty50,
     0,
     0,
     {4000, 2400, 1600, 0}},
    // --- gatekeeping: gatekept residents lose the gatekeeping points instead, when switched on
    {"op_gatekept_unreferred_external",
     false,
     33300,
     kExternal,
     kGatekeptWalkIn,
     kGatekeeping,
     0,
     0,
     {33300, 3330, 29970, 0}},
    {"op_gatekept_referred_no_penalty",
     false,
     33300,
     kExternal,
     kGatekeptReferred,
     kGatekeeping,
     0,
     0,
     {33300, 16650, 16650, 0}},
    {"op_not_gatekept_general_penalty",
     false,
     33300,
     kExternal,
     kWalkIn,
     kGatekeeping,
     0,
     0,
     {33300, 9990, 23310, 0}},
    {"op_gatekeeping_off_general_penalty",
     false,
     33300,
     kExternal,
     kGatekeptWalkIn,
     kGatekeepingOff,
     0,
     0,
     {33300, 9990, 23310, 0}},
    // --- inpatient: deductible, then ratio x the rest
    {"ip_township_plain",
     true,
     150000,
     kTownship,
     kWalkIn,
     kPlain,
     0,
     0,
     {150000, 104000, 46000, 20000}},
    {"ip_fee_below_deductible",
     true,
     10000,
     kTownship,
     kWalkIn,
     kPlain,
     0,
     0,
     {10000, 0, 10000, 10000}},
    {"ip_fee_equals_deductible",
     true,
     60000,
     kCounty,
     kWalkIn,
     kPlain,
     0,
     0,
     {60000, 0, 60000, 60000}},
    // --- referral chain township -> county -> external, without continuous deductible:
    //     200 + 600 + 1500 yuan of deductibles
    {"chain_plain_township",
     true,
     150000,
     kTownship,
     kWalkIn,
     kPlain,
     0,
     0,
     {150000, 104000, 46000, 20000}},
    {"chain_plain_county",
     true,
     400000,
     kCounty,
     kReferredUp,
     kPlain,
     20000,
     0,
     {400000, 238000, 162000, 60000}},
    {"chain_plain_external",
     true,
     1000000,
     kExternal,
     kReferredUp,
     kPlain,
     80000,
     0,
     {1000000, 510000, 490000, 150000}},
    // --- the same chain with continuous deductible: 200 + 400 + 900 yuan (top-ups)
    {"chain_continuous_township",
     true,
     150000,
     kTownship,
     kWalkIn,
     kContinuous,
     0,
     0,
     {150000, 104000, 46000, 20000}},
    {"chain_continuous_county",
     true,
     400000,
     kCounty,
     kReferredUp,
     kContinuous,
     20000,
     0,
     {400000, 252000, 148000, 40000}},
    {"chain_continuous_external",
     true,
     1000000,
     kExternal,
     kReferredUp,
     kContinuous,
     60000,
     0,
     {1000000, 546000, 454000, 90000}},
    // continuous deductible does not apply to a first admission, nor to a self-referral
    {"continuous_first_admission_full",
     true,
     400000,
     kCounty,
     kWalkIn,
     kContinuous,
     0,
     0,
     {400000, 238000, 162000, 60000}},
    {"continuous_self_referred_full",
     true,
     400000,
     kCounty,
     kSelfReferred,
     kContinuous,
     20000,
     0,
     {400000, 238000, 162000, 60000}},
    // already paid more than the higher deductible: nothing more is due
    {"continuous_paid_above_deductible",
     true,
     400000,
     kCounty,
     kReferredUp,
     kContinuous,
     70000,
     0,
     {400000, 280000, 120000, 0}},
    // --- down-referral waiver
    {"down_referred_waiver_on",
     true,
     150000,
     kTownship,
     kDownReferred,
     kWaiver,
     60000,
     0,
     {150000, 120000, 30000, 0}},
    {"down_referred_waiver_off",
     true,
     150000,
     kTownship,
     kDownReferred,
     kPlain,
     60000,
     0,
     {150000, 104000, 46000, 20000}},
    {"waiver_ignores_up_referrals",
     true,
     400000,
     kCounty,
     kReferredUp,
     kWaiver,
     20000,
     0,
     {400000, 238000, 162000, 60000}},
    {"waiver_and_continuous_down",
     true,
     150000,
     kTownship,
     kDownReferred,
     kBoth,
     60000,
     0,
     {150000, 120000, 30000, 0}},
    // --- inpatient yearly cap of 200000 fen
    {"ip_cap_unused",
     true,
     400000,
     kCounty,
     kWalkIn,
     kInCap2000,
     0,
     0,
     {400000, 200000, 200000, 60000}},
    {"ip_cap_partly_used",
     true,
     400000,
     kCounty,
     kWalkIn,
     kInCap2000,
     0,
     100000,
     {400000, 100000, 300000, 60000}},
    {"ip_cap_fully_used",
     true,
     400000,
     kCounty,
     kWalkIn,
     kInCap2000,
     0,
     200000,
     {400000, 0, 400000, 60000}},
    {"ip_no_cap",
     true,
     400000,
     kCounty,
     kWalkIn,
     kPlain,
     0,
     5000000,
     {400000, 238000, 162000, 60000}},
    // --- penalty on inpatient care outside the county
    {"ip_external_unreferred_penalty",
     true,
     1000000,
     kExternal,
     kWalkIn,
     kPenalty20,
     0,
     0,
     {1000000, 340000, 660000, 150000}},
    {"ip_external_penalty_clamped",
     true,
     1000000,
     kExternal,
     kWalkIn,
     kPenalty80,
     0,
     0,
     {1000000, 0, 1000000, 150000}},
    {"ip_external_referred_no_penalty",
     true,
     1000000,
     kExternal,
     kReferredUp,
     kPenalty80,
     0,
     0,
     {1000000, 510000, 490000, 150000}},
};

class InsuranceBill : public ::testing::TestWithParam<BillCase> {};

TEST_P(InsuranceBill, ExactFen) {
    const BillCase& c = GetParam();
    const Bill b = bill_of(c);
    EXPECT_EQ(b.total, c.expected.total);
    EXPECT_EQ(b.fund, c.expected.fund);
    EXPECT_EQ(b.out_of_pocket, c.expected.out_of_pocket);
    EXPECT_EQ(b.deductible, c.expected.deductible);
}

TEST_P(InsuranceBill, PartsAddUpAndAreNonNegative) {
    const Bill b = bill_of(GetParam());
    EXPECT_EQ(b.fund + b.out_of_pocket, b.total);
    EXPECT_GE(b.fund, 0);
    EXPECT_GE(b.out_of_pocket, 0);
    EXPECT_GE(b.deductible, 0);
    EXPECT_LE(b.deductible, b.out_of_pocket);
}

INSTANTIATE_TEST_SUITE_P(InsuranceTable, InsuranceBill, ::testing::ValuesIn(kBillCases),
                         [](const auto& row) { return std::string(row.param.name); });

struct DeductibleCase {
    const char* name;
    Level level;
    CareRoute route;
    Policy policy;
    Fen paid;
    Fen expected;
};

void PrintTo(const DeductibleCase& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<DeductibleCase> kDeductibleCases = {
    {"first_admission_township", kTownship, kWalkIn, kPlain, 0, 20000},
    {"plain_county_after_township", kCounty, kReferredUp, kPlain, 20000, 60000},
    {"plain_external_after_both", kExternal, kReferredUp, kPlain, 80000, 150000},
    {"continuous_county_top_up", kCounty, kReferredUp, kContinuous, 20000, 40000},
    {"continuous_external_top_up", kExternal, kReferredUp, kContinuous, 60000, 90000},
    {"continuous_nothing_paid_yet", kCounty, kReferredUp, kContinuous, 0, 60000},
    {"continuous_never_negative", kTownship, kReferredUp, kContinuous, 60000, 0},
    {"continuous_self_referred_pays_full", kExternal, kSelfReferred, kContinuous, 60000, 150000},
    {"waiver_down_referred", kTownship, kDownReferred, kWaiver, 0, 0},
    {"no_waiver_down_referred", kTownship, kDownReferred, kPlain, 0, 20000},
    {"waiver_walk_in_pays", kTownship, kWalkIn, kWaiver, 0, 20000},
};

class InsuranceDeductible : public ::testing::TestWithParam<DeductibleCase> {};

TEST_P(InsuranceDeductible, ExactFen) {
    const DeductibleCase& c = GetParam();
    EXPECT_EQ(cmasim::model::deductible_due(c.level, c.route, scheme(c.policy), c.paid),
              c.expected);
}

INSTANTIATE_TEST_SUITE_P(InsuranceTable, InsuranceDeductible, ::testing::ValuesIn(kDeductibleCases),
                         [](const auto& row) { return std::string(row.param.name); });

// The whole chain through the functions, carrying the episode's deductible as the engine does:
// the patient's deductibles are 200 + 600 + 1500 yuan without the rule, 200 + 400 + 900 with it.
Fen chain_deductibles(bool continuous) {
    const Insurance ins = scheme(Policy{.continuous = continuous});
    Fen paid = 0;
    const Bill township = cmasim::model::inpatient_bill(150000, kTownship, kWalkIn, ins, paid, 0);
    paid += township.deductible;
    const Bill county = cmasim::model::inpatient_bill(400000, kCounty, kReferredUp, ins, paid, 0);
    paid += county.deductible;
    const Bill external =
        cmasim::model::inpatient_bill(1000000, kExternal, kReferredUp, ins, paid, 0);
    paid += external.deductible;
    return paid;
}

TEST(InsuranceChain, DeductiblesWithoutContinuousRule) {
    EXPECT_EQ(chain_deductibles(false), 20000 + 60000 + 150000);
}

TEST(InsuranceChain, DeductiblesWithContinuousRule) {
    EXPECT_EQ(chain_deductibles(true), 20000 + 40000 + 90000);
}

struct RatioCase {
    const char* name;
    double ratio;
    Level level;
    CareRoute route;
    Policy policy;
    double expected;
};

void PrintTo(const RatioCase& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<RatioCase> kRatioCases = {
    {"external_unreferred_points_off", 0.5, kExternal, kWalkIn, kPenalty20, 0.3},
    {"external_unreferred_clamped_at_zero", 0.5, kExternal, kWalkIn, kPenalty80, 0.0},
    {"external_referred_untouched", 0.5, kExternal, kReferredUp, kPenalty80, 0.5},
    {"external_down_referred_untouched", 0.5, kExternal, kDownReferred, kPenalty80, 0.5},
    {"external_self_referred_penalised", 0.6, kExternal, kSelfReferred,
     Policy{.external_penalty = 0.25}, 0.35},
    {"county_unreferred_points_off", 0.7, kCounty, kWalkIn, kCountyPenalty10, 0.6},
    {"county_untouched_by_external_penalty", 0.7, kCounty, kWalkIn, kPenalty80, 0.7},
    {"township_never_penalised", 0.8, kTownship, kWalkIn, kEveryLevelPenalty50, 0.8},
    {"village_never_penalised", 0.6, kVillage, kWalkIn, kEveryLevelPenalty50, 0.6},
    {"gatekept_external", 0.5, kExternal, kGatekeptWalkIn, kGatekeeping, 0.1},
    {"gatekept_referred", 0.5, kExternal, kGatekeptReferred, kGatekeeping, 0.5},
    {"gatekeeping_off", 0.5, kExternal, kGatekeptWalkIn, kGatekeepingOff, 0.3},
    {"no_penalty", 0.6, kExternal, kWalkIn, kPlain, 0.6},
    {"full_ratio", 1.0, kVillage, kWalkIn, kPlain, 1.0},
};

class InsuranceRatio : public ::testing::TestWithParam<RatioCase> {};

TEST_P(InsuranceRatio, PointsOffClamped) {
    const RatioCase& c = GetParam();
    EXPECT_DOUBLE_EQ(cmasim::model::effective_ratio(c.ratio, c.level, c.route, scheme(c.policy)),
                     c.expected);
}

INSTANTIATE_TEST_SUITE_P(InsuranceTable, InsuranceRatio, ::testing::ValuesIn(kRatioCases),
                         [](const auto& row) { return std::string(row.param.name); });

// Case-based payment: the provider is paid the case rate; the patient's share stays what the fee
// bill says; the fund pays the rest, never below zero. Fee bill: the county row above.
struct CaseCase {
    const char* name;
    Fen case_rate;
    Bill expected;
};

void PrintTo(const CaseCase& c, std::ostream* os) {
    *os << c.name;
}

const Bill kCountyFeeBill{400000, 238000, 162000, 60000};

const std::vector<CaseCase> kCaseCases = {
    {"rate_zero_is_fee_for_service", 0, {400000, 238000, 162000, 60000}},
    {"rate_above_fees", 500000, {500000, 338000, 162000, 60000}},
    {"rate_below_fees", 300000, {300000, 138000, 162000, 60000}},
    {"rate_equals_patient_share", 162000, {162000, 0, 162000, 60000}},
    {"rate_below_patient_share", 100000, {162000, 0, 162000, 60000}},
};

class InsuranceCaseBased : public ::testing::TestWithParam<CaseCase> {};

TEST_P(InsuranceCaseBased, ExactFen) {
    const CaseCase& c = GetParam();
    const Bill b = cmasim::model::case_based(kCountyFeeBill, c.case_rate);
    EXPECT_EQ(b.total, c.expected.total);
    EXPECT_EQ(b.fund, c.expected.fund);
    EXPECT_EQ(b.out_of_pocket, c.expected.out_of_pocket);
    EXPECT_EQ(b.deductible, c.expected.deductible);
    EXPECT_EQ(b.fund + b.out_of_pocket, b.total);
    EXPECT_GE(b.fund, 0);
}

INSTANTIATE_TEST_SUITE_P(InsuranceTable, InsuranceCaseBased, ::testing::ValuesIn(kCaseCases),
                         [](const auto& row) { return std::string(row.param.name); });

// docs/model.md §5: the continuous deductible is for patients referred *up*; a down-referred
// admission without the waiver pays the new level's deductible.
TEST(InsuranceDeductibleRules, ContinuousDeductibleDoesNotWaiveDownReferredAdmission) {
    EXPECT_EQ(cmasim::model::deductible_due(kTownship, kDownReferred, scheme(kContinuous), 60000),
              20000);
}

}  // namespace
