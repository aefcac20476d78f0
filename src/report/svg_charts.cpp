// Line, bar and forest charts as SVG text (include/cmasim/report/svg.h). Every chart shows its
// axis values: a line chart's y axis spans the data (not from zero unless asked, and the tick
// labels say where it starts), a bar chart's value axis starts at zero.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cmasim/report/svg.h"

namespace cmasim::report::svg {

namespace {

constexpr double kWidth = 720;
constexpr double kLeft = 78;
constexpr double kRight = 24;
constexpr double kTop = 34;
constexpr double kBottom = 56;

/// The plotting area of a chart `height` high and the value axis mapped onto it vertically.
struct Frame {
    double height;
    Axis y;
    double bottom() const { return height - kBottom; }
    double y_of(double v) const {
        return bottom() - (v - y.low) / (y.high - y.low) * (bottom() - kTop);
    }
};

std::string open_svg(double height, const std::string& title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + coord(kWidth) + " " +
           coord(height) + "\" width=\"" + coord(kWidth) + "\" height=\"" + coord(height) +
           "\" role=\"img\" aria-label=\"" + escape(title) + "\" class=\"chart\">\n<text x=\"" +
           coord(kWidth / 2) + "\" y=\"18\" text-anchor=\"middle\" class=\"ct\">" + escape(title) +
           "</text>\n";
}

std::string text(double x, double y, const std::string& anchor, const std::string& s,
                 const std::string& extra = "") {
    return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" text-anchor=\"" + anchor + "\"" +
           extra + ">" + escape(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& style) {
    return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) +
           "\" y2=\"" + coord(y2) + "\" " + style + "/>\n";
}

/// Grid lines, tick labels and the title of the vertical axis.
std::string y_axis(const Frame& f, const std::string& title) {
    std::string out;
    const double step = f.y.ticks.size() > 1 ? f.y.ticks[1] - f.y.ticks[0] : 1;
    for (const double t : f.y.ticks) {
        out += line(kLeft, f.y_of(t), kWidth - kRight, f.y_of(t), "class=\"grid\"");
        out += text(kLeft - 6, f.y_of(t) + 4, "end", tick_label(t, step));
    }
    out += line(kLeft, kTop, kLeft, f.bottom(), "class=\"axis\"");
    out += line(kLeft, f.bottom(), kWidth - kRight, f.bottom(), "class=\"axis\"");
    const double mid = (kTop + f.bottom()) / 2;
    out += text(16, mid, "middle", title,
                " transform=\"rotate(-90 16 " + coord(mid) + ")\" class=\"at\"");
    return out;
}

void widen(double& low, double& high, const std::vector<double>& values) {
    for (const double v : values) {
        if (!std::isfinite(v)) continue;
        low = std::min(low, v);
        high = std::max(high, v);
    }
}

Axis line_axis(const LineChart& c) {
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (const auto& l : c.lines) {
        widen(low, high, l.y);
        widen(low, high, l.low);
        widen(low, high, l.high);
    }
    if (c.target) widen(low, high, {*c.target});
    if (!std::isfinite(low)) low = high = 0;
    return nice_axis(low, high, c.from_zero);
}

/// An x position for each point: evenly spread category slots, or a linear numeric scale.
std::vector<double> x_positions(const LineChart& c) {
    std::vector<double> xs;
    const double span = kWidth - kLeft - kRight;
    if (c.x.empty()) return xs;
    const auto [lo, hi] = std::minmax_element(c.x.begin(), c.x.end());
    for (const double x : c.x) {
        const double share = *hi > *lo ? (x - *lo) / (*hi - *lo) : 0.5;
        xs.push_back(kLeft + 20 + share * (span - 40));
    }
    return xs;
}

std::string band(const Frame& f, const std::vector<double>& xs, const Line& l, std::size_t i) {
    std::string upper;
    std::string lower;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        if (!std::isfinite(l.low[k]) || !std::isfinite(l.high[k])) continue;
        upper += coord(xs[k]) + "," + coord(f.y_of(l.high[k])) + " ";
        lower = coord(xs[k]) + "," + coord(f.y_of(l.low[k])) + " " + lower;
    }
    if (upper.empty()) return {};
    return "<polygon points=\"" + upper + lower + "\" fill=\"" + colour(i) +
           "\" fill-opacity=\"0.18\" stroke=\"none\"/>\n";
}

std::string polyline(const Frame& f, const std::vector<double>& xs, const Line& l, std::size_t i) {
    std::string out;
    std::string points;
    for (std::size_t k = 0; k < xs.size() && k < l.y.size(); ++k) {
        if (!std::isfinite(l.y[k])) continue;
        points += coord(xs[k]) + "," + coord(f.y_of(l.y[k])) + " ";
        out += "<circle cx=\"" + coord(xs[k]) + "\" cy=\"" + coord(f.y_of(l.y[k])) +
               "\" r=\"3\" fill=\"" + colour(i) + "\"/>\n";
    }
    return "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + colour(i) +
           "\" stroke-width=\"2\"/>\n" + out;
}

std::string legend(const std::vector<std::string>& names, double y) {
    std::string out;
    double x = kLeft;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += "<rect x=\"" + coord(x) + "\" y=\"" + coord(y - 9) +
               "\" width=\"12\" height=\"10\" fill=\"" + colour(i) + "\"/>\n";
        out += text(x + 16, y, "start", names[i]);
        x += 28 + 8.0 * static_cast<double>(names[i].size());
    }
    return out;
}

