// Statistical checks against queueing theory (docs/validation.md "Tests"; docs/model.md §9): each
// scenario in scenarios/validation/ is a Jackson network, so its steady-state means are known
// exactly (src/analysis/jackson.cpp). The simulation, run with the file's seed, replications,
// horizon and warm-up, must put every analytic figure inside its 99% confidence interval.
//
// False alarms. A correct simulator misses a given 99% interval with probability ~1%. A scenario
// checks 5 figures per station plus the network's time in system (mm1 and mmc5: 6 figures,
// tandem: 16, feedback10: 56), and a seed fails the test when any one of them misses. Figures of
// one station are strongly correlated (throughput and utilisation; queue length, wait and
// sojourn), so the rate lies below the independent bound 1 - 0.99^k. Measured over seeds 1-50
// with the files' replications and horizons (docs/validation.md): mm1 0 of 50 seeds failed,
// mmc5 1 of 50, tandem 1 of 50, feedback10 13 of 50 (about 26%); over all 4,200 figures 0.5%
// missed. So: changing a seed, the replications or the horizon may legitimately fail a test, about
// 1 run in 4 for feedback10 and a few % for the others. The seeds in the files were picked once
// (tandem's first choice, 12345, failed: its 30 replications drew s1 arrivals 2.2 standard
// errors low, and every s1 figure followed). Before suspecting the engine after a change, rerun
// the printed command with a few other seeds: a real bias fails for most seeds, a false alarm
// for about the rates above.
//
// Test names start with "Validation" (ctest label `validation`); AnalyzeCli.* check the command
// line around them and are cheap.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "cmasim/analysis/compare.h"
#include "cmasim/analysis/jackson.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace fs = std::filesystem;
using cmasim::analysis::Comparison;
using cmasim::analysis::NetworkResult;

const std::string kValidationDir = CMASIM_SOURCE_DIR "/scenarios/validation/";

/// How to reproduce a run outside the test.
std::string reproduce(const std::string& file, const cmasim::scenario::Scenario& s) {
    std::ostringstream o;
    o << "reproduce with: cmasim analyze scenarios/validation/" << file << " --simulate --seed "
      << s.seed << " --replications " << s.replications << "  (seed " << s.seed << ", "
      << s.replications << " replications, " << s.horizon_days << " days after " << s.warmup_days
      << " days warm-up)";
    return o.str();
}

std::string describe(const Comparison& c) {
    std::ostringstream o;
    o.precision(6);
    o << (c.station.empty() ? "network" : "station " + c.station) << ", " << c.indicator
      << ": analytic " << c.analytic;
    if (c.simulated) {
        o << ", simulated " << c.simulated->mean << " [" << c.simulated->ci_low << ", "
          << c.simulated->ci_high << "] (99% CI, n = " << c.simulated->n << ")";
    }
    return o.str();
}

/// A 99% interval wider than this share of the analytic value would make agreement nearly
/// automatic: the run would be too short for the test to mean anything. (Waits at the busiest
/// stations vary most between replications; throughput and utilisation are far tighter.)
constexpr double kMaxRelativeHalfWidth = 0.10;

/// Simulates the scenario and checks every figure. `expected_time_in_system` pins the analytic
/// figure of the file (minutes), so an edit to the scenario cannot silently change the test.
void check_network(const std::string& file, double expected_time_in_system) {
    cmasim::scenario::Scenario s;
    try {
        s = cmasim::scenario::load_scenario(kValidationDir + file);
    } catch (const cmasim::scenario::ScenarioError& e) {
        FAIL() << e.what();
    }
    ASSERT_FALSE(s.network.stations.empty()) << file << " has no queueing_network stations";
    const NetworkResult analytic = cmasim::analysis::solve_jackson(s.network, s.facilities);
    EXPECT_NEAR(analytic.time_in_system, expected_time_in_system, 0.0005)
        << file << ": the analytic figure moved";

    const cmasim::model::County county = cmasim::model::compile_county(s);
    cmasim::model::RunOptions options;
    options.replications = s.replications;
    options.threads = 1;  // results never depend on it; keep the test to one core
    const auto results = cmasim::model::run_replications(county, options);
    const auto rows = cmasim::analysis::compare_with_simulation(analytic, results, 0.99);

    const std::string how = reproduce(file, s);
    for (const auto& c : rows) {
        ASSERT_TRUE(c.simulated) << describe(c) << ": not reported by the simulation";
        ASSERT_TRUE(c.simulated->has_interval()) << describe(c) << ": no confidence interval";
        EXPECT_EQ(c.simulated->n, static_cast<std::size_t>(s.replications)) << describe(c);
        EXPECT_TRUE(c.agrees()) << describe(c) << ": the analytic value is outside the 99% CI\n"
                                << how;
        EXPECT_LE(c.simulated->half_width, kMaxRelativeHalfWidth * c.analytic)
            << describe(c) << ": the interval is too wide to mean anything\n"
            << how;
    }
}

