// More than one alliance per county (docs/model.md, "More than one alliance"): each settles its
// own global budget on its residents' bills, sends its own lead's doctors down, and a county
// hospital that is its sub-center takes its townships' referrals; one alliance spelled out runs
// as the implicit one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/observer.h"
#include "cmasim/model/policy.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
namespace scenario = cmasim::scenario;
namespace indicators = cmasim::indicators;

const std::string kTwo = std::string(CMASIM_SOURCE_DIR) + "/tests/data/alliances/two.yaml";
const std::string kLevers = std::string(CMASIM_SOURCE_DIR) + "/tests/data/levers/county.yaml";

scenario::Scenario load(const std::string& file, const std::vector<std::string>& sets) {
    scenario::LoadOptions o;
    o.overrides = sets;
    return scenario::load_scenario(file, o);
}

/// The fund's share of the bills of each township's residents, in fen, in the window.
class FundByTownship final : public model::ModelObserver {
  public:
    FundByTownship(const model::County& c)
        : from_(c.warmup), to_(c.warmup + c.horizon), fen_(c.townships.size(), 0) {}
    using ModelObserver::on;
    void on(const model::Billed& e) override {
        if (e.at >= from_ && e.at < to_) fen_[e.patient.township.index()] += e.bill.fund;
    }
    scenario::Fen fen(std::size_t township) const { return fen_[township]; }

  private:
    cmasim::sim::SimTime from_, to_;
    std::vector<scenario::Fen> fen_;
};

double group_value(const indicators::ReplicationResult& r, const std::string& dim,
                   const std::string& group, const std::string& key) {
    for (const auto& g : r.groups)
        if (g.dimension == dim && g.group == group && g.indicator == key) return g.value;
    ADD_FAILURE() << "no row " << dim << "/" << group << "/" << key;
    return 0;
}

double county_value(const indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county)
        if (row.indicator == key) return row.value;
    ADD_FAILURE() << "no row " << key;
    return 0;
}

struct BudgetCase {
    const char* name;
    const char* budget_per_resident;  ///< yuan per resident per year
    double retention, deficit_share;
};

// The general alliance has the North and South townships (5,600 + 5,600 residents), the TCM
// one the West (6,800). Their residents' bills come to about 645 and 737 yuan per resident-year
// (replication 0), so a budget of 700 leaves the first in surplus and the second in deficit;
// 100 leaves both in deficit.
const std::vector<BudgetCase> kBudgetCases = {
    {"one_surplus_one_deficit", "700", 1.0, 0.5},
    {"both_deficit", "100", 0.7, 0.3},
};

class TwoAllianceBudgets : public ::testing::TestWithParam<BudgetCase> {};

/// Replication 0 of the two-alliance county under a global budget, with the fund by township.
indicators::ReplicationResult run_budget(const BudgetCase& c, std::vector<scenario::Fen>& fen) {
    const auto s =
        load(kTwo, {"policy.payment.mode=global_budget",
                    std::string("policy.payment.budget_per_resident=") + c.budget_per_resident,
                    "policy.payment.surplus_retention=" + std::to_string(c.retention),
                    "policy.payment.deficit_share=" + std::to_string(c.deficit_share)});
    const model::County county = model::compile_county(s);
    model::MetricsCollector metrics(county);
    FundByTownship tally(county);
    model::ObserverList both(metrics);
    both.add(tally);
    model::simulate_replication(county, 0, both);
    for (std::size_t t = 0; t < county.townships.size(); ++t) fen.push_back(tally.fen(t));
    return metrics.result(0);
}

TEST_P(TwoAllianceBudgets, EachSettlesOnItsOwnResidents) {
    const BudgetCase& c = GetParam();
    std::vector<scenario::Fen> fen;
    const auto r = run_budget(c, fen);
    const double years = 90.0 / 365.0;
    const double per = std::stod(c.budget_per_resident);
    // townships: north 0, south 1, west 2 (their order in the file)
    const struct {
        const char* id;
        double residents;
        scenario::Fen fen;
    } expected[] = {{"general", 11200, fen[0] + fen[1]}, {"tcm", 6800, fen[2]}};
    double retained = 0;
    for (const auto& a : expected) {
        const double budget = per * a.residents * years;
        const double paid = static_cast<double>(a.fen) / 100.0;
        const model::BudgetSettlement b =
            model::settle_global_budget(budget, paid, c.retention, c.deficit_share);
        EXPECT_EQ(group_value(r, "alliance", a.id, "residents"), a.residents);
        EXPECT_EQ(group_value(r, "alliance", a.id, "alliance_budget"), budget);
        EXPECT_EQ(group_value(r, "alliance", a.id, "alliance_paid"), paid);
        EXPECT_EQ(group_value(r, "alliance", a.id, "alliance_budget_result"), budget - paid);
        EXPECT_EQ(group_value(r, "alliance", a.id, "alliance_retained"), b.retained);
        retained += b.retained;
    }
    EXPECT_DOUBLE_EQ(county_value(r, "alliance_retained"), retained);
    if (std::string(c.name) == "one_surplus_one_deficit") {
        EXPECT_GT(group_value(r, "alliance", "general", "alliance_budget_result"), 0);
        EXPECT_LT(group_value(r, "alliance", "tcm", "alliance_budget_result"), 0);
    }
}

