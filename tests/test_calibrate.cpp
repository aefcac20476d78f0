// cmasim calibrate (docs/calibration.md): the emulator on known functions, the recovery of
// known parameters of the tiny county, an unconstrained parameter reported as such, held-out
// targets, byte-identical files after a stop and --resume and on 1 or 2 threads, and every
// invalid calibration file refused with a located message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "calibrate_support.h"
#include "cmasim/calibrate/calibrate.h"
#include "cmasim/calibrate/emulator.h"
#include "cmasim/calibrate/spec.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/stats.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/scenarios.h"
#include "invalid_corpus.h"
#include "temp_dir.h"

namespace cmasim {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kSource = CMASIM_SOURCE_DIR;
const fs::path kTiny = kSource / "scenarios/tiny.yaml";

using testing_support::read_all;

// --- the emulator -----------------------------------------------------------------------------

calibrate::TrainingSet sample(int n, const std::function<double(double, double)>& f) {
    calibrate::TrainingSet set;
    for (int i = 0; i < n; ++i) {
        // A deterministic spread over the unit square (a rank-1 lattice).
        const double a = (i + 0.5) / n, b = std::fmod(0.618034 * i + 0.25, 1.0);
        set.x.push_back({a, b});
        set.y.push_back(f(a, b));
        set.noise.push_back(1e-8);
    }
    return set;
}

TEST(Emulator, InterpolatesASmoothFunctionAndItsUncertaintyShrinksAtData) {
    const auto f = [](double a, double b) { return std::sin(4 * a) + 0.5 * b; };
    const calibrate::Emulator e(sample(30, f));
    double worst = 0;
    for (double a : {0.13, 0.37, 0.61, 0.88}) {
        for (double b : {0.2, 0.5, 0.8})
            worst = std::max(worst, std::abs(e.predict({a, b}).mean - f(a, b)));
    }
    EXPECT_LT(worst, 0.05);
    const auto at_data = e.predict({0.5 / 30, 0.25});
    const auto far = e.predict({0.99, 0.99});
    EXPECT_LT(at_data.variance, far.variance);
    const auto loo = e.leave_one_out();
    EXPECT_EQ(loo.standardized.size(), 30u);
    EXPECT_LT(loo.beyond_3, 3);
}

TEST(Emulator, AnInputThatDoesNotMatterGetsALongLengthScale) {
    const calibrate::Emulator e(sample(25, [](double a, double) { return std::cos(3 * a); }));
    ASSERT_EQ(e.length_scales().size(), 2u);
    EXPECT_GT(e.length_scales()[1], 5 * e.length_scales()[0]);
}

// --- recovering known parameters of the tiny county ------------------------------------------

/// The truth the calibration must recover, and the observed values it gives (16 replications
/// with a seed the calibration does not use, so the observation has its own noise).
const std::vector<std::string> kTruth = {"conditions[minor_acute].episodes_per_person_year=3",
                                         "choice.level_constant.county=0"};

std::map<std::string, double> observed_at_truth() {
    std::map<std::string, std::vector<double>> values;
    for (const auto& r : testing_support::observed_runs(kTiny, kTruth)) {
        for (const auto& v : r.county) values[v.indicator].push_back(v.value);
    }
    std::map<std::string, double> out;
    for (const auto& [k, v] : values) out[k] = report::estimate(v).mean;
    return out;
}

/// Three free parameters: two the targets pin down, and the inpatient cap, which no admission of
/// the tiny county reaches, so nothing measured depends on it.
std::string recovery_file(const std::map<std::string, double>& obs, const std::string& method) {
    std::ostringstream f;
    f << "name: tiny recovery\nparameters:\n"
      << "  - {path: \"conditions[minor_acute].episodes_per_person_year\", name: minor_rate, "
         "bounds: [1.5, 6]}\n"
      << "  - {path: choice.level_constant.county, name: county_constant, bounds: [-1.5, 1.5]}\n"
      << "  - {path: insurance.inpatient_cap, name: inpatient_cap, bounds: [50000, 250000]}\n"
      << "targets:\n"
      << "  - {indicator: grassroots_share, value: " << obs.at("grassroots_share")
      << ", se: 0.005, period: \"120 days\", source: simulated}\n"
      << "  - {indicator: visits_per_capita, value: " << obs.at("visits_per_capita")
      << ", se: 0.08}\n"
      << "  - {indicator: admissions_per_100, value: " << obs.at("admissions_per_100")
      << ", se: 0.5, holdout: true}\n"
      << "method: " << method << "\n";
    return f.str();
}

calibrate::CalibrationOptions options_for(const fs::path& file, const fs::path& out, int threads) {
    return testing_support::calibration_options(kTiny, file, out, threads);
}

class Recovery : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing_support::TempDir("calibrate_recovery");
        const fs::path file = dir_->path / "recovery.yaml";
        std::ofstream(file) << recovery_file(
            observed_at_truth(),
            "{waves: 3, points_per_wave: 20, replications: 4, fit_evaluations: 16, seed: 1}");
        calibrate::run_calibration(options_for(file, dir_->path / "out", 2));
        result_ = Json::parse(read_all(dir_->path / "out/calibration.json"));
    }
    static void TearDownTestSuite() { delete dir_; }
    static const Json& parameter(const std::string& name) {
        for (const auto& p : result_["parameters"]) {
            if (p["name"] == name) return p;
        }
        throw std::runtime_error("no parameter " + name);
    }
    // Held out: not fitted, reported with its predicted interval and whether it covers.
    static void expect_held_out_target_reported() {
        const Json& t = result_["targets"][2];
        EXPECT_EQ(t["role"], "holdout");
        EXPECT_LT(t["predicted_low"].get<double>(), t["predicted_high"].get<double>());
        const double observed = t["observed"].get<double>();
        const bool inside = observed >= t["predicted_low"].get<double>() &&
                            observed <= t["predicted_high"].get<double>();
        EXPECT_EQ(t["coverage"], inside ? "inside" : "outside");
        EXPECT_NE(read_all(dir_->path / "out/targets.csv").find("admissions_per_100,,holdout"),
                  std::string::npos);
    }

    static void expect_calibrated_scenario_and_draws() {
        const scenario::Scenario s = sweep::load_scenario_source(dir_->path / "out/calibrated.yaml",
                                                                 {}, sweep::load_options());
        const double best = std::stod(parameter("minor_rate")["best"].get<std::string>());
        EXPECT_DOUBLE_EQ(s.conditions.at(0).episodes_per_person_year, best);
        const std::string draws = read_all(dir_->path / "out/draws.csv");
        EXPECT_EQ(draws.rfind("draw,minor_rate,county_constant,inpatient_cap\n", 0), 0u);
        EXPECT_GT(std::count(draws.begin(), draws.end(), '\n'), 10);
    }
    static testing_support::TempDir* dir_;
    static Json result_;
};
testing_support::TempDir* Recovery::dir_ = nullptr;
Json Recovery::result_;

