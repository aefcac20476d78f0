// Insurance by condition group and the layers on top of the basic scheme (docs/levers.md,
// lever 1; docs/model.md: insurance layers):
//  (1) table tests of cover_terms, catastrophic_payment and assistance_payment (exact fen);
//  (2) runs of the lever test county with common random numbers: a higher outpatient ratio for
//      one condition group moves its visits to the grassroots; assistance lowers what low-income
//      residents pay and, with an outside option, brings them to care more often; every bill of
//      a run with every layer adds up (fund + layers + out-of-pocket = fees).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/insurance.h"
#include "cmasim/model/metrics.h"
#include "cmasim/scenario/loader.h"
#include "insurance_scheme.h"

namespace {

namespace fs = std::filesystem;
namespace model = cmasim::model;
namespace scenario = cmasim::scenario;
using scenario::Fen;

// ============================================================================================
// (1) Pure functions
// ============================================================================================

TEST(InsuranceCover, GivenLevelsReplaceTheSchemesOthersKeepIt) {
    const scenario::Insurance base = cmasim::test::base_scheme();
    scenario::ConditionCover cover;
    cover.condition = "chronic";
    cover.outpatient_ratio[1] = 0.8;
    cover.inpatient_deductible[2] = 30000;
    cover.outpatient_cap = 60000;
    const scenario::Insurance got = model::cover_terms(base, cover);
    const scenario::PerLevel<double> outpatient{0.6, 0.8, 0.2, 0.5};
    const scenario::PerLevel<Fen> deductible{0, 20000, 30000, 150000};
    EXPECT_EQ(got.outpatient_ratio, outpatient);
    EXPECT_EQ(got.inpatient_deductible, deductible);
    EXPECT_EQ(got.inpatient_ratio, base.inpatient_ratio);
    EXPECT_EQ(got.outpatient_cap, 60000);
    EXPECT_TRUE(got.by_condition.empty());
    EXPECT_EQ(model::cover_terms(base, {}).outpatient_ratio, base.outpatient_ratio);
    EXPECT_EQ(model::cover_terms(base, {}).outpatient_cap, base.outpatient_cap);
}

struct LayerCase {
    const char* name;
    Fen oop_ytd, oop, paid_ytd;
    Fen expected;
};

void PrintTo(const LayerCase& c, std::ostream* os) {
    *os << c.name;
}

/// Threshold 10,000 yuan at 0.5, from 50,000 yuan 0.7, from 100,000 yuan 0.9; cap 60,000 yuan.
scenario::Catastrophic layer() {
    scenario::Catastrophic c;
    c.threshold = 1'000'000;
    c.ratio = 0.5;
    c.bands = {{5'000'000, 0.7}, {10'000'000, 0.9}};
    c.cap = 6'000'000;
    return c;
}

const std::vector<LayerCase> kCatastrophicCases = {
    {"below_threshold", 0, 900'000, 0, 0},
    {"reaches_threshold_exactly", 0, 1'000'000, 0, 0},
    {"crosses_threshold", 900'000, 200'000, 0, 50'000},
    {"already_above", 2'000'000, 100'000, 500'000, 50'000},
    {"crosses_first_band", 4'900'000, 200'000, 0, 50'000 + 70'000},
    {"spans_two_bands", 4'000'000, 7'000'000, 0, 500'000 + 3'500'000 + 900'000},
    {"rounds_half_away_on_cumulative", 1'000'000, 1, 0, 1},
    {"next_fen_rounds_to_nothing", 1'000'001, 1, 1, 0},
    {"cap_limits", 2'000'000, 1'000'000, 5'900'000, 100'000},
    {"cap_exhausted", 2'000'000, 1'000'000, 6'000'000, 0},
    {"nothing_owed", 2'000'000, 0, 0, 0},
};

class CatastrophicLayer : public ::testing::TestWithParam<LayerCase> {};

TEST_P(CatastrophicLayer, Exact) {
    const LayerCase& c = GetParam();
    EXPECT_EQ(model::catastrophic_payment(layer(), c.oop_ytd, c.oop, c.paid_ytd), c.expected);
}

INSTANTIATE_TEST_SUITE_P(InsuranceLayers, CatastrophicLayer,
                         ::testing::ValuesIn(kCatastrophicCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(CatastrophicLayerOff, NoThresholdPaysNothing) {
    scenario::Catastrophic off = layer();
    off.threshold = 0;
    EXPECT_EQ(model::catastrophic_payment(off, 9'000'000, 1'000'000, 0), 0);
}

TEST(CatastrophicLayerYear, BillsAddUpToTheYearsTotal) {
    // Any split of a year's out-of-pocket into bills pays what the whole year would.
    Fen ytd = 0, paid = 0;
    for (Fen bill : {333'333, 777'777, 1'234'567, 5'555'555, 4'444'445}) {
        paid += model::catastrophic_payment(layer(), ytd, bill, paid);
        ytd += bill;
    }
    EXPECT_EQ(paid, model::catastrophic_payment(layer(), 0, ytd, 0));
}

const std::vector<LayerCase> kAssistanceCases = {
    // oop_ytd unused: assistance looks at this bill only.
    {"pays_ratio", 0, 10'000, 0, 7'000},
    {"rounds_half_away", 0, 5, 0, 4},
    {"cap_limits", 0, 10'000, 2'999'000, 1'000},
    {"cap_exhausted", 0, 10'000, 3'000'000, 0},
    {"nothing_owed", 0, 0, 0, 0},
};

class AssistanceLayer : public ::testing::TestWithParam<LayerCase> {};

TEST_P(AssistanceLayer, Exact) {
    const LayerCase& c = GetParam();
    scenario::Assistance a;
    a.low_income_share = 0.1;
    a.ratio = 0.7;
    a.cap = 3'000'000;
    EXPECT_EQ(model::assistance_payment(a, c.oop, c.paid_ytd), c.expected);
    a.low_income_share = 0;  // no layer
    EXPECT_EQ(model::assistance_payment(a, c.oop, c.paid_ytd), 0);
}

INSTANTIATE_TEST_SUITE_P(InsuranceLayers, AssistanceLayer, ::testing::ValuesIn(kAssistanceCases),
                         [](const auto& row) { return std::string(row.param.name); });

// ============================================================================================
// (2) Runs with common random numbers
// ============================================================================================

const fs::path kCounty = fs::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

/// Every bill of a run (all of it, not only the window) against the layers' identity.
class LayerLedger final : public model::ModelObserver {
  public:
    using ModelObserver::on;
    void on(const model::Billed& e) override {
        const model::Bill& b = e.bill;
        ++bills;
        if (b.fund + b.catastrophic + b.assistance + b.out_of_pocket != b.total) ++bad;
        if (b.fund < 0 || b.catastrophic < 0 || b.assistance < 0 || b.out_of_pocket < 0) ++bad;
        if (b.assistance > 0 && !e.patient.low_income) ++bad;
        catastrophic += b.catastrophic;
        assistance += b.assistance;
    }
    std::uint64_t bills = 0, bad = 0;
    Fen catastrophic = 0, assistance = 0;
};

double indicator(const cmasim::indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county) {
        if (row.indicator == key) return row.value;
    }
    ADD_FAILURE() << "no indicator " << key;
    return NAN;
}

/// Per replication, the indicators `keys` of the lever county with `sets`, checking every bill.
std::vector<std::vector<double>> run(const std::vector<std::string>& sets,
                                     const std::vector<std::string>& keys,
                                     LayerLedger* ledger = nullptr) {
    scenario::LoadOptions o;
    o.overrides = sets;
    const scenario::Scenario s = scenario::load_scenario(kCounty, o);
    const model::County county = model::compile_county(s);
    std::vector<std::vector<double>> out;
    for (int rep = 0; rep < s.replications; ++rep) {
        model::MetricsCollector metrics(county);
        LayerLedger own;
        model::ObserverList both(metrics);
        both.add(ledger ? *ledger : own);
        model::simulate_replication(county, static_cast<std::uint64_t>(rep), both);
        const auto r = metrics.result(static_cast<std::uint64_t>(rep));
        std::vector<double> row;
        for (const auto& k : keys) row.push_back(indicator(r, k));
        out.push_back(row);
        EXPECT_EQ(own.bad, 0U);
    }
    return out;
}

/// Paired differences what-if - base of key `k` are positive in every replication (Up) or
/// negative in every one (Down): with common random numbers the effect shows replication by
/// replication.
void expect_every_replication(const std::vector<std::vector<double>>& base,
                              const std::vector<std::vector<double>>& whatif, std::size_t k,
                              int sign, const std::string& what) {
    ASSERT_EQ(base.size(), whatif.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        const double d = whatif[r][k] - base[r][k];
        EXPECT_GT(sign * d, 0) << what << ", replication " << r << ": base " << base[r][k]
                               << ", what-if " << whatif[r][k];
    }
}

TEST(InsuranceByCondition, HigherTownshipCoverOfOneConditionMovesItsVisitsDown) {
    const std::vector<std::string> keys = {"visits_township", "visits_county"};
    const std::vector<std::string> anchored = {"choice.b_log_cost=-1.5"};  // as the baseline
    std::vector<std::string> cover = anchored;
    cover.push_back("insurance.by_condition={moderate_acute: {outpatient_ratio: {township: 0.9}}}");
    const auto base = run(anchored, keys);
    const auto whatif = run(cover, keys);
    expect_every_replication(base, whatif, 0, +1, "township visits");
    expect_every_replication(base, whatif, 1, -1, "county visits");
}

const std::vector<std::string> kOutside = {
    "conditions[minor_acute].outside_option=-3", "conditions[moderate_acute].outside_option=-5",
    "choice.b_log_cost=-1.5", "insurance.assistance.low_income_share=0.3"};

TEST(InsuranceAssistance, LowIncomeResidentsPayLessAndVisitMore) {
    const std::vector<std::string> keys = {"low_income_out_of_pocket_per_episode",
                                           "low_income_visits", "low_income_episodes"};
    std::vector<std::string> none = kOutside, aid = kOutside;
    none.push_back("insurance.assistance.ratio=0");
    aid.push_back("insurance.assistance.ratio=0.8");
    const auto base = run(none, keys);
    const auto whatif = run(aid, keys);
    expect_every_replication(base, whatif, 0, -1, "low-income out-of-pocket per episode");
    expect_every_replication(base, whatif, 1, +1, "low-income visits");
    for (std::size_t r = 0; r < base.size(); ++r) {  // the same residents are low-income
        EXPECT_EQ(base[r][2], whatif[r][2]);
        EXPECT_GT(base[r][2], 0);
    }
}

TEST(InsuranceLayersAccounting, FeesAreFundPlusLayersPlusOutOfPocket) {
    const std::vector<std::string> keys = {"spending_total",        "fund_spending",
                                           "catastrophic_spending", "assistance_spending",
                                           "out_of_pocket",         "catastrophic_cases"};
    LayerLedger ledger;
    const auto rows = run({"insurance.catastrophic={threshold: 2000, ratio: 0.5, bands: "
                           "[{above: 5000, ratio: 0.7}]}",
                           "insurance.assistance={low_income_share: 0.2, ratio: 0.7}",
                           "insurance.by_condition={serious: {inpatient_ratio: {county: 0.5}}}"},
                          keys, &ledger);
    EXPECT_GT(ledger.bills, 0U);
    EXPECT_EQ(ledger.bad, 0U);
    EXPECT_GT(ledger.catastrophic, 0);
    EXPECT_GT(ledger.assistance, 0);
    for (const auto& r : rows) {
        const auto fen = [](double yuan) { return std::llround(yuan * 100.0); };
        EXPECT_EQ(fen(r[0]), fen(r[1]) + fen(r[2]) + fen(r[3]) + fen(r[4]));
        EXPECT_GT(r[5], 0);
    }
}

}  // namespace
