#include "cmasim/sweep/scenarios.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "cmasim/indicators/table.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"

namespace cmasim::sweep {

scenario::LoadOptions load_options(std::vector<std::string> overrides) {
    scenario::LoadOptions o;
    o.known_indicators = indicators::keys();
    o.overrides = std::move(overrides);
    return o;
}

scenario::Scenario load_scenario_source(const std::filesystem::path& file,
                                        const std::optional<std::string>& text,
                                        const scenario::LoadOptions& options) {
    return text ? scenario::load_scenario_string(*text, file.string(), options)
                : scenario::load_scenario(file, options);
}

std::string scenario_source_sha256(const std::filesystem::path& file,
                                   const std::optional<std::string>& text,
                                   const scenario::LoadOptions& options) {
    return text ? scenario::scenario_string_sha256(*text, file.string(), options)
                : scenario::scenario_sha256(file, options);
}

ComparisonRun run_comparison(std::vector<LabelledScenario> scenarios,
                             const ComparisonOptions& options) {
    if (scenarios.empty()) throw std::invalid_argument("compare: no scenarios");
    ComparisonRun run;
    run.replications = options.replications.value_or(scenarios[0].scenario.replications);
    run.seed = options.seed.value_or(scenarios[0].scenario.seed);
    std::vector<report::ScenarioRun> runs;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        auto& s = scenarios[k].scenario;
        s.seed = options.independent ? run.seed + kIndependentSeedStride * k : run.seed;
        spdlog::info("running {} ({} replications, seed {})", scenarios[k].file, run.replications,
                     s.seed);
        const model::County county = model::compile_county(s);
        model::RunOptions ro;
        ro.replications = run.replications;
        ro.threads = options.threads;
        runs.push_back({scenarios[k].label, scenarios[k].file, s.seed,
                        model::run_replications(county, ro), s.targets, scenarios[k].sha256});
    }
    run.comparison = report::compare_runs(runs, !options.independent);
    for (const auto& s : scenarios) run.comparison.names.push_back(s.scenario.name);
    return run;
}

ComparisonRun compare_periods(LabelledScenario scenario, const ComparisonOptions& options) {
    auto& s = scenario.scenario;
    if (s.timeline.empty()) {
        throw std::invalid_argument(scenario.file +
                                    " has no timeline: --periods compares the periods of one run");
    }
    ComparisonRun run;
    run.replications = options.replications.value_or(s.replications);
    run.seed = options.seed.value_or(s.seed);
    s.seed = run.seed;
    spdlog::info("running {} ({} replications, seed {})", scenario.file, run.replications, s.seed);
    const model::County county = model::compile_county(s);
    model::RunOptions ro;
    ro.replications = run.replications;
    ro.threads = options.threads;
    const auto results = model::run_replications(county, ro);
    std::vector<report::ScenarioRun> runs(county.periods.size() + 1);
    for (std::size_t k = 0; k < runs.size(); ++k) {
        runs[k] = {county.period_name(k), scenario.file, s.seed, {}, {}, scenario.sha256};
    }
    for (const auto& r : results) {
        for (auto& k : runs) k.results.push_back({r.replication, {}, {}, 0, 0});
        std::size_t k = 0;  // the "period" rows come period by period, in the model's order
        for (const auto& row : r.groups) {
            if (row.dimension != "period") continue;
            while (runs[k].label != row.group) ++k;
            runs[k].results.back().county.push_back({row.indicator, row.value});
        }
    }
    run.comparison = report::compare_runs(runs, true);
    return run;
}

}  // namespace cmasim::sweep
