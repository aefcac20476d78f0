// The indicator table (include/cmasim/indicators/table.h) against what the model really emits:
// shipped scenarios run through the library for a short horizon (the county model, the global
// budget's settlement rows and the queueing-network mode), and every key they emit, county rows
// and breakdown rows alike, must have a row; every row must be emitted by one of them. This is
// what keeps the model's key strings and the table from drifting apart (no hand-kept list).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/scenario/loader.h"

namespace cmasim::indicators {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = CMASIM_SOURCE_DIR;

/// Every key one replication of `file` emits (county and breakdown rows), over a short horizon.
std::set<std::string> emitted_keys(const std::string& file) {
    scenario::LoadOptions options;
    options.overrides = {"horizon_days=5", "warmup_days=1"};
    const scenario::Scenario s = scenario::load_scenario(kSource / file, options);
    const model::County county = model::compile_county(s);
    const ReplicationResult r = model::run_replication(county, 0);
    std::set<std::string> keys;
    for (const auto& v : r.county) keys.insert(v.indicator);
    for (const auto& g : r.groups) keys.insert(g.indicator);
    return keys;
}

/// The union over shipped scenarios that between them take every path that emits a key.
const std::set<std::string>& keys_emitted_by_shipped_scenarios() {
    static const std::set<std::string> keys = [] {
        std::set<std::string> all_keys;
        for (const char* file : {"scenarios/tiny.yaml", "scenarios/whatif/04a_global_budget.yaml",
                                 "scenarios/validation/tandem.yaml"}) {
            const std::set<std::string> k = emitted_keys(file);
            EXPECT_FALSE(k.empty()) << file;
            all_keys.insert(k.begin(), k.end());
        }
        return all_keys;
    }();
    return keys;
}

TEST(IndicatorTable, EveryEmittedKeyHasARow) {
    for (const std::string& key : keys_emitted_by_shipped_scenarios()) {
        EXPECT_NE(find(key), nullptr)
            << "emitted key without a row in the indicator table: " << key;
    }
}

TEST(IndicatorTable, EveryRowIsEmittedBySomeShippedScenario) {
    const auto& emitted = keys_emitted_by_shipped_scenarios();
    for (const IndicatorInfo& info : all()) {
        EXPECT_TRUE(emitted.count(info.key)) << "row no shipped scenario emits: " << info.key;
    }
}

TEST(IndicatorTable, EveryRowIsComplete) {
    const auto& table_sections = sections();
    for (const IndicatorInfo& info : all()) {
        EXPECT_FALSE(info.label.empty()) << info.key;
        EXPECT_LE(info.label.size(), 36u) << info.key;
        EXPECT_FALSE(info.unit.empty()) << info.key;
        EXPECT_LE(info.unit.size(), 20u) << info.key;
        EXPECT_FALSE(info.description.empty()) << info.key;
        EXPECT_GE(info.decimals, 0) << info.key;
        EXPECT_LE(info.decimals, 6) << info.key;
        EXPECT_NE(std::find(table_sections.begin(), table_sections.end(), info.section),
                  table_sections.end())
            << info.key;
    }
}

TEST(IndicatorTable, KeysAreUnique) {
    std::set<std::string> seen;
    for (const IndicatorInfo& info : all()) EXPECT_TRUE(seen.insert(info.key).second) << info.key;
}

TEST(IndicatorTable, UnknownKeyFallsBackToTheKey) {
    EXPECT_EQ(find("no_such_indicator"), nullptr);
    EXPECT_EQ(label("no_such_indicator"), "no_such_indicator");
    EXPECT_EQ(decimals("no_such_indicator"), 3);
    EXPECT_EQ(section("no_such_indicator"), "Other");
    EXPECT_EQ(label("grassroots_rate"), "Grassroots outpatient share");
}

TEST(IndicatorTable, OfficialChineseNamesOfTheHeadlineIndicators) {
    // The names the policy documents use; a report in Chinese prints these.
    ASSERT_NE(find("in_county_rate"), nullptr);
    EXPECT_EQ(find("in_county_rate")->chinese, "县域就诊率");
    EXPECT_EQ(find("in_county_inpatient_rate")->chinese, "县域内住院人次占比");
    EXPECT_EQ(find("grassroots_rate")->chinese, "基层就诊率");
    EXPECT_EQ(find("up_referrals")->chinese, "上转人次");
    EXPECT_EQ(find("down_referrals")->chinese, "下转人次");
    EXPECT_EQ(find("self_referrals")->chinese, "");  // the documents name no such indicator
}

}  // namespace
}  // namespace cmasim::indicators
