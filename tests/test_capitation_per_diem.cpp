// Outpatient capitation and per-diem admissions (policy.payment.mode: capitation_per_diem,
// docs/levers.md lever 4):
//  (1) the per-diem payment as a table: rate × the stay's days, rounded to the fen, then settled
//      as a case rate of that amount (the patient's share stays the one on the fees);
//  (2) a run of the lever test county (tests/data/levers/county.yaml): the capitation's rows hold
//      their identities and, paying outpatient care only, it leaves the fees and the care of
//      fee-for-service unchanged even with the evidence table; the per-diem admissions' rows
//      count what they should; with common random numbers, stays paid per diem are longer than
//      the same stays paid a case rate.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/insurance.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
namespace report = cmasim::report;
namespace scenario = cmasim::scenario;
using scenario::Fen;

struct PerDiemCase {
    const char* name;
    Fen rate;
    double days;
    Fen expected;
};

TEST(PerDiemPayment, RateTimesTheStaysDaysRoundedToTheFen) {
    const std::vector<PerDiemCase> cases = {
        {"whole_days", 30000, 4.0, 120000},
        {"part_day_paid_pro_rata", 30000, 2.5, 75000},
        {"rounded_half_away", 333, 1.5, 500},  // 499.5 fen
        {"no_rate_is_fee_for_service", 0, 7.0, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(model::per_diem_payment(c.rate, c.days), c.expected);
    }
}

TEST(PerDiemPayment, PatientKeepsTheShareOnTheFeesAndTheFundPaysTheRest) {
    model::Bill fees;
    fees.total = 500000;
    fees.out_of_pocket = 150000;
    fees.fund = 350000;
    const model::Bill b = model::case_based(fees, model::per_diem_payment(60000, 10));
    EXPECT_EQ(b.total, 600000);
    EXPECT_EQ(b.out_of_pocket, 150000);
    EXPECT_EQ(b.fund, 450000);
}

const std::filesystem::path kCounty =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

const std::vector<std::string> kCapitation = {"policy.payment.mode=capitation_per_diem",
                                              "policy.payment.capitation_per_resident=60"};
const std::string kRates =
    "{moderate_acute: {township: 330, county: 860}, serious: {township: 440, county: 670}}";
const std::vector<std::string> kPerDiem = {"policy.payment.mode=capitation_per_diem",
                                           "policy.payment.per_diem=" + kRates};
// The same admissions paid a case rate: a stay's rate × the mean stay.
const std::vector<std::string> kCaseBased = {
    "policy.payment.mode=case_based",
    "policy.payment.case_rates={moderate_acute: {township: 2100, county: 5500}, "
    "serious: {township: 3500, county: 6400}}"};

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

TEST(CapitationRun, SettlementIdentitiesHoldAndTheCareIsThatOfFeeForService) {
    const report::ScenarioRun ffs = run("ffs", {});
    const report::ScenarioRun cap = run("capitation", kCapitation);  // evidence table on
    const scenario::Scenario s = scenario::load_scenario(kCounty, {});
    const double residents = 18000, years = s.horizon_days / 365.0;
    ASSERT_EQ(ffs.results.size(), cap.results.size());
    for (std::size_t k = 0; k < cap.results.size(); ++k) {
        auto a = rows(ffs.results[k]);
        auto b = rows(cap.results[k]);
        ASSERT_GT(b["capitation_visits"], 0);
        EXPECT_NEAR(b["capitation_budget"], 60 * residents * years, 1e-6);
        EXPECT_NEAR(b["capitation_settlement_adjustment"],
                    b["capitation_budget"] - b["capitation_fee_fund"], 1e-6);
        EXPECT_LE(b["capitation_fee_fund"], b["fund_spending"]);
        EXPECT_LE(b["capitation_visits"], b["visits_village"] + b["visits_township"]);
        EXPECT_EQ(b["per_diem_admissions"], 0);       // no per-diem rate given
        EXPECT_EQ(a.count("capitation_budget"), 0U);  // fee-for-service has no such rows
        for (const auto& [key, v] : a) EXPECT_EQ(v, b[key]) << key;  // fees and care unchanged
    }
}

TEST(PerDiemRun, RowsCountThePerDiemAdmissionsAndTheirBills) {
    std::vector<std::string> money_only = kPerDiem;
    money_only.push_back("policy.provider_response=none");
    const report::ScenarioRun ffs = run("ffs", {});
    const report::ScenarioRun pd = run("per_diem", money_only);
    for (std::size_t k = 0; k < pd.results.size(); ++k) {
        auto a = rows(ffs.results[k]);
        auto b = rows(pd.results[k]);
        ASSERT_GT(b["per_diem_admissions"], 0);
        EXPECT_LE(b["per_diem_admissions"], b["admissions"]);
        EXPECT_GT(b["per_diem_bed_days"], 3 * b["per_diem_admissions"]);
        EXPECT_EQ(b.count("capitation_budget"), 0U);        // no capitation: no settlement rows
        EXPECT_EQ(a["admissions"], b["admissions"]);        // money only: the same care
        EXPECT_EQ(a["out_of_pocket"], b["out_of_pocket"]);  // the patients pay on the fees
    }
}

TEST(PerDiemRun, StaysPaidPerDiemAreLongerThanTheSameStaysPaidACaseRate) {
    const report::Comparison cmp =
        report::compare_runs({run("case_based", kCaseBased), run("per_diem", kPerDiem)},
                             /*paired=*/true);
    int checked = 0;
    for (const auto& ic : cmp.indicators) {
        if (ic.indicator != "bed_occupancy_county" && ic.indicator != "bed_occupancy_township")
            continue;
        const report::Estimate& d = ic.difference[1];
        ASSERT_TRUE(d.has_interval());
        EXPECT_GT(d.ci_low, 0) << ic.indicator << " difference " << d.mean;
        ++checked;
    }
    EXPECT_EQ(checked, 2);
}

}  // namespace
