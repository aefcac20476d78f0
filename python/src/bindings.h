// The pieces of the extension cmasim._cmasim. Each binds one group of functions; the columns
// they return are plain dicts of lists and arrays, and python/cmasim/*.py makes data frames.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "cmasim/report/stats.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::python {

namespace py = pybind11;

/// A scenario as the user gave it (a file, or YAML text with a label, plus key.path=value
/// overrides) and as it loaded, so that a sweep can load it again with more overrides.
struct ScenarioHandle {
    std::string file;                 ///< the path, or the label of the text
    std::optional<std::string> text;  ///< the YAML text, when it came from no file
    std::vector<std::string> overrides;
    scenario::Scenario scenario;
};

/// Loads (with the GIL released); throws scenario::ScenarioError.
ScenarioHandle load_handle(std::string file, std::optional<std::string> text,
                           std::vector<std::string> overrides);

/// Estimates as columns n, mean, sd, ci_low, ci_high, half_width, appended row by row.
class EstimateColumns {
  public:
    void add(const report::Estimate& e);
    /// Adds the columns to `columns` (the caller has added its key columns first).
    void move_into(py::dict& columns);

  private:
    std::vector<std::size_t> n_;
    std::vector<double> mean_, sd_, ci_low_, ci_high_, half_width_;
};

/// A NumPy array holding a copy of `values`.
template <class T>
py::array_t<T> to_array(const std::vector<T>& values) {
    return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

/// Counts, replication and point numbers as int64 (pandas' usual integer type), a copy.
inline py::array_t<std::int64_t> to_array(const std::vector<std::uint64_t>& values) {
    py::array_t<std::int64_t> out(static_cast<py::ssize_t>(values.size()));
    auto view = out.mutable_unchecked<1>();
    for (std::size_t i = 0; i < values.size(); ++i)
        view(static_cast<py::ssize_t>(i)) = static_cast<std::int64_t>(values[i]);
    return out;
}

/// Worker threads for a request from Python: None or 0 = every core.
int worker_threads(std::optional<int> requested);

void bind_errors(py::module_& m);
void bind_scenarios(py::module_& m);
void bind_runs(py::module_& m);
void bind_sweeps(py::module_& m);

}  // namespace cmasim::python
