// cmasim._cmasim: the C++ half of the Python module (docs/python.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bindings.h"
#include "cmasim/indicators/table.h"
#include "cmasim/util/parallel.h"

namespace cmasim::python {

void EstimateColumns::add(const report::Estimate& e) {
    n_.push_back(e.n);
    mean_.push_back(e.mean);
    sd_.push_back(e.sd);
    // As in summary.json: with one replication there is no interval, not [mean, mean].
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ci_low_.push_back(e.n >= 2 ? e.ci_low : nan);
    ci_high_.push_back(e.n >= 2 ? e.ci_high : nan);
    half_width_.push_back(e.half_width);
}

void EstimateColumns::move_into(py::dict& columns) {
    columns["n"] = to_array(n_);
    columns["mean"] = to_array(mean_);
    columns["sd"] = to_array(sd_);
    columns["ci_low"] = to_array(ci_low_);
    columns["ci_high"] = to_array(ci_high_);
    columns["half_width"] = to_array(half_width_);
}

int worker_threads(std::optional<int> requested) {
    if (requested && *requested < 0)
        throw py::value_error("threads must be positive (or None: every core)");
    return util::worker_threads(requested.value_or(0));
}

namespace {

/// The indicator table as columns, one row per indicator in the table's order.
py::dict indicator_table() {
    std::vector<std::string> key, label, chinese, unit, section, description;
    std::vector<int> decimals;
    for (const auto& info : indicators::all()) {
        key.push_back(info.key);
        label.push_back(info.label);
        chinese.push_back(info.chinese);
        unit.push_back(info.unit);
        section.push_back(info.section);
        decimals.push_back(info.decimals);
        description.push_back(info.description);
    }
    py::dict columns;
    columns["key"] = key;
    columns["label"] = label;
    columns["chinese"] = chinese;
    columns["unit"] = unit;
    columns["section"] = section;
    columns["decimals"] = decimals;
    columns["description"] = description;
    return columns;
}

/// The library logs through spdlog's default logger; as on the command line, it goes to stderr
/// and shows warnings and errors only unless asked (`cmasim.set_log_level("info")`).
void setup_logging() {
    auto logger = spdlog::stderr_color_mt("cmasim.python");
    logger->set_pattern("[cmasim %l] %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
}

void set_log_level(const std::string& level) {
    const auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off")
        throw py::value_error("unknown log level '" + level +
                              "' (trace, debug, info, warn, error, off)");
    spdlog::set_level(parsed);
}

}  // namespace

}  // namespace cmasim::python

PYBIND11_MODULE(_cmasim, m) {
    using namespace cmasim::python;
    m.doc() = "cmasim's simulator; use the cmasim package, which wraps this in pandas";
    m.attr("version") = CMASIM_VERSION;
    setup_logging();
    m.def(
        "set_log_level", &set_log_level, py::arg("level"),
        "Library log messages on stderr from this level up: trace, debug, info, warn, error, off");
    m.def("indicator_table", &indicator_table, "The indicator table as columns");
    bind_errors(m);
    bind_scenarios(m);
    bind_runs(m);
    bind_sweeps(m);
}
