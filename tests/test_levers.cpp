// The policy levers of docs/model.md §6 (docs/levers.md):
//  (1) table tests of the pure policy functions in policy.h (reserved capacity, global budget
//      settlement); the cost-sharing functions, case-based payment included, are tabled in
//      test_insurance.cpp;
//  (2) one model-level test per lever: a base and a what-if run with common random numbers
//      (same seed, same replication numbers) over a small county of our own
//      (tests/data/levers/county.yaml), compared with report::compare_runs(paired = true); the
//      lever's documented direction must show with the paired difference's 95% interval
//      excluding zero;
//  (3) AccountingShipped: every shipped scenario (scenarios/*.yaml and scenarios/whatif/*.yaml)
//      keeps spending_total = fund + out-of-pocket to the fen, and a global budget's result =
//      budget - what the alliance paid.
#include <gtest/gtest.h>

#include <map>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/policy.h"
#include "cmasim/model/trace.h"
#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace fs = std::filesystem;
namespace model = cmasim::model;
namespace indicators = cmasim::indicators;
namespace report = cmasim::report;
namespace scenario = cmasim::scenario;

using cmasim::sim::SimTime;
using model::Bill;
using model::County;
using model::PatientRef;
using model::ReferralKind;
using model::VisitKind;
using scenario::Fen;
using scenario::Level;

const fs::path kSource = CMASIM_SOURCE_DIR;
const fs::path kCounty = kSource / "tests/data/levers/county.yaml";

// ============================================================================================
// (1) Pure policy functions
// ============================================================================================

struct ReservedCase {
    const char* name;
    double share;
    int capacity;
    int expected;
};

