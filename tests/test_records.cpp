// Records and kill-safe outputs (docs/reproducibility.md): `cmasim --version`, manifest.json in
// every output directory, the scenario hash, whole-directory swaps that survive a SIGKILL, a
// sweep killed before its first record, and intervals clipped to an indicator's range.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cmasim/report/output_dir.h"
#include "cmasim/report/summary.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"
#include "temp_dir.h"

namespace {

namespace fs = std::filesystem;
using namespace cmasim;
using Json = nlohmann::json;

const fs::path kSource = CMASIM_SOURCE_DIR;

using testing_support::TempDir;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Run the cmasim binary from the source directory; returns its exit code, stdout in `out`.
int cmasim(const std::string& args, std::string* out = nullptr) {
    const std::string cmd =
        "cd '" + kSource.string() + "' && '" + CMASIM_BINARY + "' " + args + " 2>/dev/null";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string text;
    char buffer[4096];
    while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
    const int status = pipe != nullptr ? ::pclose(pipe) : -1;
    if (out != nullptr) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tiny_run(const fs::path& out, const std::string& extra = "") {
    return "run scenarios/tiny.yaml --set horizon_days=20 --set warmup_days=0 -r 2 -t 1 -q --out "
           "'" +
           out.string() + "' " + extra;
}

TEST(Records, VersionNamesVersionCommitCompilerAndBuildType) {
    std::string out;
    ASSERT_EQ(cmasim("--version", &out), 0);
    EXPECT_EQ(out.rfind("cmasim " CMASIM_VERSION "\n", 0), 0u) << out;
    for (const char* field : {"\ncommit: ", "\ncompiler: ", "\nbuild type: "})
        EXPECT_NE(out.find(field), std::string::npos) << field << " missing from:\n" << out;
}

TEST(Records, ScenarioHashIgnoresThePathGivenAndFollowsSet) {
    const fs::path tiny = kSource / "scenarios/tiny.yaml";
    const std::string h = scenario::scenario_sha256(tiny);
    EXPECT_EQ(h.size(), 64u);
    EXPECT_EQ(scenario::scenario_sha256(kSource / "scenarios/validation/../tiny.yaml"), h);
    scenario::LoadOptions changed;
    changed.overrides = {"horizon_days=20"};
    EXPECT_NE(scenario::scenario_sha256(tiny, changed), h);
    // The same text loaded from memory (the Python module's `cmasim.load(text)`) hashes alike.
    std::ifstream in(tiny);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(scenario::scenario_string_sha256(text, tiny.string()), h);
    EXPECT_EQ(scenario::scenario_string_sha256(text, tiny.string(), changed),
              scenario::scenario_sha256(tiny, changed));
}

TEST(Records, RunWritesAManifestAndSummaryRecords) {
    TempDir dir("records_run");
    const fs::path out = dir.path / "tiny";
    ASSERT_EQ(cmasim(tiny_run(out, "--seed 7")), 0);
    const Json m = Json::parse(slurp(out / "manifest.json"));
    EXPECT_EQ(m["command"], "run");
    EXPECT_EQ(m["seed"], 7);
    EXPECT_EQ(m["replications"], 2);
    EXPECT_EQ(m["threads"], 1);
    EXPECT_EQ(m["cmasim_version"], CMASIM_VERSION);
    EXPECT_NE(m["rng_scheme"].get<std::string>().find("Philox4x64-10"), std::string::npos);
    EXPECT_NE(m["scenario_hash_recipe"].get<std::string>().find("SHA-256"), std::string::npos);
    EXPECT_NE(m["command_line"].dump().find("--seed"), std::string::npos);
    EXPECT_TRUE(m["wall_seconds"].is_number());
    scenario::LoadOptions o;
    o.overrides = {"horizon_days=20", "warmup_days=0"};
    const std::string hash = scenario::scenario_sha256(kSource / "scenarios/tiny.yaml", o);
    EXPECT_EQ(m["scenarios"][0]["sha256"], hash);
    const Json run = Json::parse(slurp(out / "summary.json"))["run"];
    EXPECT_EQ(run["seed"], 7);
    EXPECT_EQ(run["replications"], 2);
    EXPECT_EQ(run["scenario_sha256"], hash);
    EXPECT_EQ(run["git_commit"], m["git_commit"]);
}

TEST(Records, CompareWritesAManifestAndRecordsSeedsAndHashes) {
    TempDir dir("records_compare");
    const fs::path out = dir.path / "cmp";
    ASSERT_EQ(cmasim("compare scenarios/tiny.yaml scenarios/tiny.yaml -r 2 -t 1 --seed 5 --out '" +
                     out.string() + "'"),
              0);
    const Json c = Json::parse(slurp(out / "compare.json"));
    EXPECT_EQ(c["replications"], 2);
    EXPECT_TRUE(c.contains("git_commit"));
    EXPECT_EQ(c["scenarios"][1]["seed"], 5);
    EXPECT_EQ(c["scenarios"][0]["scenario_sha256"],
              scenario::scenario_sha256(kSource / "scenarios/tiny.yaml"));
    const Json m = Json::parse(slurp(out / "manifest.json"));
    EXPECT_EQ(m["command"], "compare");
    EXPECT_EQ(m["scenarios"].size(), 2u);
}

TEST(OutputDirectory, RefusesForeignAndSweepDirectoriesUnlessForced) {
    TempDir dir("records_refuse");
    const fs::path out = dir.path / "tiny";
    ASSERT_EQ(cmasim(tiny_run(out)), 0);
    EXPECT_EQ(cmasim(tiny_run(out)), 0) << "its own previous output is replaced";
    EXPECT_EQ(
        cmasim("compare scenarios/tiny.yaml scenarios/tiny.yaml -r 2 --out '" + out.string() + "'"),
        2)
        << "a run's directory is not a comparison's";
    const fs::path foreign = dir.path / "notes";
    fs::create_directories(foreign);
    std::ofstream(foreign / "thesis.txt") << "keep me\n";
    EXPECT_EQ(cmasim(tiny_run(foreign)), 2);
    EXPECT_EQ(slurp(foreign / "thesis.txt"), "keep me\n");
    EXPECT_EQ(cmasim(tiny_run(foreign, "--force")), 0);
    EXPECT_FALSE(fs::exists(foreign / "thesis.txt"));
    const fs::path sweep = dir.path / "sweep";
    fs::create_directories(sweep / ".journal");
    EXPECT_EQ(cmasim(tiny_run(sweep, "--force")), 2) << "a sweep's directory is never replaced";
    EXPECT_TRUE(fs::exists(sweep / ".journal"));
}

/// The staging directories beside `target` (a run in progress, or one that was killed).
std::vector<fs::path> staging_of(const fs::path& target) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(target.parent_path()))
        if (e.path().filename().string().rfind(report::staging_prefix(target), 0) == 0)
            out.push_back(e.path());
    return out;
}

