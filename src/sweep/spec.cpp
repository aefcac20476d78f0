#include "cmasim/sweep/spec.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "cmasim/indicators/table.h"
#include "cmasim/scenario/key_path.h"
#include "cmasim/sweep/design.h"
#include "cmasim/sweep/spec_reader.h"

namespace cmasim::sweep {

namespace {

using detail::SpecReader;

/// A grid parameter can have at most this many values (a range with a tiny step is a typo).
constexpr auto kMaxValues = static_cast<long long>(kMaxPoints);

void read_values(const YAML::Node& node, const std::string& key, Parameter& p, SpecReader& r) {
    if (!node.IsSequence() || node.size() == 0) {
        r.error(node, key, "must be a non-empty list of values", "e.g. values: [0.5, 0.6, 0.7]");
        return;
    }
    std::set<std::string> seen;
    for (const auto& v : node) {
        std::string text = detail::value_text(v);
        if (!seen.insert(text).second) r.error(v, key, "value " + text + " is listed twice");
        p.values.push_back(std::move(text));
    }
}

void read_range(const YAML::Node& node, const std::string& key, Parameter& p, SpecReader& r) {
    if (!node.IsMap()) {
        r.error(node, key, "must be a map {from, to, step}",
                "e.g. range: {from: 0, to: 1200, step: 300}");
        return;
    }
    r.check_keys(node, key, {"from", "to", "step"});
    std::optional<double> bounds[3];
    const char* names[3] = {"from", "to", "step"};
    for (int i = 0; i < 3; ++i) {
        if (!node[names[i]]) {
            r.error(node, key, std::string("needs '") + names[i] + "'");
        } else {
            bounds[i] = r.number(node[names[i]], key + "." + names[i]);
        }
    }
    if (!bounds[0] || !bounds[1] || !bounds[2]) return;
    const double from = *bounds[0], to = *bounds[1], step = *bounds[2];
    if (!(step > 0)) return r.error(node["step"], key + ".step", "must be > 0");
    if (to < from) return r.error(node["to"], key + ".to", "must be >= from");
    // The 1e-9 keeps `to` itself when (to - from) / step is a whole number up to rounding.
    const double count = std::floor((to - from) / step + 1e-9) + 1;
    if (count > static_cast<double>(kMaxValues)) {
        return r.error(node, key, "gives more than " + std::to_string(kMaxValues) + " values",
                       "check the step");
    }
    for (long long k = 0; k < static_cast<long long>(count); ++k) {
        p.values.push_back(detail::clean_number(from + static_cast<double>(k) * step));
    }
}

void read_between(const YAML::Node& node, const std::string& key, Parameter& p, SpecReader& r) {
    if (!node.IsSequence() || node.size() != 2) {
        r.error(node, key, "must be [low, high]", "e.g. between: [-0.03, -0.005]");
        return;
    }
    const auto low = r.number(node[0], key + "[0]");
    const auto high = r.number(node[1], key + "[1]");
    if (!low || !high) return;
    if (!(*low < *high)) return r.error(node, key, "low must be < high");
    p.low = *low;
    p.high = *high;
}

Parameter read_parameter(const YAML::Node& node, const std::string& key, SpecReader& r) {
    Parameter p;
    if (!node.IsMap()) {
        r.error(node, key, "must be a map with path: and one of values:, range:, between:");
        return p;
    }
    r.check_keys(node, key, {"path", "name", "values", "range", "between", "integer"});
    if (!node["path"]) {
        r.error(node, key, "needs 'path' (a scenario key path, as for --set)");
    } else if (auto path = r.text(node["path"], key + ".path")) {
        if (r.key_path(node["path"], key + ".path", *path)) p.path = *path;
    }
    p.column = p.path;
    if (node["name"]) {
        if (auto name = r.text(node["name"], key + ".name")) p.column = *name;
    }
    const int kinds =
        (node["values"] ? 1 : 0) + (node["range"] ? 1 : 0) + (node["between"] ? 1 : 0);
    if (kinds != 1) {
        r.error(node, key, "needs exactly one of values:, range:, between:",
                "values/range vary it on a grid; between samples it with the design");
        return p;
    }
    if (node["values"]) read_values(node["values"], key + ".values", p, r);
    if (node["range"]) read_range(node["range"], key + ".range", p, r);
    if (node["between"]) read_between(node["between"], key + ".between", p, r);
    if (node["integer"]) {
        const auto integer = r.flag(node["integer"], key + ".integer");
        if (integer && *integer && !node["between"]) {
            r.error(node["integer"], key + ".integer",
                    "only applies to a sampled (between:) parameter");
        }
        p.integer = integer.value_or(false);
    }
    return p;
}

void read_design(const YAML::Node& node, SweepSpec& s, SpecReader& r) {
    if (!node.IsMap()) return r.error(node, "design", "must be a map {method, samples, seed}");
    r.check_keys(node, "design", {"method", "samples", "seed"});
    const std::vector<std::string> methods = {"latin_hypercube", "sobol"};
    if (!node["method"]) {
        r.error(node, "design", "needs 'method'", "latin_hypercube or sobol");
    } else if (auto m = r.text(node["method"], "design.method")) {
        if (*m == "latin_hypercube")
            s.method = SampleMethod::LatinHypercube;
        else if (*m == "sobol")
            s.method = SampleMethod::Sobol;
        else
            r.error(node["method"], "design.method", "unknown method '" + *m + "'",
                    util::did_you_mean(*m, methods));
    }
    if (!node["samples"]) {
        r.error(node, "design", "needs 'samples' (how many design points)");
    } else if (auto n = r.integer(node["samples"], "design.samples", 1, kMaxValues)) {
        s.samples = static_cast<int>(*n);
    }
    if (node["seed"]) {
        if (auto seed = r.integer(node["seed"], "design.seed", 0, INT64_MAX))
            s.design_seed = static_cast<std::uint64_t>(*seed);
    } else {
        s.design_seed = 1;
    }
}

void read_indicators(const YAML::Node& node, SweepSpec& s, SpecReader& r) {
    if (!node.IsSequence() || node.size() == 0) {
        return r.error(node, "indicators", "must be a non-empty list of indicator keys",
                       "leave it out to keep all");
    }
    const auto known = indicators::keys();
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string key = "indicators[" + std::to_string(i) + "]";
        const auto name = r.text(node[i], key);
        if (!name) continue;
        if (std::find(known.begin(), known.end(), *name) == known.end()) {
            r.error(node[i], key, "unknown indicator '" + *name + "'",
                    util::did_you_mean(*name, known));
        } else if (std::find(s.indicators.begin(), s.indicators.end(), *name) !=
                   s.indicators.end()) {
            r.error(node[i], key, "indicator '" + *name + "' is listed twice");
        } else {
            s.indicators.push_back(*name);
        }
    }
}

void read_parameters(const YAML::Node& node, SweepSpec& s, SpecReader& r) {
    if (!node.IsSequence() || node.size() == 0) {
        return r.error(node, "parameters", "must be a non-empty list",
                       "e.g. - {path: choice.b_time, values: [-0.02, -0.01]}");
    }
    std::set<std::string> paths, columns;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string key = "parameters[" + std::to_string(i) + "]";
        Parameter p = read_parameter(node[i], key, r);
        if (p.path.empty()) continue;
        if (!paths.insert(p.path).second)
            r.error(node[i], key, "path '" + p.path + "' is varied twice");
        if (p.path == "seed" || p.path == "replications") {
            r.error(node[i], key + ".path", "'" + p.path + "' cannot be swept",
                    "the sweep sets it: use the top-level seed:, replications: and "
                    "common_random_numbers:");
        }
        if (!columns.insert(p.column).second)
            r.error(node[i], key, "column name '" + p.column + "' is used twice");
        for (const char* reserved : {"point", "replication", "indicator", "value", "n", "mean",
                                     "sd", "ci_low", "ci_high"}) {
            if (p.column == reserved)
                r.error(node[i], key,
                        "'" + p.column + "' is an output column; give the parameter a name:");
        }
        s.parameters.push_back(std::move(p));
    }
}

