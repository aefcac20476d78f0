// Running one scenario and comparing scenarios from Python: the library calls `cmasim run` and
// `cmasim compare` make, with the GIL released while the county compiles and simulates.
#include "bindings.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/report/compare.h"
#include "cmasim/report/summary.h"
#include "cmasim/report/tables.h"
#include "cmasim/report/writers.h"
#include "cmasim/sweep/scenarios.h"

namespace cmasim::python {

namespace {

/// A tidy table as {"name", "columns" (in file order), "data" (column -> values)}.
py::dict table_columns(const report::TidyTable& t) {
    py::list names;
    py::dict data;
    names.append("replication");
    data["replication"] = to_array(t.replication);
    for (std::size_t k = 0; k < t.key_columns.size(); ++k) {
        names.append(t.key_columns[k]);
        data[py::str(t.key_columns[k])] = py::cast(t.keys[k]);
    }
    names.append("value");
    data["value"] = to_array(t.value);
    py::dict out;
    out["name"] = t.name;
    out["columns"] = names;
    out["data"] = data;
    return out;
}

/// The scenario's hash as summary.json and compare.json record it (the same as `cmasim run`'s
/// for the same file and overrides).
std::string scenario_sha256(const ScenarioHandle& h) {
    return sweep::scenario_source_sha256(h.file, h.text, sweep::load_options(h.overrides));
}

struct RunOutput {
    report::Summary summary;
    std::vector<indicators::ReplicationResult> results;
};

/// What `cmasim run` computes: the replications (the file's, or `replications`) with the seed
/// (the file's, or `seed`), summarised. No GIL needed.
RunOutput simulate(const ScenarioHandle& h, std::optional<int> replications,
                   std::optional<std::uint64_t> seed, int threads) {
    scenario::Scenario s = h.scenario;
    if (replications) s.replications = *replications;
    if (seed) s.seed = *seed;
    const model::County county = model::compile_county(s);
    model::RunOptions options;
    options.replications = s.replications;
    options.threads = threads;
    RunOutput out;
    out.results = model::run_replications(county, options);
    out.summary =
        report::summarise(report::run_info(s, h.file, scenario_sha256(h)), out.results, s.targets);
    return out;
}

/// {"summary_json": summary.json's text, "tables": [the CSV files' tables]}.
py::dict run(const ScenarioHandle& h, std::optional<int> replications,
             std::optional<std::uint64_t> seed, std::optional<int> threads) {
    if (replications && *replications < 1) throw py::value_error("replications must be >= 1");
    const int workers = worker_threads(threads);
    RunOutput out;
    std::string json;
    std::vector<report::TidyTable> tables;
    {
        py::gil_scoped_release release;
        out = simulate(h, replications, seed, workers);
        json = report::summary_json(out.summary);
        tables = report::tidy_tables(out.results);
    }
    py::list table_list;
    for (const auto& t : tables) table_list.append(table_columns(t));
    py::dict result;
    result["summary_json"] = json;
    result["tables"] = table_list;
    return result;
}

/// Per scenario and indicator: the estimate (`estimates`) or the difference from the base
/// (`differences`, what-ifs only), as columns.
py::dict comparison_columns(const report::Comparison& c, bool differences) {
    std::vector<std::string> scenario, indicator;
    EstimateColumns estimates;
    for (std::size_t k = differences ? 1 : 0; k < c.labels.size(); ++k) {
        for (const auto& ic : c.indicators) {
            scenario.push_back(c.labels[k]);
            indicator.push_back(ic.indicator);
            estimates.add(differences ? ic.difference[k] : ic.scenario[k]);
        }
    }
    py::dict columns;
    columns["scenario"] = scenario;
    columns["indicator"] = indicator;
    estimates.move_into(columns);
    return columns;
}

/// The comparison `cmasim compare` makes of scenarios[0] (the base) with the others.
py::dict compare(const std::vector<ScenarioHandle>& handles, const std::vector<std::string>& labels,
                 std::optional<int> replications, std::optional<std::uint64_t> seed,
                 std::optional<int> threads, bool independent) {
    if (handles.size() < 2 || labels.size() != handles.size())
        throw py::value_error("compare needs a base and at least one what-if, each with a label");
    if (replications && *replications < 2) throw py::value_error("replications must be >= 2");
    std::vector<sweep::LabelledScenario> scenarios;
    sweep::ComparisonOptions options{replications, seed, worker_threads(threads), independent};
    std::optional<sweep::ComparisonRun> run;
    {
        py::gil_scoped_release release;
        for (std::size_t k = 0; k < handles.size(); ++k) {
            scenarios.push_back(
                {labels[k], handles[k].file, handles[k].scenario, scenario_sha256(handles[k])});
        }
        run.emplace(sweep::run_comparison(std::move(scenarios), options));
    }
    py::dict out;
    out["json"] = report::comparison_json(run->comparison);
    out["replications"] = run->replications;
    out["seed"] = run->seed;
    out["estimates"] = comparison_columns(run->comparison, false);
    out["differences"] = comparison_columns(run->comparison, true);
    return out;
}

}  // namespace

void bind_runs(py::module_& m) {
    m.def("run", &run, py::arg("scenario"), py::arg("replications"), py::arg("seed"),
          py::arg("threads"), "Simulate; summary.json's text and the tidy tables as columns");
    m.def("compare", &compare, py::arg("scenarios"), py::arg("labels"), py::arg("replications"),
          py::arg("seed"), py::arg("threads"), py::arg("independent"),
          "Compare what-ifs with a base, with common random numbers unless independent");
}

}  // namespace cmasim::python
