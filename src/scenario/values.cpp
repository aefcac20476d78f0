// Readers of the composite values: distributions, opening hours, times of day.
#include <algorithm>
#include <array>
#include <cstdio>

#include "fields.h"

namespace cmasim::scenario::detail {

namespace {

struct DistributionKind {
    std::string name;
    std::vector<std::string> params;
};

const std::vector<DistributionKind>& distribution_kinds() {
    static const std::vector<DistributionKind> kinds{{"fixed", {"value"}},
                                                     {"exponential", {"mean"}},
                                                     {"lognormal", {"mean", "sd"}},
                                                     {"gamma", {"mean", "sd"}},
                                                     {"triangular", {"min", "mode", "max"}},
                                                     {"uniform", {"min", "max"}},
                                                     {"empirical", {"values", "weights"}}};
    return kinds;
}

std::optional<std::vector<double>> read_number_list(const YAML::Node& node, Reader& r) {
    if (!expect_list(node, r)) return std::nullopt;
    static const SchemaKey any{};
    std::vector<double> out;
    for (std::size_t i = 0; i < node.size(); ++i) {
        Reader::Scope scope(r, "[" + std::to_string(i) + "]");
        auto v = read_number(node[i], r, any);
        if (!v) return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

/// The parameters of one distribution, as read; nullopt if any is missing or bad.
struct DistributionParams {
    std::map<std::string, double> numbers;
    std::vector<double> values, weights;
};

std::optional<DistributionParams> read_params(const DistributionKind& kind,
                                              const std::vector<MapEntry>& entries,
                                              const YAML::Node& node, Reader& r) {
    static const SchemaKey any{};
    DistributionParams p;
    bool ok = true;
    for (const auto& e : entries) {
        if (e.key == "dist") continue;
        Reader::Scope scope(r, e.key);
        if (e.key == "values" || e.key == "weights") {
            auto list = read_number_list(e.value, r);
            ok = ok && list.has_value();
            if (list) (e.key == "values" ? p.values : p.weights) = *list;
        } else if (auto v = read_number(e.value, r, any)) {
            p.numbers[e.key] = *v;
        } else {
            ok = false;
        }
    }
    for (const auto& name : kind.params) {
        const bool given = std::any_of(entries.begin(), entries.end(),
                                       [&](const MapEntry& e) { return e.key == name; });
        if (given || name == "weights") continue;
        r.error(node, "a " + kind.name + " distribution needs '" + name + "'",
                "write {dist: " + kind.name + ", " + name + ": ...}");
        ok = false;
    }
    if (!ok) return std::nullopt;
    if (kind.name == "empirical" && p.weights.empty()) p.weights.assign(p.values.size(), 1.0);
    return p;
}

sim::Distribution build(const std::string& kind, DistributionParams& p) {
    auto& n = p.numbers;
    if (kind == "fixed") return sim::Distribution::fixed(n["value"]);
    if (kind == "exponential") return sim::Distribution::exponential(n["mean"]);
    if (kind == "lognormal") return sim::Distribution::lognormal(n["mean"], n["sd"]);
    if (kind == "gamma") return sim::Distribution::gamma(n["mean"], n["sd"]);
    if (kind == "triangular") return sim::Distribution::triangular(n["min"], n["mode"], n["max"]);
    if (kind == "uniform") return sim::Distribution::uniform(n["min"], n["max"]);
    return sim::Distribution::empirical(p.values, p.weights);
}

/// The smallest value a distribution of this kind can take (the positive ones can take 0).
double lowest_value(const std::string& kind, DistributionParams& p) {
    if (kind == "fixed") return p.numbers["value"];
    if (kind == "triangular" || kind == "uniform") return p.numbers["min"];
    if (kind == "empirical") return *std::min_element(p.values.begin(), p.values.end());
    return 0;
}

std::optional<sim::Distribution> read_fixed(const YAML::Node& node, Reader& r,
                                            const SchemaKey& doc) {
    static const SchemaKey any{};
    if (!node.IsScalar()) {
        r.error(node,
                "expected a number or {dist: ...}, got " +
                    std::string(node.IsNull() ? "nothing" : "a list"),
                "e.g. 10 or {dist: lognormal, mean: 10, sd: 4}");
        return std::nullopt;
    }
    auto v = read_number(node, r, any);
    if (!v) return std::nullopt;
    if (*v < 0) {
        r.error(node, "cannot be negative, got " + format_number(*v),
                "durations and counts are 0 or more");
        return std::nullopt;
    }
    if (!check_bounds(*v, node, r, doc)) return std::nullopt;
    return sim::Distribution::fixed(*v);
}

/// Every parameter of a duration's distribution (a mean, a spread, an end, a listed value) is
/// in the duration's unit, so each must respect its upper bound; the first beyond it is reported.
bool check_parameters(const DistributionParams& p, const YAML::Node& node, Reader& r,
                      const SchemaKey& doc) {
    if (!doc.max) return true;
    std::vector<std::pair<std::string, double>> all(p.numbers.begin(), p.numbers.end());
    for (double v : p.values) all.emplace_back("values", v);
    for (const auto& [name, v] : all) {
        if (v <= doc.max->value) continue;
        r.error(node,
                name + " must be <= " + format_number(doc.max->value) +
                    (doc.unit.empty() ? "" : " " + doc.unit) + ", got " + format_number(v),
                doc.hint.empty() ? doc.description : doc.hint);
        return false;
    }
    return true;
}

}  // namespace

std::optional<sim::Distribution> read_distribution(const YAML::Node& node, Reader& r,
                                                   const SchemaKey& doc) {
    if (!node.IsMap()) return read_fixed(node, r, doc);
    std::vector<std::string> names;
    for (const auto& k : distribution_kinds()) names.push_back(k.name);
    const YAML::Node dist = node["dist"];
    if (!dist.IsDefined()) {
        r.error(node, "a distribution needs 'dist'", util::did_you_mean("", names));
        return std::nullopt;
    }
    std::optional<std::size_t> which;
    {
        Reader::Scope scope(r, "dist");
        which = read_choice(dist, r, names);
    }
    if (!which) return std::nullopt;
    const DistributionKind& kind = distribution_kinds()[*which];
    std::vector<std::string> allowed = kind.params;
    allowed.push_back("dist");
    auto entries = map_entries(node, r, allowed, "a distribution");
    if (!entries || entries->size() != node.size()) return std::nullopt;
    auto params = read_params(kind, *entries, node, r);
    if (!params || !check_parameters(*params, node, r, doc)) return std::nullopt;
    try {
        sim::Distribution d = build(kind.name, *params);
        const double lowest = lowest_value(kind.name, *params);
        if (lowest < 0) {
            r.error(node, "can go negative: " + d.describe() + " reaches " + format_number(lowest),
                    "durations and counts are 0 or more; use a distribution that stays >= 0");
            return std::nullopt;
        }
        return d;
    } catch (const sim::DistributionError& e) {
        r.error(node, e.what(), "fix the parameters of the " + kind.name + " distribution");
        return std::nullopt;
    }
}

std::optional<sim::SimTime> read_time_of_day(const YAML::Node& node, Reader& r) {
    if (!node.IsScalar()) {
        r.error(node, "expected a time of day like \"08:30\"");
        return std::nullopt;
    }
    const std::string& s = node.Scalar();
    int h = -1, m = -1;
    char extra = 0;
    const bool shaped =
        s.size() == 5 && s[2] == ':' && std::sscanf(s.c_str(), "%2d:%2d%c", &h, &m, &extra) == 2;
    if (!shaped || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
        r.error(node, "'" + s + "' is not a time of day",
                "write HH:MM in quotes, from \"00:00\" to \"24:00\"");
        return std::nullopt;
    }
    return h * sim::kHour + m * sim::kMinute;
}

namespace {

const std::array<std::string, 7> kDayNames{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

}  // namespace

void read_days(const YAML::Node& node, OpeningWindow& w, Reader& r) {
    if (node.IsScalar() && (node.Scalar() == "daily" || node.Scalar() == "weekdays")) {
        const int n = node.Scalar() == "daily" ? 7 : 5;
        for (int d = 0; d < n; ++d) w.days[d] = true;
        return;
    }
    if (node.IsScalar() || !expect_list(node, r)) {
        if (node.IsScalar()) {
            r.error(node, "'" + node.Scalar() + "' is not a list of days",
                    "write daily, weekdays, or a list like [mon, tue, wed]");
        }
        return;
    }
    std::vector<std::string> names(kDayNames.begin(), kDayNames.end());
    if (node.size() == 0) r.error(node, "no days listed", "list at least one day, e.g. [mon]");
    for (std::size_t i = 0; i < node.size(); ++i) {
        Reader::Scope scope(r, "[" + std::to_string(i) + "]");
        auto day = read_choice(node[i], r, names);
        if (!day) continue;
        if (w.days[*day]) r.error(node[i], "day '" + names[*day] + "' is listed twice");
        w.days[*day] = true;
    }
}

namespace {

const RecordSchema<OpeningWindow>& window_schema() {
    static const RecordSchema<OpeningWindow> schema{
        {FieldBuilder<OpeningWindow>("days", "days", "",
                                     [](const YAML::Node& n, OpeningWindow& w, Reader& r,
                                        const SchemaKey&) { read_days(n, w, r); })
             .required()
             .describe(
                 "the weekdays this window applies to: a list of mon..sun, daily or weekdays"),
         time_of_day("from", &OpeningWindow::from).required().describe("opening time"),
         time_of_day("to", &OpeningWindow::to).required().describe("closing time")},
        {}};
    return schema;
}

std::optional<OpeningWindow> read_window(const YAML::Node& node, Reader& r) {
    const std::size_t errors_before = r.diagnostics().size();
    OpeningWindow w;
    apply_record(window_schema(), node, w, r);
    if (r.diagnostics().size() != errors_before) return std::nullopt;
    if (w.from >= w.to) {
        r.error(
            node,
            "opens at " + format_time_of_day(w.from) + " but closes at " + format_time_of_day(w.to),
            "'from' must be before 'to'");
        return std::nullopt;
    }
    return w;
}

void check_overlaps(const std::vector<OpeningWindow>& windows, const YAML::Node& node, Reader& r) {
    for (std::size_t a = 0; a < windows.size(); ++a) {
        for (std::size_t b = a + 1; b < windows.size(); ++b) {
            const auto &x = windows[a], &y = windows[b];
            for (int d = 0; d < 7; ++d) {
                if (!x.days[d] || !y.days[d] || x.to <= y.from || y.to <= x.from) continue;
                r.error(node[b],
                        "opening windows overlap on " + kDayNames[d] + ": " +
                            format_time_of_day(x.from) + "-" + format_time_of_day(x.to) + " and " +
                            format_time_of_day(y.from) + "-" + format_time_of_day(y.to),
                        "merge them into one window");
                break;
            }
        }
    }
}

}  // namespace

std::optional<Opening> read_opening(const YAML::Node& node, Reader& r) {
    const std::size_t errors_before = r.diagnostics().size();
    Opening out;
    out.always = false;
    if (node.IsScalar() && node.Scalar() == "always") return Opening{};
    if (node.IsMap()) {
        if (auto w = read_window(node, r)) out.windows.push_back(*w);
    } else if (node.IsSequence() && node.size() > 0) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            Reader::Scope scope(r, "[" + std::to_string(i) + "]");
            if (auto w = read_window(node[i], r)) out.windows.push_back(*w);
        }
        if (r.diagnostics().size() == errors_before) check_overlaps(out.windows, node, r);
    } else {
        r.error(node, "expected 'always', a window {days, from, to} or a list of windows",
                "e.g. opening: {days: weekdays, from: \"08:00\", to: \"17:30\"}");
    }
    if (r.diagnostics().size() != errors_before) return std::nullopt;
    return out;
}

}  // namespace cmasim::scenario::detail