TEST(OutputDirectory, KilledRunLeavesThePreviousDirectoryWhole) {
    TempDir dir("records_kill");
    const fs::path out = dir.path / "tiny";
    ASSERT_EQ(cmasim(tiny_run(out, "--seed 1")), 0);
    const std::string before = slurp(out / "summary.json");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const std::string file = (kSource / "scenarios/tiny.yaml").string(), target = out.string();
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execl(CMASIM_BINARY, CMASIM_BINARY, "run", file.c_str(), "--seed", "2", "-r", "200", "-t",
                "1", "-q", "--out", target.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Kill as soon as the new run's temporary directory exists: the run is then under way.
    while (staging_of(out).empty()) {
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, WNOHANG), 0)
            << "the run ended before its directory was staged";
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    // Whatever instant the kill hit, --out is the first run, whole: seed 1 in both records.
    EXPECT_EQ(slurp(out / "summary.json"), before);
    EXPECT_EQ(Json::parse(slurp(out / "manifest.json"))["seed"], 1);
    for (const char* f :
         {"replications.csv", "townships.csv", "months.csv", "facilities.csv", "levels.csv"})
        EXPECT_TRUE(fs::exists(out / f)) << f;
    // The next run clears the killed run's leftovers and replaces the directory.
    ASSERT_EQ(cmasim(tiny_run(out, "--seed 3")), 0);
    EXPECT_TRUE(staging_of(out).empty());
    EXPECT_EQ(Json::parse(slurp(out / "summary.json"))["run"]["seed"], 3);
}

