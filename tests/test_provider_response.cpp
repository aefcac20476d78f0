// Providers that respond to how they are paid (include/cmasim/model/provider_response.h,
// docs/levers.md lever 4):
//  (1) table tests of the pure rules: the evidence table, the retention rule, overrides, which
//      facilities respond, and a probability's moved threshold;
//  (2) one direction test per response on the lever test county (tests/data/levers/county.yaml)
//      with common random numbers: the what-if isolates one response (the others set to 1 by
//      provider_response_by_mode) and its paired difference from fee-for-service must have a
//      95% interval on the documented side of zero; and a global budget whose alliance keeps no
//      surplus, or `provider_response: none`, gives exactly fee-for-service's care.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/provider_response.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
namespace report = cmasim::report;
namespace scenario = cmasim::scenario;

using model::ProviderResponse;
using scenario::PaymentMode;

// ============================================================================================
// (1) The pure rules
// ============================================================================================

TEST(ProviderResponseTable, EveryModeHasItsRowAndFeeForServiceIsTheReference) {
    for (PaymentMode mode :
         {PaymentMode::FeeForService, PaymentMode::CaseBased, PaymentMode::GlobalBudget,
          PaymentMode::DipPoints, PaymentMode::CapitationPerDiem}) {
        EXPECT_EQ(model::evidence_row(mode).mode, mode);
    }
    EXPECT_EQ(model::evidence_row(PaymentMode::FeeForService).response, ProviderResponse{});
    EXPECT_FALSE(model::evidence_row(PaymentMode::CaseBased).scales_with_retention);
    EXPECT_TRUE(model::evidence_row(PaymentMode::GlobalBudget).scales_with_retention);
    EXPECT_FALSE(model::evidence_row(PaymentMode::DipPoints).scales_with_retention);
    EXPECT_FALSE(model::evidence_row(PaymentMode::CapitationPerDiem).scales_with_retention);
    // Per diem pays every day: stays longer than under fees, case rates pay them shorter.
    EXPECT_GT(model::evidence_row(PaymentMode::CapitationPerDiem).response.length_of_stay, 1);
    EXPECT_LT(model::evidence_row(PaymentMode::CaseBased).response.length_of_stay, 1);
}

struct RetentionCase {
    double multiplier, retention, expected;
};

TEST(ProviderResponseTable, RetentionBlendsLinearlyTowardsFeeForService) {
    const std::vector<RetentionCase> cases = {
        {0.9, 1.0, 0.9}, {0.9, 0.0, 1.0}, {0.9, 0.5, 0.95}, {1.2, 0.5, 1.1}, {1.0, 0.3, 1.0},
    };
    for (const auto& c : cases) {
        const ProviderResponse r = model::scaled_by_retention(
            {c.multiplier, c.multiplier, c.multiplier, c.multiplier}, c.retention);
        SCOPED_TRACE("m " + std::to_string(c.multiplier) + " r " + std::to_string(c.retention));
        EXPECT_DOUBLE_EQ(r.admission, c.expected);
        EXPECT_DOUBLE_EQ(r.length_of_stay, c.expected);
        EXPECT_DOUBLE_EQ(r.out_of_county_referral, c.expected);
        EXPECT_DOUBLE_EQ(r.down_referral, c.expected);
    }
}

TEST(ProviderResponseTable, OverridesReplaceOnlyTheValuesGiven) {
    scenario::ResponseOverride o;
    o.length_of_stay = 0.8;
    const ProviderResponse r = model::with_overrides({0.95, 0.97, 0.9, 1.2}, o);
    EXPECT_EQ(r, (ProviderResponse{0.95, 0.8, 0.9, 1.2}));
}

struct PolicyCase {
    const char* name;
    PaymentMode mode;
    scenario::ProviderResponseModel model;
    double retention;
    std::optional<double> los_override;  ///< for the mode in use
    ProviderResponse expected;
};

