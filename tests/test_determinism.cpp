// Same seed => same numbers, whatever the thread count (docs/model.md §8); different seeds =>
// different numbers; common random numbers: scenarios that differ only in policy see the same
// patients.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/runner.h"
#include "cmasim/model/trace.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace fs = std::filesystem;
using cmasim::indicators::ReplicationResult;
using cmasim::model::County;

const char* const kTiny = CMASIM_SOURCE_DIR "/scenarios/tiny.yaml";

County tiny(const std::function<void(cmasim::scenario::Scenario&)>& tweak = {}) {
    auto s = cmasim::scenario::load_scenario(kTiny);
    if (tweak) tweak(s);
    return cmasim::model::compile_county(s);
}

std::vector<ReplicationResult> run(const County& county, int replications, int threads) {
    cmasim::model::RunOptions options;
    options.replications = replications;
    options.threads = threads;
    return cmasim::model::run_replications(county, options);
}

/// Every row of two results, compared exactly (values bit for bit via ==).
void expect_identical(const ReplicationResult& a, const ReplicationResult& b) {
    SCOPED_TRACE("replication " + std::to_string(a.replication));
    EXPECT_EQ(a.replication, b.replication);
    EXPECT_EQ(a.events, b.events);
    ASSERT_EQ(a.county.size(), b.county.size());
    for (std::size_t i = 0; i < a.county.size(); ++i) {
        EXPECT_EQ(a.county[i].indicator, b.county[i].indicator);
        EXPECT_EQ(a.county[i].value, b.county[i].value) << a.county[i].indicator;
    }
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
        const auto& x = a.groups[i];
        const auto& y = b.groups[i];
        EXPECT_EQ(std::tie(x.dimension, x.group, x.indicator),
                  std::tie(y.dimension, y.group, y.indicator));
        EXPECT_EQ(x.value, y.value) << x.dimension << "/" << x.group << "/" << x.indicator;
    }
}

/// County rows as a map, for comparing runs that should differ.
std::map<std::string, double> county_rows(const ReplicationResult& r) {
    std::map<std::string, double> m;
    for (const auto& row : r.county) m[row.indicator] = row.value;
    return m;
}

TEST(DeterminismThreads, OneAndTwoThreadsGiveIdenticalResults) {
    const County county = tiny();
    const auto one = run(county, 4, 1);
    const auto two = run(county, 4, 2);
    ASSERT_EQ(one.size(), 4U);
    ASSERT_EQ(two.size(), 4U);
    for (std::size_t r = 0; r < one.size(); ++r) {
        EXPECT_EQ(one[r].replication, r);
        expect_identical(one[r], two[r]);
    }
}

TEST(DeterminismThreads, ReplicationAloneEqualsReplicationInABatch) {
    const County county = tiny();
    const auto batch = run(county, 3, 2);
    expect_identical(cmasim::model::run_replication(county, 2), batch[2]);
}

TEST(DeterminismTrace, SameSeedSameTrace) {
    const County county = tiny();
    cmasim::model::TraceRecorder first(county), second(county);
    cmasim::model::simulate_replication(county, 1, first);
    cmasim::model::simulate_replication(county, 1, second);
    ASSERT_GT(first.lines().size(), 100U);
    EXPECT_EQ(first.lines(), second.lines());
}

TEST(DeterminismSeeds, DifferentSeedsGiveDifferentResults) {
    const County a = tiny();
    const County b = tiny([](auto& s) { s.seed += 1; });
    const auto ra = cmasim::model::run_replication(a, 0);
    const auto rb = cmasim::model::run_replication(b, 0);
    const auto rows_a = county_rows(ra);
    const auto rows_b = county_rows(rb);
    EXPECT_NE(rows_a.at("visits"), rows_b.at("visits"));
    EXPECT_NE(rows_a.at("spending_total"), rows_b.at("spending_total"));
    EXPECT_NE(rows_a, rows_b);
}