INSTANTIATE_TEST_SUITE_P(AllianceTable, TwoAllianceBudgets, ::testing::ValuesIn(kBudgetCases),
                         [](const auto& row) { return std::string(row.param.name); });

int doctors(const model::County& c, const std::string& id) {
    for (const auto& f : c.facilities)
        if (f.id == id) return f.doctors;
    return -1;
}

// Stationed physicians without a source come from the lead of the receiving township's
// alliance: two centers (North, South) from the county hospital, one (West) from the TCM one.
TEST(Alliances, SentDownDoctorsComeFromTheirAlliancesLead) {
    const auto base = model::compile_county(load(kTwo, {"facilities[county_hospital].doctors=6"}));
    const auto sent =
        model::compile_county(load(kTwo, {"facilities[county_hospital].doctors=6",
                                          "policy.stationed_physicians.per_township=1"}));
    EXPECT_EQ(doctors(sent, "county_hospital"), doctors(base, "county_hospital") - 2);
    EXPECT_EQ(doctors(sent, "tcm_hospital"), doctors(base, "tcm_hospital") - 1);
    EXPECT_EQ(doctors(sent, "w_center"), doctors(base, "w_center") + 1);
}

model::FacilityInfo facility(const model::County& c, const std::string& id) {
    for (const auto& f : c.facilities)
        if (f.id == id) return f;
    throw std::runtime_error("no facility " + id);
}

struct SubCenterCase {
    const char* name;
    std::vector<std::string> sets;
    const char *north_up, *west_up;  ///< where the North and West centers refer `serious` up
};

// The TCM hospital, lead of the West's alliance, as that alliance's county sub-center takes the
// West center's referrals (its rule names the county hospital); the North center, of the other
// alliance, keeps its rule's target. A sub-center that cannot treat the condition refers on by
// its own rule.
const std::vector<SubCenterCase> kSubCenterCases = {
    {"none", {}, "county_hospital", "county_hospital"},
    {"tcm_hospital_sub_center",
     {"facilities[tcm_hospital].sub_center=true"},
     "county_hospital",
     "tcm_hospital"},
    {"sub_center_refers_on",
     {"facilities[tcm_hospital].sub_center=true",
      "facilities[tcm_hospital].cannot_treat=[serious]"},
     "county_hospital",
     "county_hospital"},
};

class CountySubCenter : public ::testing::TestWithParam<SubCenterCase> {};

TEST_P(CountySubCenter, TakesItsAlliancesTownshipReferrals) {
    const auto& c = GetParam();
    const auto county = model::compile_county(load(kTwo, c.sets));
    std::uint32_t serious = 0;
    while (county.conditions[serious].spec.id != "serious") ++serious;
    auto up = [&](const char* from) {
        return county.facilities[facility(county, from).referral_target[serious]].id;
    };
    EXPECT_EQ(up("n_center"), c.north_up);
    EXPECT_EQ(up("w_center"), c.west_up);
}

INSTANTIATE_TEST_SUITE_P(AllianceTable, CountySubCenter, ::testing::ValuesIn(kSubCenterCases),
                         [](const auto& row) { return std::string(row.param.name); });

// One alliance spelled out (every township, led by the lead) runs event for event as the
// implicit one: the same indicators, bit for bit, besides its own "alliance" rows.
TEST(Alliances, OneExplicitAllianceEqualsTheImplicitOne) {
    const std::vector<std::string> budget{
        "policy.payment.mode=global_budget", "policy.payment.budget_per_resident=800",
        "policy.stationed_physicians.per_township=1", "facilities[county_hospital].doctors=6"};
    std::vector<std::string> spelled = budget;
    spelled.push_back(
        "alliances=[{id: all, lead: county_hospital, "
        "townships: [north, south, west]}]");
    auto run = [](const scenario::Scenario& s) {
        const model::County county = model::compile_county(s);
        model::MetricsCollector metrics(county);
        model::simulate_replication(county, 0, metrics);
        return metrics.result(0);
    };
    const auto implicit = run(load(kLevers, budget));
    const auto explicit_ = run(load(kLevers, spelled));
    ASSERT_EQ(implicit.county.size(), explicit_.county.size());
    for (std::size_t i = 0; i < implicit.county.size(); ++i) {
        EXPECT_EQ(implicit.county[i].indicator, explicit_.county[i].indicator);
        EXPECT_EQ(implicit.county[i].value, explicit_.county[i].value)
            << implicit.county[i].indicator;
    }
    std::vector<indicators::GroupValue> others;
    for (const auto& g : explicit_.groups)
        if (g.dimension != "alliance") others.push_back(g);
    ASSERT_EQ(implicit.groups.size(), others.size());
    for (std::size_t i = 0; i < others.size(); ++i)
        EXPECT_EQ(implicit.groups[i].value, others[i].value) << others[i].indicator;
    EXPECT_EQ(group_value(explicit_, "alliance", "all", "alliance_budget"),
              county_value(implicit, "alliance_budget"));
}

}  // namespace
