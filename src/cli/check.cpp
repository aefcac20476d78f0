// cmasim check [SCENARIO|DIR]... --baseline DIR: regression check of scenario outputs against
// stored baselines, for CI. Each county indicator's replication values are compared with the
// baseline's by Welch's t-test, Holm-corrected per scenario (docs/ci.md); --exact compares a
// fingerprint of all outputs instead. Exit 0: nothing drifted and no enforced target missed;
// 1: something did; 2: bad input (missing or mismatched baseline, unreadable scenario).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cmasim/check/check.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/manifest.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/util/atomic_file.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

namespace cmasim::cli {
namespace {

namespace fs = std::filesystem;

struct CheckArgs {
    std::vector<std::string> paths;
    std::string baseline_dir;
    bool update = false;
    bool exact = false;
    int replications = 0;
    double horizon_days = 0;
    std::int64_t seed = -1;
    double alpha = 0.01;
    double tolerance = 0.001;
    std::string targets = "enforce";
    std::string junit;
    std::string markdown;
    int threads = 0;
    std::vector<std::string> overrides;
};

/// Bad input: the message is printed and the check exits 2.
struct CheckInputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Files as given; a directory stands for the *.yaml files directly in it, sorted by name.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        if (fs::is_directory(p)) {
            std::vector<std::string> in_dir;
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file() && e.path().extension() == ".yaml")
                    in_dir.push_back(e.path().generic_string());
            if (in_dir.empty())
                throw CheckInputError("directory '" + p + "' holds no *.yaml scenario");
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else if (fs::is_regular_file(p)) {
            files.push_back(p);
        } else {
            throw CheckInputError("no scenario file or directory '" + p + "'");
        }
    }
    return files;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CheckInputError("cannot read baseline '" + path.string() + "'");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_report(const std::string& path, const std::string& text) {
    const fs::path p(path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path());
    util::write_file_atomically(p, text);
}

/// Refuses option combinations that make no sense.
void check_arguments(const CheckArgs& a) {
    if (a.update && !a.overrides.empty())
        throw CheckInputError(
            "--update-baseline refuses --set: a baseline records the scenario file as it is");
    if (a.update && a.exact)
        throw CheckInputError("--update-baseline and --exact do not go together");
    if (a.targets != "enforce" && a.targets != "report")
        throw CheckInputError("--targets must be 'enforce' or 'report', not '" + a.targets + "'");
}

/// The baseline of `file`, read before running so its settings can be the defaults.
check::Baseline read_baseline(const fs::path& dir, const std::string& file, const CheckArgs& a) {
    const fs::path b = dir / check::baseline_file_name(file);
    if (!fs::exists(b))
        throw CheckInputError("no baseline " + b.string() + " for " + file +
                              "; write one with: cmasim check " + file + " --baseline " +
                              a.baseline_dir +
                              " --update-baseline (and the same --replications/--horizon-days)");
    return check::parse_baseline(read_text(b), b.string());
}

check::RunSettings run_settings(const CheckArgs& a, const check::Baseline* baseline) {
    check::RunSettings rs;
    // Unless given, the replications and horizon are the baseline's (the file's when writing one).
    rs.replications = a.replications > 0 ? a.replications : baseline ? baseline->replications : 0;
    rs.horizon_days = a.horizon_days > 0 ? a.horizon_days : baseline ? baseline->horizon_days : 0;
    if (a.seed >= 0) rs.seed = static_cast<std::uint64_t>(a.seed);
    rs.overrides = a.overrides;
    rs.threads = util::worker_threads(a.threads);
    return rs;
}

/// --update-baseline: run every file and write its baseline, then the directory's manifest.
int update_baselines(const CheckArgs& a, const std::vector<std::string>& files,
                     const fs::path& dir) {
    const auto t0 = std::chrono::steady_clock::now();
    report::RunRecord record{
        "check", provenance(util::worker_threads(a.threads)), {}, 0, 0, report::utc_timestamp(), 0};
    fs::create_directories(dir);
    for (const auto& f : files) {
        const check::CheckRun run = check::run_scenario(f, run_settings(a, nullptr));
        const check::Baseline b = check::make_baseline(f, run);
        const fs::path bpath = dir / check::baseline_file_name(f);
        util::write_file_atomically(bpath, check::baseline_json(b));
        record.scenarios.push_back({f, scenario::scenario_sha256(f)});
        record.seed = b.seed;
        record.replications = b.replications;
        std::cout << "wrote baseline " << bpath.string() << " (" << b.indicators.size()
                  << " indicators, " << b.replications << " replications x " << b.horizon_days
                  << " days, seed " << b.seed << ")\n";
    }
    record.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    util::write_file_atomically(dir / "manifest.json", report::manifest_json(record));
    return 0;
}

check::JudgeOptions judge_options(const CheckArgs& a) {
    check::JudgeOptions jo;
    jo.drift.alpha = a.alpha;
    jo.drift.tolerance = a.tolerance;
    jo.exact = a.exact;
    jo.targets = a.targets == "report" ? check::TargetPolicy::Report : check::TargetPolicy::Enforce;
    return jo;
}

/// "indicators: 400 bit-identical, 3 changed within tolerance, 1 drifted" over every scenario.
std::string indicator_totals(const std::vector<check::ScenarioCheck>& checks) {
    std::size_t same = 0, changed = 0, drifted = 0;
    for (const auto& c : checks) {
        same += c.count(check::Change::Identical);
        changed += c.count(check::Change::WithinTolerance);
        drifted += c.count(check::Change::Drifted);
    }
    return "indicators: " + std::to_string(same) + " bit-identical, " + std::to_string(changed) +
           " changed within tolerance, " + std::to_string(drifted) + " drifted";
}

/// The closing line and the report files; the exit code (1 when a scenario failed).
int finish_checks(const CheckArgs& a, const std::vector<check::ScenarioCheck>& checks,
                  const check::CheckSettings& settings, const check::JudgeOptions& jo) {
    std::size_t failed = 0;
    for (const auto& c : checks) failed += c.failed();
    std::cout << "cmasim check: " << checks.size() - failed << " of " << checks.size()
              << " scenarios pass; " << indicator_totals(checks) << " ("
              << (a.exact ? std::string("exact fingerprint comparison")
                          : check::describe_settings(settings))
              << "; missed targets "
              << (jo.targets == check::TargetPolicy::Enforce ? "fail" : "are reported only")
              << ")\n";
    if (!a.junit.empty()) write_report(a.junit, check::junit_xml(checks, settings));
    if (!a.markdown.empty()) write_report(a.markdown, check::markdown_summary(checks, settings));
    return failed == 0 ? 0 : 1;
}

int run_checks(const CheckArgs& a) {
    check_arguments(a);
    const std::vector<std::string> files = expand_paths(a.paths);
    const fs::path dir(a.baseline_dir);
    if (a.update) return update_baselines(a, files, dir);
    std::vector<check::Baseline> baselines;
    for (const auto& f : files) baselines.push_back(read_baseline(dir, f, a));
    const check::JudgeOptions jo = judge_options(a);
    check::CheckSettings settings{jo.drift, 0, 0};
    std::vector<check::ScenarioCheck> checks;
    for (std::size_t k = 0; k < files.size(); ++k) {
        const check::CheckRun run = check::run_scenario(files[k], run_settings(a, &baselines[k]));
        settings.replications = run.scenario.replications;
        settings.horizon_days = run.scenario.horizon_days;
        checks.push_back(check::judge_run(files[k], baselines[k], run, jo));
        checks.back().baseline_file = (dir / check::baseline_file_name(files[k])).string();
        check::print_check(std::cout, checks.back(), settings);
    }
    return finish_checks(a, checks, settings, jo);
}

int run_check_command(const CheckArgs& a) {
    try {
        return run_checks(a);
    } catch (const CheckInputError& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const check::BaselineMismatch& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const std::invalid_argument& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const std::runtime_error& e) {
        // Unreadable or malformed baseline files (parse_baseline); ScenarioError is handled in
        // main.
        if (dynamic_cast<const scenario::ScenarioError*>(&e) != nullptr) throw;
        std::cerr << "error: " << e.what() << "\n";
    }
    return 2;
}

/// How the scenarios are run and how their outputs are judged against the baselines.
void add_run_and_test_options(CLI::App& app, CheckArgs& a) {
    app.add_option("--replications,-r", a.replications,
                   "Replications (default: the baseline's; the file's with --update-baseline)")
        ->check(CLI::Range(2, 100000));
    app.add_option("--horizon-days", a.horizon_days,
                   "Measured days after the warm-up (default: the baseline's; the file's with "
                   "--update-baseline)")
        ->check(CLI::Range(1.0, 36500.0));
    app.add_option("--seed", a.seed, "Seed (default: the file's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    app.add_option("--alpha", a.alpha,
                   "Family false-alarm level per scenario (Holm over its indicators)")
        ->capture_default_str()
        ->check(CLI::Range(1e-12, 0.5));
    app.add_option("--tolerance", a.tolerance,
                   "Relative differences up to this never count as drift")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--targets", a.targets,
                   "enforce: a missed target fails the check; report: listed only")
        ->capture_default_str();
}

}  // namespace

Command add_check(CLI::App& parent) {
    auto a = std::make_shared<CheckArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "check", "Regression check of scenario outputs against stored baselines (CI)");
    c.app
        ->add_option("scenarios", a->paths,
                     "Scenario files, or directories (their *.yaml, not recursive)")
        ->required();
    c.app->add_option("--baseline", a->baseline_dir, "Directory of baseline files")->required();
    c.app->add_flag("--update-baseline", a->update,
                    "Write (overwrite) the baselines instead of checking");
    c.app->add_flag("--exact", a->exact,
                    "Compare the fingerprint of all outputs (same build, same seed)");
    add_run_and_test_options(*c.app, *a);
    c.app->add_option("--junit", a->junit, "Write a JUnit XML report to FILE");
    c.app->add_option("--markdown", a->markdown, "Write a Markdown summary to FILE");
    c.app->add_option("--threads,-t", a->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.app->add_option(
        "--set", a->overrides,
        "Override a scenario value: key.path=value (repeatable; not with --update-baseline)");
    c.run = [a] { return run_check_command(*a); };
    return c;
}

}  // namespace cmasim::cli