void PrintTo(const ReservedCase& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<ReservedCase> kReservedCases = {
    {"no_share", 0.0, 10, 0},
    {"negative_share", -0.1, 10, 0},
    {"no_capacity", 0.2, 0, 0},
    {"single_server_never_reserved", 0.2, 1, 0},
    {"two_servers_round_up_to_one", 0.2, 2, 1},
    {"four_servers_round_up_to_one", 0.2, 4, 1},
    {"five_servers_exactly_one", 0.2, 5, 1},
    {"six_servers_round_up_to_two", 0.2, 6, 2},
    {"ten_servers_exactly_two", 0.2, 10, 2},
    {"baseline_people_hospital_doctors", 0.2, 75, 15},
    {"baseline_people_hospital_beds", 0.2, 1500, 300},
    {"half_of_three_rounds_up", 0.5, 3, 2},
    // share x capacity is 3.0000000000000004 or 7.000000000000001 in floating point: no extra
    // server
    {"float_noise_0.3_of_10", 0.3, 10, 3},
    {"float_noise_0.1_of_30", 0.1, 30, 3},
    {"float_noise_0.7_of_10", 0.7, 10, 7},
    {"walkins_keep_one_of_two", 0.9, 2, 1},
    {"walkins_keep_one_of_ten", 0.9, 10, 9},
};

class LeverReservedCount : public ::testing::TestWithParam<ReservedCase> {};

TEST_P(LeverReservedCount, Exact) {
    const ReservedCase& c = GetParam();
    const int n = model::reserved_count(c.share, c.capacity);
    EXPECT_EQ(n, c.expected);
    EXPECT_GE(n, 0);
    if (c.capacity >= 1) {
        EXPECT_LT(n, c.capacity) << "walk-ins always keep one server";
    }
}

INSTANTIATE_TEST_SUITE_P(LeverTable, LeverReservedCount, ::testing::ValuesIn(kReservedCases),
                         [](const auto& row) {
                             std::string s = row.param.name;
                             std::replace(s.begin(), s.end(), '.', '_');
                             return s;
                         });

struct ServerCase {
    const char* name;
    int busy;
    int busy_walkin;
    int on_duty;
    int reserved;
    bool walkin;
    bool expected;
};

void PrintTo(const ServerCase& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<ServerCase> kServerCases = {
    {"all_free_walkin", 0, 0, 5, 1, true, true},
    {"all_free_referred", 0, 0, 5, 1, false, true},
    {"all_busy_walkin", 5, 3, 5, 1, true, false},
    {"all_busy_referred", 5, 3, 5, 1, false, false},
    {"walkins_at_their_limit", 4, 4, 5, 1, true, false},
    {"referred_takes_the_reserved_one", 4, 4, 5, 1, false, true},
    {"referred_also_takes_unreserved_ones", 1, 1, 5, 1, false, true},
    // Referred patients hold one server: walk-ins may still use on_duty - reserved in total.
    {"walkin_below_limit_while_referred_busy", 4, 3, 5, 1, true, true},
    {"no_reservation_walkin_takes_last", 4, 4, 5, 0, true, true},
    {"closed_walkin", 0, 0, 0, 0, true, false},
    {"closed_referred", 0, 0, 0, 0, false, false},
    // Fewer on duty than the reservation (off-hours): walk-ins get none, referred patients any.
    {"reservation_above_on_duty_walkin", 0, 0, 1, 2, true, false},
    {"reservation_above_on_duty_referred", 0, 0, 1, 2, false, true},
    // Doctors went off duty while still busy: nobody may start.
    {"busy_above_on_duty", 3, 1, 2, 0, false, false},
};

class LeverMayTakeServer : public ::testing::TestWithParam<ServerCase> {};

TEST_P(LeverMayTakeServer, Exact) {
    const ServerCase& c = GetParam();
    EXPECT_EQ(model::may_take_server(c.busy, c.busy_walkin, c.on_duty, c.reserved, c.walkin),
              c.expected);
}

INSTANTIATE_TEST_SUITE_P(LeverTable, LeverMayTakeServer, ::testing::ValuesIn(kServerCases),
                         [](const auto& row) { return std::string(row.param.name); });

struct BudgetCase {
    const char* name;
    double budget, paid, retention, deficit_share;
    double result, retained, insurer;  ///< expected
};

void PrintTo(const BudgetCase& c, std::ostream* os) {
    *os << c.name;
}

// Amounts are whole yuan and the shares binary fractions, so every expected value is exact.
const std::vector<BudgetCase> kBudgetCases = {
    {"surplus_all_kept", 1000, 800, 1.0, 0.5, 200, 200, 1000},
    {"surplus_half_kept", 1000, 800, 0.5, 0.5, 200, 100, 900},
    {"surplus_none_kept", 1000, 800, 0.0, 0.5, 200, 0, 800},
    {"deficit_half_borne", 1000, 1200, 1.0, 0.5, -200, -100, 1100},
    {"deficit_all_borne", 1000, 1200, 1.0, 1.0, -200, -200, 1000},
    {"deficit_none_borne", 1000, 1200, 1.0, 0.0, -200, 0, 1200},
    {"deficit_quarter_borne", 1000, 1400, 0.75, 0.25, -400, -100, 1300},
    {"balanced", 1000, 1000, 0.75, 0.25, 0, 0, 1000},
    {"zero_budget", 0, 500, 1.0, 0.5, -500, -250, 250},
    {"nothing_paid", 600, 0, 0.25, 0.5, 600, 150, 150},
};

class LeverGlobalBudgetSettlement : public ::testing::TestWithParam<BudgetCase> {};

TEST_P(LeverGlobalBudgetSettlement, Exact) {
    const BudgetCase& c = GetParam();
    const model::BudgetSettlement s =
        model::settle_global_budget(c.budget, c.paid, c.retention, c.deficit_share);
    EXPECT_EQ(s.budget, c.budget);
    EXPECT_EQ(s.paid, c.paid);
    EXPECT_EQ(s.result, c.result);
    EXPECT_EQ(s.retained, c.retained);
    EXPECT_EQ(s.insurer, c.insurer);
    // The identities behind the rows: result = budget - paid; the insurer ends up paying for the
    // care plus the alliance's gain (or minus its loss).
    EXPECT_EQ(s.result, s.budget - s.paid);
    EXPECT_DOUBLE_EQ(s.insurer, s.paid + s.retained);
}

INSTANTIATE_TEST_SUITE_P(LeverTable, LeverGlobalBudgetSettlement, ::testing::ValuesIn(kBudgetCases),
                         [](const auto& row) { return std::string(row.param.name); });

// ============================================================================================
// (2) Model-level tests with common random numbers
// ============================================================================================

/// What the MetricsCollector does not report but a lever targets, counted in the statistics
/// window: waits of referred patients at county hospitals, up-referrals from township centers,
/// and what patients pay for admissions after an up- or a down-referral in the same episode.
class Probe final : public model::ModelObserver {
  public:
    explicit Probe(const County& c) : c_(c), from_(c.warmup), to_(c.warmup + c.horizon) {}

    using ModelObserver::on;
    void on(const model::Consultation& e) override {
        if (!in_window(e.at) || e.kind != VisitKind::Referred ||
            c_.facility(e.facility).level != Level::County)
            return;
        ++referred_county_visits_;
        referred_county_wait_ += static_cast<double>(e.wait) / 60.0;
    }
    void on(const model::Referred& e) override {
        const std::uint64_t episode = e.patient.episode.value();
        if (e.kind == ReferralKind::Up) up_episodes_.insert(episode);
        if (e.kind == ReferralKind::Down) down_episodes_.insert(episode);
        if (in_window(e.at) && e.kind == ReferralKind::Up &&
            c_.facility(e.from).level == Level::Township)
            ++township_up_;
    }
    void on(const model::Billed& e) override {
        if (!in_window(e.at) || !e.inpatient) return;
        const std::uint64_t episode = e.patient.episode.value();
        if (down_episodes_.count(episode) > 0) {
            ++down_stays_;
            down_oop_ += e.bill.out_of_pocket;
        } else if (up_episodes_.count(episode) > 0) {
            ++up_stays_;
            up_oop_ += e.bill.out_of_pocket;
        }
    }
    void on(const model::EpisodeEnded& e) override {
        up_episodes_.erase(e.patient.episode.value());
        down_episodes_.erase(e.patient.episode.value());
    }

    void add_rows(indicators::ReplicationResult& r) const {
        auto add = [&](const char* key, double v) { r.county.push_back({key, v}); };
        add("probe_referred_wait_county", mean(referred_county_wait_, referred_county_visits_));
        add("probe_township_up_referrals", static_cast<double>(township_up_));
        add("probe_oop_per_up_referred_stay",
            mean(static_cast<double>(up_oop_) / 100.0, up_stays_));
        add("probe_up_referred_stays", static_cast<double>(up_stays_));
        add("probe_oop_per_down_referred_stay",
            mean(static_cast<double>(down_oop_) / 100.0, down_stays_));
        add("probe_down_referred_stays", static_cast<double>(down_stays_));
    }

  private:
    bool in_window(SimTime t) const { return t >= from_ && t < to_; }
    static double mean(double sum, std::uint64_t n) {
        return n > 0 ? sum / static_cast<double>(n) : 0.0;
    }

    const County& c_;
    SimTime from_, to_;
    std::unordered_set<std::uint64_t> up_episodes_, down_episodes_;
    std::uint64_t referred_county_visits_ = 0, township_up_ = 0, up_stays_ = 0, down_stays_ = 0;
    double referred_county_wait_ = 0;
    Fen up_oop_ = 0, down_oop_ = 0;
};

scenario::Scenario load_county(const std::vector<std::string>& sets) {
    scenario::LoadOptions o;
    o.overrides = sets;
    return scenario::load_scenario(kCounty, o);
}

/// Runs replications 0 .. n-1 of a scenario with the metrics and the probe.
report::ScenarioRun run(const std::string& label, const scenario::Scenario& s) {
    const County county = model::compile_county(s);
    report::ScenarioRun out{label, s.source_file, s.seed, {}, s.targets, {}};
    for (int rep = 0; rep < s.replications; ++rep) {
        const auto r = static_cast<std::uint64_t>(rep);
        model::MetricsCollector metrics(county);
        Probe probe(county);
        model::ObserverList both(metrics);
        both.add(probe);
        model::simulate_replication(county, r, both);
        indicators::ReplicationResult result = metrics.result(r);
        probe.add_rows(result);
        out.results.push_back(std::move(result));
    }
    return out;
}

/// Base and what-if of the lever test county (each a list of --set overrides), compared paired.
struct Pair {
    report::ScenarioRun base, whatif;
    report::Comparison comparison;
};

Pair compare(const std::vector<std::string>& base_sets,
             const std::vector<std::string>& whatif_sets) {
    std::vector<std::string> w = base_sets;
    w.insert(w.end(), whatif_sets.begin(), whatif_sets.end());
    Pair p{run("base", load_county(base_sets)), run("whatif", load_county(w)), {}};
    p.comparison = report::compare_runs({p.base, p.whatif}, /*paired=*/true);
    return p;
}

const report::IndicatorComparison* find(const report::Comparison& c, const std::string& key) {
    for (const auto& ic : c.indicators) {
        if (ic.indicator == key) return &ic;
    }
    return nullptr;
}

std::string describe(const report::IndicatorComparison& ic) {
    std::ostringstream os;
    const auto& d = ic.difference[1];
    os << ic.indicator << ": base " << ic.scenario[0].mean << ", what-if " << ic.scenario[1].mean
       << ", paired difference " << d.mean << " [" << d.ci_low << ", " << d.ci_high << "] (n "
       << d.n << ")";
    return os.str();
}

enum class Direction { Up, Down };

/// The paired difference what-if - base of `key` has a 95% interval entirely above (Up) or
/// below (Down) zero.
void expect_effect(const Pair& p, const std::string& key, Direction dir) {
    const auto* ic = find(p.comparison, key);
    ASSERT_NE(ic, nullptr) << "no indicator " << key;
    const report::Estimate& d = ic->difference[1];
    ASSERT_TRUE(d.has_interval()) << describe(*ic);
    EXPECT_EQ(d.n, p.base.results.size());
    if (dir == Direction::Up) {
        EXPECT_GT(d.ci_low, 0) << "expected an increase; " << describe(*ic);
    } else {
        EXPECT_LT(d.ci_high, 0) << "expected a decrease; " << describe(*ic);
    }
}

double value(const indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county) {
        if (row.indicator == key) return row.value;
    }
    ADD_FAILURE() << "no indicator " << key << " in replication " << r.replication;
    return NAN;
}

/// Yuan as reported back to whole fen; exact for every sum a run produces (< 2^53 fen).
Fen to_fen(double yuan) {
    return static_cast<Fen>(std::llround(yuan * 100.0));
}

bool has(const indicators::ReplicationResult& r, const std::string& key) {
    return std::any_of(r.county.begin(), r.county.end(),
                       [&](const auto& row) { return row.indicator == key; });
}

// --- lever 1: reimbursement ratios by level ------------------------------------------------

TEST(LeverReimbursement, TownshipPlusTenPointsRaisesGrassrootsRate) {
    const Pair p = compare(
        {}, {"insurance.outpatient_ratio.township=0.6", "insurance.inpatient_ratio.township=0.9"});
    expect_effect(p, "grassroots_rate", Direction::Up);
    expect_effect(p, "visits_township", Direction::Up);
    expect_effect(p, "visits_county", Direction::Down);
}

// --- lever 2: deductibles ------------------------------------------------------------------

TEST(LeverDeductible, ContinuousDeductibleLowersUpReferredOutOfPocket) {
    // Moderate inpatients at a township centre are sometimes transferred up to the county as
    // inpatients; only those second admissions have a deductible paid earlier in the episode.
    const Pair p = compare({"conditions[moderate_acute].transfer_up_probability.township=0.3",
                            "insurance.continuous_deductible=false"},
                           {"insurance.continuous_deductible=true"});
    expect_effect(p, "probe_oop_per_up_referred_stay", Direction::Down);
}

TEST(LeverDeductible, DownReferralWaiverLowersDownReferredOutOfPocket) {
    // Both runs let 40% of down-referred serious patients start with a rehabilitation stay at
    // the township (3,500 yuan, above the 200-yuan deductible), so the waiver has stays to act on.
    const Pair p = compare({"conditions[serious].down_referral_admission=0.4"},
                           {"insurance.down_referral_waiver=true"});
    ASSERT_GT(find(p.comparison, "probe_down_referred_stays")->scenario[0].mean, 5);
    expect_effect(p, "probe_oop_per_down_referred_stay", Direction::Down);
    expect_effect(p, "out_of_pocket", Direction::Down);
    expect_effect(p, "fund_spending", Direction::Up);
}

// --- lever 3: gatekeeping and unreferred penalties -----------------------------------------

TEST(LeverPenalty, DroppingOutOfCountyPenaltyRaisesOutOfCountyShare) {
    const Pair p = compare({}, {"insurance.unreferred_penalty.external=0"});
    expect_effect(p, "in_county_rate", Direction::Down);  // the out-of-county share is 1 - this
    expect_effect(p, "visits_external", Direction::Up);
}

TEST(LeverPenalty, RaisingOutOfCountyPenaltyLowersOutOfCountyShare) {
    const Pair p = compare({}, {"insurance.unreferred_penalty.external=0.3"});
    expect_effect(p, "in_county_rate", Direction::Up);
    expect_effect(p, "visits_external", Direction::Down);
}

TEST(LeverGatekeeping, ContractedResidentsBypassLessAndUseGrassrootsMore) {
    const Pair p =
        compare({}, {"insurance.gatekeeping.enabled=true", "insurance.gatekeeping.compliance=0.8",
                     "insurance.gatekeeping.penalty={county: 0.1, external: 0.2}"});
    expect_effect(p, "bypass_rate", Direction::Down);
    expect_effect(p, "grassroots_rate", Direction::Up);
}

// --- lever 4: provider payment -------------------------------------------------------------

struct GlobalBudgetCase {
    const char* name;
    const char* budget_per_resident;  ///< yuan
    double yuan_per_resident;
    double retention, deficit_share;
    bool surplus;  ///< expected sign of the result (the county's fund pays ~750 yuan/resident/year)
};

void PrintTo(const GlobalBudgetCase& c, std::ostream* os) {
    *os << c.name;
}

class LeverGlobalBudget : public ::testing::TestWithParam<GlobalBudgetCase> {};

// Money only (provider_response: none); the care's response is tested in
// test_provider_response.cpp.
TEST_P(LeverGlobalBudget, SettlementAddsUpAndCareIsUnchanged) {
    const GlobalBudgetCase& c = GetParam();
    const Pair p =
        compare({}, {"policy.payment.mode=global_budget", "policy.provider_response=none",
                     std::string("policy.payment.budget_per_resident=") + c.budget_per_resident,
                     "policy.payment.surplus_retention=" + std::to_string(c.retention),
                     "policy.payment.deficit_share=" + std::to_string(c.deficit_share)});
    const County county = model::compile_county(load_county({}));
    const double years = static_cast<double>(county.horizon) / (365.0 * 86400.0);
    const double budget = c.yuan_per_resident * static_cast<double>(county.population) * years;
    ASSERT_EQ(p.whatif.results.size(), p.base.results.size());
    for (std::size_t k = 0; k < p.whatif.results.size(); ++k) {
        const auto& w = p.whatif.results[k];
        const auto& b = p.base.results[k];
        SCOPED_TRACE("replication " + std::to_string(w.replication));
        EXPECT_FALSE(has(b, "alliance_budget")) << "fee-for-service reports no budget";
        EXPECT_DOUBLE_EQ(value(w, "alliance_budget"), budget);
        // The alliance pays the fund's share of every bill of its residents, in and out of county.
        EXPECT_EQ(value(w, "alliance_paid"), value(w, "fund_spending"));
        EXPECT_EQ(value(w, "alliance_budget_result"),
                  value(w, "alliance_budget") - value(w, "alliance_paid"));
        EXPECT_EQ(value(w, "alliance_budget_result") > 0, c.surplus);
        const model::BudgetSettlement s = model::settle_global_budget(
            value(w, "alliance_budget"), value(w, "alliance_paid"), c.retention, c.deficit_share);
        EXPECT_EQ(value(w, "alliance_retained"), s.retained);
        EXPECT_EQ(value(w, "insurer_spending"), s.insurer);
        // A budget changes who bears the money, not the care: the same patients, the same bills.
        for (const char* key :
             {"fund_spending", "out_of_pocket", "spending_total", "visits", "admissions"}) {
            EXPECT_EQ(value(w, key), value(b, key)) << key;
        }
    }
    // Paired over replications: the fund's spending does not move at all.
    const auto* fund = find(p.comparison, "fund_spending");
    ASSERT_NE(fund, nullptr);
    EXPECT_EQ(fund->difference[1].mean, 0.0);
    EXPECT_EQ(fund->difference[1].half_width, 0.0);
}

const std::vector<GlobalBudgetCase> kGlobalBudgetCases = {
    {"deficit_shared", "500", 500, 1.0, 0.4, false},
    {"surplus_mostly_kept", "1000", 1000, 0.8, 0.5, true},
};

INSTANTIATE_TEST_SUITE_P(LeverTable, LeverGlobalBudget, ::testing::ValuesIn(kGlobalBudgetCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(LeverGlobalBudgetCompare, BudgetResultAppearsInComparisonWithFeeForServiceBase) {
    const Pair p = compare(
        {}, {"policy.payment.mode=global_budget", "policy.payment.budget_per_resident=800"});
    const auto* ic = find(p.comparison, "alliance_budget_result");
    ASSERT_NE(ic, nullptr);
    EXPECT_EQ(ic->scenario[0].n, 0U);
    EXPECT_EQ(ic->scenario[1].n, p.whatif.results.size());
}

struct CaseRateCase {
    const char* name;
    const char* rates;  ///< policy.payment.case_rates
    Direction fund;     ///< expected direction of fund spending
};

void PrintTo(const CaseRateCase& c, std::ostream* os) {
    *os << c.name;
}

class LeverCaseBased : public ::testing::TestWithParam<CaseRateCase> {};

// Case rates replace the county's fees per admission; the patient's share is still computed on
// the fees, so the fund takes all of the change (money only: the providers' response is off here
// and tested in test_provider_response.cpp).
TEST_P(LeverCaseBased, FundTakesTheChangeAndSpendingAddsUp) {
    const CaseRateCase& c = GetParam();
    const Pair p = compare({}, {"policy.payment.mode=case_based", "policy.provider_response=none",
                                std::string("policy.payment.case_rates=") + c.rates});
    expect_effect(p, "fund_spending", c.fund);
    expect_effect(p, "spending_total", c.fund);
    for (std::size_t k = 0; k < p.whatif.results.size(); ++k) {
        const auto& w = p.whatif.results[k];
        SCOPED_TRACE("replication " + std::to_string(w.replication));
        EXPECT_EQ(value(w, "out_of_pocket"), value(p.base.results[k], "out_of_pocket"));
        EXPECT_EQ(value(w, "admissions"), value(p.base.results[k], "admissions"));
        // To the fen: the yuan figures are sums of whole fen divided by 100.
        EXPECT_EQ(to_fen(value(w, "spending_total")),
                  to_fen(value(w, "fund_spending")) + to_fen(value(w, "out_of_pocket")));
    }
}

const std::vector<CaseRateCase> kCaseRateCases = {
    // 80% of the county fee per stay (4,000 / 5,500 / 6,386 yuan).
    {"rates_below_fees",
     "{minor_acute: {county: 3200}, moderate_acute: {county: 4400}, serious: {county: 5109}}",
     Direction::Down},
    {"rates_above_fees",
     "{minor_acute: {county: 4800}, moderate_acute: {county: 6600}, serious: {county: 7663}}",
     Direction::Up},
};

INSTANTIATE_TEST_SUITE_P(LeverTable, LeverCaseBased, ::testing::ValuesIn(kCaseRateCases),
                         [](const auto& row) { return std::string(row.param.name); });

// --- lever 5: family-doctor contracts and reserved capacity --------------------------------

TEST(LeverContract, RaisingContractShareRaisesGrassrootsRate) {
    const Pair p = compare({}, {"policy.contract_share=0.8"});
    expect_effect(p, "grassroots_rate", Direction::Up);
    expect_effect(p, "visits_village", Direction::Up);
}

TEST(LeverReserved, ReservedCountyCapacityCutsReferredPatientsWait) {
    // 20% of the county hospital's 2 doctors and 45 beds: 1 doctor and 9 beds kept for referrals.
    // Twelve replications: few patients are referred to the county in this small county.
    // Every referred patient may use it (any_referral), as the probe counts them all.
    const Pair p = compare({"replications=12"},
                           {"policy.reserved_share=0.2", "policy.reserved_for=any_referral"});
    expect_effect(p, "probe_referred_wait_county", Direction::Down);
}

// --- lever 6: stationed physicians and circuit clinics -------------------------------------

TEST(LeverStationed, StationedPhysiciansCutTownshipUpReferrals) {
    // The three stationed doctors leave the county hospital: give it five to send them from.
    const Pair p =
        compare({"facilities[county_hospital].doctors=5", "replications=12"},
                {"policy.stationed_physicians={per_township: 1, also_treats: [serious]}"});
    expect_effect(p, "probe_township_up_referrals", Direction::Down);
    expect_effect(p, "up_referrals", Direction::Down);
}

TEST(LeverCircuit, VillageCircuitClinicsCutVillageWaits) {
    // The circuits' doctor-hours leave the county hospital: with its own two doctors it would
    // lose one and send patients to the villages, so give it six.
    const Pair p =
        compare({"facilities[county_hospital].doctors=6"},
                {"policy.circuit_clinics={enabled: true, level: village, days: [tue, fri], "
                 "from: \"09:00\", to: \"12:00\", doctors: 1}"});
    expect_effect(p, "wait_minutes_mean_village", Direction::Down);
}

// --- lever 7: sub-centers ------------------------------------------------------------------

TEST(LeverSubCenter, UpgradedCenterRaisesInCountyInpatientRate) {
    const Pair p = compare(
        {}, {"policy.facility_changes=[{facilities: [w_center], sub_center: true, add_doctors: 2, "
             "add_beds: 12, quality: 0.9, also_treats: [serious]}]"});
    expect_effect(p, "in_county_inpatient_rate", Direction::Up);
    expect_effect(p, "probe_township_up_referrals", Direction::Down);
}

// --- lever 8: remote consultation ----------------------------------------------------------

TEST(LeverRemote, TownshipsTreatAfterRemoteConsultationInsteadOfReferring) {
    const Pair p =
        compare({}, {"policy.remote_consultation={conditions: [serious], levels: [township], "
                     "delay_minutes: 60}"});
    expect_effect(p, "remote_consultations", Direction::Up);
    expect_effect(p, "up_referrals", Direction::Down);
    for (const auto& r : p.base.results) EXPECT_EQ(value(r, "remote_consultations"), 0.0);
}

// --- lever 9: access -----------------------------------------------------------------------

TEST(LeverAccess, ShorterRoadBringsVillageIntoTheFifteenMinuteCircle) {
    // w3 has no clinic; its road to the West township seat drops from 24 to 12 minutes.
    const Pair p = compare({}, {"roads[6].minutes=12"});
    expect_effect(p, "within_15_min", Direction::Up);
    expect_effect(p, "mean_travel_minutes", Direction::Down);
}

// --- lever 10: capacity --------------------------------------------------------------------

TEST(LeverCapacity, MoreCountyDoctorsAndBedsCutWaitsAndKeepAdmissionsInCounty) {
    const Pair p = compare(
        {}, {"facilities[county_hospital].doctors=4", "facilities[county_hospital].beds=60"});
    expect_effect(p, "wait_minutes_mean_county", Direction::Down);
    expect_effect(p, "in_county_inpatient_rate", Direction::Up);
}

// --- lever 11: the outside option -----------------------------------------------------------
// Staying out of formal care (docs/model.md: the outside option) joins the first choice, so care
// that is dearer, farther or newly at hand moves visits, not only where they happen.

const std::vector<std::string> kWithOutsideOption = {"conditions[minor_acute].outside_option=-3",
                                                     "conditions[moderate_acute].outside_option=-5",
                                                     "choice.b_log_cost=-1.5"};

TEST(LeverOutsideOption, DearerCareMeansFewerVisits) {
    const Pair p = compare(kWithOutsideOption, {"insurance.outpatient_ratio.village=0.2",
                                                "insurance.outpatient_ratio.township=0.2"});
    expect_effect(p, "no_visit_share", Direction::Up);
    expect_effect(p, "visits", Direction::Down);
}

TEST(LeverOutsideOption, FartherCareMeansFewerVisits) {
    std::vector<std::string> longer;
    for (int r = 0; r < 7; ++r) longer.push_back("roads[" + std::to_string(r) + "].minutes=60");
    const Pair p = compare(kWithOutsideOption, longer);
    expect_effect(p, "no_visit_share", Direction::Up);
    expect_effect(p, "visits", Direction::Down);
}

TEST(LeverOutsideOption, NewVillageClinicMeansMoreVisits) {
    std::vector<std::string> no_clinic = kWithOutsideOption;
    no_clinic.push_back("facilities[w2_clinic].doctors=0");  // unstaffed: not a choice
    const Pair p = compare(no_clinic, {"facilities[w2_clinic].doctors=1"});
    expect_effect(p, "no_visit_share", Direction::Down);
    expect_effect(p, "visits_village", Direction::Up);
}

TEST(LeverOutsideOption, WithoutOneEveryEpisodeSeeksCare) {
    const Pair p = compare({}, {"choice.b_log_cost=-1.5"});
    for (const auto* run : {&p.base, &p.whatif}) {
        for (const auto& r : run->results) EXPECT_EQ(value(r, "episodes_no_visit"), 0.0);
    }
}

// ============================================================================================
// (3) Accounting in every shipped scenario
// ============================================================================================

/// scenarios/*.yaml and scenarios/whatif/*.yaml, sorted (validation/ and sweeps/ are not
/// county scenarios with money).
std::vector<std::string> shipped_scenarios() {
    std::vector<std::string> out;
    for (const char* dir : {"scenarios", "scenarios/whatif"}) {
        const fs::path d = kSource / dir;
        if (!fs::is_directory(d)) continue;
        for (const auto& e : fs::directory_iterator(d)) {
            if (e.is_regular_file() && e.path().extension() == ".yaml") {
                out.push_back(fs::relative(e.path(), kSource).generic_string());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string test_name(const std::string& file) {
    std::string s = fs::path(file).replace_extension().generic_string();
    if (s.rfind("scenarios/", 0) == 0) s = s.substr(10);
    for (char& ch : s) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    return s;
}

/// Every bill in the statistics window, summed as integer fen.
class Ledger final : public model::ModelObserver {
  public:
    Ledger(SimTime from, SimTime to) : from_(from), to_(to) {}
    using ModelObserver::on;
    void on(const model::Billed& e) override {
        const Bill& b = e.bill;
        ++bills;
        const Fen by_layers = b.catastrophic + b.assistance;
        if (b.fund + by_layers + b.out_of_pocket != b.total || b.fund < 0 || b.out_of_pocket < 0)
            ++bad_bills;
        if (e.at < from_ || e.at >= to_) return;
        total += b.total;
        fund += b.fund;
        out_of_pocket += b.out_of_pocket;
        layers += by_layers;
    }
    std::uint64_t bills = 0, bad_bills = 0;
    Fen total = 0, fund = 0, out_of_pocket = 0;
    Fen layers = 0;  ///< paid by the catastrophic and assistance layers

  private:
    SimTime from_, to_;
};

class AccountingShipped : public ::testing::TestWithParam<std::string> {};

/// DIP points: the budget buys the points (point value × points = budget) and the settlement
/// adjusts the fund's share of the point-paid fees, which is part of the fund's spending.
void expect_points_settle(const indicators::ReplicationResult& r, scenario::PaymentMode mode,
                          double fund) {
    EXPECT_EQ(has(r, "dip_point_value"), mode == scenario::PaymentMode::DipPoints);
    if (mode != scenario::PaymentMode::DipPoints) return;
    const double budget = value(r, "dip_budget");
    EXPECT_NEAR(value(r, "dip_point_value") * value(r, "dip_points"), budget, 1e-9 * budget);
    EXPECT_EQ(value(r, "dip_settlement_adjustment"), budget - value(r, "dip_fee_fund"));
    EXPECT_LE(value(r, "dip_fee_fund"), fund);
}

/// With `alliances:` each alliance settles on its own residents (group "alliance") by the rule,
/// and the county rows are the sums over the alliances.
void expect_alliances_settle(const indicators::ReplicationResult& r,
                             const scenario::ProviderPayment& pay, double fund) {
    std::map<std::string, std::map<std::string, double>> rows;  // alliance -> key -> value
    for (const auto& g : r.groups)
        if (g.dimension == "alliance") rows[g.group][g.indicator] = g.value;
    double paid = 0, retained = 0;
    for (auto& [id, row] : rows) {
        const model::BudgetSettlement b = model::settle_global_budget(
            row["alliance_budget"], row["alliance_paid"], pay.surplus_retention, pay.deficit_share);
        EXPECT_EQ(row["alliance_budget_result"], b.result) << id;
        EXPECT_EQ(row["alliance_retained"], b.retained) << id;
        paid += b.paid;
        retained += b.retained;
    }
    EXPECT_NEAR(value(r, "alliance_paid"), paid, 1e-9 * fund);
    EXPECT_NEAR(value(r, "alliance_paid"), fund, 1e-9 * fund);  // every township is in one
    EXPECT_NEAR(value(r, "alliance_retained"), retained, 1e-9 * fund);
}

/// Under a global budget the alliance is paid what the fund spent, and the budget's result is
/// shared between the alliance and the insurer as the settlement rule says.
void expect_budget_settles(const indicators::ReplicationResult& r,
                           const scenario::ProviderPayment& pay, double fund, bool alliances) {
    const bool budget = pay.mode == scenario::PaymentMode::GlobalBudget;
    EXPECT_EQ(has(r, "alliance_budget_result"), budget);
    if (!budget) return;
    if (alliances) return expect_alliances_settle(r, pay, fund);
    EXPECT_EQ(value(r, "alliance_budget_result"),
              value(r, "alliance_budget") - value(r, "alliance_paid"));
    EXPECT_EQ(value(r, "alliance_paid"), fund);
    const model::BudgetSettlement b =
        model::settle_global_budget(value(r, "alliance_budget"), value(r, "alliance_paid"),
                                    pay.surplus_retention, pay.deficit_share);
    EXPECT_EQ(value(r, "alliance_retained"), b.retained);
    EXPECT_EQ(value(r, "insurer_spending"), b.insurer);
}

TEST_P(AccountingShipped, SpendingAddsUpAndBudgetSettles) {
    scenario::LoadOptions opt;
    for (const auto& info : indicators::all()) opt.known_indicators.push_back(info.key);
    scenario::Scenario s = scenario::load_scenario(kSource / GetParam(), opt);
    s.horizon_days = 30;
    s.warmup_days = std::min(s.warmup_days, 7.0);
    const County county = model::compile_county(s);
    model::MetricsCollector metrics(county);
    Ledger ledger(county.warmup, county.warmup + county.horizon);
    model::ObserverList both(metrics);
    both.add(ledger);
    model::simulate_replication(county, 0, both);
    const indicators::ReplicationResult r = metrics.result(0);

    ASSERT_GT(ledger.bills, 0U);
    EXPECT_EQ(ledger.bad_bills, 0U);
    EXPECT_EQ(ledger.total, ledger.fund + ledger.layers + ledger.out_of_pocket);
    const double total = value(r, "spending_total");
    const double fund = value(r, "fund_spending");
    const double oop = value(r, "out_of_pocket");
    double layers = 0;
    for (const char* key : {"catastrophic_spending", "assistance_spending"})
        layers += has(r, key) ? value(r, key) : 0.0;
    EXPECT_GT(total, 0);
    EXPECT_NEAR(total, fund + layers + oop, 1e-6 * total);
    EXPECT_EQ(to_fen(layers), ledger.layers);
    EXPECT_EQ(to_fen(total), ledger.total);
    EXPECT_EQ(to_fen(fund), ledger.fund);
    EXPECT_EQ(to_fen(oop), ledger.out_of_pocket);

    const auto& pay = s.policy.payment;
    expect_points_settle(r, pay.mode, fund);
    expect_budget_settles(r, pay, fund, !s.alliances.empty());
}

INSTANTIATE_TEST_SUITE_P(AccountingShipped, AccountingShipped,
                         ::testing::ValuesIn(shipped_scenarios()),
                         [](const auto& row) { return test_name(row.param); });

TEST(AccountingShippedFiles, BaselineTinyAndAWhatIfPerLever) {
    const auto files = shipped_scenarios();
    for (const char* must : {"scenarios/baseline.yaml", "scenarios/tiny.yaml"}) {
        EXPECT_NE(std::find(files.begin(), files.end(), must), files.end()) << must;
    }
    const auto whatifs = std::count_if(files.begin(), files.end(), [](const std::string& f) {
        return f.rfind("scenarios/whatif/", 0) == 0;
    });
    EXPECT_GE(whatifs, 10) << "one what-if per lever of docs/model.md §6";
}

}  // namespace
