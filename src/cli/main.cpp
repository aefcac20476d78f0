// cmasim: a thin command line over the library. Exit codes: 0 success, 2 bad input or usage,
// 1 a failure during the run.
#include <unistd.h>
#include <algorithm>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cmasim/calibrate/draws.h"
#include "cmasim/calibrate/spec.h"
#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/runner.h"
#include "cmasim/model/trace.h"
#include "cmasim/report/manifest.h"
#include "cmasim/report/output_dir.h"
#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/schema.h"
#include "cmasim/sweep/scenarios.h"
#include "cmasim/util/atomic_file.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

namespace {

namespace fs = std::filesystem;
using namespace cmasim;

constexpr int kExitRunFailure = 1;
constexpr int kExitBadInput = 2;

/// Bad input the user can fix: printed as is, exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct RunArgs {
    std::string scenario;
    std::vector<std::string> overrides;  // --set key.path=value
    int replications = 0;                // 0 = from the file
    std::int64_t seed = -1;              // -1 = from the file
    int threads = 0;                     // 0 = all cores
    std::string out;
    std::string trace;
    bool quiet = false;
    bool force = false;  // replace an --out that holds something else
    bool csv_bom = false;
    std::string draws;  // a calibration's draws.csv: replication r runs draw r mod D
};

scenario::Scenario load(const std::string& file, const std::vector<std::string>& overrides = {}) {
    auto s = scenario::load_scenario(file, sweep::load_options(overrides));
    spdlog::info("loaded {}: {} villages, {} facilities, {} conditions", file, s.villages.size(),
                 s.facilities.size(), s.conditions.size());
    return s;
}

/// A progress line on stderr, only when stderr is a terminal (never in logs or CI).
std::function<void(int, int)> progress_printer(bool quiet) {
    if (quiet || !isatty(STDERR_FILENO)) return {};
    auto start =
        std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    return [start](int done, int total) {
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
        const double eta = done > 0 ? secs / done * (total - done) : 0;
        std::fprintf(stderr, "\r  replications %d/%d  %.1f s elapsed  ETA %.0f s   ", done, total,
                     secs, eta);
        if (done == total) std::fprintf(stderr, "\n");
    };
}

void write_trace(const model::County& county, const std::string& path) {
    model::MetricsCollector metrics(county);
    model::TraceRecorder trace(county);
    model::ObserverList both;
    both.add(metrics);
    both.add(trace);
    model::simulate_replication(county, 0, both);
    std::ofstream out(path);
    if (!out) throw UsageError("cannot write trace file '" + path + "'");
    trace.write(out);
    spdlog::info("wrote trace of replication 0 ({} lines) to {}", trace.lines().size(), path);
}

/// Runs the replications on `threads` threads, logging the events simulated and their rate.
std::vector<indicators::ReplicationResult> simulate(const model::County& county, int replications,
                                                    int threads, bool quiet) {
    model::RunOptions opt;
    opt.replications = replications;
    opt.threads = threads;
    opt.progress = progress_printer(quiet);
    const auto t0 = std::chrono::steady_clock::now();
    auto results = model::run_replications(county, opt);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::uint64_t events = 0;
    std::uint64_t peak = 0;
    for (const auto& r : results) {
        events += r.events;
        peak = std::max(peak, r.peak_patients);
    }
    spdlog::info(
        "simulated {} events in {:.3f} s ({:.2f} M events/s); at most {} patients in the system at "
        "once",
        events, secs, static_cast<double>(events) / secs / 1e6, peak);
    return results;
}

/// What runs the replications of `s` on a number of threads: plainly, or with --draws each
/// replication's draw. Every draw is loaded here, before anything runs, so a bad draws file
/// fails in seconds.
std::function<std::vector<indicators::ReplicationResult>(int)> replications_of(
    const RunArgs& a, const scenario::Scenario& s, const model::County& county) {
    if (a.draws.empty()) {
        return [&county, &s, quiet = a.quiet](int threads) {
            return simulate(county, s.replications, threads, quiet);
        };
    }
    const auto draws = calibrate::load_draws(a.draws);
    calibrate::warn_if_uneven(draws, s.replications);
    auto drawn = std::make_shared<std::vector<scenario::Scenario>>(
        calibrate::draw_scenarios(draws, a.scenario, a.overrides, s.replications));
    return [drawn, &s](int threads) {
        return calibrate::run_with_draws(*drawn, s.replications, s.seed, threads);
    };
}

int cmd_run(const RunArgs& a) {
    const auto t0 = std::chrono::steady_clock::now();
    report::RunRecord record{
        "run", cli::provenance(util::worker_threads(a.threads)), {}, 0, 0, report::utc_timestamp(),
        0};
    scenario::Scenario s = load(a.scenario, a.overrides);
    if (a.replications > 0) s.replications = a.replications;
    if (a.seed >= 0) s.seed = static_cast<std::uint64_t>(a.seed);
    const model::County county = model::compile_county(s);
    const auto replicate = replications_of(a, s, county);
    // Check the output directory before spending minutes on the run.
    const fs::path out =
        a.out.empty() ? fs::path("out") / fs::path(a.scenario).stem() : fs::path(a.out);
    report::StagedDirectory dir(out, "run", a.force);
    record.scenarios = {
        {a.scenario, scenario::scenario_sha256(a.scenario, sweep::load_options(a.overrides))}};
    record.seed = s.seed;
    record.replications = s.replications;
    spdlog::info("running {} replications of {} ({} residents) on {} threads, seed {}",
                 s.replications, s.name, county.population, record.provenance.threads, s.seed);
    if (!a.trace.empty()) write_trace(county, a.trace);
    const auto results = replicate(record.provenance.threads);

    const report::Summary summary = report::summarise(
        report::run_info(s, a.scenario, record.scenarios[0].sha256), results, s.targets);
    report::print_table(std::cout, summary);
    report::write_outputs(dir.path(), summary, results, a.csv_bom);
    record.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    util::write_file_atomically(dir.path() / "manifest.json", report::manifest_json(record));
    dir.commit();
    spdlog::info(
        "wrote {}/summary.json, replications.csv, townships.csv, months.csv, facilities.csv, "
        "conditions.csv, levels.csv, manifest.json",
        out.string());
    return 0;
}

