// Capacity bought with a retained surplus (policy.payment.invest, docs/model.md "Capacity bought
// with a retained surplus", docs/levers.md lever 4):
//  (1) the purchase rule as a table (whole doctors and beds, nothing after a deficit);
//  (2) the engine settles every insurance year itself, and its settlements are exactly the
//      metrics' after-run settlement of the same years, under each year's own terms;
//  (3) a year's surplus buys exactly the capacity of the rule for the next year, a deficit none;
//  (4) direction, with common random numbers over a two-year run of the lever test county: the
//      first year is the same event for event, and in the second the bought doctors and beds
//      shorten the county hospital's waits and keep more admissions in the county.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/policy.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
namespace scenario = cmasim::scenario;
namespace sim = cmasim::sim;
using scenario::Level;

struct BuyCase {
    const char* name;
    double retained, share, doctor_share;
    double doctor_yuan, bed_yuan;
    std::size_t facilities;
    int doctors, beds;
    double spent;
};

TEST(InvestRule, BuysWholeDoctorsAndBedsAtEachFacility) {
    const std::vector<BuyCase> cases = {
        {"half_each", 1000000, 1.0, 0.5, 150000, 60000, 1, 3, 8, 930000},
        {"share_of_surplus", 1000000, 0.5, 0.5, 150000, 60000, 1, 1, 4, 390000},
        {"split_between_two", 1000000, 1.0, 0.5, 150000, 60000, 2, 1, 4, 390000},
        {"doctors_only", 1000000, 1.0, 1.0, 150000, 60000, 1, 6, 0, 900000},
        {"beds_only", 1000000, 1.0, 0.0, 150000, 60000, 1, 0, 16, 960000},
        {"too_little_buys_nothing", 100000, 1.0, 0.5, 150000, 60000, 1, 0, 0, 0},
        {"deficit_buys_nothing", -1000000, 1.0, 0.5, 150000, 60000, 1, 0, 0, 0},
        {"off", 1000000, 0.0, 0.5, 150000, 60000, 1, 0, 0, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        scenario::SurplusInvestment terms;
        terms.share = c.share;
        terms.doctor_share = c.doctor_share;
        terms.doctor_cost = static_cast<scenario::Fen>(c.doctor_yuan * 100);
        terms.bed_cost = static_cast<scenario::Fen>(c.bed_yuan * 100);
        const model::CapacityPurchase buy = model::buy_capacity(c.retained, terms, c.facilities);
        EXPECT_EQ(buy.doctors, c.doctors);
        EXPECT_EQ(buy.beds, c.beds);
        EXPECT_DOUBLE_EQ(buy.spent, c.spent);
    }
}

const std::filesystem::path kCounty =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

/// Two insurance years of the lever test county under a global budget with a surplus.
std::vector<std::string> budget(std::vector<std::string> more = {}) {
    std::vector<std::string> sets = {"horizon_days=730", "policy.payment.mode=global_budget",
                                     "policy.payment.budget_per_resident=2000",
                                     "policy.payment.surplus_retention=0.6"};
    sets.insert(sets.end(), more.begin(), more.end());
    return sets;
}

const std::vector<std::string> kInvest = {
    "policy.payment.invest={share: 0.1, doctor_share: 0.5, facilities: [county_hospital]}"};

model::County compile(std::vector<std::string> sets) {
    scenario::LoadOptions o;
    o.overrides = std::move(sets);
    return model::compile_county(scenario::load_scenario(kCounty, o));
}

struct Outcome {
    model::ReplicationStats stats;
    cmasim::indicators::ReplicationResult result;
};

Outcome run(const model::County& county, model::ModelObserver* probe = nullptr) {
    model::MetricsCollector metrics(county);
    model::ObserverList observers(metrics);
    if (probe) observers.add(*probe);
    Outcome r;
    r.stats = model::simulate_replication(county, 0, observers);
    metrics.set_settlements(r.stats.settlements);
    r.result = metrics.result(0);
    return r;
}

/// year ("1", "2", ...) → indicator → value, from the "year" breakdown.
std::map<std::string, std::map<std::string, double>> years(const Outcome& r) {
    std::map<std::string, std::map<std::string, double>> out;
    for (const auto& g : r.result.groups)
        if (g.dimension == "year") out[g.group][g.indicator] = g.value;
    return out;
}

std::map<std::string, double> county_rows(const Outcome& r) {
    std::map<std::string, double> out;
    for (const auto& row : r.result.county) out[row.indicator] = row.value;
    return out;
}

// Three years; the terms change on day 365 (a timeline entry), so the second year settles under
// the new retention and deficit share and the others under the file's.
TEST(InvestRun, EngineSettlesEachYearExactlyAsTheMetricsDo) {
    const model::County county = compile(
        budget({"horizon_days=1095",
                "timeline=[{at: 365, set: {policy.payment.surplus_retention: 0.3, "
                "policy.payment.budget_per_resident: 900}}, {at: 730, set: "
                "{policy.payment.surplus_retention: 0.6, policy.payment.budget_per_resident: "
                "2000}}]"}));
    const Outcome r = run(county);
    const auto by_year = years(r);
    ASSERT_EQ(r.stats.settlements.size(), 2U);  // the last year ends with the run
    for (const auto& s : r.stats.settlements) {
        const auto& row = by_year.at(std::to_string(s.year + 1));
        SCOPED_TRACE(s.year);
        EXPECT_EQ(s.budget.budget, row.at("alliance_budget"));
        EXPECT_EQ(s.budget.paid, row.at("alliance_paid"));
        EXPECT_EQ(s.budget.result, row.at("alliance_budget_result"));
        EXPECT_EQ(s.budget.retained, row.at("alliance_retained"));
        EXPECT_EQ(s.budget.insurer, row.at("insurer_spending"));
    }
    EXPECT_EQ(r.stats.settlements[1].budget.budget, 900.0 * static_cast<double>(county.population));
}

TEST(InvestRun, ASurplusBuysTheRulesCapacityForTheNextYear) {
    const model::County county = compile(budget(kInvest));
    const Outcome r = run(county);
    ASSERT_EQ(r.stats.settlements.size(), 1U);
    const model::YearSettlement& s = r.stats.settlements[0];
    ASSERT_GT(s.budget.retained, 0);
    const double amount = 0.1 * s.budget.retained;
    EXPECT_EQ(s.each.doctors, static_cast<int>(std::floor(amount * 0.5 / 150000)));
    EXPECT_EQ(s.each.beds, static_cast<int>(std::floor(amount * 0.5 / 64000)));
    EXPECT_GT(s.each.doctors, 0);
    EXPECT_GT(s.each.beds, 0);
    ASSERT_EQ(s.facilities.size(), 1U);
    EXPECT_EQ(county.facilities[s.facilities[0]].id, "county_hospital");
    const auto rows = county_rows(r);
    EXPECT_EQ(rows.at("alliance_invested_doctors"), s.each.doctors);
    EXPECT_EQ(rows.at("alliance_invested_beds"), s.each.beds);
    EXPECT_DOUBLE_EQ(rows.at("alliance_invested"),
                     s.each.doctors * 150000.0 + s.each.beds * 64000.0);
    EXPECT_LE(rows.at("alliance_invested"), 0.1 * rows.at("alliance_retained"));
}

TEST(InvestRun, ADeficitBuysNothingAndChangesNothing) {
    const Outcome without = run(compile(budget({"policy.payment.budget_per_resident=50"})));
    const Outcome with =
        run(compile(budget({"policy.payment.budget_per_resident=50", kInvest[0]})));
    ASSERT_EQ(with.stats.settlements.size(), 1U);
    EXPECT_LT(with.stats.settlements[0].budget.retained, 0);
    EXPECT_EQ(with.stats.settlements[0].each.doctors, 0);
    EXPECT_EQ(with.stats.settlements[0].each.beds, 0);
    auto a = county_rows(without);
    auto b = county_rows(with);
    EXPECT_EQ(b.at("alliance_invested"), 0);
    for (const auto& [key, v] : a) EXPECT_EQ(v, b.at(key)) << key;
}

/// The county hospital's consultations and the in-county admissions, per insurance year.
class YearProbe final : public model::ModelObserver {
  public:
    explicit YearProbe(const model::County& c) : c_(c) {}
    using ModelObserver::on;
    void on(const model::Consultation& e) override {
        const int y = year(e.at);
        if (y < 0 || c_.facility(e.facility).level != Level::County) return;
        ++county_visits[y];
        county_wait[y] += static_cast<double>(e.wait) / 60.0;
    }
    void on(const model::Admitted& e) override {
        const int y = year(e.at);
        if (y < 0) return;
        ++admissions[y];
        if (c_.facility(e.facility).in_county) ++in_county[y];
        events[y] += static_cast<double>(e.patient.episode.value()) + e.stay;
    }
    double wait(int y) const { return county_wait[y] / county_visits[y]; }
    double in_county_share(int y) const { return in_county[y] / admissions[y]; }

    double county_visits[2] = {}, county_wait[2] = {}, admissions[2] = {}, in_county[2] = {};
    double events[2] = {};  ///< a fingerprint of the year's admissions

  private:
    int year(sim::SimTime t) const {
        if (t < c_.warmup || t >= c_.warmup + c_.horizon) return -1;
        return static_cast<int>((t - c_.warmup) / (365 * sim::kDay));
    }
    const model::County& c_;
};

TEST(InvestRun, BoughtCapacityShortensYearTwoWaitsAndKeepsCareInTheCounty) {
    const model::County base = compile(budget());
    const model::County invest = compile(budget(kInvest));
    YearProbe a(base), b(invest);
    run(base, &a);
    run(invest, &b);
    // Nothing is bought before the first settlement: the first year is the same.
    EXPECT_EQ(a.county_visits[0], b.county_visits[0]);
    EXPECT_EQ(a.county_wait[0], b.county_wait[0]);
    EXPECT_EQ(a.events[0], b.events[0]);
    EXPECT_LT(b.wait(1), 0.9 * a.wait(1)) << a.wait(1) << " -> " << b.wait(1);
    EXPECT_GT(b.in_county_share(1), a.in_county_share(1));
}

}  // namespace
