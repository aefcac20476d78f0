#include "cmasim/calibrate/spec.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "cmasim/indicators/table.h"
#include "cmasim/sweep/design.h"
#include "cmasim/sweep/spec_reader.h"

namespace cmasim::calibrate {

namespace {

using sweep::detail::SpecReader;

/// z of a two-sided 95% interval: an interval [lo, hi] gives se = (hi - lo) / (2 * 1.96).
constexpr double kInterval95 = 3.92;

std::optional<std::pair<double, double>> read_pair(const YAML::Node& node, const std::string& key,
                                                   SpecReader& r, const std::string& example) {
    if (!node.IsSequence() || node.size() != 2) {
        r.error(node, key, "must be [low, high]", example);
        return std::nullopt;
    }
    const auto low = r.number(node[0], key + "[0]");
    const auto high = r.number(node[1], key + "[1]");
    if (!low || !high) return std::nullopt;
    if (!(*low < *high)) {
        r.error(node, key, "low must be < high");
        return std::nullopt;
    }
    return std::make_pair(*low, *high);
}

void read_prior(const YAML::Node& node, const std::string& key, FreeParameter& p, SpecReader& r) {
    if (!node.IsMap()) return r.error(node, key, "must be a map {mean, sd}", "a normal prior");
    r.check_keys(node, key, {"mean", "sd"});
    if (!node["mean"] || !node["sd"]) return r.error(node, key, "needs mean: and sd:");
    p.prior_mean = r.number(node["mean"], key + ".mean");
    p.prior_sd = r.number(node["sd"], key + ".sd");
    if (p.prior_sd && !(*p.prior_sd > 0)) r.error(node["sd"], key + ".sd", "must be > 0");
}

FreeParameter read_parameter(const YAML::Node& node, const std::string& key, SpecReader& r) {
    FreeParameter p;
    if (!node.IsMap()) {
        r.error(node, key, "must be a map with path: and bounds:",
                "e.g. - {path: choice.b_time, bounds: [-0.03, -0.005]}");
        return p;
    }
    r.check_keys(node, key, keys_of("parameters"));
    p.at_line = node.Mark().line + 1;
    p.at_column = node.Mark().column + 1;
    if (!node["path"]) {
        r.error(node, key, "needs 'path' (a scenario key path, as for --set)");
    } else if (auto path = r.text(node["path"], key + ".path")) {
        if (r.key_path(node["path"], key + ".path", *path)) p.path = *path;
    }
    p.column = p.path;
    if (node["name"]) p.column = r.text(node["name"], key + ".name").value_or(p.path);
    if (!node["bounds"]) {
        r.error(node, key, "needs 'bounds: [low, high]'", "the interval the search covers");
    } else if (auto b = read_pair(node["bounds"], key + ".bounds", r, "e.g. bounds: [0, 2]")) {
        std::tie(p.low, p.high) = *b;
    }
    if (node["prior"]) read_prior(node["prior"], key + ".prior", p, r);
    if (node["integer"]) p.integer = r.flag(node["integer"], key + ".integer").value_or(false);
    return p;
}

void read_parameters(const YAML::Node& node, CalibrationSpec& s, SpecReader& r) {
    if (!node.IsSequence() || node.size() == 0) {
        return r.error(node, "parameters", "must be a non-empty list",
                       "e.g. - {path: choice.b_time, bounds: [-0.03, -0.005]}");
    }
    std::set<std::string> paths, columns;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string key = "parameters[" + std::to_string(i) + "]";
        FreeParameter p = read_parameter(node[i], key, r);
        if (p.path.empty()) continue;
        if (!paths.insert(p.path).second) r.error(node[i], key, "path '" + p.path + "' is twice");
        if (!columns.insert(p.column).second)
            r.error(node[i], key, "name '" + p.column + "' is used twice");
        if (p.path == "seed" || p.path == "replications")
            r.error(node[i], key + ".path", "'" + p.path + "' cannot be calibrated",
                    "method.replications sets the replications; the seed is the scenario's");
        s.parameters.push_back(std::move(p));
    }
    if (s.parameters.size() > static_cast<std::size_t>(sweep::sobol_max_dimensions()))
        r.error(node, "parameters",
                "at most " + std::to_string(sweep::sobol_max_dimensions()) + " free parameters");
}

void read_uncertainty(const YAML::Node& node, const std::string& key, Target& t, SpecReader& r) {
    const int given = (node["se"] ? 1 : 0) + (node["interval"] ? 1 : 0);
    if (given != 1) {
        return r.error(node, key, "needs exactly one of se: and interval:",
                       "se: the standard error; interval: a 95% interval [low, high]");
    }
    if (node["se"]) {
        const auto se = r.number(node["se"], key + ".se");
        if (se && !(*se > 0)) r.error(node["se"], key + ".se", "must be > 0");
        t.se = se.value_or(1);
    } else if (auto b = read_pair(node["interval"], key + ".interval", r, "[0.85, 0.91]")) {
        t.se = (b->second - b->first) / kInterval95;
    }
    if (node["discrepancy"]) {
        const auto d = r.number(node["discrepancy"], key + ".discrepancy");
        if (d && !(*d >= 0)) r.error(node["discrepancy"], key + ".discrepancy", "must be >= 0");
        t.discrepancy = std::max(0.0, d.value_or(0));
    }
}

/// `period:`: any text describing what the observation covers; "before" and "after" place the
/// target against the reform of the scenario's timeline (an after-target is never fitted).
void read_period(const YAML::Node& node, const std::string& key, Target& t, SpecReader& r) {
    const auto period = r.text(node, key);
    if (!period) return;
    t.period = *period;
    if (*period == "before") t.reform = ReformPeriod::Before;
    if (*period == "after") t.reform = ReformPeriod::After;
    if (t.reform == ReformPeriod::After) t.holdout = true;
}

/// `measure:` level (default) or change (after minus before; after-targets only).
void read_measure(const YAML::Node& node, const std::string& key, Target& t, SpecReader& r) {
    const auto measure = r.text(node, key);
    if (!measure || *measure == "level") return;
    if (*measure != "change") {
        return r.error(node, key, "unknown measure '" + *measure + "'",
                       util::did_you_mean(*measure, {"level", "change"}));
    }
    t.measure = Measure::Change;
    if (t.reform != ReformPeriod::After)
        r.error(node, key, "measure: change needs period: after",
                "a change is the after period's value minus the before period's");
}

Target read_target(const YAML::Node& node, const std::string& key, SpecReader& r) {
    Target t;
    if (!node.IsMap()) {
        r.error(node, key, "must be a map with indicator:, value: and se: or interval:",
                "e.g. - {indicator: grassroots_share, value: 0.62, se: 0.02}");
        return t;
    }
    r.check_keys(node, key, keys_of("targets"));
    const auto known = indicators::keys();
    if (!node["indicator"]) {
        r.error(node, key, "needs 'indicator' (a key of docs/indicators.md)");
    } else if (auto name = r.text(node["indicator"], key + ".indicator")) {
        if (std::find(known.begin(), known.end(), *name) == known.end())
            r.error(node["indicator"], key + ".indicator", "unknown indicator '" + *name + "'",
                    util::did_you_mean(*name, known));
        else
            t.indicator = *name;
    }
    if (!node["value"])
        r.error(node, key, "needs 'value' (the observed value, in the indicator's unit)");
    else
        t.value = r.number(node["value"], key + ".value").value_or(0);
    read_uncertainty(node, key, t, r);
    t.at_line = node.Mark().line + 1;
    t.at_column = node.Mark().column + 1;
    if (node["period"]) read_period(node["period"], key + ".period", t, r);
    if (node["measure"]) read_measure(node["measure"], key + ".measure", t, r);
    if (node["source"]) t.source = r.text(node["source"], key + ".source").value_or("");
    if (node["year"]) {
        if (auto y = r.integer(node["year"], key + ".year", 1900, 2200))
            t.year = static_cast<int>(*y);
    }
    if (node["holdout"] && t.reform != ReformPeriod::After)
        t.holdout = r.flag(node["holdout"], key + ".holdout").value_or(false);
    return t;
}

/// Before/after targets: the after period is predicted from a calibration on the before period
/// alone, so every fitted target must be a before-target, and an after-target needs one.
void check_reform_targets(const YAML::Node& node, const CalibrationSpec& s, SpecReader& r) {
    if (!s.has_reform_targets() || s.targets.size() != node.size()) return;
    bool before = false;
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const Target& t = s.targets[i];
        before = before || (t.reform == ReformPeriod::Before && !t.holdout);
        if (t.reform == ReformPeriod::None && !t.holdout)
            r.error(node[i], "targets[" + std::to_string(i) + "]",
                    "with before/after targets every fitted target needs period: before",
                    "the whole horizon includes the reform; add period: before, or holdout: true");
    }
    if (!before)
        r.error(node, "targets", "after-targets need a fitted period: before target",
                "the calibration fits the before period and predicts the after period");
}