/// Cross-key checks: a design exactly when some parameter is sampled.
void check_design(const YAML::Node& root, SweepSpec& s, SpecReader& r) {
    int sampled = 0;
    for (const auto& p : s.parameters) sampled += p.sampled() && !p.path.empty() ? 1 : 0;
    if (sampled > 0 && !root["design"]) {
        r.error(root, "design", "parameters with between: need a design",
                "design: {method: latin_hypercube, samples: 20, seed: 1}");
    }
    if (sampled == 0 && root["design"])
        r.error(root["design"], "design", "no parameter is sampled (between:)");
    if (s.method == SampleMethod::Sobol && sampled > sobol_max_dimensions()) {
        r.error(root["design"], "design.method",
                "sobol supports at most " + std::to_string(sobol_max_dimensions()) +
                    " sampled parameters, got " + std::to_string(sampled),
                "use latin_hypercube");
    }
}

/// The number of points (grid points times design samples), refused above kMaxPoints before
/// anything is expanded. Counted in double: a grid of many large parameters overflows 64 bits.
void check_points(const YAML::Node& root, const SweepSpec& s, SpecReader& r) {
    double points = 1;
    bool sampled = false;
    for (const auto& p : s.parameters) {
        sampled = sampled || p.sampled();
        if (!p.sampled()) points *= static_cast<double>(p.values.size());
    }
    if (sampled) points *= std::max(1, s.samples);
    if (points <= static_cast<double>(kMaxPoints)) return;
    r.error(root["parameters"], "parameters",
            "the sweep has " + detail::clean_number(points, 3) +
                " points, more than the limit of " + std::to_string(kMaxPoints),
            "vary fewer parameters or fewer values (or fewer samples), or split the sweep into "
            "several files");
}

