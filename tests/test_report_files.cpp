// Tests of the report module's outputs: the summary, the output files, the atomic writer and the
// console table (the registry, estimates and verdicts: test_report.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"
#include "cmasim/util/atomic_file.h"

namespace cmasim::report {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- summary

/// A replication with 4 county rows and group rows in every dimension (plus one undefined rate).
indicators::ReplicationResult make_replication(std::uint64_t r) {
    const double x = static_cast<double>(r);
    indicators::ReplicationResult res;
    res.replication = r;
    res.county = {{"grassroots_rate", 0.6 + 0.01 * x},
                  {"in_county_rate", 0.9},
                  {"spending_total", 1234567.5 + x},
                  {"new_thing", 0.1 + 0.2 * x}};
    res.groups = {{"township", "T01", "grassroots_rate", 0.5 + 0.02 * x, "East town"},
                  {"township", "T01", "in_county_inpatient_rate", kNaN, "East town"},
                  {"township", "T,02", "grassroots_rate", 0.7, "West, upper"},
                  {"township", "T,02", "in_county_inpatient_rate", 1.0 / 3.0, "West, upper"},
                  {"month", "2026-01", "visits", 100 + x, {}},
                  {"facility", "F1", "utilisation", 0.8, "Clinic one"},
                  {"facility", "F1", "visits", 50 + x, "Clinic one"},
                  {"condition", "minor", "visits", 30 + x, "Minor illness"},
                  {"level", "county", "utilisation", 0.75, {}}};
    return res;
}

/// Replications 0..n-1 in reverse order, as a multi-threaded run might deliver them.
std::vector<indicators::ReplicationResult> make_results(std::uint64_t n) {
    std::vector<indicators::ReplicationResult> out;
    for (std::uint64_t r = n; r-- > 0;) out.push_back(make_replication(r));
    return out;
}

RunInfo make_run(int replications) {
    return {"baseline", "scenarios/baseline.yaml", 42, replications, 365, 30, "0.1.0", "abc123",
            "def456"};
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
    ASSERT_EQ(s.groups.size(), 9u);
    EXPECT_EQ(s.groups[0].dimension, "township");
    EXPECT_EQ(s.groups[0].group, "T01");
    EXPECT_EQ(s.groups[8].dimension, "level");
    // Sums run in replication order, whatever order the results came in.
    std::vector<indicators::ReplicationResult> forward = make_results(4);
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
    std::vector<indicators::ReplicationResult> results = make_results(2);
    results.push_back(make_replication(1));
    EXPECT_THROW(summarise(make_run(3), results, {}), std::invalid_argument);
    std::vector<indicators::ReplicationResult> twice = make_results(1);
    twice[0].county.push_back({"grassroots_rate", 0.5});
    EXPECT_THROW(summarise(make_run(1), twice, {}), std::invalid_argument);
    std::vector<indicators::ReplicationResult> group_twice = make_results(1);
    group_twice[0].groups.push_back({"facility", "F1", "visits", 3, "Clinic one"});
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
    EXPECT_EQ(
        entries(dir_ / "out"),
        (std::vector<std::string>{"conditions.csv", "facilities.csv", "levels.csv", "months.csv",
                                  "replications.csv", "summary.json", "townships.csv"}));
    const auto county = lines(dir_ / "out" / "replications.csv");
    ASSERT_EQ(county.size(), 1u + 3 * 4);
    EXPECT_EQ(county[0], "replication,indicator,value");
    EXPECT_EQ(county[1], "0,grassroots_rate,0.6");
    const auto towns = lines(dir_ / "out" / "townships.csv");
    ASSERT_EQ(towns.size(), 1u + 3 * 4);
    EXPECT_EQ(towns[0], "replication,township,name,indicator,value");
    EXPECT_EQ(towns[2], "0,T01,East town,in_county_inpatient_rate,");  // undefined: empty field
    EXPECT_EQ(towns[3], "0,\"T,02\",\"West, upper\",grassroots_rate,0.7");  // quoted: commas
    const auto months = lines(dir_ / "out" / "months.csv");
    ASSERT_EQ(months.size(), 1u + 3);
    EXPECT_EQ(months[0], "replication,month,indicator,value");
    const auto facilities = lines(dir_ / "out" / "facilities.csv");
    ASSERT_EQ(facilities.size(), 1u + 3 * 2);
    EXPECT_EQ(facilities[0], "replication,facility,name,indicator,value");
    EXPECT_EQ(facilities[1], "0,F1,Clinic one,utilisation,0.8");
    const auto conditions = lines(dir_ / "out" / "conditions.csv");
    ASSERT_EQ(conditions.size(), 1u + 3);
    EXPECT_EQ(conditions[0], "replication,condition,name,indicator,value");
    EXPECT_EQ(conditions[1], "0,minor,Minor illness,visits,30");
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
    EXPECT_EQ(j["county"]["grassroots_rate"]["ci_low"].get<double>(), s.county[0].estimate.ci_low);
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
    results[0].groups.push_back({"alliance", "north", "visits", 7, "North alliance"});
    write_outputs(dir_, summarise(make_run(2), results, {}), results);
    const auto other = lines(dir_ / "other_groups.csv");
    ASSERT_EQ(other.size(), 2u);
    // The alliance has a name beside its id: the table gets a name column (issue 16 item 3).
    EXPECT_EQ(other[0], "replication,dimension,group,name,indicator,value");
    EXPECT_EQ(other[1], "1,alliance,north,North alliance,visits,7");
    results[0].groups.back() = {"year", "2027", "visits", 7, {}};  // its own name
    write_outputs(dir_, summarise(make_run(2), results, {}), results);
    EXPECT_EQ(lines(dir_ / "other_groups.csv")[0], "replication,dimension,group,indicator,value");
}

TEST_F(ReportFiles, OutputDirectoryThatIsAFileIsAClearError) {
    util::write_file_atomically(dir_ / "taken", "x");
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
    util::write_file_atomically(file, "first version, rather long\n");
    util::write_file_atomically(file, "second\n");
    EXPECT_EQ(slurp(file), "second\n");
    EXPECT_EQ(entries(dir_), std::vector<std::string>{"data.txt"});
    util::write_file_atomically(file, "");
    EXPECT_EQ(fs::file_size(file), 0u);
}

TEST_F(ReportFiles, AtomicWriteErrorNamesThePath) {
    const fs::path file = dir_ / "missing_dir" / "data.txt";
    try {
        util::write_file_atomically(file, "x");
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
         {"Visits and rates", "Money", "Other", "Residents' grassroots visit share", "0.615",
          "\u2265 0.65  missed", "\u2265 0.9  met", "1,234,569", "new_thing",
          "3 targets: 1 met, 1 missed, 1 undecided", "was not reported", "seed 42"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    }
    EXPECT_EQ(text.find("Waiting"), std::string::npos);  // no rows, no heading
    EXPECT_EQ(text.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace cmasim::report