TEST(SweepDirectory, KilledBeforeItsFirstRecordStartsOrResumes) {
    TempDir dir("records_sweep_start");
    const std::string sweep =
        "sweep '" + (kSource / "tests/data/sweeps/grid.yaml").string() + "' -q -t 1 --out ";
    // The instants before run.json is in place: only .journal/, its lock, a half-copied sweep file.
    const fs::path fresh = dir.path / "fresh", resumed = dir.path / "resumed";
    fs::create_directories(fresh / ".journal");
    EXPECT_EQ(cmasim(sweep + "'" + fresh.string() + "'"), 0);
    fs::create_directories(resumed / ".journal");
    std::ofstream(resumed / ".journal" / "lock");
    std::ofstream(resumed / ".journal" / ".sweep.yaml.tmp.1.2") << "name: half";
    EXPECT_EQ(cmasim(sweep + "'" + resumed.string() + "' --resume"), 0);
    EXPECT_EQ(slurp(fresh / "results.csv"), slurp(resumed / "results.csv"));
    // Killed after run.json but before the first record: --resume continues it.
    const fs::path header_only = dir.path / "header_only";
    fs::create_directories(header_only / ".journal");
    fs::copy(resumed / ".journal" / "run.json", header_only / ".journal" / "run.json");
    fs::copy(resumed / ".journal" / "sweep.yaml", header_only / ".journal" / "sweep.yaml");
    EXPECT_EQ(cmasim(sweep + "'" + header_only.string() + "' --resume"), 0);
    EXPECT_EQ(slurp(fresh / "results.csv"), slurp(header_only / "results.csv"));
}

TEST(Intervals, CountsAndProportionsStayInTheirRange) {
    // A count that is mostly 0: the t interval reaches below 0 and is clipped there.
    const std::vector<double> counts{0, 0, 0, 4};
    const report::Estimate raw = report::estimate(counts);
    ASSERT_LT(raw.ci_low, 0);
    const report::Estimate count = report::indicator_estimate("admissions", counts, 0.95);
    EXPECT_EQ(count.ci_low, 0.0);
    EXPECT_EQ(count.ci_high, raw.ci_high);
    EXPECT_EQ(count.mean, raw.mean);
    EXPECT_EQ(count.half_width, raw.half_width);
    const std::vector<double> shares{1, 1, 0.9, 1};
    const report::Estimate share = report::indicator_estimate("grassroots_rate", shares, 0.95);
    EXPECT_EQ(share.ci_high, 1.0);
    EXPECT_GT(share.ci_low, 0.0);
    // A quantity that may be negative keeps its interval.
    const report::Estimate other = report::indicator_estimate("no_such_indicator", counts, 0.95);
    EXPECT_EQ(other.ci_low, raw.ci_low);
}

TEST(WhatIf, EmptyBlockIsAnErrorAndRemovalsAreListedByResolve) {
    TempDir dir("records_whatif");
    const std::string base = "extends: " + (kSource / "scenarios/tiny.yaml").string() + "\n";
    const fs::path empty = dir.path / "empty.yaml", removal = dir.path / "removal.yaml";
    std::ofstream(empty) << base << "insurance:\n  outpatient_cap:\n";
    std::ofstream(removal) << base << "insurance:\n  outpatient_cap: ~\n";
    EXPECT_THROW(scenario::resolve_scenario_yaml(empty), scenario::ScenarioError);
    const std::string resolved = scenario::resolve_scenario_yaml(removal);
    EXPECT_NE(resolved.find("#   insurance.outpatient_cap (by " + removal.string() + ")"),
              std::string::npos)
        << resolved;
    EXPECT_EQ(resolved.find("outpatient_cap:"), std::string::npos) << resolved;
    scenario::LoadOptions set;
    set.overrides = {"insurance.outpatient_cap=~"};
    EXPECT_NE(scenario::resolve_scenario_yaml(kSource / "scenarios/tiny.yaml", set)
                  .find("#   insurance.outpatient_cap (by --set insurance.outpatient_cap=~)"),
              std::string::npos);
}

}  // namespace
