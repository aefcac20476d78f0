// The report of a `cmasim sweep` directory: manifest.json and summary.csv to the plots of
// tools/plot_sweep.py (an indicator against the first parameter, a line per value of the others,
// with its confidence band and the base scenario's target), a table of the points, and the
// methods (docs/report.md).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

using Row = std::vector<std::string>;

/// summary.csv: point, one column per parameter, indicator, n, mean, sd, ci_low, ci_high.
struct SweepRow {
    std::vector<std::string> parameters;
    std::string indicator;
    double mean;
    double low;
    double high;
};

double to_number(const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    return s.empty() || *end != '\0' ? std::nan("") : v;
}

std::vector<SweepRow> sweep_rows(const std::filesystem::path& dir, std::size_t parameters) {
    const auto csv = read_csv(dir, "summary.csv");
    std::vector<SweepRow> rows;
    for (std::size_t i = 1; i < csv.size(); ++i) {
        const auto& r = csv[i];
        if (r.size() < parameters + 7) continue;
        SweepRow row;
        row.parameters.assign(r.begin() + 1, r.begin() + 1 + static_cast<long>(parameters));
        row.indicator = r[parameters + 1];
        row.mean = to_number(r[parameters + 3]);
        row.low = to_number(r[parameters + 5]);
        row.high = to_number(r[parameters + 6]);
        rows.push_back(std::move(row));
    }
    return rows;
}

/// "name=value, ..." of every parameter but the first: the line a row belongs to.
std::string line_key(const std::vector<std::string>& names, const SweepRow& r) {
    std::string key;
    for (std::size_t p = 1; p < names.size(); ++p)
        key += (key.empty() ? "" : ", ") + names[p] + "=" + r.parameters[p];
    return key;
}

svg::LineChart sweep_chart(const std::vector<SweepRow>& rows, const std::vector<std::string>& names,
                           const std::string& indicator, Language language) {
    svg::LineChart c;
    c.title = indicator_name(indicator, language);
    c.x_title = names.empty() ? "" : names[0];
    c.y_title = unit_name(indicator, language);
    c.from_zero = unit_name(indicator, Language::English) == "count";
    std::vector<std::string> xs;  // first-parameter values, in first-seen order
    for (const auto& r : rows) {
        if (r.indicator == indicator &&
            std::find(xs.begin(), xs.end(), r.parameters[0]) == xs.end())
            xs.push_back(r.parameters[0]);
    }
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double v = to_number(xs[i]);
        c.x.push_back(std::isfinite(v) ? v : static_cast<double>(i));
        c.x_labels.push_back(xs[i]);
    }
    std::map<std::string, std::size_t> line_of;
    for (const auto& r : rows) {
        if (r.indicator != indicator) continue;
        const std::string key = line_key(names, r);
        auto [it, added] = line_of.try_emplace(key, c.lines.size());
        if (added) {
            const std::size_t n = xs.size();
            c.lines.push_back({key.empty() ? c.title : key, std::vector<double>(n, std::nan("")),
                               std::vector<double>(n, std::nan("")),
                               std::vector<double>(n, std::nan(""))});
        }
        const auto k =
            static_cast<std::size_t>(std::find(xs.begin(), xs.end(), r.parameters[0]) - xs.begin());
        c.lines[it->second].y[k] = r.mean;
        c.lines[it->second].low[k] = r.low;
        c.lines[it->second].high[k] = r.high;
    }
    return c;
}

void add_target(svg::LineChart& c, const Json& targets, const std::string& indicator,
                Language language) {
    if (!targets.contains(indicator)) return;
    const Json& t = targets[indicator];
    const double low = num(t, "min");
    const double value = std::isfinite(low) ? low : num(t, "max");
    if (!std::isfinite(value)) return;
    c.target = value;
    c.target_label = text("target", language) + (std::isfinite(low) ? " ≥ " : " ≤ ") +
                     indicator_number(indicator, value);
}

std::string points_table(const std::vector<SweepRow>& rows, const std::vector<std::string>& names,
                         Language language) {
    std::vector<std::string> header;
    for (const auto& n : names) header.push_back("<code>" + svg::escape(n) + "</code>");
    for (const char* k : {"indicator", "mean", "ci"})
        header.push_back(svg::escape(text(k, language)));
    std::vector<Row> body;
    for (const auto& r : rows) {
        Row row;
        for (const auto& p : r.parameters) row.push_back(numeric(svg::escape(p)));
        row.push_back(svg::escape(indicator_name(r.indicator, language)));
        row.push_back(numeric(indicator_number(r.indicator, r.mean)));
        row.push_back(numeric(interval(r.indicator, r.low, r.high)));
        body.push_back(std::move(row));
    }
    return table(header, body);
}

}  // namespace

std::string sweep_report(const std::filesystem::path& dir, Language language) {
    const Json manifest = read_json(dir, "manifest.json");
    std::vector<std::string> names;
    for (const auto& p : field(manifest, "parameters")) names.push_back(p.value("column", ""));
    const std::vector<SweepRow> rows = sweep_rows(dir, names.size());
    const BaseScenario base =
        base_scenario(manifest.value("base_scenario", ""), manifest.value("base_sha256", ""));
    std::string plots = paragraph(text("sweep.note", language));
    for (const auto& indicator : field(manifest, "indicators")) {
        svg::LineChart c = sweep_chart(rows, names, indicator.get<std::string>(), language);
        add_target(c, base.targets, indicator.get<std::string>(), language);
        if (!c.x.empty()) plots += svg::line_chart(c);
    }
    Methods m;
    m.scenario_name = manifest.value("sweep_name", "");
    m.scenarios.push_back({manifest.value("sweep_file", ""), manifest.value("sweep_sha256", "")});
    m.scenarios.push_back({manifest.value("base_scenario", ""), manifest.value("base_sha256", "")});
    m.seed = manifest.contains("seed") ? field(manifest, "seed").dump() : "";
    m.replications =
        manifest.contains("replications") ? field(manifest, "replications").dump() : "";
    m.warmup_days = base.warmup_days;
    m.horizon_days = base.horizon_days;
    m.confidence = number(num(manifest, "confidence"), 2);
    m.common_random_numbers =
        text(manifest.value("common_random_numbers", false) ? "crn.yes" : "crn.no", language);
    const std::string body =
        section("plots", text("sweep.plots", language), plots) +
        section("points", text("sweep.points", language), points_table(rows, names, language)) +
        methods_section(m, manifest, language);
    return page(text("report.sweep", language) + ": " + m.scenario_name,
                manifest.value("sweep_file", ""), body, language);
}

}  // namespace cmasim::report::html