int cmd_validate(const std::string& file, const std::vector<std::string>& overrides) {
    const scenario::Scenario s = load(file, overrides);
    const model::County county = model::compile_county(s);
    std::cout << file << ": OK — " << s.name << ": " << county.population << " residents, "
              << county.townships.size() << " townships, " << county.villages.size()
              << " villages, " << county.facilities.size() << " facilities, "
              << county.conditions.size() << " conditions\n";
    return 0;
}

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_color_mt("cmasim");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("[%l] %v");
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off")
        throw UsageError("unknown --log-level '" + level + "'");
    spdlog::set_level(lvl);
}

cli::Command add_run(CLI::App& app) {
    auto run = std::make_shared<RunArgs>();
    auto* cmd = app.add_subcommand("run", "Simulate a scenario and print its report");
    cmd->add_option("scenario", run->scenario, "Scenario YAML file")->required();
    cmd->add_option("--replications,-r", run->replications, "Replications (default: the file's)")
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--seed", run->seed, "Seed (default: the file's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    cmd->add_option("--threads,-t", run->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--out,-o", run->out, "Output directory (default: out/<scenario name>)");
    cmd->add_option("--trace", run->trace,
                    "Write a patient-level trace of replication 0 to this file");
    cmd->add_flag("--quiet,-q", run->quiet, "No progress line");
    cmd->add_flag("--force", run->force,
                  "Replace an --out directory that holds something other than a run's output");
    cmd->add_flag("--csv-bom", run->csv_bom,
                  "Start each CSV file with a UTF-8 byte order mark (for Excel; docs/report.md)");
    cmd->add_option("--set", run->overrides,
                    "Override a scenario value: key.path=value (repeatable)");
    cmd->add_option("--draws", run->draws,
                    "A calibration's draws.csv: replication r runs with draw r mod D, so the "
                    "intervals carry the calibration's uncertainty (docs/calibration.md)");
    return {cmd, [run] { return cmd_run(*run); }};
}

/// A subcommand taking a scenario file and --set overrides, run by `action`.
cli::Command add_scenario_command(
    CLI::App& app, const char* name, const char* description,
    std::function<int(const std::string&, const std::vector<std::string>&)> action) {
    struct Args {
        std::string file;
        std::vector<std::string> overrides;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(name, description);
    cmd->add_option("scenario", args->file, "Scenario YAML file")->required();
    cmd->add_option("--set", args->overrides,
                    "Override a scenario value: key.path=value (repeatable)");
    return {cmd, [args, action] { return action(args->file, args->overrides); }};
}

int cmd_resolve(const std::string& file, const std::vector<std::string>& overrides) {
    // Check it loads, so that resolve never prints a scenario that would be rejected.
    load(file, overrides);
    std::cout << scenario::resolve_scenario_yaml(file, sweep::load_options(overrides));
    return 0;
}

cli::Command add_schema(CLI::App& app) {
    auto* cmd = app.add_subcommand("schema", "Print the scenario file reference (Markdown)");
    auto calibration = std::make_shared<bool>(false);
    cmd->add_flag("--calibration", *calibration,
                  "Print the calibration file's keys instead (docs/calibration.md)");
    return {cmd, [calibration] {
                std::cout << (*calibration ? calibrate::reference_markdown()
                                           : scenario::schema_reference_markdown());
                return 0;
            }};
}

cli::Command add_indicators(CLI::App& app) {
    auto* cmd =
        app.add_subcommand("indicators", "Print the table of reported indicators (Markdown)");
    return {cmd, [] {
                std::cout << indicators::reference_markdown();
                return 0;
            }};
}

/// Runs the subcommand given; the exit code.
int run_chosen(const std::vector<cli::Command>& commands, const std::string& log_level) {
    try {
        setup_logging(log_level);
        for (const cli::Command& c : commands) {
            if (*c.app) return c.run();
        }
    } catch (const scenario::ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return kExitBadInput;
    } catch (const UsageError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const report::OutputDirError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "error during the run: " << e.what() << "\n";
        return kExitRunFailure;
    }
    return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
    cli::record_command_line(argc, argv);
    CLI::App app{"cmasim " CMASIM_VERSION " — county medical alliance simulator"};
    app.require_subcommand(1);
    app.set_version_flag(
        "--version", [] { return report::version_text(report::build_info()); },
        "Print the version, commit, compiler and build type, then exit");
    std::string log_level = "warn";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")
        ->capture_default_str();
    // In the order `cmasim --help` lists them.
    const std::vector<cli::Command> commands = {
        add_run(app),
        add_scenario_command(app, "validate", "Check a scenario file without running it",
                             cmd_validate),
        add_scenario_command(app, "resolve", "Print a scenario with extends: and --set applied",
                             cmd_resolve),
        cli::add_compare(app),
        cli::add_report(app),
        add_schema(app),
        add_indicators(app),
        cli::add_analyze(app),
        cli::add_sweep(app),
        cli::add_merge(app),
        cli::add_calibrate(app),
        cli::add_check(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kExitBadInput;
    }
    return run_chosen(commands, log_level);
}
