// Tests of the report module: indicator registry, replication statistics, target verdicts,
// the summary, the output files and the atomic writer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmasim/report/atomic_file.h"
#include "cmasim/report/indicators.h"
#include "cmasim/report/stats.h"
#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"

namespace cmasim::report {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- indicator registry

TEST(IndicatorRegistry, CoversEveryReportedKey) {
    const std::vector<std::string> keys = {
        "in_county_rate", "in_county_inpatient_rate", "grassroots_rate", "visits_per_capita",
        "admissions_per_100", "up_referrals", "down_referrals", "out_of_county_referrals",
        "self_referrals", "up_referrals_per_10k", "down_referrals_per_10k",
        "out_of_county_referrals_per_10k", "self_referrals_per_10k", "bypass_rate",
        "wait_minutes_mean_village", "wait_minutes_mean_township", "wait_minutes_mean_county",
        "wait_minutes_mean_external", "wait_minutes_p90_village", "wait_minutes_p90_township",
        "wait_minutes_p90_county", "wait_minutes_p90_external", "bed_wait_hours_mean",
        "utilisation_village", "utilisation_township", "utilisation_county",
        "bed_occupancy_township", "bed_occupancy_county", "balked", "reneged", "left_untreated",
        "episodes", "visits", "admissions", "spending_total", "fund_spending", "out_of_pocket",
        "out_of_pocket_per_episode", "out_of_pocket_per_resident", "within_15_min",
        "mean_travel_minutes", "utilisation", "bed_occupancy"};
    const auto& sections = indicator_sections();
    for (const auto& key : keys) {
        const IndicatorInfo* info = find_indicator(key);
        ASSERT_NE(info, nullptr) << key;
        EXPECT_EQ(info->key, key);
        EXPECT_FALSE(info->label.empty()) << key;
        EXPECT_LE(info->label.size(), 36u) << key;
        EXPECT_FALSE(info->unit.empty()) << key;
        EXPECT_LE(info->unit.size(), 20u) << key;
        EXPECT_FALSE(info->description.empty()) << key;
        EXPECT_GE(info->decimals, 0) << key;
        EXPECT_LE(info->decimals, 6) << key;
        EXPECT_NE(std::find(sections.begin(), sections.end(), info->section), sections.end())
            << key;
    }
}

TEST(IndicatorRegistry, KeysAreUnique) {
    std::set<std::string> seen;
    for (const auto& info : indicator_registry()) {
        EXPECT_TRUE(seen.insert(info.key).second) << info.key;
    }
}

TEST(IndicatorRegistry, UnknownKeyFallsBackToTheKey) {
    EXPECT_EQ(find_indicator("no_such_indicator"), nullptr);
    EXPECT_EQ(indicator_label("no_such_indicator"), "no_such_indicator");
    EXPECT_EQ(indicator_decimals("no_such_indicator"), 3);
    EXPECT_EQ(indicator_section("no_such_indicator"), "Other");
    EXPECT_EQ(indicator_label("grassroots_rate"), "Grassroots outpatient share");
}

// ---------------------------------------------------------------- estimate

TEST(Estimate, MatchesHandComputedValuesForOneToFive) {
    const std::vector<double> v = {1, 2, 3, 4, 5};
    const Estimate e = estimate(v);
    // mean 3; sd = sqrt(10 / 4); t(0.975, 4) = 2.776445105 from a t table.
    const double half = 2.776445105 * std::sqrt(2.5) / std::sqrt(5.0);
    EXPECT_EQ(e.n, 5u);
    EXPECT_DOUBLE_EQ(e.mean, 3.0);
    EXPECT_DOUBLE_EQ(e.sd, std::sqrt(2.5));
    EXPECT_NEAR(e.half_width, half, 1e-8);
    EXPECT_NEAR(e.half_width, 1.963243, 1e-6);
    EXPECT_NEAR(e.ci_low, 3.0 - half, 1e-8);
    EXPECT_NEAR(e.ci_high, 3.0 + half, 1e-8);
    EXPECT_TRUE(e.has_interval());
}

TEST(Estimate, MatchesHandComputedValuesForSixValues) {
    const std::vector<double> v = {2.1, 3.4, 1.9, 5.0, 4.2, 3.3};
    double mean = 0;
    for (double x : v) mean += x / 6.0;
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / 5.0);
    const Estimate e = estimate(v);
    EXPECT_NEAR(e.mean, 19.9 / 6.0, 1e-12);
    EXPECT_NEAR(e.sd, sd, 1e-12);
    EXPECT_NEAR(e.half_width, 2.570581836 * sd / std::sqrt(6.0), 1e-8);  // t(0.975, 5)
}

