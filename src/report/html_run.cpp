// The report of a `cmasim run` directory: summary.json (and manifest.json) to the page's
// sections (docs/report.md).
#include <algorithm>
#include <cmath>

#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

using Row = std::vector<std::string>;

Row headline_row(const std::string& key, const Json& estimate, const Json* target,
                 Language language) {
    const std::string verdict = target ? target->value("verdict", "") : "";
    return {svg::escape(indicator_name(key, language)),
            "<code>" + key + "</code>",
            numeric(indicator_number(key, num(estimate, "mean"))),
            numeric(interval(key, num(estimate, "ci_low"), num(estimate, "ci_high"))),
            svg::escape(unit_name(key, language)),
            target ? svg::escape(bounds(key, *target)) : "",
            verdict.empty() ? ""
                            : "<span class=\"" + verdict + "\">" +
                                  svg::escape(verdict_name(verdict, language)) + "</span>"};
}

std::vector<std::string> headline_keys(const Json& summary) {
    std::vector<std::string> keys;
    for (const auto& t : field(summary, "targets")) keys.push_back(t.value("indicator", ""));
    for (const char* k : kHeadlineIndicators) {
        if (field(summary, "county").contains(k) &&
            std::find(keys.begin(), keys.end(), k) == keys.end())
            keys.emplace_back(k);
    }
    return keys;
}

const Json* target_of(const Json& summary, const std::string& key) {
    for (const auto& t : field(summary, "targets")) {
        if (t.value("indicator", "") == key) return &t;
    }
    return nullptr;
}

std::string headline(const Json& summary, Language language) {
    const auto t = [&](const char* k) { return svg::escape(text(k, language)); };
    std::vector<Row> rows;
    for (const auto& key : headline_keys(summary)) {
        const Json* target = target_of(summary, key);
        const Json& estimate =
            field(summary, "county").contains(key)
                ? field(summary, "county")[key]
                : (target && field((*target), "estimate").is_object() ? field((*target), "estimate")
                                                                      : Json::object());
        rows.push_back(headline_row(key, estimate, target, language));
    }
    return section("headline", text("headline", language),
                   paragraph(text("headline.note", language)) +
                       table({t("indicator"), t("key"), t("mean"), t("ci"), t("unit"), t("target"),
                              t("verdict")},
                             rows));
}

std::string monthly(const Json& summary, Language language) {
    const Json& months = field(field(summary, "groups"), "month");
    if (!months.is_object()) return {};
    std::string body = paragraph(text("monthly.note", language));
    for (const char* key : kMonthlyIndicators)
        body += month_chart({{indicator_name(key, language), &months}}, key,
                            target_of(summary, key), language);
    return section("monthly", text("monthly", language), body);
}

std::string flows(const Json& summary, Language language) {
    const Json& levels = field(field(summary, "groups"), "level");
    std::vector<double> visits;
    std::vector<double> admissions;
    for (const char* level : {"village", "township", "county", "external"}) {
        const Json& l = levels.contains(level) ? levels[level] : Json::object();
        visits.push_back(l.contains("visits") ? num(field(l, "visits"), "mean") : 0.0);
        admissions.push_back(l.contains("admissions") ? num(field(l, "admissions"), "mean") : 0.0);
    }
    std::vector<Row> rows;
    for (const char* key :
         {"up_referrals", "down_referrals", "out_of_county_referrals", "self_referrals"}) {
        if (!field(summary, "county").contains(key)) continue;
        const Json& e = field(summary, "county")[key];
        rows.push_back({svg::escape(indicator_name(key, language)),
                        "<code>" + std::string(key) + "</code>",
                        numeric(indicator_number(key, num(e, "mean"))),
                        numeric(interval(key, num(e, "ci_low"), num(e, "ci_high")))});
    }
    const auto t = [&](const char* k) { return svg::escape(text(k, language)); };
    return section("flows", text("flows", language),
                   paragraph(text("flows.note", language)) +
                       flows_section(text("flows", language), visits, admissions, language) +
                       table({t("indicator"), t("key"), t("mean"), t("ci")}, rows, t("referrals")));
}

}  // namespace

std::string run_report(const std::filesystem::path& dir, Language language) {
    const Json summary = read_json(dir, "summary.json");
    const Json manifest = read_manifest(dir);
    const Json& run = field(summary, "run");
    Methods m;
    m.scenario_name = run.value("scenario_name", "");
    m.scenarios.push_back({run.value("scenario_file", ""), run.value("scenario_sha256", "")});
    m.seed = run.contains("seed") ? field(run, "seed").dump() : "";
    m.replications = run.contains("replications") ? field(run, "replications").dump() : "";
    m.warmup_days = number(num(run, "warmup_days"), 1);
    m.horizon_days = number(num(run, "horizon_days"), 1);
    m.confidence = number(num(run, "confidence"), 2);
    const std::string body = headline(summary, language) + monthly(summary, language) +
                             flows(summary, language) + townships_section(summary, language) +
                             methods_section(m, manifest, language);
    return page(text("report.run", language) + ": " + m.scenario_name,
                run.value("scenario_file", ""), body, language);
}

}  // namespace cmasim::report::html
