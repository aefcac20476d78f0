// A sweep file: one base scenario, parameters to vary by key path (a grid of `values:` /
// `range:` and a sampled design over `between:` bounds), replications per point and the
// indicators to keep. Parsed with the same file:line:column: key messages as scenario files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cmasim::sweep {

/// Most points a sweep may have (grid points times design samples): checked when the sweep file
/// is read, before any scenario is loaded or run. A sweep of more points is better split into
/// several files (each resumable on its own).
inline constexpr std::size_t kMaxPoints = 10'000;

/// How the sampled parameters (those given by `between:`) are placed in their box.
enum class SampleMethod { None, LatinHypercube, Sobol };

/// One varied scenario value.
struct Parameter {
    std::string path;    ///< scenario key path, as for --set: `insurance.outpatient_ratio.township`
    std::string column;  ///< column name in the output files (default: the path)
    /// Grid parameter: the values' YAML text, canonical for numbers ("0.5", "600"). Empty for
    /// a sampled parameter.
    std::vector<std::string> values;
    /// Sampled parameter: the closed interval [low, high] the design is scaled to.
    double low = 0;
    double high = 0;
    bool integer = false;  ///< sampled values rounded to the nearest integer
    bool sampled() const { return values.empty(); }
};

/// The parsed sweep file. Nothing here needs the base scenario.
struct SweepSpec {
    std::string file;            ///< the path as given (labels, the manifest)
    std::string text;            ///< the file's bytes (hashed; copied next to the results)
    std::string name;            ///< `name:`, default the file name without extension
    std::filesystem::path base;  ///< `base:`, resolved against the sweep file's directory
    /// The base scenario's YAML text when it comes from no file (the Python module's sweeps);
    /// `base` then labels it in messages and anchors its `extends:` paths.
    std::optional<std::string> base_text;
    std::vector<std::string> fixed;       ///< `set:` as "path=value", applied to every point first
    std::optional<std::uint64_t> seed;    ///< `seed:`; none = the base scenario's seed
    std::optional<int> replications;      ///< `replications:`; none = the base scenario's
    bool common_random_numbers = true;    ///< every point uses the same seed
    double confidence = 0.95;             ///< of the summary intervals, in (0, 1)
    std::vector<std::string> indicators;  ///< county indicators kept; empty = all, as emitted
    std::vector<Parameter> parameters;    ///< in file order (= output column order)
    SampleMethod method = SampleMethod::None;
    int samples = 0;                ///< design points (sampled parameters only)
    std::uint64_t design_seed = 0;  ///< of the Latin hypercube / Sobol digital shift
};

/// Loads and checks a sweep file. Throws scenario::ScenarioError listing every problem with
/// file, line, column and key (unknown keys get a "did you mean" hint). The base scenario is not
/// read here (see make_plan).
SweepSpec load_sweep_file(const std::filesystem::path& file);

/// Same from text; `file_label` names it in messages, and `base:` is relative to its directory.
SweepSpec load_sweep_string(const std::string& text, const std::string& file_label);

/// "grid", "latin_hypercube", "sobol" (None with no sampled parameter is a plain grid).
const char* to_string(SampleMethod method);

}  // namespace cmasim::sweep
