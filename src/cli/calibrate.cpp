// cmasim calibrate SCENARIO CALIBRATION.yaml --out DIR: history matching in waves and a best fit
// (src/calibrate, docs/calibration.md). Every wave and best-fit evaluation is a journaled sweep
// in DIR/.calibration/, so --resume continues a killed run and gives the same files.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

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
    std::string shard;  // i/N; under mpirun the rank and size give it
};

/// Under mpirun (OpenMPI) or another PMI launcher, this process's rank/size as a shard: the
/// ranks of a calibration work as its shards, meeting in the shared --out directory (no MPI
/// message is needed, so MPI is not initialised). Nothing outside a launcher.
std::optional<sweep::Shard> launcher_shard() {
    for (const auto& [rank, size] : {std::pair{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                                     std::pair{"PMI_RANK", "PMI_SIZE"}}) {
        const char* r = std::getenv(rank);
        const char* n = std::getenv(size);
        if (r != nullptr && n != nullptr)
            return sweep::parse_shard(std::string(r) + "/" + std::string(n));
    }
    return std::nullopt;
}

/// --shard, or the launcher's rank and size; both at once is refused.
sweep::Shard shard_of(const CalibrateArgs& a) {
    const auto launched = launcher_shard();
    if (launched && !launched->whole() && !a.shard.empty())
        throw sweep::InputError("--shard " + a.shard + " under mpirun: give one or the other");
    if (!a.shard.empty()) return sweep::parse_shard(a.shard);
    return launched.value_or(sweep::Shard{});
}

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
        o.shard = shard_of(a);
        const auto r = calibrate::run_calibration(o);
        if (o.shard.index != 0) {
            std::cerr << "calibrate: shard " << o.shard.to_string() << " done; shard 0 writes "
                      << o.out.string() << "/\n";
            return 0;
        }
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
    c.app->add_option("--shard", a->shard,
                      "i/N: run slice i of every stage, with the other shards running at once on "
                      "the same --out (shared file system); the files are the same for any N");
    c.app
        ->add_option("--stop-after-stage", a->stop_after_stage,
                     "Stop (exit 3) after this many stages (waves, then best-fit evaluations); "
                     "for testing --resume")
        ->check(CLI::Range(1, 1'000'000));
    c.run = [a] { return run_calibrate(*a); };
    return c;
}

}  // namespace cmasim::cli