/// Student t quantile for 4 degrees of freedom in closed form (Shaw 2006), independent of Boost.
double t_quantile_dof4(double p) {
    const double a = 4 * p * (1 - p);
    const double q = std::cos(std::acos(std::sqrt(a)) / 3) / std::sqrt(a);
    return std::copysign(2 * std::sqrt(q - 1), p - 0.5);
}

TEST(Estimate, OtherConfidenceLevelsUseTheirOwnQuantile) {
    EXPECT_NEAR(t_quantile_dof4(0.975), 2.776445105, 1e-9);  // the closed form is right
    const std::vector<double> v = {1, 2, 3, 4, 5};
    for (const double confidence : {0.5, 0.8, 0.9, 0.95, 0.99}) {
        const double t = t_quantile_dof4((1 + confidence) / 2);
        EXPECT_NEAR(estimate(v, confidence).half_width, t * std::sqrt(0.5), 1e-9) << confidence;
    }
    EXPECT_LT(estimate(v, 0.90).half_width, estimate(v).half_width);
}

TEST(Estimate, SingleValueHasNoInterval) {
    const std::vector<double> v = {7.5};
    const Estimate e = estimate(v);
    EXPECT_EQ(e.n, 1u);
    EXPECT_EQ(e.mean, 7.5);
    EXPECT_EQ(e.ci_low, 7.5);
    EXPECT_EQ(e.ci_high, 7.5);
    EXPECT_TRUE(std::isnan(e.half_width));
    EXPECT_TRUE(std::isnan(e.sd));
    EXPECT_FALSE(e.has_interval());
}

TEST(Estimate, EmptyIsAllNaN) {
    const Estimate e = estimate(std::vector<double>{});
    EXPECT_EQ(e.n, 0u);
    EXPECT_TRUE(std::isnan(e.mean));
    EXPECT_FALSE(e.has_interval());
}

TEST(Estimate, ConstantValuesGiveZeroWidth) {
    // 0.4 + 0.4 + 0.4 is not 1.2 in binary: a constant indicator must still give exactly 0.4.
    const Estimate e = estimate(std::vector<double>{0.4, 0.4, 0.4});
    EXPECT_EQ(e.mean, 0.4);
    EXPECT_EQ(e.sd, 0.0);
    EXPECT_EQ(e.half_width, 0.0);
    EXPECT_TRUE(e.has_interval());
}

TEST(Estimate, RejectsConfidenceOutsideZeroOne) {
    const std::vector<double> v = {1, 2};
    EXPECT_THROW(estimate(v, 0.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, 1.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, 95.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, kNaN), std::invalid_argument);
}

// ---------------------------------------------------------------- judge

Estimate interval(double lo, double hi) {
    return Estimate{5, (lo + hi) / 2, 1, lo, hi, (hi - lo) / 2};
}

