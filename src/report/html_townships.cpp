// The report's townships side by side: a table of every township indicator and bar charts of
// the shares and per-resident rates (src/report/html_parts.h).
#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

constexpr const char* kColumns[] = {"visits",           "admissions",        "in_county_rate",
                                    "grassroots_share", "visits_per_capita", "admissions_per_100"};

std::string name_of(const Json& summary, const std::string& id) {
    const Json& names = field(field(summary, "group_names"), "township");
    return names.is_object() && names.contains(id) ? names[id].get<std::string>() : id;
}

std::string bars(const Json& townships, const Json& summary, const char* key, Language language) {
    svg::BarChart c;
    c.title = indicator_name(key, language);
    c.y_title = unit_name(key, language);
    svg::BarSeries s{indicator_name(key, language), {}, {}, {}};
    for (const auto& [id, values] : townships.items()) {
        if (!values.contains(key)) continue;
        c.categories.push_back(name_of(summary, id));
        s.value.push_back(num(values[key], "mean"));
        s.low.push_back(num(values[key], "ci_low"));
        s.high.push_back(num(values[key], "ci_high"));
    }
    c.series.push_back(std::move(s));
    return c.categories.empty() ? std::string() : svg::bar_chart(c);
}

}  // namespace

std::string townships_section(const Json& summary, Language language) {
    const Json& townships = field(field(summary, "groups"), "township");
    if (!townships.is_object() || townships.empty()) return {};
    std::vector<std::string> header = {svg::escape(text("id", language)),
                                       svg::escape(text("name", language))};
    for (const char* key : kColumns) header.push_back(svg::escape(indicator_name(key, language)));
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, values] : townships.items()) {
        std::vector<std::string> row = {"<code>" + svg::escape(id) + "</code>",
                                        svg::escape(name_of(summary, id))};
        for (const char* key : kColumns) {
            row.push_back(values.contains(key)
                              ? numeric(indicator_number(key, num(values[key], "mean")))
                              : std::string());
        }
        rows.push_back(std::move(row));
    }
    return section("townships", text("townships", language),
                   table(header, rows) + bars(townships, summary, "grassroots_share", language) +
                       bars(townships, summary, "visits_per_capita", language));
}

}  // namespace cmasim::report::html
