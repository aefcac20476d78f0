// cmasim calibrate before and after a reform (docs/calibration.md, "Before and after a reform"):
// the tiny county with a reform switched on half-way by its timeline. "Observed" values are
// simulated at known parameter values for both periods; the calibration sees the before period
// only, from wide bounds, and must predict the after period: the true after-values lie inside
// the predictions, and an after-observation moved far away is reported outside. Also: stopped
// and resumed on another thread count, the same files; a reform the timeline lacks is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "calibrate_support.h"
#include "cmasim/calibrate/calibrate.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/stats.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/scenarios.h"
#include "temp_dir.h"

namespace cmasim {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kSource = CMASIM_SOURCE_DIR;
const fs::path kReform = kSource / "tests/data/calibrate/tiny_reform.yaml";

using testing_support::read_all;

/// The truth: the minor illness rate and the county hospital's level constant.
const std::vector<std::string> kTruth = {"conditions[minor_acute].episodes_per_person_year=3",
                                         "choice.level_constant.county=0.4"};

/// Observed values per period ("before", "after") and of the change, from 16 replications
/// at the truth with a seed the calibration does not use (the observation has its own noise).
std::map<std::string, double> observed_at_truth() {
    std::map<std::string, std::vector<double>> values;
    for (const auto& r : testing_support::observed_runs(kReform, kTruth)) {
        const auto periods = model::period_indicators(r);
        for (const char* k : {"grassroots_share", "visits_per_capita"}) {
            values[std::string(k) + " before"].push_back(periods.at(0).values.at(k));
            values[std::string(k) + " after"].push_back(periods.at(1).values.at(k));
            values[std::string(k) + " change"].push_back(periods.at(1).values.at(k) -
                                                         periods.at(0).values.at(k));
        }
    }
    std::map<std::string, double> out;
    for (const auto& [k, v] : values) out[k] = report::estimate(v).mean;
    return out;
}

/// Calibrated on the before period; three after-targets: the true grassroots share after the
/// reform and its true change (both must be covered), and visits per resident after the reform
/// moved 25% above the truth (must be reported outside: the check can fail).
std::string reform_file(const std::map<std::string, double>& obs, const std::string& method) {
    std::ostringstream f;
    f << "name: tiny reform\nreform: county_outpatient_cover\nparameters:\n"
      << "  - {path: \"conditions[minor_acute].episodes_per_person_year\", name: minor_rate, "
         "bounds: [1.5, 6]}\n"
      << "  - {path: choice.level_constant.county, name: county_constant, bounds: [-1.5, 1.5]}\n"
      << "targets:\n"
      << "  - {indicator: grassroots_share, period: before, se: 0.005, value: "
      << obs.at("grassroots_share before") << "}\n"
      << "  - {indicator: visits_per_capita, period: before, se: 0.08, value: "
      << obs.at("visits_per_capita before") << "}\n"
      << "  - {indicator: grassroots_share, period: after, se: 0.005, value: "
      << obs.at("grassroots_share after") << "}\n"
      << "  - {indicator: grassroots_share, period: after, measure: change, se: 0.005, value: "
      << obs.at("grassroots_share change") << "}\n"
      << "  - {indicator: visits_per_capita, period: after, se: 0.08, value: "
      << 1.25 * obs.at("visits_per_capita after") << "}\n"
      << "method: " << method << "\n";
    return f.str();
}

calibrate::CalibrationOptions options_for(const fs::path& file, const fs::path& out, int threads) {
    return testing_support::calibration_options(kReform, file, out, threads);
}

const char* const kMethod =
    "{waves: 2, points_per_wave: 16, replications: 4, fit_evaluations: 8, pool: 1024, seed: 1}";

class Reform : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing_support::TempDir("calibrate_reform");
        observed_ = observed_at_truth();
        std::ofstream(dir_->path / "reform.yaml") << reform_file(observed_, kMethod);
        calibrate::run_calibration(options_for(dir_->path / "reform.yaml", dir_->path / "out", 2));
        result_ = Json::parse(read_all(dir_->path / "out/calibration.json"));
    }
    static void TearDownTestSuite() { delete dir_; }
    static const Json& target(std::size_t i) { return result_["targets"][i]; }
    static testing_support::TempDir* dir_;
    static std::map<std::string, double> observed_;
    static Json result_;
};
testing_support::TempDir* Reform::dir_ = nullptr;
std::map<std::string, double> Reform::observed_;
Json Reform::result_;

