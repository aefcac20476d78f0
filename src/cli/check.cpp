// cmasim check [SCENARIO|DIR]... --baseline DIR: regression check of scenario outputs against
// stored baselines, for CI. Each county indicator's replication values are compared with the
// baseline's by Welch's t-test, Holm-corrected per scenario (docs/ci.md); --exact compares a
// fingerprint of all outputs instead. Exit 0: nothing drifted and no enforced target missed;
// 1: something did; 2: bad input (missing or mismatched baseline, unreadable scenario).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cmasim/check/check.h"
#include "cmasim/model/runner.h"
#include "cmasim/scenario/diagnostics.h"
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

/// Refuses option combinations that make no sense, and (unless writing baselines) scenarios
/// without a baseline in the baseline directory.
void check_arguments(const CheckArgs& a, const std::vector<std::string>& files) {
    if (a.update && !a.overrides.empty())
        throw CheckInputError(
            "--update-baseline refuses --set: a baseline records the scenario file as it is");
    if (a.update && a.exact)
        throw CheckInputError("--update-baseline and --exact do not go together");
    if (a.targets != "enforce" && a.targets != "report")
        throw CheckInputError("--targets must be 'enforce' or 'report', not '" + a.targets + "'");
    if (a.update) return;
    const fs::path dir(a.baseline_dir);
    for (const auto& f : files) {
        const fs::path b = dir / check::baseline_file_name(f);
        if (!fs::exists(b))
            throw CheckInputError(
                "no baseline " + b.string() + " for " + f + "; write one with: cmasim check " + f +
                " --baseline " + a.baseline_dir +
                " --update-baseline (and the same --replications/--horizon-days)");
    }
}

check::RunSettings run_settings(const CheckArgs& a) {
    check::RunSettings rs;
    rs.replications = a.replications;
    rs.horizon_days = a.horizon_days;
    if (a.seed >= 0) rs.seed = static_cast<std::uint64_t>(a.seed);
    rs.overrides = a.overrides;
    rs.threads = util::worker_threads(a.threads);
    return rs;
}

check::JudgeOptions judge_options(const CheckArgs& a) {
    check::JudgeOptions jo;
    jo.drift.alpha = a.alpha;
    jo.drift.tolerance = a.tolerance;
    jo.exact = a.exact;
    jo.targets = a.targets == "report" ? check::TargetPolicy::Report : check::TargetPolicy::Enforce;
    return jo;
}

/// The closing line and the report files; the exit code (1 when a scenario failed).
int finish_checks(const CheckArgs& a, const std::vector<check::ScenarioCheck>& checks,
                  const check::CheckSettings& settings, const check::JudgeOptions& jo) {
    std::size_t failed = 0;
    for (const auto& c : checks) failed += c.failed();
    std::cout << "cmasim check: " << checks.size() - failed << " of " << checks.size()
              << " scenarios pass ("
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
    const std::vector<std::string> files = expand_paths(a.paths);
    check_arguments(a, files);
    const check::RunSettings rs = run_settings(a);
    const check::JudgeOptions jo = judge_options(a);
    check::CheckSettings settings{jo.drift, 0, 0};
    const fs::path dir(a.baseline_dir);
    if (a.update) fs::create_directories(dir);
    std::vector<check::ScenarioCheck> checks;
    for (const auto& f : files) {
        const fs::path bpath = dir / check::baseline_file_name(f);
        const check::CheckRun run = check::run_scenario(f, rs);
        settings.replications = run.scenario.replications;
        settings.horizon_days = run.scenario.horizon_days;
        if (a.update) {
            const check::Baseline b = check::make_baseline(f, run);
            util::write_file_atomically(bpath, check::baseline_json(b));
            std::cout << "wrote baseline " << bpath.string() << " (" << b.indicators.size()
                      << " indicators, " << b.replications << " replications x " << b.horizon_days
                      << " days, seed " << b.seed << ")\n";
            continue;
        }
        const check::Baseline b = check::parse_baseline(read_text(bpath), bpath.string());
        checks.push_back(check::judge_run(f, b, run, jo));
        checks.back().baseline_file = bpath.string();
        check::print_check(std::cout, checks.back(), settings);
    }
    if (a.update) return 0;
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
    c.app
        ->add_option("--replications,-r", a->replications,
                     "Replications (default: the file's; must match the baseline)")
        ->check(CLI::Range(2, 100000));
    c.app
        ->add_option(
            "--horizon-days", a->horizon_days,
            "Measured days after the warm-up (default: the file's; must match the baseline)")
        ->check(CLI::Range(1.0, 36500.0));
    c.app->add_option("--seed", a->seed, "Seed (default: the file's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    c.app
        ->add_option("--alpha", a->alpha,
                     "Family false-alarm level per scenario (Holm over its indicators)")
        ->capture_default_str()
        ->check(CLI::Range(1e-12, 0.5));
    c.app
        ->add_option("--tolerance", a->tolerance,
                     "Relative differences up to this never count as drift")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    c.app
        ->add_option("--targets", a->targets,
                     "enforce: a missed target fails the check; report: listed only")
        ->capture_default_str();
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