void read_targets(const YAML::Node& node, CalibrationSpec& s, SpecReader& r) {
    if (!node.IsSequence() || node.size() == 0) {
        return r.error(node, "targets", "must be a non-empty list",
                       "e.g. - {indicator: grassroots_share, value: 0.62, se: 0.02}");
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string key = "targets[" + std::to_string(i) + "]";
        Target t = read_target(node[i], key, r);
        if (t.indicator.empty()) continue;
        for (const auto& other : s.targets) {
            if (other.indicator == t.indicator && other.period == t.period &&
                other.measure == t.measure)
                r.error(node[i], key, "indicator '" + t.indicator + "' is a target twice",
                        "one observation per indicator and period");
        }
        s.targets.push_back(std::move(t));
    }
    check_reform_targets(node, s, r);
    if (!s.targets.empty() &&
        std::all_of(s.targets.begin(), s.targets.end(), [](const Target& t) { return t.holdout; }))
        r.error(node, "targets", "every target is held out", "fit at least one");
}

/// An integer setting of method: in [min, max], or its default when absent.
void read_count(const YAML::Node& m, const char* name, int min, int max, int& out, SpecReader& r) {
    if (!m[name]) return;
    if (auto v = r.integer(m[name], std::string("method.") + name, min, max))
        out = static_cast<int>(*v);
}