TEST(Judge, TableOfCases) {
    using V = TargetVerdict;
    struct Case {
        std::optional<double> min, max;
        double lo, hi;
        V expected;
    };
    const std::vector<Case> cases = {
        {0.65, std::nullopt, 0.66, 0.70, V::Met},        // whole CI above min
        {0.65, std::nullopt, 0.65, 0.70, V::Met},        // touching the bound is within it
        {0.65, std::nullopt, 0.60, 0.64, V::Missed},     // whole CI below min
        {0.65, std::nullopt, 0.63, 0.67, V::Undecided},  // straddles min
        {std::nullopt, 30.0, 20.0, 29.0, V::Met},        // whole CI below max
        {std::nullopt, 30.0, 31.0, 35.0, V::Missed},     // whole CI above max
        {std::nullopt, 30.0, 28.0, 32.0, V::Undecided},  // straddles max
        {0.6, 0.8, 0.65, 0.75, V::Met},                  // inside both
        {0.6, 0.8, 0.50, 0.55, V::Missed},               // below the range
        {0.6, 0.8, 0.85, 0.90, V::Missed},               // above the range
        {0.6, 0.8, 0.55, 0.65, V::Undecided},            // straddles min
        {0.6, 0.8, 0.75, 0.85, V::Undecided},            // straddles max
        {0.6, 0.8, 0.50, 0.90, V::Undecided},            // wider than the range
        {std::nullopt, std::nullopt, 0.5, 0.6, V::Undecided},  // no bound
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        EXPECT_EQ(judge(interval(c.lo, c.hi), c.min, c.max), c.expected) << "case " << i;
    }
}

TEST(Judge, NoIntervalIsUndecided) {
    const Estimate one = estimate(std::vector<double>{0.9});
    EXPECT_EQ(judge(one, 0.65, std::nullopt), TargetVerdict::Undecided);
    const Estimate none = estimate(std::vector<double>{});
    EXPECT_EQ(judge(none, 0.65, std::nullopt), TargetVerdict::Undecided);
    EXPECT_STREQ(to_string(TargetVerdict::Met), "met");
    EXPECT_STREQ(to_string(TargetVerdict::Missed), "missed");
    EXPECT_STREQ(to_string(TargetVerdict::Undecided), "undecided");
}

// ---------------------------------------------------------------- summary

/// A replication with 4 county rows and group rows in every dimension (plus one undefined rate).
ReplicationResult make_replication(std::uint64_t r) {
    const double x = static_cast<double>(r);
    ReplicationResult res;
    res.replication = r;
    res.county = {{"grassroots_rate", 0.6 + 0.01 * x},
                  {"in_county_rate", 0.9},
                  {"spending_total", 1234567.5 + x},
                  {"new_thing", 0.1 + 0.2 * x}};
    res.groups = {{"township", "T01", "grassroots_rate", 0.5 + 0.02 * x},
                  {"township", "T01", "in_county_inpatient_rate", kNaN},
                  {"township", "T,02", "grassroots_rate", 0.7},
                  {"township", "T,02", "in_county_inpatient_rate", 1.0 / 3.0},
                  {"month", "2026-01", "visits", 100 + x},
                  {"facility", "F1", "utilisation", 0.8},
                  {"facility", "F1", "visits", 50 + x},
                  {"level", "county", "utilisation", 0.75}};
    return res;
}

/// Replications 0..n-1 in reverse order, as a multi-threaded run might deliver them.
std::vector<ReplicationResult> make_results(std::uint64_t n) {
    std::vector<ReplicationResult> out;
    for (std::uint64_t r = n; r-- > 0;) out.push_back(make_replication(r));
    return out;
}

RunInfo make_run(int replications) {
    return {"baseline", "scenarios/baseline.yaml", 42, replications, 365, 30, "0.1.0"};
}

std::vector<scenario::Target> make_targets() {
    return {{"grassroots_rate", 0.65, std::nullopt},  // CI ~ [0.607, 0.633]: missed
            {"in_county_rate", 0.9, std::nullopt},    // constant 0.9: met
            {"no_such_indicator", 1.0, std::nullopt}};
}

