// cmasim compare BASE WHATIF...: every scenario run with the same seed and replication numbers,
// so replication r of each sees the same patients (common random numbers), and each what-if is
// reported as a paired difference from the base. --independent gives each what-if its own
// streams instead (Welch intervals), to show what common random numbers buy.
#include <spdlog/spdlog.h>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/scenario/loader.h"
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
};

/// Seed offset for --independent: far from any seed a user would pick next to the base's.
constexpr std::uint64_t kIndependentSeedStride = 1'000'003;

int run_compare(const CompareArgs& a) {
    scenario::LoadOptions opt;
    opt.known_indicators = indicators::keys();
    std::vector<scenario::Scenario> scenarios;
    for (const auto& f : a.files) scenarios.push_back(scenario::load_scenario(f, opt));
    const int reps = a.replications > 0 ? a.replications : scenarios[0].replications;
    const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : scenarios[0].seed;
    const int threads = util::worker_threads(a.threads);
    std::vector<report::ScenarioRun> runs;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        auto& s = scenarios[k];
        s.seed = a.independent ? seed + kIndependentSeedStride * k : seed;
        spdlog::info("running {} ({} replications, seed {})", a.files[k], reps, s.seed);
        const model::County county = model::compile_county(s);
        model::RunOptions ro;
        ro.replications = reps;
        ro.threads = threads;
        runs.push_back({fs::path(a.files[k]).stem().string(), a.files[k], s.seed,
                        model::run_replications(county, ro), s.targets});
    }
    const report::Comparison c = report::compare_runs(runs, !a.independent);
    std::cout << "cmasim compare: " << runs.size() - 1 << " what-if scenario(s) against "
              << runs[0].label << ", " << reps << " replications, seed " << seed << "\n";
    report::print_comparison(std::cout, c);
    const fs::path out =
        a.out.empty() ? fs::path("out") / ("compare_" + runs[0].label) : fs::path(a.out);
    report::write_comparison(out, c);
    spdlog::info("wrote {}/compare.json and compare.csv", out.string());
    return 0;
}

}  // namespace

Command add_compare(CLI::App& parent) {
    auto args = std::make_shared<CompareArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "compare", "Compare what-if scenarios with a base (paired, common random numbers)");
    c.app->add_option("scenarios", args->files, "BASE then one or more WHATIF scenario files")
        ->required()
        ->expected(2, -1);
    c.app->add_option("--replications,-r", args->replications, "Replications (default: the base's)")
        ->check(CLI::Range(2, 100000));
    c.app->add_option("--seed", args->seed, "Seed (default: the base's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    c.app->add_option("--threads,-t", args->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.app->add_option("--out,-o", args->out, "Output directory (default: out/compare_<base>)");
    c.app->add_flag("--independent", args->independent,
                    "Independent streams per scenario (Welch) instead of common random numbers");
    c.run = [args] { return run_compare(*args); };
    return c;
}

}  // namespace cmasim::cli
