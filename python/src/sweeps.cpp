// Sweeps from Python: a list of points (override sets) on one scenario, run as `cmasim sweep`
// runs its tasks (the same plan, seeds and task runner), but kept in memory instead of files.
#include "bindings.h"

#include <algorithm>

#include "cmasim/indicators/table.h"
#include "cmasim/report/compare.h"
#include "cmasim/sweep/outputs.h"
#include "cmasim/sweep/plan.h"
#include "cmasim/sweep/runner.h"

namespace cmasim::python {

namespace {

/// A finished sweep: its plan and every task's record, sorted by task.
struct SweepRun {
    sweep::SweepPlan plan;
    std::vector<sweep::TaskRecord> records;
};

struct SweepRequest {
    std::vector<std::string> columns;  ///< key paths varied
    /// Per point, per column: the value's YAML text, or none where the point leaves it alone.
    std::vector<std::vector<std::optional<std::string>>> values;
    std::optional<int> replications;
    std::optional<std::uint64_t> seed;
    bool common_random_numbers = true;
    std::vector<std::string> indicators;
    double confidence = 0.95;
};

/// The plan `cmasim sweep` would make of a sweep file listing these points.
sweep::SweepPlan make_plan(const ScenarioHandle& h, const SweepRequest& r) {
    sweep::SweepPlan plan;
    sweep::SweepSpec& spec = plan.spec;
    spec.name = h.scenario.name;
    spec.base = h.file;
    spec.base_text = h.text;
    spec.fixed = h.overrides;
    spec.common_random_numbers = r.common_random_numbers;
    spec.confidence = r.confidence;
    spec.indicators = r.indicators;
    // A grid parameter per column, listing the values the points give it (the points themselves
    // are listed below, not expanded from a grid).
    for (const auto& c : r.columns) spec.parameters.push_back({c, c, {}, 0, 0, false});
    plan.basis.seed = r.seed.value_or(h.scenario.seed);
    plan.basis.replications = r.replications.value_or(h.scenario.replications);
    for (const auto& row : r.values) {
        if (row.size() != r.columns.size()) throw py::value_error("a point has a value per column");
        sweep::Point point;
        point.overrides = spec.fixed;
        for (std::size_t c = 0; c < row.size(); ++c) {
            point.values.push_back(row[c].value_or(""));
            if (!row[c]) continue;
            point.overrides.push_back(r.columns[c] + "=" + *row[c]);
            auto& values = spec.parameters[c].values;
            if (std::find(values.begin(), values.end(), *row[c]) == values.end())
                values.push_back(*row[c]);
        }
        point.seed =
            sweep::point_seed(spec.common_random_numbers, plan.basis.seed, plan.points.size());
        plan.points.push_back(std::move(point));
    }
    return plan;
}

void check_request(const SweepRequest& request) {
    if (request.values.empty()) throw py::value_error("a sweep needs at least one point");
    if (request.replications && *request.replications < 1)
        throw py::value_error("replications must be >= 1");
    if (!(request.confidence > 0 && request.confidence < 1))
        throw py::value_error("confidence must be in (0, 1)");
    const auto known = indicators::keys();
    for (const auto& name : request.indicators) {
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw py::value_error("unknown indicator '" + name + "' (see cmasim.indicators())");
    }
}

SweepRun run_sweep(const ScenarioHandle& h, const SweepRequest& request,
                   std::optional<int> threads) {
    check_request(request);
    const int workers = worker_threads(threads);
    SweepRun run{make_plan(h, request), {}};
    py::gil_scoped_release release;
    sweep::check_points(run.plan);
    run.records = sweep::run_all_tasks(run.plan, workers);
    return run;
}

/// results.csv's rows without the parameter columns: point, replication, indicator, value.
py::dict results(const SweepRun& s) {
    std::vector<std::uint64_t> point, replication;
    std::vector<std::string> indicator;
    std::vector<double> value;
    for (const auto& r : s.records) {
        for (const auto& v : r.values) {
            point.push_back(r.point);
            replication.push_back(r.replication);
            indicator.push_back(v.indicator);
            value.push_back(v.value);
        }
    }
    py::dict columns;
    columns["point"] = to_array(point);
    columns["replication"] = to_array(replication);
    columns["indicator"] = indicator;
    columns["value"] = to_array(value);
    return columns;
}

/// summary.csv's rows without the parameter columns, plus half_width.
py::dict summary(const SweepRun& s) {
    std::vector<std::uint64_t> point;
    std::vector<std::string> indicator;
    EstimateColumns estimates;
    for (const auto& row : sweep::point_estimates(s.records, s.plan.spec.confidence)) {
        point.push_back(row.point);
        indicator.push_back(row.indicator);
        estimates.add(row.estimate);
    }
    py::dict columns;
    columns["point"] = to_array(point);
    columns["indicator"] = indicator;
    estimates.move_into(columns);
    return columns;
}

/// Every other point minus `reference`, per indicator (paired with common random numbers).
py::dict differences(const SweepRun& s, std::size_t reference) {
    const report::Comparison c = sweep::compare_points(s.plan, s.records, reference);
    std::vector<std::uint64_t> point;
    std::vector<std::string> indicator;
    EstimateColumns estimates;
    for (std::size_t k = 1; k < c.labels.size(); ++k) {
        for (const auto& ic : c.indicators) {
            point.push_back(std::stoull(c.labels[k]));
            indicator.push_back(ic.indicator);
            estimates.add(ic.difference[k]);
        }
    }
    py::dict columns;
    columns["point"] = to_array(point);
    columns["indicator"] = indicator;
    estimates.move_into(columns);
    return columns;
}

}  // namespace

void bind_sweeps(py::module_& m) {
    py::class_<SweepRun>(m, "SweepRun", "A finished sweep, kept in memory")
        .def_property_readonly("replications",
                               [](const SweepRun& s) { return s.plan.basis.replications; })
        .def_property_readonly("seeds",
                               [](const SweepRun& s) {
                                   std::vector<std::uint64_t> seeds;
                                   for (const auto& p : s.plan.points) seeds.push_back(p.seed);
                                   return seeds;
                               })
        .def("results", &results)
        .def("summary", &summary)
        .def("differences", &differences, py::arg("reference"));
    m.def(
        "sweep",
        [](const ScenarioHandle& h, std::vector<std::string> columns,
           std::vector<std::vector<std::optional<std::string>>> values,
           std::optional<int> replications, std::optional<std::uint64_t> seed,
           std::optional<int> threads, bool common_random_numbers,
           std::vector<std::string> indicators, double confidence) {
            const SweepRequest request{
                std::move(columns),    std::move(values),     replications, seed,
                common_random_numbers, std::move(indicators), confidence};
            return run_sweep(h, request, threads);
        },
        py::arg("scenario"), py::arg("columns"), py::arg("values"), py::arg("replications"),
        py::arg("seed"), py::arg("threads"), py::arg("common_random_numbers"),
        py::arg("indicators"), py::arg("confidence"),
        "Run every (point, replication) of a sweep over override sets");
}

}  // namespace cmasim::python
