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

#include <cmath>
#include <string>
#include <vector>

#include "cmasim/model/insurance.h"
#include "lever_runs.h"

namespace {

namespace model = cmasim::model;
using cmasim::scenario::Fen;

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

using cmasim::test::run_lever_county;
using cmasim::test::value;

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

TEST(CapitationRun, SettlementIdentitiesHoldAndTheCareIsThatOfFeeForService) {
    const auto ffs = run_lever_county({});
    const auto cap = run_lever_county(kCapitation);      // evidence table on
    const double residents = 18000, years = 90 / 365.0;  // the lever county's, its horizon
    ASSERT_EQ(ffs.size(), cap.size());
    for (std::size_t k = 0; k < cap.size(); ++k) {
        const auto& b = cap[k];
        ASSERT_GT(value(b, "capitation_visits"), 0);
        EXPECT_NEAR(value(b, "capitation_budget"), 60 * residents * years, 1e-6);
        EXPECT_NEAR(value(b, "capitation_settlement_adjustment"),
                    value(b, "capitation_budget") - value(b, "capitation_fee_fund"), 1e-6);
        EXPECT_LE(value(b, "capitation_fee_fund"), value(b, "fund_spending"));
        EXPECT_LE(value(b, "capitation_visits"),
                  value(b, "visits_village") + value(b, "visits_township"));
        EXPECT_EQ(value(b, "per_diem_admissions"), 0);  // no per-diem rate given
        for (const auto& row : ffs[k].county)           // fees and care unchanged, row by row
            EXPECT_EQ(row.value, value(b, row.indicator)) << row.indicator;
        EXPECT_EQ(b.county.size(), ffs[k].county.size() + 7);  // the payment's rows only
    }
}

TEST(PerDiemRun, RowsCountThePerDiemAdmissionsAndTheirBills) {
    std::vector<std::string> money_only = kPerDiem;
    money_only.push_back("policy.provider_response=none");
    const auto ffs = run_lever_county({});
    const auto pd = run_lever_county(money_only);
    ASSERT_EQ(ffs.size(), pd.size());
    for (std::size_t k = 0; k < pd.size(); ++k) {
        const auto& b = pd[k];
        ASSERT_GT(value(b, "per_diem_admissions"), 0);
        EXPECT_LE(value(b, "per_diem_admissions"), value(b, "admissions"));
        EXPECT_GT(value(b, "per_diem_bed_days"), 3 * value(b, "per_diem_admissions"));
        EXPECT_GT(value(b, "per_diem_paid"), 0);
        EXPECT_EQ(value(b, "capitation_budget"), 0);  // no capitation: nothing paid for it
        EXPECT_EQ(value(ffs[k], "admissions"), value(b, "admissions"));        // money only
        EXPECT_EQ(value(ffs[k], "out_of_pocket"), value(b, "out_of_pocket"));  // on the fees
    }
}

TEST(PerDiemRun, StaysPaidPerDiemAreLongerThanTheSameStaysPaidACaseRate) {
    const auto case_based = run_lever_county(kCaseBased);
    const auto per_diem = run_lever_county(kPerDiem);
    ASSERT_EQ(case_based.size(), per_diem.size());
    for (const char* key : {"bed_occupancy_county", "bed_occupancy_township"}) {
        // Paired differences (common random numbers): their mean less two standard errors.
        std::vector<double> d;
        for (std::size_t k = 0; k < per_diem.size(); ++k)
            d.push_back(value(per_diem[k], key) - value(case_based[k], key));
        const double n = static_cast<double>(d.size());
        double mean = 0, ss = 0;
        for (double x : d) mean += x / n;
        for (double x : d) ss += (x - mean) * (x - mean);
        EXPECT_GT(mean - 2 * std::sqrt(ss / (n - 1) / n), 0) << key << " difference " << mean;
    }
}

}  // namespace