// Closed forms: L = 4, W = 10 min.
TEST(Validation, MM1AgreesWithTheory) {
    check_network("mm1.yaml", 10.0);
}

// Erlang C(5, 4) = 0.5541; Wq = 0.5541 / (5 x 0.2 - 0.8) = 2.7706 min; W = 7.7706 min.
TEST(Validation, MMc5AgreesWithTheory) {
    check_network("mmc5.yaml", 7.7706);
}

// The tandem: 7.270 minutes in the system.
TEST(Validation, TandemAgreesWithTheory) {
    check_network("tandem.yaml", 7.2703);
}

// Eleven stations, two entries, feedback to earlier stations.
TEST(Validation, Feedback10AgreesWithTheory) {
    check_network("feedback10.yaml", 19.6186);
}

// ---------------------------------------------------------------- the command line

struct CommandOutput {
    int exit_code = -1;
    std::string out;  ///< stdout and stderr together
};

CommandOutput run_cmasim(const std::string& args) {
    static int counter = 0;
    const fs::path log = fs::temp_directory_path() / ("cmasim_analyze_" + std::to_string(getpid()) +
                                                      "_" + std::to_string(counter++) + ".log");
    const std::string command =
        std::string("\"") + CMASIM_BINARY + "\" " + args + " > \"" + log.string() + "\" 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(log);
    CommandOutput r{WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                    {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}};
    fs::remove(log);
    return r;
}

TEST(AnalyzeCli, PrintsTheTandemAnalyticTable) {
    const auto r = run_cmasim("analyze \"" + kValidationDir + "tandem.yaml\"");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("mean time in system 7.2703 min"), std::string::npos) << r.out;
    // s1: 2 servers, arrival rate 1, utilisation 5/6, Lq = 2 rho^3 / (1 - rho^2) = 3.7879.
    EXPECT_NE(r.out.find("0.8333        3.7879"), std::string::npos) << r.out;
}

/// `cmasim analyze` on scenarios/validation/tandem.yaml with its text `from` replaced by `to`
/// (the file is written as `file`, removed afterwards).
CommandOutput analyze_edited_tandem(const std::string& from, const std::string& to,
                                    const fs::path& file, const std::string& args = "") {
    std::string yaml;
    {
        std::ifstream in(kValidationDir + "tandem.yaml");
        yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const auto at = yaml.find(from);
    if (at == std::string::npos) return CommandOutput{-1, "'" + from + "' not in tandem.yaml"};
    yaml.replace(at, from.size(), to);
    std::ofstream(file) << yaml;
    auto r = run_cmasim("analyze \"" + file.string() + "\"" + args);
    fs::remove(file);
    return r;
}

// Each station's row ends in its facility's name (issue 13 item 8: names beside ids).
TEST(AnalyzeCli, StationRowsEndInTheFacilityName) {
    const fs::path file =
        fs::temp_directory_path() / ("cmasim_named_" + std::to_string(getpid()) + ".yaml");
    const auto r =
        analyze_edited_tandem("{id: s1, level: county", "{id: s1, name: 县人民医院, level: county",
                              file, " --simulate -r 2 -t 1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("at station  name\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("5.4545      5.4545  县人民医院\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("agrees  name\n"), std::string::npos) << r.out;
    // In the simulated table the name ends the station's first row (its arrival rate).
    const auto row = r.out.find("s1      arrival rate (/min)");
    ASSERT_NE(row, std::string::npos) << r.out;
    const std::string line = r.out.substr(row, r.out.find('\n', row) - row);
    EXPECT_EQ(line.substr(line.size() - std::string("县人民医院").size()), "县人民医院") << line;
}

TEST(AnalyzeCli, ScenarioWithoutNetworkIsBadInput) {
    const auto r = run_cmasim("analyze \"" CMASIM_SOURCE_DIR "/scenarios/tiny.yaml\"");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("has no queueing_network stations"), std::string::npos) << r.out;
}

TEST(AnalyzeCli, UnstableStationIsBadInputNamingIt) {
    // s2 gets 0.3 / min and serves 0.25 / min: utilisation 1.20.
    const fs::path file =
        fs::temp_directory_path() / ("cmasim_unstable_" + std::to_string(getpid()) + ".yaml");
    const auto r = analyze_edited_tandem("{facility: s2, service_minutes: 2.0",
                                         "{facility: s2, service_minutes: 4.0", file);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    // The loader finds it (the traffic equations are solved at load), located at the station.
    EXPECT_NE(
        r.out.find(
            file.string() +
            ":23:7: queueing_network.stations[s2]: station 's2' is overloaded: "
            "load 1.2 >= 1 (0.3 arrivals per minute in all, 1 doctor, 4 minutes per service)"),
        std::string::npos)
        << r.out;
}

}  // namespace
