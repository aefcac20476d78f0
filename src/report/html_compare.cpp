// The report of a `cmasim compare` directory: compare.json (and manifest.json) to the page's
// sections: the scenarios' headline indicators, each what-if's paired differences, its monthly
// series beside the base's, the flows of each scenario and the methods (docs/report.md).
#include <cmath>

#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

using Row = std::vector<std::string>;

std::string scenario_name(const Json& s) {
    return s.value("label", s.value("file", ""));
}

std::string verdict_cell(const Json& s, const std::string& key, Language language) {
    if (!s.contains("targets") || !field(s, "targets").contains(key)) return {};
    const std::string v = field(s, "targets")[key].get<std::string>();
    return "<span class=\"" + v + "\">" + svg::escape(verdict_name(v, language)) + "</span>";
}

std::string headline(const Json& scenarios, Language language) {
    const auto t = [&](const char* k) { return svg::escape(text(k, language)); };
    std::vector<Row> rows;
    for (const char* key : kHeadlineIndicators) {
        for (const auto& s : scenarios) {
            if (!field(s, "indicators").contains(key)) continue;
            const Json& e = field(s, "indicators")[key];
            rows.push_back({svg::escape(indicator_name(key, language)),
                            svg::escape(scenario_name(s)),
                            numeric(indicator_number(key, num(e, "mean"))),
                            numeric(interval(key, num(e, "ci_low"), num(e, "ci_high"))),
                            svg::escape(unit_name(key, language)), verdict_cell(s, key, language)});
        }
    }
    return section(
        "headline", text("headline", language),
        paragraph(text("headline.note", language)) +
            table({t("indicator"), t("scenario"), t("mean"), t("ci"), t("unit"), t("verdict")},
                  rows));
}

/// The difference as a percentage of the base mean (the base mean taken as fixed).
svg::ForestRow relative(const std::string& label, double base, const Json& d) {
    const double scale = 100.0 / base;
    return {label, num(d, "mean") * scale, num(d, "ci_low") * scale, num(d, "ci_high") * scale};
}

std::string whatif_differences(const Json& base, const Json& whatif, Language language) {
    const auto t = [&](const char* k) { return svg::escape(text(k, language)); };
    std::vector<svg::ForestRow> forest;
    std::vector<Row> rows;
    for (const char* key : kHeadlineIndicators) {
        if (!field(whatif, "indicators").contains(key) || !field(base, "indicators").contains(key))
            continue;
        const Json& d = field(field(whatif, "indicators")[key], "difference");
        if (!d.is_object()) continue;
        const double base_mean = num(field(base, "indicators")[key], "mean");
        if (std::isfinite(base_mean) && base_mean != 0)
            forest.push_back(relative(indicator_name(key, language), base_mean, d));
        rows.push_back(
            {svg::escape(indicator_name(key, language)), numeric(indicator_number(key, base_mean)),
             numeric(indicator_number(key, num(field(whatif, "indicators")[key], "mean"))),
             numeric(indicator_number(key, num(d, "mean"))),
             numeric(interval(key, num(d, "ci_low"), num(d, "ci_high")))});
    }
    const std::string title = scenario_name(whatif) + " − " + scenario_name(base);
    return "<h3>" + svg::escape(title) + "</h3>\n" +
           svg::forest_plot(title + " (" + text("differences.axis", language) + ")", forest) +
           table({t("indicator"), t("base"), t("whatif"), t("difference"), t("ci")}, rows);
}

std::string differences(const Json& scenarios, Language language) {
    std::string body = paragraph(text("differences.note", language));
    for (std::size_t i = 1; i < scenarios.size(); ++i)
        body += whatif_differences(scenarios[0], scenarios[i], language);
    return section("differences", text("differences", language), body);
}

/// Each what-if's months beside the base's, one chart per indicator (the base's target dashed).
std::string monthly(const Json& scenarios, const Json& targets, Language language) {
    const Json& base = scenarios[0];
    if (!field(base, "months").is_object()) return {};
    std::string body =
        paragraph(text("monthly.note", language) + " " + text("monthly.compare", language));
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        const Json& whatif = scenarios[i];
        const std::vector<MonthSeries> series{{scenario_name(base), &field(base, "months")},
                                              {scenario_name(whatif), &field(whatif, "months")}};
        body +=
            "<h3>" + svg::escape(scenario_name(whatif) + " / " + scenario_name(base)) + "</h3>\n";
        for (const char* key : kMonthlyIndicators)
            body += month_chart(series, key, &field(targets, key), language);
    }
    return section("monthly", text("monthly", language), body);
}

std::string flows(const Json& scenarios, Language language) {
    std::string body = paragraph(text("flows.note", language));
    for (const auto& s : scenarios) {
        std::vector<double> visits;
        for (const char* key :
             {"visits_village", "visits_township", "visits_county", "visits_external"}) {
            visits.push_back(field(s, "indicators").contains(key)
                                 ? num(field(s, "indicators")[key], "mean")
                                 : 0.0);
        }
        // compare.json holds admissions for the county only, not by level: outpatient flows.
        body += "<h3>" + svg::escape(scenario_name(s)) + "</h3>\n" +
                flows_section(text("flows", language) + ": " + scenario_name(s), visits,
                              std::vector<double>(4, std::nan("")), language);
    }
    return section("flows", text("flows", language), body);
}

}  // namespace

std::string compare_report(const std::filesystem::path& dir, Language language) {
    const Json compare = read_json(dir, "compare.json");
    const Json manifest = read_manifest(dir);
    const Json& scenarios = field(compare, "scenarios");
    if (!scenarios.is_array() || scenarios.empty())
        throw ReportInputError((dir / "compare.json").string() + ": no scenarios");
    Methods m;
    m.scenario_name = scenario_name(scenarios[0]);
    for (const auto& s : scenarios)
        m.scenarios.push_back({s.value("file", ""), s.value("scenario_sha256", "")});
    m.seed = scenarios[0].contains("seed") ? scenarios[0]["seed"].dump() : "";
    m.replications = compare.contains("replications") ? field(compare, "replications").dump() : "";
    m.confidence = number(num(compare, "confidence"), 2);
    m.common_random_numbers = text(compare.value("paired", false) ? "crn.yes" : "crn.no", language);
    const BaseScenario base =
        base_scenario(scenarios[0].value("file", ""), scenarios[0].value("scenario_sha256", ""));
    m.warmup_days = base.warmup_days;
    m.horizon_days = base.horizon_days;
    const std::string body = headline(scenarios, language) + differences(scenarios, language) +
                             monthly(scenarios, base.targets, language) +
                             flows(scenarios, language) +
                             section("groups", text("townships", language),
                                     paragraph(text("compare.groups", language))) +
                             methods_section(m, manifest, language);
    return page(text("report.compare", language) + ": " + m.scenario_name,
                scenarios[0].value("file", ""), body, language);
}

}  // namespace cmasim::report::html
