// The policy timeline (docs/model.md: the policy timeline): a change at time T reaches exactly
// the episodes that start at or after T; per-period and per-insurance-year figures add up to the
// run's; a timeline run does not depend on the thread count; dates map to days of the horizon.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/expected_cost.h"
#include "cmasim/model/observer.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/tables.h"
#include "cmasim/scenario/loader.h"

namespace {

using namespace cmasim;

std::string micro(const char* name) {
    return std::string(CMASIM_SOURCE_DIR) + "/tests/data/micro/" + name;
}

/// Every event of every episode, as text, by episode id; and each episode's start.
class EpisodeLedger : public model::EveryEvent<EpisodeLedger> {
  public:
    template <class E>
    void handle(const E& e) {
        const std::uint64_t id = e.patient.episode.value();
        std::string line = std::to_string(e.at) + " " + typeid(E).name();
        if constexpr (std::is_same_v<E, model::Billed>) {
            line += " " + std::to_string(e.bill.total) + "/" + std::to_string(e.bill.fund);
        }
        if constexpr (std::is_same_v<E, model::FacilityChosen>) {
            line += " at " + std::to_string(e.facility.index());
        }
        events[id].push_back(line);
        start[id] = e.patient.episode_start;
    }
    std::map<std::uint64_t, std::vector<std::string>> events;
    std::map<std::uint64_t, sim::SimTime> start;
};

EpisodeLedger run_ledger(const scenario::Scenario& s) {
    const model::County county = model::compile_county(s);
    EpisodeLedger ledger;
    model::simulate_replication(county, 0, ledger);
    return ledger;
}

scenario::Scenario load(const std::vector<std::string>& overrides = {}) {
    scenario::LoadOptions options;
    options.overrides = overrides;
    return scenario::load_scenario(micro("timeline.yaml"), options);
}

// In the micro county episodes never meet (unlimited facilities, no waits in the choice), so an
// episode's events depend only on its draws and its policy: before day 30 exactly as without
// the timeline, from day 30 on exactly as under the reform for the whole run.
TEST(Timeline, ChangesExactlyTheEpisodesStartingAfterIt) {
    const auto with = run_ledger(load());
    const auto without = run_ledger(load({"timeline=~"}));
    const auto reform = run_ledger(load({"timeline=~", "insurance.outpatient_ratio=0.9",
                                         "facilities[county_hospital].constant=1"}));
    const sim::SimTime change = 30 * sim::kDay;
    ASSERT_EQ(with.events.size(), without.events.size());
    int before = 0, after = 0, straddling = 0, changed = 0;
    for (const auto& [id, events] : with.events) {
        const bool late = with.start.at(id) >= change;
        const auto& expected = late ? reform.events.at(id) : without.events.at(id);
        EXPECT_EQ(events, expected) << "episode " << id << (late ? " (after)" : " (before)");
        ++(late ? after : before);
        straddling += !late && std::stoll(events.back()) >= change;  // billed after T
        changed += late && events != without.events.at(id);
    }
    EXPECT_GT(before, 50);
    EXPECT_GT(after, 50);
    EXPECT_GT(straddling, 5) << "no episode started before the change and went on after it";
    EXPECT_GT(changed, after / 2) << "the reform changed too few of the later episodes";
}

// The expected out-of-pocket costs patients weigh when choosing are compiled per period: after
// the change they are the reform's (as if it held for the whole run), before it the old ones.
TEST(Timeline, ExpectedCostsFollowThePeriod) {
    const model::County county = model::compile_county(load());
    const model::County reform =
        model::compile_county(load({"timeline=~", "insurance.outpatient_ratio=0.9",
                                    "facilities[county_hospital].constant=1"}));
    const model::County& after = county.period(1);
    const auto old_costs = model::first_contact_costs(county.scenario, county);
    const auto new_costs = model::first_contact_costs(after.scenario, after);
    EXPECT_EQ(new_costs, model::first_contact_costs(reform.scenario, reform));
    ASSERT_EQ(new_costs.size(), old_costs.size());
    int cheaper = 0;
    for (std::size_t i = 0; i < new_costs.size(); ++i) {
        EXPECT_LE(new_costs[i], old_costs[i]) << i;
        cheaper += new_costs[i] < old_costs[i];
    }
    EXPECT_GT(cheaper, 0);
    EXPECT_EQ(after.villages[0].static_utility, reform.villages[0].static_utility);
    EXPECT_NE(after.villages[0].static_utility, county.villages[0].static_utility);
}

TEST(Timeline, DatesMapToDaysOfTheHorizon) {
    const auto s = load();
    ASSERT_EQ(s.timeline.size(), 1u);
    EXPECT_EQ(s.timeline[0].day, 30);  // 2025-06-01 + 30 days = 2025-07-01
    EXPECT_EQ(s.timeline[0].name, "reform");
    EXPECT_EQ(s.horizon_start_month, 6);  // start_date sets it
    ASSERT_TRUE(s.timeline[0].scenario);
    EXPECT_EQ(s.timeline[0].scenario->insurance.outpatient_ratio[0], 0.9);
    EXPECT_EQ(s.insurance.outpatient_ratio[0], 0.6);
    const auto by_day = load({"timeline[0].at=30"});
    EXPECT_EQ(by_day.timeline[0].day, 30);
}

double county_value(const indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county) {
        if (row.indicator == key) return row.value;
    }
    ADD_FAILURE() << "no indicator " << key;
    return NAN;
}