TEST(Summary, SortsByReplicationAndKeepsFirstSeenOrder) {
    const Summary s = summarise(make_run(4), make_results(4), make_targets());
    ASSERT_EQ(s.county.size(), 4u);
    EXPECT_EQ(s.county[0].indicator, "grassroots_rate");
    EXPECT_EQ(s.county[3].indicator, "new_thing");
    EXPECT_EQ(s.county[0].estimate.n, 4u);
    EXPECT_DOUBLE_EQ(s.county[0].estimate.mean, 0.615);
    ASSERT_EQ(s.groups.size(), 8u);
    EXPECT_EQ(s.groups[0].dimension, "township");
    EXPECT_EQ(s.groups[0].group, "T01");
    EXPECT_EQ(s.groups[7].dimension, "level");
    // Sums run in replication order, whatever order the results came in.
    std::vector<ReplicationResult> forward = make_results(4);
    std::reverse(forward.begin(), forward.end());
    const Summary s2 = summarise(make_run(4), forward, make_targets());
    EXPECT_EQ(s2.county[3].estimate.mean, s.county[3].estimate.mean);
    EXPECT_EQ(s2.county[3].estimate.sd, s.county[3].estimate.sd);
}

TEST(Summary, LeavesUndefinedValuesOut) {
    const Summary s = summarise(make_run(3), make_results(3), {});
    const auto it = std::find_if(s.groups.begin(), s.groups.end(), [](const GroupEstimate& g) {
        return g.group == "T01" && g.indicator == "in_county_inpatient_rate";
    });
    ASSERT_NE(it, s.groups.end());
    EXPECT_EQ(it->estimate.n, 0u);
    EXPECT_TRUE(std::isnan(it->estimate.mean));
}

TEST(Summary, JudgesTargetsAndNotesMissingIndicators) {
    const Summary s = summarise(make_run(4), make_results(4), make_targets());
    ASSERT_EQ(s.targets.size(), 3u);
    EXPECT_EQ(s.targets[0].verdict, TargetVerdict::Missed);
    EXPECT_EQ(s.targets[1].verdict, TargetVerdict::Met);
    EXPECT_EQ(s.targets[2].verdict, TargetVerdict::Undecided);
    EXPECT_FALSE(s.targets[2].estimate.has_value());
    EXPECT_NE(s.targets[2].note.find("no_such_indicator"), std::string::npos);
    EXPECT_TRUE(s.targets[0].note.empty());
}

TEST(Summary, RejectsDuplicates) {
    std::vector<ReplicationResult> results = make_results(2);
    results.push_back(make_replication(1));
    EXPECT_THROW(summarise(make_run(3), results, {}), std::invalid_argument);
    std::vector<ReplicationResult> twice = make_results(1);
    twice[0].county.push_back({"grassroots_rate", 0.5});
    EXPECT_THROW(summarise(make_run(1), twice, {}), std::invalid_argument);
    std::vector<ReplicationResult> group_twice = make_results(1);
    group_twice[0].groups.push_back({"facility", "F1", "visits", 3});
    EXPECT_THROW(summarise(make_run(1), group_twice, {}), std::invalid_argument);
}

// ---------------------------------------------------------------- files

