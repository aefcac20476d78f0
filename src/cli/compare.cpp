// cmasim compare BASE WHATIF...: every scenario run with the same seed and replication numbers,
// so replication r of each sees the same patients (common random numbers), and each what-if is
// reported as a paired difference from the base. --independent gives each what-if its own
// streams instead (Welch intervals), to show what common random numbers buy.
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cmasim/calibrate/draws.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/report/manifest.h"
#include "cmasim/report/output_dir.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/sweep/scenarios.h"
#include "cmasim/util/atomic_file.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

namespace cmasim::cli {
namespace {

namespace fs = std::filesystem;

struct CompareArgs {
    std::vector<std::string> files;
    int replications = 0;
    std::int64_t seed = -1;
    int threads = 0;
    std::string out;
    bool independent = false;
    bool force = false;  // replace an --out that holds something else
    bool csv_bom = false;
    bool periods = false;  // the periods of one scenario's timeline instead of scenarios
    std::string draws;  // a calibration's draws.csv: replication r of every arm runs draw r mod D
};

/// The scenarios as given, each with its hash (the manifest's and compare.json's record).
std::vector<sweep::LabelledScenario> load_all(const CompareArgs& a) {
    std::vector<sweep::LabelledScenario> scenarios;
    const scenario::LoadOptions options = sweep::load_options();
    for (const auto& f : a.files) {
        scenarios.push_back({fs::path(f).stem().string(), f, scenario::load_scenario(f, options),
                             scenario::scenario_sha256(f, options)});
    }
    return scenarios;
}

int run_compare(const CompareArgs& a) {
    const auto t0 = std::chrono::steady_clock::now();
    sweep::ComparisonOptions o;
    if (a.replications > 0) o.replications = a.replications;
    if (a.seed >= 0) o.seed = static_cast<std::uint64_t>(a.seed);
    o.threads = util::worker_threads(a.threads);
    o.independent = a.independent;
    report::RunRecord record{"compare", provenance(o.threads),   {}, 0,
                             0,         report::utc_timestamp(), 0};
    std::vector<sweep::LabelledScenario> scenarios = load_all(a);
    for (const auto& s : scenarios) record.scenarios.push_back({s.file, s.sha256});
    // Check the output directory before spending minutes on the runs.
    const fs::path out =
        a.out.empty() ? fs::path("out") / ("compare_" + scenarios[0].label) : fs::path(a.out);
    report::StagedDirectory dir(out, "compare", a.force);
    const sweep::ComparisonRun run =
        !a.draws.empty()
            ? calibrate::compare_with_draws(scenarios, o, calibrate::load_draws(a.draws))
        : a.periods ? sweep::compare_periods(std::move(scenarios[0]), o)
                    : sweep::run_comparison(std::move(scenarios), o);
    const report::Comparison& c = run.comparison;
    record.seed = run.seed;
    record.replications = run.replications;
    std::cout << "cmasim compare: " << c.labels.size() - 1
              << (a.periods ? " later period(s) against the first, "
                            : " what-if scenario(s) against ")
              << c.labels[0] << ", " << run.replications << " replications, seed " << run.seed
              << (a.draws.empty() ? "" : ", parameter draws from " + a.draws) << "\n";
    report::print_comparison(std::cout, c);
    report::write_comparison(dir.path(), c, a.csv_bom);
    record.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    util::write_file_atomically(dir.path() / "manifest.json", report::manifest_json(record));
    dir.commit();
    spdlog::info("wrote {}/compare.json, compare.csv and manifest.json", out.string());
    return 0;
}

constexpr const char* kDrawsHelp =
    "A calibration's draws.csv: replication r of every scenario runs with draw r mod D (the same "
    "draw in every arm), so the differences carry the calibration's uncertainty "
    "(docs/calibration.md)";

}  // namespace

Command add_compare(CLI::App& parent) {
    auto args = std::make_shared<CompareArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "compare", "Compare what-if scenarios with a base (paired, common random numbers)");
    c.app
        ->add_option("scenarios", args->files,
                     "BASE then one or more WHATIF scenario files (one file with --periods)")
        ->required()
        ->expected(1, -1);
    c.app->add_option("--replications,-r", args->replications, "Replications (default: the base's)")
        ->check(CLI::Range(2, 100000));
    c.app->add_option("--seed", args->seed, "Seed (default: the base's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    c.app->add_option("--threads,-t", args->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.app->add_option("--out,-o", args->out, "Output directory (default: out/compare_<base>)");
    c.app->add_flag("--independent", args->independent,
                    "Independent streams per scenario (Welch) instead of common random numbers");
    c.app->add_flag("--force", args->force,
                    "Replace an --out directory that holds something other than a comparison");
    c.app->add_flag("--csv-bom", args->csv_bom,
                    "Start compare.csv with a UTF-8 byte order mark (for Excel; docs/report.md)");
    auto* periods =
        c.app->add_flag("--periods", args->periods,
                        "Compare the periods of one scenario's policy timeline (each against the "
                        "first, paired by replication) instead of scenarios");
    c.app->add_option("--draws", args->draws, kDrawsHelp)->excludes(periods);
    c.run = [args] {
        if (args->periods != (args->files.size() == 1)) {
            throw CLI::ValidationError(args->periods
                                           ? "--periods takes exactly one scenario file"
                                           : "compare needs BASE and at least one WHATIF (or "
                                             "one file with --periods)");
        }
        return run_compare(*args);
    };
    return c;
}

}  // namespace cmasim::cli
