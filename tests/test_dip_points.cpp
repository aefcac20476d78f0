// DIP/DRG points inside a global budget (policy.payment.mode: dip_points, docs/levers.md lever 4):
//  (1) the settlement as a table: point value = budget ÷ points earned; the providers are paid
//      points × point value (the budget) in place of the fund's share of the fees;
//  (2) a run of the lever test county (tests/data/levers/county.yaml): the settlement's rows
//      hold their identities, the fees and the care are those of fee-for-service when the
//      providers do not respond, and with the evidence table the stays at the point-paid county
//      hospital are shorter (paired difference with common random numbers).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/policy.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
namespace report = cmasim::report;
namespace scenario = cmasim::scenario;

struct PointCase {
    const char* name;
    double budget, points, fee_fund;
    double point_value, paid, adjustment;
};

TEST(DipPointSettlement, PointValueIsTheBudgetOverThePointsEarned) {
    const std::vector<PointCase> cases = {
        {"exact", 1000000, 10000, 900000, 100, 1000000, 100000},
        {"more_points_cheaper_point", 1000000, 12500, 900000, 80, 1000000, 100000},
        {"budget_below_fees", 800000, 10000, 900000, 80, 800000, -100000},
        {"fractional", 1000, 3, 0, 1000.0 / 3.0, 1000, 1000},
        {"no_point_earned_pays_nothing", 500000, 0, 0, 0, 0, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const model::PointSettlement s = model::settle_dip_points(c.budget, c.points, c.fee_fund);
        EXPECT_DOUBLE_EQ(s.budget, c.budget);
        EXPECT_DOUBLE_EQ(s.points, c.points);
        EXPECT_DOUBLE_EQ(s.point_value, c.point_value);
        EXPECT_DOUBLE_EQ(s.paid, c.paid);
        EXPECT_DOUBLE_EQ(s.fee_fund, c.fee_fund);
        EXPECT_DOUBLE_EQ(s.adjustment, c.adjustment);
    }
}

const std::filesystem::path kCounty =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

const std::vector<std::string> kPoints = {
    "policy.payment.mode=dip_points", "policy.payment.budget_per_resident=200",
    "policy.payment.points={moderate_acute: {county: 50}, serious: {county: 60}}"};

report::ScenarioRun run(const std::string& label, std::vector<std::string> sets) {
    scenario::LoadOptions o;
    o.overrides = std::move(sets);
    const scenario::Scenario s = scenario::load_scenario(kCounty, o);
    const model::County county = model::compile_county(s);
    model::RunOptions r;
    r.replications = s.replications;
    return {label, s.source_file, s.seed, model::run_replications(county, r), {}, {}};
}

std::map<std::string, double> rows(const cmasim::indicators::ReplicationResult& r) {
    std::map<std::string, double> out;
    for (const auto& row : r.county) out[row.indicator] = row.value;
    return out;
}

TEST(DipPointsRun, SettlementIdentitiesHoldAndMoneyOnlyKeepsFeeForServiceCare) {
    std::vector<std::string> money_only = kPoints;
    money_only.push_back("policy.provider_response=none");
    const report::ScenarioRun ffs = run("ffs", {});
    const report::ScenarioRun dip = run("dip", money_only);
    ASSERT_EQ(ffs.results.size(), dip.results.size());
    for (std::size_t k = 0; k < dip.results.size(); ++k) {
        auto a = rows(ffs.results[k]);
        auto b = rows(dip.results[k]);
        ASSERT_GT(b["dip_points"], 0);
        EXPECT_NEAR(b["dip_point_value"] * b["dip_points"], b["dip_budget"],
                    1e-9 * b["dip_budget"]);
        EXPECT_NEAR(b["dip_settlement_adjustment"], b["dip_budget"] - b["dip_fee_fund"], 1e-6);
        EXPECT_LE(b["dip_fee_fund"], b["fund_spending"]);
        EXPECT_EQ(a.count("dip_budget"), 0U);  // fee-for-service has no settlement rows
        for (const auto& [key, v] : a) EXPECT_EQ(v, b[key]) << key;  // fees and care unchanged
    }
}

TEST(DipPointsRun, EvidenceTableShortensStaysAtThePointPaidHospital) {
    const report::Comparison cmp =
        report::compare_runs({run("ffs", {}), run("dip", kPoints)}, /*paired=*/true);
    for (const auto& ic : cmp.indicators) {
        if (ic.indicator != "bed_occupancy_county") continue;
        const report::Estimate& d = ic.difference[1];
        ASSERT_TRUE(d.has_interval());
        EXPECT_LT(d.ci_high, 0) << "difference " << d.mean;
        return;
    }
    FAIL() << "no bed_occupancy_county row";
}

}  // namespace
