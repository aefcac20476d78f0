// The calibration's report files besides the CSVs: summary.txt, calibration.json and
// calibrated.yaml (a scenario that extends the base with the fitted values). None holds a time
// or a command line, so a resumed run writes the same bytes (timing.json has those).
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cmasim/report/manifest.h"
#include "cmasim/report/writers.h"
#include "cmasim/scenario/key_path.h"
#include "cmasim/util/atomic_file.h"
#include "cmasim/util/hash.h"
#include "state.h"

namespace cmasim::calibrate::detail {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

Json number(double v) {
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

Json targets_json(const Context& c, const Outcome& o) {
    Json out = Json::array();
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        const Target& tg = c.spec.targets[t];
        const TargetResult& r = o.targets[t];
        out.push_back({{"indicator", tg.indicator},
                       {"period", tg.period},
                       {"measure", to_string(tg.measure)},
                       {"role", role_of(tg)},
                       {"observed", tg.value},
                       {"se", tg.se},
                       {"discrepancy", tg.discrepancy},
                       {"simulated_mean", number(r.best.mean)},
                       {"ci_low", number(r.best.ci_low)},
                       {"ci_high", number(r.best.ci_high)},
                       {"z", number(r.z)},
                       {"implausibility", number(r.implausibility)},
                       {"noise_ratio", number(r.noise_ratio)},
                       {"predicted_mean", number(r.predicted_mean)},
                       {"predicted_low", number(r.predicted_low)},
                       {"predicted_high", number(r.predicted_high)},
                       {"coverage", r.inside ? "inside" : "outside"},
                       {"source", tg.source}});
    }
    return out;
}

Json parameters_json(const Context& c, const Outcome& o) {
    Json out = Json::array();
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d) {
        const FreeParameter& p = c.spec.parameters[d];
        const ParameterResult& r = o.parameters[d];
        out.push_back({{"name", p.column},
                       {"path", p.path},
                       {"low", p.low},
                       {"high", p.high},
                       {"best", r.best},
                       {"plausible_low", number(r.plausible_low)},
                       {"plausible_high", number(r.plausible_high)},
                       {"range_fraction", number(r.fraction)},
                       {"identified", r.constrained}});
    }
    return out;
}

Json method_json(const Context& c) {
    const Method& m = c.spec.method;
    return {{"waves", m.waves},
            {"points_per_wave", m.points_per_wave},
            {"replications", c.replications},
            {"cutoff", m.cutoff},
            {"design_seed", m.seed},
            {"simulation_seed", c.seed},
            {"pool", m.pool},
            {"fit_evaluations", m.fit_evaluations},
            {"optimizer", to_string(m.optimizer)},
            {"draws", m.draws},
            {"emulator",
             "Gaussian process: linear mean, squared-exponential kernel, "
             "maximum-likelihood hyperparameters (NLopt Sbplx)"}};
}

std::string calibration_json(const Context& c, const Outcome& o) {
    Json j;
    j["format"] = "cmasim calibration";
    j["name"] = c.spec.name;
    j["calibration_file"] = c.spec.file;
    j["calibration_sha256"] = util::sha256_hex(c.spec.text);
    j["scenario"] = c.options.scenario.string();
    j["scenario_sha256"] = c.scenario_sha256;
    if (!c.reform.empty()) j["reform"] = c.reform;
    j["method"] = method_json(c);
    j["targets"] = targets_json(c, o);
    j["parameters"] = parameters_json(c, o);
    j["best_objective"] = o.best_objective;
    j["remaining_fraction"] = o.remaining;
    j["waves_run"] = o.waves.size();
    j["fit_evaluations_run"] = o.fit_runs.size();
    j["replications_simulated"] = o.tasks;
    j["county_years_simulated"] = o.county_years;
    j["warnings"] = warnings(c, o);
    j["version"] = report::build_info().version;
    return j.dump(2) + "\n";
}

/// A scenario overlay being built from key paths: keys as maps, [id] as list items with that id.
/// (A named child is its own struct, not a std::pair: a pair of an incomplete type is undefined
/// behaviour, which Clang's library checks reject.)
struct OverlayEntry;
struct Overlay {
    std::vector<OverlayEntry> keys;
    std::vector<OverlayEntry> items;
    std::string value;  ///< a leaf's YAML text
};
struct OverlayEntry {
    std::string first;
    Overlay second;
};