void read_method(const YAML::Node& m, Method& method, SpecReader& r) {
    if (!m.IsMap()) return r.error(m, "method", "must be a map", "e.g. method: {waves: 3}");
    r.check_keys(m, "method", keys_of("method"));
    read_count(m, "waves", 1, 20, method.waves, r);
    read_count(m, "points_per_wave", 4, 2000, method.points_per_wave, r);
    int replications = 0;
    read_count(m, "replications", 2, 10'000, replications, r);
    if (replications > 0) method.replications = replications;
    read_count(m, "pool", 64, 1 << 20, method.pool, r);
    read_count(m, "fit_evaluations", 0, 10'000, method.fit_evaluations, r);
    read_count(m, "draws", 1, 100'000, method.draws, r);
    if (m["cutoff"]) {
        const auto c = r.number(m["cutoff"], "method.cutoff");
        if (c && !(*c > 0)) r.error(m["cutoff"], "method.cutoff", "must be > 0", "usually 3");
        method.cutoff = c.value_or(3);
    }
    if (m["seed"]) {
        if (auto seed = r.integer(m["seed"], "method.seed", 0, INT64_MAX))
            method.seed = static_cast<std::uint64_t>(*seed);
    }
    if (m["optimizer"]) {
        const auto o = r.text(m["optimizer"], "method.optimizer").value_or("sbplx");
        if (o == "bobyqa")
            method.optimizer = Optimizer::Bobyqa;
        else if (o != "sbplx")
            r.error(m["optimizer"], "method.optimizer", "unknown optimizer '" + o + "'",
                    util::did_you_mean(o, {"sbplx", "bobyqa"}));
    }
}

CalibrationSpec read_spec(const YAML::Node& root, SpecReader& r) {
    CalibrationSpec s;
    if (!root.IsMap()) {
        r.error(root, "", "a calibration file must be a map with parameters: and targets:");
        return s;
    }
    r.check_keys(root, "", keys_of(""));
    if (root["name"]) s.name = r.text(root["name"], "name").value_or("");
    if (root["set"]) s.fixed = r.overrides(root["set"], "set");
    if (!root["parameters"])
        r.error(root, "parameters", "missing", "the free parameters with their bounds");
    else
        read_parameters(root["parameters"], s, r);
    if (!root["targets"])
        r.error(root, "targets", "missing", "the observed indicators to match");
    else
        read_targets(root["targets"], s, r);
    if (root["method"]) read_method(root["method"], s.method, r);
    if (root["reform"]) {
        s.reform = r.text(root["reform"], "reform").value_or("");
        s.reform_line = root["reform"].Mark().line + 1;
        s.reform_column = root["reform"].Mark().column + 1;
        if (!s.has_reform_targets())
            r.error(root["reform"], "reform", "no target has period: before or after",
                    "reform: names the timeline entry that before/after targets stand against");
    }
    return s;
}

}  // namespace

CalibrationSpec load_calibration_string(const std::string& text, const std::string& file_label) {
    SpecReader r(file_label);
    const YAML::Node root = sweep::detail::parse_yaml(text, file_label);
    CalibrationSpec s =
        r.read_located<CalibrationSpec>([&] { return read_spec(root, r); }, "docs/calibration.md");
    s.file = file_label;
    s.text = text;
    if (s.name.empty()) s.name = std::filesystem::path(file_label).stem().string();
    return s;
}

CalibrationSpec load_calibration_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw scenario::ScenarioError({scenario::Diagnostic{
            file.string(), 0, 0, "", "cannot read the calibration file", "check the path"}});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_calibration_string(text.str(), file.string());
}

void hold_out(CalibrationSpec& spec, const std::vector<std::string>& indicators) {
    std::vector<scenario::Diagnostic> problems;
    std::vector<std::string> names;
    for (const auto& t : spec.targets) names.push_back(t.indicator);
    for (const auto& key : indicators) {
        bool found = false;
        for (auto& t : spec.targets) {
            if (t.indicator != key) continue;
            t.holdout = true;
            found = true;
        }
        if (!found)
            problems.push_back({spec.file, 0, 0, "--holdout",
                                "no target has indicator '" + key + "'",
                                util::did_you_mean(key, names)});
    }
    if (std::all_of(spec.targets.begin(), spec.targets.end(),
                    [](const Target& t) { return t.holdout; }))
        problems.push_back(
            {spec.file, 0, 0, "--holdout", "every target is held out", "fit at least one target"});
    if (!problems.empty()) throw scenario::ScenarioError(problems);
}

bool CalibrationSpec::has_reform_targets() const {
    return std::any_of(targets.begin(), targets.end(),
                       [](const Target& t) { return t.reform != ReformPeriod::None; });
}

const char* to_string(Optimizer optimizer) {
    return optimizer == Optimizer::Bobyqa ? "bobyqa" : "sbplx";
}

}  // namespace cmasim::calibrate