/// A fresh directory under the system temp dir, removed afterwards.
class ReportFiles : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device device;
        dir_ = fs::temp_directory_path() /
               ("cmasim_report_test_" + std::to_string(device()) + std::to_string(device()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string slurp(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    static std::vector<std::string> lines(const fs::path& p) {
        std::vector<std::string> out;
        std::istringstream in(slurp(p));
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    std::vector<std::string> entries(const fs::path& d) const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(d)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path dir_;
};

TEST_F(ReportFiles, WritesExpectedFilesHeadersAndRowCounts) {
    const auto results = make_results(3);
    write_outputs(dir_ / "out", summarise(make_run(3), results, make_targets()), results);
    EXPECT_EQ(entries(dir_ / "out"),
              (std::vector<std::string>{"facilities.csv", "levels.csv", "months.csv",
                                        "replications.csv", "summary.json", "townships.csv"}));
    const auto county = lines(dir_ / "out" / "replications.csv");
    ASSERT_EQ(county.size(), 1u + 3 * 4);
    EXPECT_EQ(county[0], "replication,indicator,value");
    EXPECT_EQ(county[1], "0,grassroots_rate,0.6");
    const auto towns = lines(dir_ / "out" / "townships.csv");
    ASSERT_EQ(towns.size(), 1u + 3 * 4);
    EXPECT_EQ(towns[0], "replication,township,indicator,value");
    EXPECT_EQ(towns[2], "0,T01,in_county_inpatient_rate,");  // undefined: empty field
    EXPECT_EQ(towns[3], "0,\"T,02\",grassroots_rate,0.7");    // quoted: has a comma
    const auto months = lines(dir_ / "out" / "months.csv");
    ASSERT_EQ(months.size(), 1u + 3);
    EXPECT_EQ(months[0], "replication,month,indicator,value");
    const auto facilities = lines(dir_ / "out" / "facilities.csv");
    ASSERT_EQ(facilities.size(), 1u + 3 * 2);
    EXPECT_EQ(facilities[0], "replication,facility,indicator,value");
    EXPECT_EQ(lines(dir_ / "out" / "levels.csv").size(), 1u + 3);
}

TEST_F(ReportFiles, CsvNumbersReadBackExactly) {
    const auto results = make_results(5);
    write_outputs(dir_, summarise(make_run(5), results, {}), results);
    std::size_t checked = 0;
    for (const auto& line : lines(dir_ / "replications.csv")) {
        if (line.rfind("3,new_thing,", 0) != 0) continue;
        const double back = std::strtod(line.substr(line.rfind(',') + 1).c_str(), nullptr);
        EXPECT_EQ(back, 0.1 + 0.2 * 3.0);
        ++checked;
    }
    EXPECT_EQ(checked, 1u);
    EXPECT_EQ(round_trip_number(1.0 / 3.0), "0.3333333333333333");
    EXPECT_EQ(round_trip_number(12.0), "12");
    EXPECT_EQ(round_trip_number(kNaN), "");
    EXPECT_EQ(round_trip_number(std::numeric_limits<double>::infinity()), "");
}

TEST_F(ReportFiles, SummaryJsonParsesBackWithoutNaN) {
    const auto results = make_results(4);
    const Summary s = summarise(make_run(4), results, make_targets());
    write_outputs(dir_, s, results);
    const std::string text = slurp(dir_ / "summary.json");
    EXPECT_EQ(text.find("NaN"), std::string::npos);
    EXPECT_EQ(text.find("nan"), std::string::npos);
    const auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["run"]["scenario_name"], "baseline");
    EXPECT_EQ(j["run"]["seed"], 42);
    EXPECT_EQ(j["county"]["grassroots_rate"]["n"], 4);
    EXPECT_EQ(j["county"]["grassroots_rate"]["mean"].get<double>(), s.county[0].estimate.mean);
    EXPECT_EQ(j["county"]["grassroots_rate"]["ci_low"].get<double>(),
              s.county[0].estimate.ci_low);
    EXPECT_EQ(j["county"]["new_thing"]["label"], "new_thing");
    EXPECT_EQ(j["targets"].size(), 3u);
    EXPECT_EQ(j["targets"][0]["verdict"], "missed");
    EXPECT_EQ(j["targets"][1]["verdict"], "met");
    EXPECT_EQ(j["targets"][2]["verdict"], "undecided");
    EXPECT_TRUE(j["targets"][2]["estimate"].is_null());
    EXPECT_TRUE(j["groups"]["township"]["T01"]["in_county_inpatient_rate"]["mean"].is_null());
    EXPECT_EQ(j["groups"]["facility"]["F1"]["visits"]["n"], 4);
}

TEST_F(ReportFiles, SingleReplicationWritesNullInterval) {
    const auto results = make_results(1);
    write_outputs(dir_, summarise(make_run(1), results, make_targets()), results);
    const std::string text = slurp(dir_ / "summary.json");
    EXPECT_EQ(text.find("NaN"), std::string::npos);
    const auto j = nlohmann::json::parse(text);
    EXPECT_TRUE(j["county"]["grassroots_rate"]["half_width"].is_null());
    EXPECT_TRUE(j["county"]["grassroots_rate"]["ci_low"].is_null());
    EXPECT_EQ(j["county"]["grassroots_rate"]["mean"].get<double>(), 0.6);
}

TEST_F(ReportFiles, SameInputsGiveByteIdenticalFiles) {
    auto results = make_results(6);
    write_outputs(dir_ / "a", summarise(make_run(6), results, make_targets()), results);
    write_outputs(dir_ / "a", summarise(make_run(6), results, make_targets()), results);
    std::reverse(results.begin(), results.end());  // another thread count, another order
    write_outputs(dir_ / "b", summarise(make_run(6), results, make_targets()), results);
    ASSERT_EQ(entries(dir_ / "a"), entries(dir_ / "b"));
    for (const auto& name : entries(dir_ / "a")) {
        EXPECT_EQ(slurp(dir_ / "a" / name), slurp(dir_ / "b" / name)) << name;
    }
}

TEST_F(ReportFiles, OtherDimensionsGoToTheirOwnFile) {
    auto results = make_results(2);
    results[0].groups.push_back({"condition", "minor_acute", "visits", 7});
    write_outputs(dir_, summarise(make_run(2), results, {}), results);
    const auto other = lines(dir_ / "other_groups.csv");
    ASSERT_EQ(other.size(), 2u);
    EXPECT_EQ(other[0], "replication,dimension,group,indicator,value");
    EXPECT_EQ(other[1], "1,condition,minor_acute,visits,7");
}

TEST_F(ReportFiles, OutputDirectoryThatIsAFileIsAClearError) {
    write_file_atomically(dir_ / "taken", "x");
    const auto results = make_results(2);
    try {
        write_outputs(dir_ / "taken", summarise(make_run(2), results, {}), results);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find((dir_ / "taken").string()), std::string::npos);
    }
}

TEST_F(ReportFiles, AtomicWriteReplacesAndLeavesNoTemporaryFile) {
    const fs::path file = dir_ / "data.txt";
    write_file_atomically(file, "first version, rather long\n");
    write_file_atomically(file, "second\n");
    EXPECT_EQ(slurp(file), "second\n");
    EXPECT_EQ(entries(dir_), std::vector<std::string>{"data.txt"});
    write_file_atomically(file, "");
    EXPECT_EQ(fs::file_size(file), 0u);
}

TEST_F(ReportFiles, AtomicWriteErrorNamesThePath) {
    const fs::path file = dir_ / "missing_dir" / "data.txt";
    try {
        write_file_atomically(file, "x");
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string()), std::string::npos) << what;
        EXPECT_NE(what.find("No such file or directory"), std::string::npos) << what;
    }
    EXPECT_EQ(entries(dir_), std::vector<std::string>{});
}

// ---------------------------------------------------------------- table

TEST(PrintTable, ShowsSectionsLabelsIntervalsAndVerdicts) {
    const Summary s = summarise(make_run(4), make_results(4), make_targets());
    std::ostringstream out;
    print_table(out, s);
    const std::string text = out.str();
    for (const char* expected :
         {"Visits and rates", "Money", "Other", "Grassroots outpatient share", "0.615",
          "\u2265 0.65  missed", "\u2265 0.9  met", "1,234,569", "new_thing",
          "3 targets: 1 met, 1 missed, 1 undecided", "was not reported", "seed 42"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    }
    EXPECT_EQ(text.find("Waiting"), std::string::npos);  // no rows, no heading
    EXPECT_EQ(text.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace cmasim::report
