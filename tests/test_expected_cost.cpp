// Table tests of expected_out_of_pocket_yuan (expected_cost.h): what a patient expects to pay
// for an episode that starts at a facility, by the facility's capability and the referral chain
// behind it. Every row gives the yuan it expects, worked out by hand in its comment.
#include <gtest/gtest.h>

#include <ostream>
#include <vector>

#include "cmasim/model/expected_cost.h"
#include "insurance_scheme.h"

namespace {

using cmasim::model::expected_out_of_pocket_yuan;
using cmasim::model::ExpectedStop;
using cmasim::scenario::Condition;
using cmasim::scenario::Insurance;
using cmasim::scenario::Level;
using cmasim::test::base_scheme;

constexpr ExpectedStop kTownshipRefers{Level::Township, false};
constexpr ExpectedStop kTownshipTreats{Level::Township, true};
constexpr ExpectedStop kCountyTreats{Level::County, true};
constexpr ExpectedStop kCityTreats{Level::External, true};

/// Visits 20/40/100/200 yuan; admitted with 0/0.5/0.4/0.5; stays 0/3,000/6,000/15,000 yuan.
Condition condition() {
    Condition c;
    c.outpatient_fee = {2000, 4000, 10000, 20000};
    c.admission_probability = {0, 0.5, 0.4, 0.5};
    c.inpatient_fee_stay = {0, 300000, 600000, 1500000};
    return c;
}

struct Row {
    const char* name;
    std::vector<ExpectedStop> path;
    double yuan;
    void (*change)(Condition&, Insurance&) = nullptr;
    bool gatekept = false;
    double self_referral = 0;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
    return os << r.name;
}

const std::vector<Row> kRows = {
    // 100 x 0.8 + 0.4 x (600 + 5,400 x 0.3) = 80 + 888
    {"county_treats", {kCountyTreats}, 968.0},
    // township visit 40 x 0.5 = 20, then the county as above (referred: the same here)
    {"township_refers_to_county", {kTownshipRefers, kCountyTreats}, 988.0},
    // 20 + 0.5 x (200 + 2,800 x 0.2): the county behind it is never reached
    {"township_treats", {kTownshipTreats, kCountyTreats}, 400.0},
    // nowhere to refer: the patient pays the visit and leaves
    {"township_refers_nowhere", {kTownshipRefers}, 20.0},
    // unreferred county care loses 0.1: 100 x 0.9 + 0.4 x (600 + 5,400 x 0.4)
    {"county_walk_in_penalised",
     {kCountyTreats},
     1194.0,
     [](Condition&, Insurance& i) { i.unreferred_penalty[2] = 0.1; }},
    // referred from the township, the county care keeps its full ratio: 20 + 968
    {"county_referred_not_penalised",
     {kTownshipRefers, kCountyTreats},
     988.0,
     [](Condition&, Insurance& i) { i.unreferred_penalty[2] = 0.1; }},
    // 20 + 0.8 x 968 + 0.2 x 1,194 (a self-referral is unreferred care)
    {"self_referral_share_penalised",
     {kTownshipRefers, kCountyTreats},
     1033.2,
     [](Condition&, Insurance& i) { i.unreferred_penalty[2] = 0.1; },
     false,
     0.2},
    // gatekept: the gatekeeping penalty 0.2 instead: 100 x 1 + 0.4 x (600 + 5,400 x 0.5)
    {"gatekept_walk_in",
     {kCountyTreats},
     1420.0,
     [](Condition&, Insurance& i) {
         i.gatekeeping.enabled = true;
         i.gatekeeping.penalty[2] = 0.2;
     },
     true},
    // follow-ups after outpatient care: 968 + 0.6 x 2 x 80
    {"follow_ups", {kCountyTreats}, 1064.0, [](Condition& c, Insurance&) { c.follow_ups = 2; }},
    // transfer up 0.5 after a county stay; the city: visit 100 + 600 + 14,100 x 0.4 (continuous
    // deductible: 1,500 - 600). 80 + 0.4 x (2,220 + 0.5 x 6,640)
    {"transfer_up_continuous_deductible",
     {kCountyTreats, kCityTreats},
     2296.0,
     [](Condition& c, Insurance& i) {
         c.transfer_up_probability[2] = 0.5;
         i.continuous_deductible = true;
     }},
    // the same without the switch: the city charges 1,500 + 13,500 x 0.4 + 100
    {"transfer_up_full_deductible",
     {kCountyTreats, kCityTreats},
     2368.0,
     [](Condition& c, Insurance&) { c.transfer_up_probability[2] = 0.5; }},
    // down-referral 0.5 after a county stay to the township: 2 visits (20 each), the first a
    // rehabilitation stay with 0.5; waiver: 0 + 3,000 x 0.2. 80 + 0.4 x (2,220 + 0.5 x 330)
    {"down_referral_waiver",
     {kCountyTreats},
     1034.0,
     [](Condition& c, Insurance& i) {
         c.down_referral_probability = 0.5;
         c.down_referral_visits = 2;
         c.down_referral_admission = 0.5;
         i.down_referral_waiver = true;
     }},
    // without the waiver the stay costs 200 + 2,800 x 0.2: 80 + 0.4 x (2,220 + 0.5 x 410)
    {"down_referral_no_waiver",
     {kCountyTreats},
     1050.0,
     [](Condition& c, Insurance&) {
         c.down_referral_probability = 0.5;
         c.down_referral_visits = 2;
         c.down_referral_admission = 0.5;
     }},
};

class ExpectedCost : public ::testing::TestWithParam<Row> {};

TEST_P(ExpectedCost, Exact) {
    const Row& r = GetParam();
    Condition c = condition();
    Insurance ins = base_scheme();
    if (r.change) r.change(c, ins);
    EXPECT_NEAR(expected_out_of_pocket_yuan(c, ins, r.path, r.gatekept, r.self_referral), r.yuan,
                1e-9);
}

INSTANTIATE_TEST_SUITE_P(ExpectedCostTable, ExpectedCost, ::testing::ValuesIn(kRows),
                         [](const auto& row) { return std::string(row.param.name); });

/// Giving a township the capability (sub-center, remote consultation, stationed physician)
/// never makes it dearer to start there, whenever township care costs no more than the
/// county's: over admission probabilities, penalties and self-referral.
TEST(ExpectedCostUpgrade, TreatingAtTheTownshipNeverCostsMore) {
    for (double p_township : {0.0, 0.2, 0.6, 1.0}) {
        for (double p_county : {0.0, 0.3, 1.0}) {
            for (double penalty : {0.0, 0.2}) {
                for (double self : {0.0, 0.3}) {
                    Condition c = condition();
                    c.admission_probability = {0, p_township, p_county, 0.5};
                    Insurance ins = base_scheme();
                    ins.unreferred_penalty[2] = penalty;
                    const std::vector<ExpectedStop> before{kTownshipRefers, kCountyTreats};
                    const std::vector<ExpectedStop> after{kTownshipTreats, kCountyTreats};
                    if (p_township > p_county) continue;  // more stays than the county would give
                    EXPECT_LE(expected_out_of_pocket_yuan(c, ins, after, false, self),
                              expected_out_of_pocket_yuan(c, ins, before, false, self))
                        << "admitted " << p_township << " / " << p_county << ", penalty " << penalty
                        << ", self-referral " << self;
                }
            }
        }
    }
}

}  // namespace