TEST_F(Recovery, TrueValuesLieInsideThePlausibleRangesAndTheBestFitReproducesTheTargets) {
    const std::map<std::string, double> truth = {{"minor_rate", 3.0}, {"county_constant", 0.0}};
    for (const auto& [name, value] : truth) {
        const Json& p = parameter(name);
        EXPECT_LE(p["plausible_low"].get<double>(), value) << name;
        EXPECT_GE(p["plausible_high"].get<double>(), value) << name;
        EXPECT_TRUE(p["identified"].get<bool>()) << name;
    }
    // The visits per resident pin the illness rate down to a narrow band.
    EXPECT_LT(parameter("minor_rate")["range_fraction"].get<double>(), 0.3);
    // The best fit reproduces the fitted targets within their uncertainty.
    for (const auto& t : result_["targets"]) {
        if (t["role"] == "holdout") continue;
        EXPECT_LT(std::abs(t["z"].get<double>()), 2.0) << t["indicator"];
        EXPECT_EQ(t["coverage"], "inside") << t["indicator"];
    }
    expect_held_out_target_reported();
    expect_calibrated_scenario_and_draws();
}

TEST_F(Recovery, AParameterNoTargetDependsOnIsReportedAsNotIdentified) {
    const Json& cap = parameter("inpatient_cap");
    EXPECT_FALSE(cap["identified"].get<bool>());
    EXPECT_GE(cap["range_fraction"].get<double>(), 0.9);
    bool warned = false;
    for (const auto& w : result_["warnings"])
        warned = warned ||
                 w.get<std::string>().find("inpatient_cap is not identified") != std::string::npos;
    EXPECT_TRUE(warned);
    EXPECT_NE(read_all(dir_->path / "out/summary.txt").find("inpatient_cap is not identified"),
              std::string::npos);
}