/// The settings of every point's run: seed, replications, common random numbers, confidence.
void read_run_settings(const YAML::Node& root, SweepSpec& s, SpecReader& r) {
    if (root["seed"]) {
        if (auto seed = r.integer(root["seed"], "seed", 0, INT64_MAX))
            s.seed = static_cast<std::uint64_t>(*seed);
    }
    if (root["replications"]) {
        if (auto n = r.integer(root["replications"], "replications", 1, 100'000))
            s.replications = static_cast<int>(*n);
    }
    if (root["common_random_numbers"]) {
        s.common_random_numbers =
            r.flag(root["common_random_numbers"], "common_random_numbers").value_or(true);
    }
    if (root["confidence"]) {
        const auto c = r.number(root["confidence"], "confidence");
        if (c && !(*c > 0 && *c < 1))
            r.error(root["confidence"], "confidence", "must be in (0, 1)");
        else if (c)
            s.confidence = *c;
    }
}

SweepSpec read_spec(const YAML::Node& root, SpecReader& r) {
    SweepSpec s;
    if (!root.IsMap()) {
        r.error(root, "", "a sweep file must be a map with base: and parameters:");
        return s;
    }
    r.check_keys(root, "",
                 {"name", "description", "base", "set", "seed", "replications",
                  "common_random_numbers", "confidence", "indicators", "parameters", "design"});
    if (root["name"]) s.name = r.text(root["name"], "name").value_or("");
    if (!root["base"])
        r.error(root, "base", "missing", "the base scenario file, relative to this file");
    else if (auto base = r.text(root["base"], "base"))
        s.base = *base;
    if (root["set"]) s.fixed = r.overrides(root["set"], "set");
    read_run_settings(root, s, r);
    if (root["indicators"]) read_indicators(root["indicators"], s, r);
    if (!root["parameters"])
        r.error(root, "parameters", "missing", "the list of values to vary");
    else
        read_parameters(root["parameters"], s, r);
    if (root["design"]) read_design(root["design"], s, r);
    check_design(root, s, r);
    check_points(root, s, r);
    return s;
}

}  // namespace

SweepSpec load_sweep_string(const std::string& text, const std::string& file_label) {
    SpecReader r(file_label);
    const YAML::Node root = detail::parse_yaml(text, file_label);
    SweepSpec s = r.read_located<SweepSpec>([&] { return read_spec(root, r); }, "docs/sweeps.md");
    s.file = file_label;
    s.text = text;
    if (s.name.empty()) s.name = std::filesystem::path(file_label).stem().string();
    if (s.base.is_relative())
        s.base = (std::filesystem::path(file_label).parent_path() / s.base).lexically_normal();
    return s;
}

SweepSpec load_sweep_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw scenario::ScenarioError(
            {scenario::Diagnostic{file.string(), 0, 0, "", "cannot read the sweep file", ""}});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_sweep_string(text.str(), file.string());
}

const char* to_string(SampleMethod method) {
    switch (method) {
        case SampleMethod::None:
            return "grid";
        case SampleMethod::LatinHypercube:
            return "latin_hypercube";
        case SampleMethod::Sobol:
            return "sobol";
    }
    return "grid";
}

}  // namespace cmasim::sweep
