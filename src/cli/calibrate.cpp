// cmasim calibrate SCENARIO CALIBRATION.yaml --out DIR: history matching in waves and a best fit
// (src/calibrate, docs/calibration.md). Every wave and best-fit evaluation is a journaled sweep
// in DIR/.calibration/, so --resume continues a killed run and gives the same files.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cmasim/calibrate/calibrate.h"
#include "cmasim/sweep/directory.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

namespace cmasim::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kExitBadInput = 2;
/// --stop-after-stage ended the run early, as asked: neither success nor failure.
constexpr int kExitStopped = 3;

struct CalibrateArgs {
    std::string scenario;
    std::string file;
    std::string out;
    int threads = 0;
    bool resume = false;
    bool quiet = false;
    std::vector<std::string> holdout;
    int stop_after_stage = 0;
};

int run_calibrate(const CalibrateArgs& a) {
    calibrate::CalibrationOptions o;
    o.scenario = a.scenario;
    o.calibration_file = a.file;
    o.out = a.out.empty() ? fs::path("out") / ("calibrate_" + fs::path(a.file).stem().string())
                          : fs::path(a.out);
    o.threads = util::worker_threads(a.threads);
    o.resume = a.resume;
    o.progress = !a.quiet;
    o.holdout = a.holdout;
    o.stop_after_stage = a.stop_after_stage;
    o.provenance = provenance(o.threads);
    try {
        const auto r = calibrate::run_calibration(o);
        std::ifstream summary(o.out / "summary.txt");
        if (!a.quiet) std::cout << summary.rdbuf();
        std::cerr << "calibrate: " << r.waves << " waves, " << r.fit_evaluations
                  << " best-fit evaluations, " << r.tasks << " replications (" << r.county_years
                  << " county-years) in " << static_cast<long long>(r.seconds + 0.5)
                  << " s this session; wrote " << o.out.string() << "/\n";
        return 0;
    } catch (const sweep::InputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const calibrate::Stopped& e) {
        std::cerr << "calibrate: " << e.what() << "\n";
        return kExitStopped;
    }
}

}  // namespace

Command add_calibrate(CLI::App& parent) {
    auto a = std::make_shared<CalibrateArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "calibrate", "Fit free parameters to observed indicators (history matching, best fit)");
    c.app->add_option("scenario", a->scenario, "Scenario file to calibrate")->required();
    c.app->add_option("calibration_file", a->file, "Calibration YAML (docs/calibration.md)")
        ->required();
    c.app->add_option("--out,-o", a->out,
                      "Output directory (new or empty; with --resume, the run to continue)");
    c.app->add_option("--threads,-t", a->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.app->add_flag("--resume", a->resume, "Continue the calibration in --out");
    c.app->add_option("--holdout", a->holdout,
                      "Hold out the target of this indicator (repeatable): not fitted, reported "
                      "with its predicted interval");
    c.app->add_flag("--quiet,-q", a->quiet, "No progress and no summary on stdout");
    c.app
        ->add_option("--stop-after-stage", a->stop_after_stage,
                     "Stop (exit 3) after this many stages (waves, then best-fit evaluations); "
                     "for testing --resume")
        ->check(CLI::Range(1, 1'000'000));
    c.run = [a] { return run_calibrate(*a); };
    return c;
}

}  // namespace cmasim::cli