// --- durability and determinism ----------------------------------------------------------------

const std::vector<std::string> kCompared = {"summary.txt",    "calibration.json", "targets.csv",
                                            "parameters.csv", "waves.csv",        "draws.csv"};

/// A small calibration (2 waves, few points) run into `out`.
fs::path small_file(const fs::path& dir) {
    const fs::path file = dir / "small.yaml";
    std::ofstream(file) << recovery_file(
        {{"grassroots_share", 0.92}, {"visits_per_capita", 4.2}, {"admissions_per_100", 13.9}},
        "{waves: 2, points_per_wave: 10, replications: 3, fit_evaluations: 6, pool: 512}");
    return file;
}

void expect_same_files(const fs::path& a, const fs::path& b) {
    for (const auto& name : kCompared) {
        ASSERT_TRUE(fs::exists(a / name)) << name;
        EXPECT_EQ(read_all(a / name), read_all(b / name)) << name;
    }
    // calibrated.yaml names the base relative to its own directory; both are siblings here.
    EXPECT_EQ(read_all(a / "calibrated.yaml"), read_all(b / "calibrated.yaml"));
}

TEST(CalibrateRun, StopAndResumeGiveTheSameFilesAsOneRunAndThreadsDoNotMatter) {
    testing_support::TempDir dir("calibrate_resume");
    const fs::path file = small_file(dir.path);
    calibrate::run_calibration(options_for(file, dir.path / "once", 1));
    // Stop after wave 1, then again inside the best fit (stage 4 = its second evaluation).
    for (const int stop : {1, 4}) {
        auto o = options_for(file, dir.path / "resumed", 2);
        o.resume = stop > 1;
        o.stop_after_stage = stop;
        EXPECT_THROW(calibrate::run_calibration(o), calibrate::Stopped) << stop;
        EXPECT_FALSE(fs::exists(dir.path / "resumed/calibration.json"));
    }
    auto o = options_for(file, dir.path / "resumed", 2);
    o.resume = true;
    calibrate::run_calibration(o);
    expect_same_files(dir.path / "once", dir.path / "resumed");
    // Without --resume, a directory holding a calibration is refused.
    EXPECT_THROW(calibrate::run_calibration(options_for(file, dir.path / "once", 1)),
                 sweep::InputError);
}

TEST(CalibrateRun, CommandLineStopsWithThreeAndResumes) {
    testing_support::TempDir dir("calibrate_cli");
    const fs::path file = small_file(dir.path);
    const std::string base = std::string(CMASIM_BINARY) + " calibrate " + kTiny.string() + " " +
                             file.string() + " -q -t 2 --out " + (dir.path / "out").string();
    EXPECT_EQ(WEXITSTATUS(std::system((base + " --stop-after-stage 2 2>/dev/null").c_str())), 3);
    EXPECT_EQ(WEXITSTATUS(std::system((base + " 2>/dev/null").c_str())), 2);  // needs --resume
    EXPECT_EQ(WEXITSTATUS(std::system((base + " --resume 2>/dev/null").c_str())), 0);
    EXPECT_TRUE(fs::exists(dir.path / "out/calibrated.yaml"));
    EXPECT_EQ(WEXITSTATUS(std::system((std::string(CMASIM_BINARY) + " calibrate " + kTiny.string() +
                                       " " + file.string() + " -q --holdout beds_per_1000 --out " +
                                       (dir.path / "other").string() + " 2>/dev/null")
                                          .c_str())),
              2);
}

/// Runs `command` (a shell line) and returns its exit status.
int status(const std::string& command) {
    return WEXITSTATUS(std::system(command.c_str()));
}