TEST(ProviderResponseTable, PolicyGivesTheRowTheOverridesAndTheRetention) {
    using M = scenario::ProviderResponseModel;
    const ProviderResponse gb = model::evidence_row(PaymentMode::GlobalBudget).response;
    const ProviderResponse cb = model::evidence_row(PaymentMode::CaseBased).response;
    const ProviderResponse dip = model::evidence_row(PaymentMode::DipPoints).response;
    const ProviderResponse pd = model::evidence_row(PaymentMode::CapitationPerDiem).response;
    const std::vector<PolicyCase> cases = {
        {"dip_points_row_ignores_retention", PaymentMode::DipPoints, M::Evidence, 0, {}, dip},
        {"dip_points_override",
         PaymentMode::DipPoints,
         M::Evidence,
         0,
         0.7,
         {dip.admission, 0.7, dip.out_of_county_referral, dip.down_referral}},
        {"per_diem_row_ignores_retention", PaymentMode::CapitationPerDiem, M::Evidence, 0, {}, pd},
        {"per_diem_override",
         PaymentMode::CapitationPerDiem,
         M::Evidence,
         0,
         1.3,
         {pd.admission, 1.3, pd.out_of_county_referral, pd.down_referral}},
        {"fee_for_service", PaymentMode::FeeForService, M::Evidence, 1, 0.5, {}},
        {"none_under_budget", PaymentMode::GlobalBudget, M::None, 1, {}, {}},
        {"case_based_row", PaymentMode::CaseBased, M::Evidence, 0, {}, cb},
        {"case_based_override",
         PaymentMode::CaseBased,
         M::Evidence,
         0,
         0.8,
         {cb.admission, 0.8, cb.out_of_county_referral, cb.down_referral}},
        {"budget_full_retention", PaymentMode::GlobalBudget, M::Evidence, 1, {}, gb},
        {"budget_no_retention", PaymentMode::GlobalBudget, M::Evidence, 0, 0.5, {}},
        {"budget_override_half_retention", PaymentMode::GlobalBudget, M::Evidence, 0.5, 0.8,
         model::scaled_by_retention(
             {gb.admission, 0.8, gb.out_of_county_referral, gb.down_referral}, 0.5)},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        scenario::Policy p;
        p.payment.mode = c.mode;
        p.payment.surplus_retention = c.retention;
        p.provider_response = c.model;
        p.response_overrides.case_based.length_of_stay = c.los_override;
        p.response_overrides.global_budget.length_of_stay = c.los_override;
        p.response_overrides.dip_points.length_of_stay = c.los_override;
        p.response_overrides.capitation_per_diem.length_of_stay = c.los_override;
        EXPECT_EQ(model::provider_response(p), c.expected);
    }
}

TEST(ProviderResponseTable, WhoResponds) {
    struct Row {
        PaymentMode mode;
        bool alliance, rated, expected;
    };
    const std::vector<Row> rows = {
        {PaymentMode::FeeForService, true, true, false},
        {PaymentMode::GlobalBudget, true, false, true},
        {PaymentMode::GlobalBudget, false, true, false},
        {PaymentMode::CaseBased, true, false, false},
        {PaymentMode::CaseBased, false, true, true},
        {PaymentMode::DipPoints, true, false, false},
        {PaymentMode::DipPoints, false, true, true},
        {PaymentMode::CapitationPerDiem, true, false, false},
        {PaymentMode::CapitationPerDiem, false, true, true},
    };
    for (const auto& r : rows) EXPECT_EQ(model::responds(r.mode, r.alliance, r.rated), r.expected);
}

TEST(ProviderResponseTable, ScaledProbabilityMovesTheThresholdWithinZeroAndOne) {
    EXPECT_DOUBLE_EQ(model::scaled_probability(0.1, 0.9), 0.09);
    EXPECT_DOUBLE_EQ(model::scaled_probability(0.6, 2.0), 1.0);
    EXPECT_DOUBLE_EQ(model::scaled_probability(0.0, 0.5), 0.0);
    EXPECT_DOUBLE_EQ(model::scaled_probability(0.4, 1.0), 0.4);
}

// ============================================================================================
// (2) Direction tests with common random numbers
// ============================================================================================

const std::filesystem::path kCounty =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

// Both arms: the county hospital transfers a fifth of its serious inpatients to the city after a
// stay (the lever county has no transfers otherwise), so transfers out of the county can respond.
const std::vector<std::string> kBoth = {
    "conditions[serious].transfer_up_probability={county: 0.2}"};

const std::vector<std::string> kBudget = {"policy.payment.mode=global_budget",
                                          "policy.payment.budget_per_resident=1000",
                                          "policy.payment.surplus_retention=1"};