TEST_F(Reform, TheReformMovesTheIndicatorTheCalibrationMustPredict) {
    // Reimbursing the county hospital's outpatients draws visits away from the grassroots: a
    // prediction that ignored the reform (the before value) would miss the after value.
    EXPECT_LT(observed_.at("grassroots_share change"), -0.03);
    EXPECT_EQ(result_["reform"], "county_outpatient_cover");
    EXPECT_EQ(target(0)["role"], "fit");
    EXPECT_EQ(target(2)["role"], "after");
    EXPECT_EQ(target(3)["measure"], "change");
}

TEST_F(Reform, AfterPredictionsFromTheBeforePeriodCoverTheTrueAfterValues) {
    for (const std::size_t i : {2u, 3u}) {
        const Json& t = target(i);
        SCOPED_TRACE(t.dump());
        const double low = t["predicted_low"].get<double>(),
                     high = t["predicted_high"].get<double>();
        EXPECT_LT(low, high);
        EXPECT_GE(t["observed"].get<double>(), low);
        EXPECT_LE(t["observed"].get<double>(), high);
        EXPECT_EQ(t["coverage"], "inside");
    }
    // The predicted change has the reform's sign, and the before value is not a prediction.
    EXPECT_LT(target(3)["predicted_high"].get<double>(), 0);
    EXPECT_GT(observed_.at("grassroots_share before"), target(2)["predicted_high"].get<double>());
    // The before-targets were fitted: the best fit reproduces them.
    for (const std::size_t i : {0u, 1u}) EXPECT_LT(std::abs(target(i)["z"].get<double>()), 2.0);
}

TEST_F(Reform, AnAfterObservationFarFromThePredictionIsReportedOutside) {
    const Json& t = target(4);
    EXPECT_EQ(t["role"], "after");
    EXPECT_GT(t["observed"].get<double>(), t["predicted_high"].get<double>());
    EXPECT_EQ(t["coverage"], "outside");
    const std::string csv = read_all(dir_->path / "out/targets.csv");
    EXPECT_NE(csv.find("visits_per_capita,after,after,"), std::string::npos);
    EXPECT_NE(read_all(dir_->path / "out/summary.txt").find("observed outside"), std::string::npos);
}

TEST_F(Reform, StoppedAndResumedOnOneThreadGivesTheSameFiles) {
    auto o = options_for(dir_->path / "reform.yaml", dir_->path / "resumed", 1);
    o.stop_after_stage = 1;
    EXPECT_THROW(calibrate::run_calibration(o), calibrate::Stopped);
    o.stop_after_stage = 0;
    o.resume = true;
    calibrate::run_calibration(o);
    for (const char* name : {"summary.txt", "calibration.json", "targets.csv", "parameters.csv",
                             "waves.csv", "draws.csv", "calibrated.yaml"})
        EXPECT_EQ(read_all(dir_->path / "out" / name), read_all(dir_->path / "resumed" / name))
            << name;
}

TEST(ReformFile, AReformTheTimelineLacksIsRefusedAtItsLine) {
    testing_support::TempDir dir("calibrate_reform_name");
    std::ofstream(dir.path / "bad.yaml")
        << "reform: county_outpatient_covr\n"
        << "parameters: [{path: choice.level_constant.county, bounds: [-1, 1]}]\n"
        << "targets:\n  - {indicator: grassroots_share, period: before, value: 0.9, se: 0.01}\n";
    try {
        calibrate::run_calibration(options_for(dir.path / "bad.yaml", dir.path / "out", 1));
        ADD_FAILURE() << "ran";
    } catch (const scenario::ScenarioError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("bad.yaml:1:9: reform: the scenario's timeline has no entry"),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("county_outpatient_cover"), std::string::npos) << what;
    }
    EXPECT_FALSE(fs::exists(dir.path / "out"));
}

}  // namespace
}  // namespace cmasim