std::string x_ticks(const LineChart& c, const std::vector<double>& xs, double y) {
    std::string out;
    const double step = c.x.size() > 1 ? std::abs(c.x[1] - c.x[0]) : 1;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        const std::string label = k < c.x_labels.size() ? c.x_labels[k] : tick_label(c.x[k], step);
        out += text(xs[k], y + 16, "middle", label);
    }
    return out;
}

}  // namespace

std::string line_chart(const LineChart& c) {
    const Frame f{300, line_axis(c)};
    std::string out = open_svg(f.height, c.title) + y_axis(f, c.y_title);
    const std::vector<double> xs = x_positions(c);
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
        if (c.lines[i].low.size() == xs.size() && c.lines[i].high.size() == xs.size())
            out += band(f, xs, c.lines[i], i);
    }
    if (c.target) {
        out +=
            line(kLeft, f.y_of(*c.target), kWidth - kRight, f.y_of(*c.target), "class=\"target\"");
        out += text(kWidth - kRight - 4, f.y_of(*c.target) - 5, "end", c.target_label,
                    " class=\"tl\"");
    }
    for (std::size_t i = 0; i < c.lines.size(); ++i) out += polyline(f, xs, c.lines[i], i);
    out += x_ticks(c, xs, f.bottom());
    out +=
        text((kLeft + kWidth - kRight) / 2, f.bottom() + 34, "middle", c.x_title, " class=\"at\"");
    std::vector<std::string> names;
    for (const auto& l : c.lines) names.push_back(l.name);
    if (names.size() > 1) out += legend(names, f.height - 6);
    return out + "</svg>\n";
}

namespace {

Axis bar_axis(const BarChart& c) {
    double low = 0;
    double high = 0;
    for (const auto& s : c.series) {
        widen(low, high, s.value);
        widen(low, high, s.high);
        widen(low, high, s.low);
    }
    return nice_axis(low, high, true);
}

std::string bar(const Frame& f, const BarSeries& s, std::size_t k, double x, double w,
                std::size_t i) {
    if (k >= s.value.size() || !std::isfinite(s.value[k])) return {};
    const double top = f.y_of(std::max(s.value[k], 0.0));
    const double base = f.y_of(std::min(s.value[k], 0.0));
    std::string out = "<rect x=\"" + coord(x) + "\" y=\"" + coord(top) + "\" width=\"" + coord(w) +
                      "\" height=\"" + coord(base - top) + "\" fill=\"" + colour(i) + "\"/>\n";
    if (k < s.low.size() && k < s.high.size() && std::isfinite(s.low[k]) &&
        std::isfinite(s.high[k])) {
        out += line(x + w / 2, f.y_of(s.low[k]), x + w / 2, f.y_of(s.high[k]), "class=\"whisker\"");
    }
    return out;
}

}  // namespace

std::string bar_chart(const BarChart& c) {
    const Frame f{300, bar_axis(c)};
    std::string out = open_svg(f.height, c.title) + y_axis(f, c.y_title);
    const double slot = (kWidth - kLeft - kRight) /
                        static_cast<double>(std::max<std::size_t>(1, c.categories.size()));
    const double w = slot * 0.8 / static_cast<double>(std::max<std::size_t>(1, c.series.size()));
    for (std::size_t k = 0; k < c.categories.size(); ++k) {
        const double x0 = kLeft + slot * static_cast<double>(k) + slot * 0.1;
        for (std::size_t i = 0; i < c.series.size(); ++i)
            out += bar(f, c.series[i], k, x0 + w * static_cast<double>(i), w, i);
        out += text(x0 + slot * 0.4, f.bottom() + 16, "middle", c.categories[k]);
    }
    std::vector<std::string> names;
    for (const auto& s : c.series) names.push_back(s.name);
    if (names.size() > 1) out += legend(names, f.height - 10);
    return out + "</svg>\n";
}

std::string forest_plot(const std::string& title, const std::vector<ForestRow>& rows) {
    constexpr double kLabel = 260;
    constexpr double kRow = 24;
    const double height = kTop + kRow * static_cast<double>(rows.size()) + 40;
    double low = 0;
    double high = 0;
    for (const auto& r : rows) widen(low, high, {r.low, r.high, r.mean});
    const Axis a = nice_axis(low, high, true);
    const auto x_of = [&](double v) {
        return kLabel + (v - a.low) / (a.high - a.low) * (kWidth - kRight - kLabel);
    };
    std::string out = open_svg(height, title);
    const double step = a.ticks.size() > 1 ? a.ticks[1] - a.ticks[0] : 1;
    for (const double t : a.ticks) {
        out += line(x_of(t), kTop, x_of(t), height - 36, "class=\"grid\"");
        out += text(x_of(t), height - 20, "middle", tick_label(t, step));
    }
    out += line(x_of(0), kTop, x_of(0), height - 36, "class=\"zero\"");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double y = kTop + kRow * (static_cast<double>(i) + 0.5);
        const ForestRow& r = rows[i];
        out += text(kLabel - 8, y + 4, "end", r.label);
        if (std::isfinite(r.low) && std::isfinite(r.high))
            out += line(x_of(r.low), y, x_of(r.high), y, "class=\"ci\"");
        if (std::isfinite(r.mean))
            out += "<rect x=\"" + coord(x_of(r.mean) - 4) + "\" y=\"" + coord(y - 4) +
                   "\" width=\"8\" height=\"8\" fill=\"" + colour(0) + "\"/>\n";
    }
    return out + "</svg>\n";
}

}  // namespace cmasim::report::svg
