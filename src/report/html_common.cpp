// What every kind of report shares: which command wrote the directory, the methods appendix and
// the patient-flow diagram (src/report/html_parts.h).
#include <algorithm>
#include <cmath>

#include "cmasim/report/manifest.h"
#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

std::string json_text(const Json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string command_line(const Json& manifest) {
    const Json* args = nullptr;
    if (manifest.contains("command_line")) args = &field(manifest, "command_line");
    if (manifest.contains("invocation"))
        args = &field(field(manifest, "invocation"), "command_line");
    std::string out;
    if (args == nullptr || !args->is_array()) return out;
    for (const auto& a : *args) out += (out.empty() ? "" : " ") + a.get<std::string>();
    return out;
}

std::string started_at(const Json& manifest) {
    if (manifest.contains("timing")) return json_text(field(manifest, "timing"), "started_at");
    return json_text(manifest, "started_at");
}

using Row = std::vector<std::string>;

void add(std::vector<Row>& rows, const std::string& item, const std::string& value) {
    if (!value.empty()) rows.push_back({item, value});
}

}  // namespace

std::string methods_section(const Methods& m, const Json& manifest, Language language) {
    const auto t = [&](const char* key) { return svg::escape(text(key, language)); };
    std::vector<Row> rows;
    add(rows, t("m.scenario"), svg::escape(m.scenario_name));
    for (const auto& [file, sha] : m.scenarios)
        add(rows, t("m.sha"), "<code>" + svg::escape(file) + "</code><br><code>" + sha + "</code>");
    add(rows, t("m.recipe"),
        svg::escape(json_text(manifest, manifest.contains("base_sha256_recipe")
                                            ? "base_sha256_recipe"
                                            : "scenario_hash_recipe")));
    add(rows, t("m.seed"), m.seed);
    add(rows, t("m.replications"), m.replications);
    add(rows, t("m.warmup"), m.warmup_days);
    add(rows, t("m.horizon"), m.horizon_days);
    add(rows, t("m.confidence"), m.confidence);
    add(rows, t("m.rng"), svg::escape(json_text(manifest, "rng_scheme")));
    add(rows, t("m.crn"), svg::escape(m.common_random_numbers));
    add(rows, t("m.version"), svg::escape(json_text(manifest, "cmasim_version")));
    add(rows, t("m.commit"), "<code>" + svg::escape(json_text(manifest, "git_commit")) + "</code>");
    add(rows, t("m.command"), "<code>" + svg::escape(command_line(manifest)) + "</code>");
    add(rows, t("m.started"), svg::escape(started_at(manifest)));
    return section(
        "methods", text("methods", language),
        paragraph(text("methods.note", language)) + table({t("item"), t("value")}, rows));
}

namespace {

constexpr const char* kLevels[] = {"village", "township", "county", "external"};

double positive(double v) {
    return std::isfinite(v) && v > 0 ? v : 0;
}

}  // namespace

std::string flows_section(const std::string& title, const std::vector<double>& visits,
                          const std::vector<double>& admissions, Language language) {
    const auto t = [&](const std::string& key) { return text(key, language); };
    // Nodes: residents; in / outside the county; four levels; outpatient, inpatient.
    std::vector<svg::SankeyNode> nodes = {
        {t("residents"), 0}, {t("in_county"), 1}, {t("out_county"), 1}};
    for (const char* level : kLevels) nodes.push_back({t(std::string("level.") + level), 2});
    nodes.push_back({t("outpatient"), 3});
    // Without admissions by level (a comparison) the diagram ends at outpatient visits.
    const bool inpatient = std::any_of(admissions.begin(), admissions.end(),
                                       [](double a) { return std::isfinite(a); });
    if (inpatient) nodes.push_back({t("inpatient"), 3});
    std::vector<svg::SankeyLink> links;
    std::vector<double> through(nodes.size(), 0);
    for (std::size_t l = 0; l < 4; ++l) {
        const double v = positive(visits[l]);
        const double a = positive(admissions[l]);
        const std::size_t area = l < 3 ? 1 : 2;
        links.push_back({area, 3 + l, v + a});
        links.push_back({3 + l, 7, v});
        if (inpatient) links.push_back({3 + l, 8, a});
        through[area] += v + a;
        through[3 + l] = v + a;
        through[7] += v;
        if (inpatient) through[8] += a;
    }
    links.insert(links.begin(), {{0, 1, through[1]}, {0, 2, through[2]}});
    through[0] = through[1] + through[2];
    std::vector<std::string> values;
    for (const double v : through) values.push_back(number(v, 0));
    std::vector<std::vector<std::string>> rows;
    for (std::size_t l = 0; l < 4; ++l) {
        rows.push_back({svg::escape(t(std::string("level.") + kLevels[l])),
                        numeric(number(visits[l], 0)), numeric(number(admissions[l], 0))});
    }
    return svg::sankey(title, nodes, links, values) +
           table({svg::escape(t("level")), svg::escape(t("visits")), svg::escape(t("admissions"))},
                 rows);
}

}  // namespace cmasim::report::html

namespace cmasim::report {

std::string report_kind(const std::filesystem::path& dir) {
    const std::string command = manifest_command(dir);
    if (command == "run" || command == "compare" || command == "sweep") return command;
    if (std::filesystem::exists(dir / "summary.json")) return "run";
    if (std::filesystem::exists(dir / "compare.json")) return "compare";
    if (std::filesystem::exists(dir / "summary.csv")) return "sweep";
    throw ReportInputError(dir.string() +
                           " holds no output of cmasim run, compare or sweep (no manifest.json, "
                           "summary.json, compare.json or summary.csv); give the --out directory "
                           "of one of them");
}

std::string render_report(const std::filesystem::path& dir, Language language) {
    const std::string kind = report_kind(dir);
    try {
        if (kind == "compare") return html::compare_report(dir, language);
        if (kind == "sweep") return html::sweep_report(dir, language);
        return html::run_report(dir, language);
    } catch (const nlohmann::json::exception& e) {
        // A file of another format version or edited by hand: a value of an unexpected type.
        throw ReportInputError(dir.string() + ": a " + kind +
                               " output file holds a value of an unexpected type (" + e.what() +
                               "); write the directory again with this version of cmasim");
    }
}

}  // namespace cmasim::report
