// The Sankey diagram of the report's patient flows (include/cmasim/report/svg.h).
#include <algorithm>
#include <cmath>

#include "cmasim/report/svg.h"

namespace cmasim::report::svg {

namespace {

constexpr double kGap = 18;
constexpr double kTop = 34;

/// Each node's size: the larger of what flows in and what flows out.
std::vector<double> node_values(std::size_t count, const std::vector<SankeyLink>& links) {
    std::vector<double> in(count, 0);
    std::vector<double> out(count, 0);
    for (const auto& l : links) {
        out[l.from] += std::max(0.0, l.value);
        in[l.to] += std::max(0.0, l.value);
    }
    for (std::size_t i = 0; i < count; ++i) in[i] = std::max(in[i], out[i]);
    return in;
}

}  // namespace

SankeyLayout sankey_layout(const std::vector<SankeyNode>& nodes,
                           const std::vector<SankeyLink>& links, double width, double height) {
    SankeyLayout layout;
    const std::vector<double> size = node_values(nodes.size(), links);
    int columns = 1;
    for (const auto& n : nodes) columns = std::max(columns, n.column + 1);
    std::vector<double> total(static_cast<std::size_t>(columns), 0);
    std::vector<int> count(static_cast<std::size_t>(columns), 0);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        total[static_cast<std::size_t>(nodes[i].column)] += size[i];
        ++count[static_cast<std::size_t>(nodes[i].column)];
    }
    layout.scale = 1e300;
    for (std::size_t c = 0; c < total.size(); ++c) {
        if (total[c] > 0)
            layout.scale =
                std::min(layout.scale, (height - kTop - kGap * (count[c] - 1)) / total[c]);
    }
    if (layout.scale == 1e300) layout.scale = 0;
    std::vector<double> next_y(static_cast<std::size_t>(columns), kTop);
    const double column_step = columns > 1 ? (width - kSankeyNodeWidth) / (columns - 1) : 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        double& y = next_y[static_cast<std::size_t>(nodes[i].column)];
        layout.nodes.push_back({column_step * nodes[i].column, y, size[i] * layout.scale});
        y += size[i] * layout.scale + kGap;
    }
    std::vector<double> out_y(nodes.size());
    std::vector<double> in_y(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) out_y[i] = in_y[i] = layout.nodes[i].y;
    for (const auto& l : links) {
        const double w = std::max(0.0, l.value) * layout.scale;
        layout.links.push_back({layout.nodes[l.from].x + kSankeyNodeWidth, out_y[l.from],
                                layout.nodes[l.to].x, in_y[l.to], w});
        out_y[l.from] += w;
        in_y[l.to] += w;
    }
    return layout;
}

namespace {

std::string band_path(const SankeyBand& b) {
    const double mid = (b.x0 + b.x1) / 2;
    return "M" + coord(b.x0) + "," + coord(b.y0) + " C" + coord(mid) + "," + coord(b.y0) + " " +
           coord(mid) + "," + coord(b.y1) + " " + coord(b.x1) + "," + coord(b.y1) + " L" +
           coord(b.x1) + "," + coord(b.y1 + b.width) + " C" + coord(mid) + "," +
           coord(b.y1 + b.width) + " " + coord(mid) + "," + coord(b.y0 + b.width) + " " +
           coord(b.x0) + "," + coord(b.y0 + b.width) + " Z";
}

}  // namespace

std::string sankey(const std::string& title, const std::vector<SankeyNode>& nodes,
                   const std::vector<SankeyLink>& links,
                   const std::vector<std::string>& node_values) {
    constexpr double kWidth = 720;
    constexpr double kHeight = 340;
    constexpr double kMargin = 110;  // room for the labels of the last column
    const SankeyLayout layout = sankey_layout(nodes, links, kWidth - 2 * kMargin, kHeight - 10);
    std::string out =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 340\" "
        "width=\"720\" height=\"340\" role=\"img\" aria-label=\"" +
        escape(title) +
        "\" class=\"chart\">\n<text x=\"360\" y=\"18\" "
        "text-anchor=\"middle\" class=\"ct\">" +
        escape(title) + "</text>\n";
    out += "<g transform=\"translate(" + coord(kMargin) + ",0)\">\n";
    for (std::size_t i = 0; i < layout.links.size(); ++i) {
        out += "<path d=\"" + band_path(layout.links[i]) + "\" fill=\"" + colour(links[i].to) +
               "\" fill-opacity=\"0.35\"/>\n";
    }
    for (std::size_t i = 0; i < layout.nodes.size(); ++i) {
        const SankeyBox& b = layout.nodes[i];
        out += "<rect x=\"" + coord(b.x) + "\" y=\"" + coord(b.y) + "\" width=\"" +
               coord(kSankeyNodeWidth) + "\" height=\"" + coord(std::max(b.height, 1.0)) +
               "\" fill=\"" + colour(i) + "\"/>\n";
        const bool left = nodes[i].column == 0;
        const double x = left ? b.x - 6 : b.x + kSankeyNodeWidth + 6;
        const std::string value = i < node_values.size() ? node_values[i] : "";
        out += "<text x=\"" + coord(x) + "\" y=\"" + coord(b.y + b.height / 2 + 4) +
               "\" text-anchor=\"" + (left ? "end" : "start") + "\">" + escape(nodes[i].label) +
               " " + escape(value) + "</text>\n";
    }
    return out + "</g>\n</svg>\n";
}

}  // namespace cmasim::report::svg