// Counts over the periods add up to the run's, and the periods are named.
TEST(Timeline, PeriodsAddUpToTheRun) {
    const model::County county = model::compile_county(load());
    const auto r = model::run_replication(county, 1);
    const auto periods = model::period_indicators(r);
    ASSERT_EQ(periods.size(), 2u);
    EXPECT_EQ(periods[0].period, "2025-06-01");
    EXPECT_EQ(periods[1].period, "reform");
    for (const char* key : {"visits", "episodes", "spending_total", "fund_spending"}) {
        EXPECT_DOUBLE_EQ(periods[0].values.at(key) + periods[1].values.at(key),
                         county_value(r, key))
            << key;
    }
    EXPECT_GT(periods[1].values.at("fund_spending") / periods[1].values.at("visits"),
              periods[0].values.at("fund_spending") / periods[0].values.at("visits"));
}

// Two insurance years under a global budget: each settled on its own, the run's rows the sums.
TEST(Timeline, SettlesEachInsuranceYear) {
    const auto s = scenario::load_scenario(
        micro("timeline.yaml"),
        {{},
         {"timeline=~", "horizon_days=730", "policy.payment.mode=global_budget",
          "policy.payment.budget_per_resident=60", "policy.payment.deficit_share=0.5",
          "policy.payment.surplus_retention=0.8"}});
    const model::County county = model::compile_county(s);
    const auto r = model::run_replication(county, 0);
    for (const char* key : {"alliance_budget", "alliance_paid", "alliance_budget_result",
                            "alliance_retained", "insurer_spending"}) {
        double sum = 0;
        int years = 0;
        for (const auto& g : r.groups) {
            if (g.dimension == "year" && g.indicator == key) {
                sum += g.value;
                ++years;
            }
        }
        EXPECT_EQ(years, 2) << key;
        EXPECT_NEAR(sum, county_value(r, key), 1e-9 * std::abs(sum) + 1e-9) << key;
    }
    EXPECT_NEAR(county_value(r, "alliance_paid"), county_value(r, "fund_spending"), 1e-6);
    EXPECT_DOUBLE_EQ(county_value(r, "alliance_budget"), 60.0 * 2000 * 2);
}

TEST(Timeline, SameResultsWhateverTheThreads) {
    const model::County county = model::compile_county(load());
    model::RunOptions one, two;
    one.replications = two.replications = 3;
    two.threads = 2;
    const auto a = model::run_replications(county, one);
    const auto b = model::run_replications(county, two);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].county.size(), b[i].county.size());
        for (std::size_t k = 0; k < a[i].county.size(); ++k)
            EXPECT_EQ(a[i].county[k].value, b[i].county[k].value);
        ASSERT_EQ(a[i].groups.size(), b[i].groups.size());
        for (std::size_t k = 0; k < a[i].groups.size(); ++k)
            EXPECT_EQ(a[i].groups[k].value, b[i].groups[k].value);
    }
}

}  // namespace

namespace {

TEST(Timeline, ShippedExampleLoads) {
    const auto s = cmasim::scenario::load_scenario(std::string(CMASIM_SOURCE_DIR) +
                                                   "/scenarios/examples/reform_midyear.yaml");
    ASSERT_EQ(s.timeline.size(), 1u);
    EXPECT_EQ(s.timeline[0].day, 181);  // 2025-01-01 + 181 days = 2025-07-01
    EXPECT_EQ(s.timeline[0].scenario->insurance.outpatient_ratio[1], 0.75);
    EXPECT_EQ(s.insurance.outpatient_ratio[1], 0.5);
}

}  // namespace

namespace {

// months.csv: a row per month of the run, marked by the period in force on its first day.
TEST(Timeline, MonthsAreMarkedByTheirPeriod) {
    const auto s = cmasim::scenario::load_scenario(std::string(CMASIM_SOURCE_DIR) +
                                                   "/tests/data/micro/timeline.yaml");
    const auto county = cmasim::model::compile_county(s);
    const auto tables = cmasim::report::tidy_tables({cmasim::model::run_replication(county, 0)});
    const auto months = std::find_if(tables.begin(), tables.end(),
                                     [](const auto& t) { return t.name == "months"; });
    ASSERT_NE(months, tables.end());
    ASSERT_EQ(months->key_columns, (std::vector<std::string>{"month", "period", "indicator"}));
    std::map<std::string, std::string> period_of;
    for (std::size_t i = 0; i < months->rows(); ++i)
        period_of[months->keys[0][i]] = months->keys[1][i];
    EXPECT_EQ(period_of, (std::map<std::string, std::string>{{"2025-06", "2025-06-01"},
                                                             {"2025-07", "reform"}}));
}

}  // namespace