Overlay& child(std::vector<OverlayEntry>& list, const std::string& name) {
    for (auto& [k, v] : list) {
        if (k == name) return v;
    }
    list.push_back(OverlayEntry{name, Overlay{}});
    return list.back().second;
}

/// Places `value` at `path`; false for a path an overlay cannot write (a list index).
bool place(Overlay& root, const std::string& path, const std::string& value) {
    std::string problem;
    const auto segments = scenario::parse_key_path(path, problem);
    if (!segments) return false;
    Overlay* node = &root;
    for (const auto& s : *segments) {
        if (!s.is_key && s.index) return false;
        node = &child(s.is_key ? node->keys : node->items, s.key);
    }
    node->value = value;
    return true;
}

std::string plain(const std::string& key) {
    for (const unsigned char ch : key) {
        if (!(std::isalnum(ch) || ch == '_' || ch == '-' || ch >= 0x80)) return "\"" + key + "\"";
    }
    return key;
}

void emit(const Overlay& o, const std::string& indent, std::string& out) {
    for (const auto& [key, v] : o.keys) {
        out += indent + plain(key) + ":";
        if (!v.value.empty()) {
            out += " " + v.value + "\n";
            continue;
        }
        out += "\n";
        for (const auto& [id, item] : v.items) {
            out += indent + "  - id: " + plain(id) + "\n";
            emit(item, indent + "    ", out);
        }
        emit(v, indent + "  ", out);
    }
}

std::string calibrated_yaml(const Context& c, const Outcome& o) {
    std::string out = "# Calibrated by cmasim " + report::build_info().version + " calibrate (" +
                      c.spec.file + ", sha256 " + util::sha256_hex(c.spec.text).substr(0, 12) +
                      "...)\n# on " + c.options.scenario.string() + ": " +
                      std::to_string(o.waves.size()) + " waves of history matching, " +
                      std::to_string(o.fit_runs.size()) + " best-fit evaluations, " +
                      std::to_string(c.replications) + " replications per point, seed " +
                      std::to_string(c.seed) + ".\n# Targets (observed -> simulated here):\n";
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        const Target& tg = c.spec.targets[t];
        out += "#   " + tg.indicator + (tg.period.empty() ? "" : " (" + tg.period + ")") +
               (tg.measure == Measure::Change ? " change" : "") +
               (tg.holdout ? " (held out)" : "") + ": " + g(c.spec.targets[t].value) + " -> " +
               g(o.targets[t].best.mean) + " [" + g(o.targets[t].best.ci_low) + ", " +
               g(o.targets[t].best.ci_high) + "]\n";
    }
    out += "# Plausible ranges and the parameter draws: calibration.json, draws.csv.\n";
    const fs::path base = fs::absolute(c.options.scenario).lexically_normal();
    out += "extends: " + base.lexically_relative(fs::absolute(c.options.out)).string() + "\n";
    Overlay overlay;
    std::string unwritable;
    const auto put = [&](const std::string& path, const std::string& value) {
        if (!place(overlay, path, value)) unwritable += "#   --set " + path + "=" + value + "\n";
    };
    for (const auto& f : c.spec.fixed) put(f.substr(0, f.find('=')), f.substr(f.find('=') + 1));
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d)
        put(c.spec.parameters[d].path, o.best.values[d]);
    emit(overlay, "", out);
    if (!unwritable.empty())
        out += "# Set by list index, which extends: cannot write:\n" + unwritable;
    return out;
}

}  // namespace

std::vector<std::string> write_files(const Context& c, const Outcome& o) {
    const std::vector<std::pair<std::string, std::string>> files = {
        {"summary.txt", summary_text(c, o)},
        {"calibration.json", calibration_json(c, o)},
        {"targets.csv", targets_csv(c, o)},
        {"parameters.csv", parameters_csv(c, o)},
        {"waves.csv", waves_csv(c, o)},
        {"draws.csv", draws_csv(c, o)},
        {"calibrated.yaml", calibrated_yaml(c, o)}};
    std::vector<std::string> names;
    for (const auto& [name, text] : files) {
        util::write_file_atomically(c.options.out / name, text);
        names.push_back(name);
    }
    return names;
}

}  // namespace cmasim::calibrate::detail