TEST(CalibrateRun, ShardsAndMpiRanksGiveTheSameFilesAsOneProcess) {
    testing_support::TempDir dir("calibrate_shards");
    const fs::path file = small_file(dir.path);
    calibrate::run_calibration(options_for(file, dir.path / "once", 2));
    // `timeout`: a shard that failed would leave the other waiting for it.
    const std::string run = "timeout 300 " + std::string(CMASIM_BINARY) + " calibrate " +
                            kTiny.string() + " " + file.string() + " -q -t 1 --out ";
    const std::string two = run + (dir.path / "two").string() + " 2>/dev/null --shard ";
    EXPECT_EQ(status(two + "0/2 & p=$!; " + two + "1/2; b=$?; wait $p && [ $b -eq 0 ]"), 0);
    EXPECT_TRUE(fs::exists(dir.path / "two/.calibration/wave-1/shard-1"));
    expect_same_files(dir.path / "once", dir.path / "two");
    // A shard of another count cannot join the run.
    EXPECT_EQ(status(run + (dir.path / "two").string() + " --shard 0/3 2>/dev/null"), 2);
    if (status("command -v mpirun >/dev/null") != 0) GTEST_SKIP() << "no mpirun";
    EXPECT_EQ(status("mpirun --allow-run-as-root --oversubscribe -n 2 " + run +
                     (dir.path / "mpi").string() + " >/dev/null 2>&1"),
              0);
    EXPECT_TRUE(fs::exists(dir.path / "mpi/.calibration/wave-1/shard-1"));
    expect_same_files(dir.path / "once", dir.path / "mpi");
}

// --- invalid files -----------------------------------------------------------------------------

TEST(CalibrateFile, EachInvalidFileFailsWithALocatedMessageBeforeAnythingRuns) {
    testing_support::TempDir dir("calibrate_invalid");
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "tests/data/calibrate/invalid")) {
        const fs::path file = entry.path();
        SCOPED_TRACE(file.filename().string());
        ++checked;
        try {
            calibrate::run_calibration(options_for(file, dir.path / "out", 1));
            ADD_FAILURE() << "ran without error";
        } catch (const scenario::ScenarioError& e) {
            testing::expect_located(e.what(), file);
        }
        EXPECT_FALSE(fs::exists(dir.path / "out")) << "created the output directory";
    }
    EXPECT_GE(checked, 17u);
}

TEST(CalibrateFile, IntervalGivesTheStandardErrorAndHoldoutNamesATarget) {
    const auto spec = calibrate::load_calibration_string(
        "parameters: [{path: choice.b_time, bounds: [-0.03, -0.01]}]\n"
        "targets:\n  - {indicator: grassroots_share, value: 0.6, interval: [0.5608, 0.6392]}\n"
        "  - {indicator: visits_per_capita, value: 4, se: 0.1}\n",
        "inline.yaml");
    EXPECT_NEAR(spec.targets[0].se, 0.02, 1e-12);
    auto held = spec;
    calibrate::hold_out(held, {"visits_per_capita"});
    EXPECT_TRUE(held.targets[1].holdout);
    EXPECT_THROW(calibrate::hold_out(held, {"in_county_rate"}), scenario::ScenarioError);
    EXPECT_THROW(calibrate::hold_out(held, {"grassroots_share"}), scenario::ScenarioError);
}

// docs/calibration.md shows the reader's own table of keys (regenerate with
// `cmasim schema --calibration`), and the reader refuses a key outside it.
TEST(CalibrateFile, TheDocumentedKeysAreTheKeysTheReaderAccepts) {
    const std::string page = read_all(kSource / "docs/calibration.md");
    const std::string begin = "<!-- calibration-file-reference: begin -->\n";
    const auto from = page.find(begin);
    const auto to = page.find("<!-- calibration-file-reference: end -->");
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(page.substr(from + begin.size(), to - from - begin.size()),
              calibrate::reference_markdown())
        << "regenerate: build/release/src/cmasim schema --calibration";
    for (const auto& k : calibrate::file_keys()) {
        EXPECT_NE(calibrate::reference_markdown().find(k.key), std::string::npos) << k.key;
    }
    EXPECT_THROW(calibrate::load_calibration_string(
                     "parameters: [{path: choice.b_time, bounds: [0, 1], scale: log}]\n"
                     "targets: [{indicator: grassroots_share, value: 0.6, se: 0.02}]\n",
                     "inline.yaml"),
                 scenario::ScenarioError);
}

}  // namespace
}  // namespace cmasim
