// The charts of `cmasim report` (docs/report.md), drawn as inline SVG text by the project: no
// script, no font or file from outside, so the page opens from a USB stick. Each function is pure:
// the same input gives the same bytes (numbers are printed with fixed decimals).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cmasim::report::svg {

/// `text` with &, <, >, " and ' replaced by entities: safe inside an element or an attribute.
std::string escape(std::string_view text);

/// A number for an SVG coordinate: two decimals, no trailing zeros, "-0" written "0".
std::string coord(double value);

/// An axis over [low, high] with "nice" tick values (1, 2 or 5 times a power of ten). The span
/// covers the data and every tick; `from_zero` includes 0 (bars and counts must start at zero so
/// their lengths are honest). A zero-width span is widened to show the single value.
struct Axis {
    double low = 0;
    double high = 1;
    std::vector<double> ticks;
};
Axis nice_axis(double low, double high, bool from_zero, int target_ticks = 5);

/// A tick label: `value` with just enough decimals for the tick step.
std::string tick_label(double value, double step);

/// One line of a line chart: y (and optionally a confidence band lo..hi) at each x. NaN points
/// are gaps.
struct Line {
    std::string name;
    std::vector<double> y;
    std::vector<double> low;   ///< empty: no band
    std::vector<double> high;  ///< empty: no band
};

struct LineChart {
    std::string title;
    std::string x_title;
    std::string y_title;
    std::vector<double> x;              ///< the positions of the points (shared by every line)
    std::vector<std::string> x_labels;  ///< one per x; empty: numbers
    std::vector<Line> lines;
    std::optional<double> target;  ///< a horizontal dashed line (a policy target)
    std::string target_label;
    bool from_zero = false;  ///< y axis from 0 (counts)
};

/// A line chart with axes, ticks, optional confidence bands and a target line.
std::string line_chart(const LineChart& chart);

/// A grouped bar chart: one group of bars per category, one bar per series (value and optional
/// interval whiskers). The value axis always starts at zero.
struct BarSeries {
    std::string name;
    std::vector<double> value;
    std::vector<double> low;   ///< empty: no whiskers
    std::vector<double> high;  ///< empty: no whiskers
};
struct BarChart {
    std::string title;
    std::string y_title;
    std::vector<std::string> categories;
    std::vector<BarSeries> series;
};
std::string bar_chart(const BarChart& chart);

/// A forest plot: one row per item, a point at `mean` and a bar from `low` to `high`, against a
/// vertical line at zero (no difference).
struct ForestRow {
    std::string label;
    double mean = 0;
    double low = 0;
    double high = 0;
};
std::string forest_plot(const std::string& title, const std::vector<ForestRow>& rows);

/// The palette: colour `i` (cycled), chosen to stay distinct for colour-blind readers.
std::string colour(std::size_t i);

}  // namespace cmasim::report::svg

namespace cmasim::report::svg {

/// A Sankey diagram: nodes in columns, links whose widths are proportional to their values. The
/// layout is a pure function so a test can check that every node is as tall as the larger of its
/// inflow and outflow and that the bands of a node stack without overlap.
struct SankeyNode {
    std::string label;
    int column = 0;
};
struct SankeyLink {
    std::size_t from = 0;
    std::size_t to = 0;
    double value = 0;
};
struct SankeyBox {
    double x = 0;
    double y = 0;
    double height = 0;
};
/// A band from the right edge of `from` (y0..y0+width) to the left edge of `to` (y1..y1+width).
struct SankeyBand {
    double x0 = 0;
    double y0 = 0;
    double x1 = 0;
    double y1 = 0;
    double width = 0;
};
struct SankeyLayout {
    std::vector<SankeyBox> nodes;
    std::vector<SankeyBand> links;
    double scale = 0;  ///< pixels per unit of value
};
constexpr double kSankeyNodeWidth = 14;

/// Places the nodes in `width` x `height` (columns spread evenly, nodes stacked top-down in
/// their order with a gap) and the links in their order on each node's side.
SankeyLayout sankey_layout(const std::vector<SankeyNode>& nodes,
                           const std::vector<SankeyLink>& links, double width, double height);

/// The diagram; node i is labelled with its name and node_values[i] (a formatted count).
std::string sankey(const std::string& title, const std::vector<SankeyNode>& nodes,
                   const std::vector<SankeyLink>& links,
                   const std::vector<std::string>& node_values);

}  // namespace cmasim::report::svg
