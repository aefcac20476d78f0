// What the calibration tests share (tests/test_calibrate.cpp, tests/test_calibrate_reform.cpp):
// a file's bytes and the options of a quiet calibration run.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cmasim/calibrate/calibrate.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/sweep/scenarios.h"

namespace cmasim::testing_support {

inline std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A calibration of `scenario` with `file` into `out` on `threads` threads, without progress.
inline calibrate::CalibrationOptions calibration_options(const std::filesystem::path& scenario,
                                                         const std::filesystem::path& file,
                                                         const std::filesystem::path& out,
                                                         int threads) {
    calibrate::CalibrationOptions o;
    o.scenario = scenario;
    o.calibration_file = file;
    o.out = out;
    o.threads = threads;
    o.progress = false;
    return o;
}

/// The "observed" county: `scenario` at the true values `truth` (as --set writes them), 16
/// replications with seed 99, which no calibration uses, so the observation has its own noise.
inline std::vector<indicators::ReplicationResult> observed_runs(
    const std::filesystem::path& scenario, const std::vector<std::string>& truth) {
    scenario::Scenario s = sweep::load_scenario_source(scenario, {}, sweep::load_options(truth));
    s.seed = 99;
    const model::County county = model::compile_county(s);
    model::RunOptions o;
    o.replications = 16;
    o.threads = 2;
    return model::run_replications(county, o);
}

}  // namespace cmasim::testing_support
