// Loading and checking scenarios from Python, and ScenarioError with the loader's located
// messages.
#include "cmasim/sweep/scenarios.h"
#include "bindings.h"
#include "cmasim/model/county.h"
#include "cmasim/model/expected_cost.h"
#include "cmasim/scenario/diagnostics.h"

namespace cmasim::python {

namespace {

py::list diagnostics_list(const std::vector<scenario::Diagnostic>& diagnostics) {
    py::list out;
    for (const auto& d : diagnostics) {
        py::dict row;
        row["file"] = d.file;
        row["line"] = d.line;
        row["column"] = d.column;
        row["key_path"] = d.key_path;
        row["message"] = d.message;
        row["hint"] = d.hint;
        row["text"] = scenario::format_diagnostic(d);
        out.append(row);
    }
    return out;
}

/// Raises cmasim.ScenarioError: its text is what `cmasim validate` prints (every problem, one a
/// line, file:line:column: key path: message (hint)); `.diagnostics` has them one by one.
void translate_scenario_error(std::exception_ptr error) {
    try {
        if (error) std::rethrow_exception(error);
    } catch (const scenario::ScenarioError& e) {
        py::object type = py::module_::import("cmasim._cmasim").attr("ScenarioError");
        py::object instance = type(e.what());
        instance.attr("diagnostics") = diagnostics_list(e.diagnostics());
        PyErr_SetObject(type.ptr(), instance.ptr());
    }
}

/// What `cmasim validate` counts once the scenario compiled.
py::dict check(const ScenarioHandle& handle) {
    std::optional<model::County> county;
    {
        py::gil_scoped_release release;
        county.emplace(model::compile_county(handle.scenario));
    }
    py::dict out;
    out["name"] = handle.scenario.name;
    out["residents"] = county->population;
    out["townships"] = county->townships.size();
    out["villages"] = county->villages.size();
    out["facilities"] = county->facilities.size();
    out["conditions"] = county->conditions.size();
    return out;
}

/// What a first contact at each facility is expected to cost, as the choice sees it: one row
/// (facility, level, condition, gatekept, yuan) per facility, condition and gatekept.
py::list expected_costs(const ScenarioHandle& handle) {
    std::optional<model::County> county;
    std::vector<double> cost;
    {
        py::gil_scoped_release release;
        county.emplace(model::compile_county(handle.scenario));
        cost = model::first_contact_costs(handle.scenario, *county);
    }
    py::list rows;
    std::size_t i = 0;
    for (int g = 0; g < 2; ++g) {
        for (const auto& k : county->conditions) {
            for (const auto& f : county->facilities) {
                rows.append(
                    py::make_tuple(f.id, util::to_string(f.level), k.spec.id, g == 1, cost[i++]));
            }
        }
    }
    return rows;
}

}  // namespace

ScenarioHandle load_handle(std::string file, std::optional<std::string> text,
                           std::vector<std::string> overrides) {
    ScenarioHandle h{std::move(file), std::move(text), std::move(overrides), {}};
    py::gil_scoped_release release;
    h.scenario = sweep::load_scenario_source(h.file, h.text, sweep::load_options(h.overrides));
    return h;
}

void bind_errors(py::module_& m) {
    py::exception<scenario::ScenarioError>(m, "ScenarioError", PyExc_ValueError);
    py::register_exception_translator(&translate_scenario_error);
}

void bind_scenarios(py::module_& m) {
    py::class_<ScenarioHandle>(m, "Scenario", "A loaded, checked scenario")
        .def_readonly("file", &ScenarioHandle::file)
        .def_readonly("text", &ScenarioHandle::text)
        .def_readonly("overrides", &ScenarioHandle::overrides)
        .def_property_readonly("name", [](const ScenarioHandle& h) { return h.scenario.name; })
        .def_property_readonly("description",
                               [](const ScenarioHandle& h) { return h.scenario.description; })
        .def_property_readonly("seed", [](const ScenarioHandle& h) { return h.scenario.seed; })
        .def_property_readonly("replications",
                               [](const ScenarioHandle& h) { return h.scenario.replications; })
        .def_property_readonly("horizon_days",
                               [](const ScenarioHandle& h) { return h.scenario.horizon_days; })
        .def_property_readonly("warmup_days",
                               [](const ScenarioHandle& h) { return h.scenario.warmup_days; });
    m.def("load", &load_handle, py::arg("file"), py::arg("text"), py::arg("overrides"),
          "Load a scenario file (text None) or YAML text labelled `file`, with overrides");
    m.def("check", &check, py::arg("scenario"), "Compile the scenario; what it holds");
    m.def("expected_costs", &expected_costs, py::arg("scenario"),
          "Expected out-of-pocket yuan of a first contact per facility, condition, gatekept");
}

}  // namespace cmasim::python
