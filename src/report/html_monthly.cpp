// The monthly charts shared by the run report (one line: the scenario) and the compare report
// (two lines per chart: the base and one what-if), so both draw a month the same way.
#include <cmath>

#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

std::string bounds(const std::string& key, const Json& target) {
    const double low = num(target, "min");
    const double high = num(target, "max");
    if (std::isfinite(low) && std::isfinite(high))
        return indicator_number(key, low) + " – " + indicator_number(key, high);
    if (std::isfinite(low)) return "≥ " + indicator_number(key, low);
    if (std::isfinite(high)) return "≤ " + indicator_number(key, high);
    return {};
}

namespace {

svg::Line month_line(const MonthSeries& s, const std::vector<std::string>& months,
                     const std::string& key) {
    svg::Line line{s.label, {}, {}, {}};
    for (const auto& month : months) {
        const Json& e = field(field(*s.months, month), key);
        line.y.push_back(num(e, "mean"));
        line.low.push_back(num(e, "ci_low"));
        line.high.push_back(num(e, "ci_high"));
    }
    return line;
}

}  // namespace

std::string month_chart(const std::vector<MonthSeries>& series, const std::string& key,
                        const Json* target, Language language) {
    if (series.empty() || !series[0].months->is_object()) return {};
    svg::LineChart c;
    c.title = indicator_name(key, language);
    c.x_title = text("month", language);
    c.y_title = unit_name(key, language);
    c.from_zero = unit_name(key, Language::English) == "count";
    // The months of the first series (the base) make the axis; another series' missing month
    // is a gap.
    std::vector<std::string> months;
    for (const auto& [month, values] : series[0].months->items()) {
        if (!values.contains(key)) continue;
        c.x.push_back(static_cast<double>(months.size()));
        c.x_labels.push_back(month);
        months.push_back(month);
    }
    if (months.empty()) return {};
    for (const auto& s : series) c.lines.push_back(month_line(s, months, key));
    if (target && target->is_object()) {
        const double low = num(*target, "min");
        c.target = std::isfinite(low) ? low : num(*target, "max");
        if (!std::isfinite(*c.target)) c.target.reset();
        c.target_label = text("target", language) + " " + bounds(key, *target);
    }
    return svg::line_chart(c);
}

}  // namespace cmasim::report::html