report::ScenarioRun run(const std::string& label, const std::vector<std::string>& sets) {
    scenario::LoadOptions o;
    o.overrides = kBoth;
    o.overrides.insert(o.overrides.end(), sets.begin(), sets.end());
    const scenario::Scenario s = scenario::load_scenario(kCounty, o);
    const model::County county = model::compile_county(s);
    model::RunOptions r;
    r.replications = s.replications;
    return {label, s.source_file, s.seed, model::run_replications(county, r), {}, {}};
}

/// `sets` isolate one response: every other multiplier of the mode is set to 1.
std::vector<std::string> only(std::vector<std::string> sets, const std::string& mode,
                              const std::string& response, double value) {
    for (const char* key :
         {"admission", "length_of_stay", "out_of_county_referral", "down_referral"}) {
        const double v = key == response ? value : 1.0;
        sets.push_back("policy.provider_response_by_mode." + mode + "." + key + "=" +
                       std::to_string(v));
    }
    return sets;
}

struct DirectionCase {
    const char* name;
    std::vector<std::string> whatif;
    const char* indicator;
    bool up;
};

void PrintTo(const DirectionCase& c, std::ostream* os) {
    *os << c.name;
}

class ProviderResponseDirection : public ::testing::TestWithParam<DirectionCase> {};

TEST_P(ProviderResponseDirection, PairedDifferenceFromFeeForService) {
    const DirectionCase& c = GetParam();
    const report::Comparison cmp =
        report::compare_runs({run("ffs", {}), run("whatif", c.whatif)}, /*paired=*/true);
    const report::IndicatorComparison* found = nullptr;
    for (const auto& ic : cmp.indicators) {
        if (ic.indicator == c.indicator) found = &ic;
    }
    ASSERT_NE(found, nullptr) << c.indicator;
    const report::Estimate& d = found->difference[1];
    ASSERT_TRUE(d.has_interval());
    if (c.up) {
        EXPECT_GT(d.ci_low, 0) << c.indicator << " difference " << d.mean;
    } else {
        EXPECT_LT(d.ci_high, 0) << c.indicator << " difference " << d.mean;
    }
}

const std::vector<std::string> kCaseBased = {
    "policy.payment.mode=case_based",
    "policy.payment.case_rates={moderate_acute: {county: 5000}, serious: {county: 6000}}"};

const std::vector<DirectionCase> kDirectionCases = {
    {"budget_fewer_admissions", only(kBudget, "global_budget", "admission", 0.8), "admissions",
     false},
    {"budget_shorter_stays", only(kBudget, "global_budget", "length_of_stay", 0.8),
     "bed_occupancy_county", false},
    {"budget_fewer_transfers_out", only(kBudget, "global_budget", "out_of_county_referral", 0.8),
     "out_of_county_referrals", false},
    {"budget_more_down_referrals", only(kBudget, "global_budget", "down_referral", 1.2),
     "down_referrals", true},
    {"budget_evidence_table_fewer_admissions", kBudget, "admissions", false},
    {"budget_evidence_table_fewer_transfers_out", kBudget, "out_of_county_referrals", false},
    {"case_based_evidence_table_shorter_stays", kCaseBased, "bed_occupancy_county", false},
};

INSTANTIATE_TEST_SUITE_P(Responses, ProviderResponseDirection, ::testing::ValuesIn(kDirectionCases),
                         [](const auto& row) { return std::string(row.param.name); });

/// The care indicators of two runs are equal replication by replication.
void expect_same_care(const report::ScenarioRun& a, const report::ScenarioRun& b) {
    ASSERT_EQ(a.results.size(), b.results.size());
    for (std::size_t k = 0; k < a.results.size(); ++k) {
        for (const auto& row : a.results[k].county) {
            if (row.indicator.rfind("alliance_", 0) == 0 || row.indicator == "insurer_spending")
                continue;
            for (const auto& other : b.results[k].county) {
                if (other.indicator == row.indicator) {
                    EXPECT_EQ(row.value, other.value) << row.indicator;
                }
            }
        }
    }
}

TEST(ProviderResponseNone, BudgetWithoutRetentionOrWithNoResponseCaresAsFeeForService) {
    const report::ScenarioRun ffs = run("ffs", {});
    std::vector<std::string> no_retention = kBudget;
    no_retention.push_back("policy.payment.surplus_retention=0");
    expect_same_care(ffs, run("no_retention", no_retention));
    std::vector<std::string> none = kBudget;
    none.push_back("policy.provider_response=none");
    expect_same_care(ffs, run("none", none));
}

}  // namespace
