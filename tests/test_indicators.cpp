// The indicator table (include/cmasim/indicators/table.h) against what the model really emits:
// shipped scenarios run through the library for a short horizon (the county model, the global
// budget's settlement rows and the queueing-network mode), and every key they emit, county rows
// and breakdown rows alike, must have a row; every row must be emitted by one of them. This is
// what keeps the model's key strings and the table from drifting apart (no hand-kept list).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/metrics.h"
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
        for (const char* file :
             {"scenarios/tiny.yaml", "scenarios/whatif/04a_global_budget.yaml",
              "scenarios/whatif/05b_reserved_capacity.yaml",
              "scenarios/whatif/06_resources_sent_down.yaml",
              "scenarios/whatif/12_catastrophic_and_assistance.yaml",
              "scenarios/whatif/13_chronic_management.yaml",
              "scenarios/whatif/14a_medicine_gaps.yaml",
              "scenarios/whatif/16_capitation_per_diem.yaml",
              "scenarios/whatif/17_emergency_pathways.yaml",
              "scenarios/whatif/18_exam_centers.yaml", "scenarios/whatif/19_dip_points.yaml",
              "scenarios/whatif/20_home_beds.yaml", "scenarios/whatif/23_two_alliances.yaml",
              "scenarios/examples/surplus_investment.yaml", "scenarios/validation/tandem.yaml"}) {
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
    EXPECT_EQ(label("grassroots_rate"), "Residents' grassroots visit share");
}

TEST(IndicatorTable, OfficialChineseNamesOfTheHeadlineIndicators) {
    // The names the policy documents use; a report in Chinese prints these.
    ASSERT_NE(find("in_county_rate"), nullptr);
    EXPECT_EQ(find("in_county_rate")->chinese, "县域就诊率");
    EXPECT_EQ(find("in_county_inpatient_rate")->chinese, "县域内住院人次占比");
    EXPECT_EQ(find("grassroots_share")->chinese, "基层诊疗量占比");
    EXPECT_EQ(find("grassroots_rate")->chinese, "");  // the residents' view: no document's
    EXPECT_EQ(find("out_of_county_referral_rate")->chinese, "县外转诊率");
    EXPECT_EQ(find("cost_per_visit_county")->chinese, "次均门诊费用");
    EXPECT_EQ(find("cost_per_stay_county")->chinese, "次均住院费用");
    EXPECT_EQ(find("up_referrals")->chinese, "上转人次");
    EXPECT_EQ(find("down_referrals")->chinese, "下转人次");
    EXPECT_EQ(find("self_referrals")->chinese, "");  // the documents name no such indicator
}

TEST(IndicatorTable, ReferenceDocumentIsUpToDate) {
    const fs::path path = kSource / "docs" / "indicators.md";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing; generate it with: "
                    << "build/release/src/cmasim indicators > docs/indicators.md";
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_TRUE(text.str() == reference_markdown())
        << path << " differs from the table; regenerate it with: "
        << "build/release/src/cmasim indicators > docs/indicators.md";
}

/// The value of a county row.
double county_value(const ReplicationResult& r, const std::string& key) {
    for (const auto& v : r.county) {
        if (v.indicator == key) return v.value;
    }
    ADD_FAILURE() << "no row " << key;
    return -1;
}

// 基层诊疗量占比 divides by the visits at in-county institutions; the residents' view divides by
// all their visits, outside the county too. Consultations fed straight to the collector of the
// micro county (one facility per level), emergency visits counting like outpatient ones.
TEST(OfficialShare, GrassrootsShareCountsInCountyVisitsOnly) {
    const scenario::Scenario s =
        scenario::load_scenario(kSource / "tests" / "data" / "micro" / "county.yaml");
    const model::County county = model::compile_county(s);
    struct Row {
        std::array<int, 4> visits;  ///< village, township, county, external
        bool emergency;             ///< the county's visits are emergency visits
        double share, residents;
    };
    const std::vector<Row> rows = {
        {{2, 1, 1, 0}, false, 3.0 / 4, 3.0 / 4}, {{1, 1, 1, 1}, false, 2.0 / 3, 2.0 / 4},
        {{1, 1, 1, 1}, true, 2.0 / 3, 2.0 / 4},  {{0, 2, 0, 2}, false, 1.0, 2.0 / 4},
        {{0, 0, 0, 3}, false, 0.0, 0.0},         {{0, 0, 4, 0}, true, 0.0, 0.0},
    };
    const char* ids[4] = {"v1_clinic", "t1_center", "county_hospital", "city_hospital"};
    for (const Row& row : rows) {
        model::MetricsCollector metrics(county);
        model::PatientRef patient;
        patient.emergency = row.emergency;
        const sim::SimTime at = county.warmup + 3600;
        for (std::size_t l = 0; l < 4; ++l) {
            std::uint32_t f = 0;
            while (county.facilities[f].id != ids[l]) ++f;
            for (int k = 0; k < row.visits[l]; ++k) {
                metrics.on(model::Consultation{at, patient, model::FacilityId{f},
                                               model::VisitKind::FirstContact, 0, 600,
                                               row.emergency && l == 2});
            }
        }
        const ReplicationResult r = metrics.result(0);
        EXPECT_DOUBLE_EQ(county_value(r, "grassroots_share"), row.share);
        EXPECT_DOUBLE_EQ(county_value(r, "grassroots_rate"), row.residents);
        EXPECT_EQ(county_value(r, "emergency_visits"), row.emergency ? row.visits[2] : 0);
    }
}

}  // namespace
}  // namespace cmasim::indicators
