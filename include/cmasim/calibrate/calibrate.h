// `cmasim calibrate SCENARIO CALIBRATION.yaml --out DIR`: history matching in waves (each wave a
// sweep of the scenario with common random numbers, journaled and resumable like any sweep),
// a Gaussian-process emulator per target, then a best fit on simulated points
// (docs/calibration.md). Every file DIR receives is byte-identical whatever the threads and
// however often the run was killed and resumed, except timing.json.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmasim/report/manifest.h"
#include "cmasim/sweep/outputs.h"

namespace cmasim::calibrate {

struct CalibrationOptions {
    std::filesystem::path scenario;
    std::filesystem::path calibration_file;
    std::filesystem::path out;
    int threads = 1;
    bool resume = false;
    bool progress = true;
    std::vector<std::string> holdout;  ///< indicators to hold out besides the file's
    /// Stop (throw Stopped) after this many stages have run, each wave and each best-fit
    /// evaluation being one stage; 0: never. Lets a test interrupt a run at a known place.
    int stop_after_stage = 0;
    /// Run only this slice of every stage's tasks. The shards of one calibration share `out`
    /// (one file system) and run at once: each journals its slice of a stage, waits until every
    /// shard's slice is done, reads them all and computes the next stage as the others do, so
    /// the files are the same for any shard count; only shard 0 writes them.
    sweep::Shard shard;
    report::Provenance provenance;
};

/// What a finished calibration did (for the command line's closing lines).
struct CalibrationReport {
    int waves = 0;
    int fit_evaluations = 0;
    std::uint64_t tasks = 0;         ///< replications simulated over every session
    double county_years = 0;         ///< tasks x (warm-up + horizon) / 365
    double seconds = 0;              ///< this session's wall time
    std::vector<std::string> files;  ///< written into options.out
};

/// The run stopped early as options.stop_after_stage asked; --resume continues it.
struct Stopped : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Runs (or, with options.resume, continues) the calibration and writes its files. Throws
/// scenario::ScenarioError (bad file or parameter value), sweep::InputError (directory
/// problems), Stopped, std::exception (a failure during the run; finished stages stay
/// journaled for --resume).
CalibrationReport run_calibration(const CalibrationOptions& options);

}  // namespace cmasim::calibrate