TEST(DeterminismSeeds, DifferentReplicationsGiveDifferentResults) {
    const County county = tiny();
    const auto results = run(county, 2, 1);
    EXPECT_NE(county_rows(results[0]).at("visits"), county_rows(results[1]).at("visits"));
}

/// Who falls ill, where, when and with what.
struct EpisodeStart {
    std::uint64_t episode;
    cmasim::sim::SimTime t;
    std::uint32_t village;
    std::uint32_t condition;
    bool operator==(const EpisodeStart&) const = default;
};

class StartRecorder final : public cmasim::model::ModelObserver {
  public:
    using ModelObserver::on;
    void on(const cmasim::model::EpisodeStarted& e) override {
        const auto& p = e.patient;
        starts.push_back({p.episode.value(), e.at, p.village.index(), p.condition.index()});
    }
    void on(const cmasim::model::Consultation& e) override {
        facilities.push_back(e.facility.index());
    }
    std::vector<EpisodeStart> starts;
    std::vector<std::uint32_t> facilities;
};

TEST(DeterminismCommonRandomNumbers, InsurancePolicyDoesNotChangeDemand) {
    const County base = tiny();
    // Township outpatient care becomes far cheaper: choices change, demand must not.
    const County policy = tiny([](auto& s) {
        s.insurance.outpatient_ratio[static_cast<int>(cmasim::scenario::Level::Township)] = 0.95;
    });
    StartRecorder a, b;
    cmasim::model::simulate_replication(base, 0, a);
    cmasim::model::simulate_replication(policy, 0, b);
    ASSERT_GE(a.starts.size(), 100U);
    EXPECT_EQ(a.starts.size(), b.starts.size());
    const std::vector<EpisodeStart> first_a(a.starts.begin(), a.starts.begin() + 100);
    const std::vector<EpisodeStart> first_b(
        b.starts.begin(), b.starts.begin() + std::min<std::size_t>(100, b.starts.size()));
    EXPECT_TRUE(first_a == first_b) << "the first 100 episode starts differ";
    // The policy must have changed something downstream, or this test shows nothing.
    EXPECT_NE(a.facilities, b.facilities) << "the policy changed no choice";
}

// ---- end to end: the built binary, two thread counts, byte-identical output files

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run_binary(const fs::path& out, int threads) {
    const std::string command = std::string("\"") + CMASIM_BINARY + "\" run \"" + kTiny +
                                "\" --threads " + std::to_string(threads) + " --out \"" +
                                out.string() + "\" -q > \"" + out.string() + ".log\" 2>&1";
    return std::system(command.c_str());
}

TEST(DeterminismBinary, OutputFilesIdenticalForOneAndTwoThreads) {
    const fs::path dir =
        fs::temp_directory_path() / ("cmasim_determinism_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path one = dir / "threads1";
    const fs::path two = dir / "threads2";
    ASSERT_EQ(run_binary(one, 1), 0) << read_bytes(one.string() + ".log");
    ASSERT_EQ(run_binary(two, 2), 0) << read_bytes(two.string() + ".log");
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(one))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::vector<std::string> names_two;
    for (const auto& entry : fs::directory_iterator(two))
        names_two.push_back(entry.path().filename().string());
    std::sort(names_two.begin(), names_two.end());
    EXPECT_EQ(names, names_two);
    EXPECT_NE(std::find(names.begin(), names.end(), "summary.json"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "replications.csv"), names.end());
    for (const auto& name : names) {
        // The manifest records the invocation (command line, threads, wall time): its purpose is
        // to differ. Every result file must be the same bytes.
        if (name == "manifest.json") continue;
        const std::string a = read_bytes(one / name);
        EXPECT_FALSE(a.empty()) << name;
        EXPECT_TRUE(a == read_bytes(two / name)) << name << " differs between 1 and 2 threads";
    }
    fs::remove_all(dir);
}

}  // namespace
