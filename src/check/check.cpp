#include "cmasim/check/check.h"

#include <algorithm>
#include <chrono>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/summary.h"
#include "cmasim/scenario/loader.h"

namespace cmasim::check {

namespace {

/// Outputs whose fingerprints differ, or that only one side has, in the new run's order.
std::vector<std::string> differing_outputs(
    const std::vector<std::pair<std::string, std::string>>& base,
    const std::vector<std::pair<std::string, std::string>>& now) {
    std::vector<std::string> out;
    auto named = [](const std::string& name) {
        return [&name](const auto& o) { return o.first == name; };
    };
    for (const auto& output : now) {
        const auto it = std::find_if(base.begin(), base.end(), named(output.first));
        if (it == base.end() || it->second != output.second) out.push_back(output.first);
    }
    for (const auto& output : base) {
        if (std::none_of(now.begin(), now.end(), named(output.first))) out.push_back(output.first);
    }
    return out;
}

}  // namespace

CheckRun run_scenario(const std::filesystem::path& file, const RunSettings& settings) {
    scenario::LoadOptions lo;
    lo.known_indicators = indicators::keys();
    lo.overrides = settings.overrides;
    CheckRun run;
    run.scenario = scenario::load_scenario(file, lo);
    auto& s = run.scenario;
    if (settings.replications > 0) s.replications = settings.replications;
    if (settings.horizon_days > 0) s.horizon_days = settings.horizon_days;
    if (settings.seed) s.seed = *settings.seed;
    const auto t0 = std::chrono::steady_clock::now();
    const model::County county = model::compile_county(s);
    model::RunOptions ro;
    ro.replications = s.replications;
    ro.threads = std::max(1, settings.threads);
    run.results = model::run_replications(county, ro);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return run;
}

Baseline make_baseline(const std::string& scenario_file, const CheckRun& run) {
    Baseline b;
    b.scenario = scenario_file;
    b.seed = run.scenario.seed;
    b.replications = run.scenario.replications;
    b.horizon_days = run.scenario.horizon_days;
    b.fingerprint = fingerprint(run.results);
    b.outputs = output_fingerprints(run.results);
    b.indicators = county_series(run.results);
    return b;
}

namespace {

/// The scenario's targets, judged on this run's confidence intervals.
std::vector<TargetCheck> target_checks(const std::string& scenario_file, const CheckRun& run) {
    const auto& s = run.scenario;
    const report::Summary summary =
        report::summarise(report::run_info(s, scenario_file, ""), run.results, s.targets);
    std::vector<TargetCheck> out;
    for (const auto& t : summary.targets) {
        TargetCheck tc;
        tc.indicator = t.target.indicator;
        tc.min = t.target.min;
        tc.max = t.target.max;
        tc.verdict = t.verdict;
        if (t.estimate) {
            tc.mean = t.estimate->mean;
            tc.ci_low = t.estimate->ci_low;
            tc.ci_high = t.estimate->ci_high;
        }
        out.push_back(tc);
    }
    return out;
}

}  // namespace

ScenarioCheck judge_run(const std::string& scenario_file, const Baseline& baseline,
                        const CheckRun& run, const JudgeOptions& options) {
    const auto& s = run.scenario;
    if (s.replications != baseline.replications || s.horizon_days != baseline.horizon_days)
        throw BaselineMismatch(scenario_file + ": this run has " + std::to_string(s.replications) +
                               " replications x " + std::to_string(s.horizon_days) +
                               " days, the baseline " + std::to_string(baseline.replications) +
                               " x " + std::to_string(baseline.horizon_days) +
                               "; pass the baseline's --replications/--horizon-days or regenerate "
                               "it with --update-baseline");
    if (options.exact && s.seed != baseline.seed)
        throw BaselineMismatch(scenario_file + ": --exact needs the baseline's seed " +
                               std::to_string(baseline.seed) + ", this run used " +
                               std::to_string(s.seed));
    ScenarioCheck c;
    c.scenario_file = scenario_file;
    c.name = s.name;
    c.exact = options.exact;
    c.fingerprint_base = baseline.fingerprint;
    c.fingerprint_new = fingerprint(run.results);
    c.target_policy = options.targets;
    c.seconds = run.seconds;
    DriftOptions drift = options.drift;
    drift.paired = s.seed == baseline.seed;
    c.indicators = compare_series(baseline.indicators, county_series(run.results), drift);
    c.outputs_known = !baseline.outputs.empty();
    if (c.outputs_known)
        c.outputs_differ = differing_outputs(baseline.outputs, output_fingerprints(run.results));
    c.targets = target_checks(scenario_file, run);
    return c;
}

}  // namespace cmasim::check
