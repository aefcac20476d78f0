// The report's SVG primitives (include/cmasim/report/svg.h): escaping, numbers, axes, the
// Sankey layout and the charts' honest scales, as tables of cases.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cmasim/report/svg.h"

namespace cmasim::report::svg {
namespace {

TEST(Svg, EscapeReplacesEveryMarkupCharacter) {
    const struct {
        std::string in;
        std::string out;
    } cases[] = {{"plain", "plain"},
                 {"a<b>c", "a&lt;b&gt;c"},
                 {"R&D \"x\" 'y'", "R&amp;D &quot;x&quot; &#39;y&#39;"},
                 {"县域就诊率", "县域就诊率"},
                 {"", ""}};
    for (const auto& c : cases) EXPECT_EQ(escape(c.in), c.out) << c.in;
}

TEST(Svg, CoordinatesHaveTwoDecimalsAndNoTrailingZeros) {
    const struct {
        double in;
        std::string out;
    } cases[] = {{0, "0"},      {1.5, "1.5"}, {1.234, "1.23"},
                 {-0.001, "0"}, {100, "100"}, {2.005, "2"}};
    for (const auto& c : cases) EXPECT_EQ(coord(c.in), c.out) << c.in;
}

TEST(Svg, NiceAxisCoversTheDataWithRoundTicks) {
    const struct {
        double low, high;
        bool from_zero;
        double axis_low, axis_high, step;
    } cases[] = {
        {0.61, 0.68, false, 0.60, 0.68, 0.02},
        {0.61, 0.68, true, 0, 0.8, 0.2},
        {3, 97, false, 0, 100, 20},
        {-3, 4, true, -4, 4, 2},
        {5, 5, false, 4.4, 5.6, 0.2},
        {0, 0, true, 0, 1, 0.2},
    };
    for (const auto& c : cases) {
        const Axis a = nice_axis(c.low, c.high, c.from_zero);
        EXPECT_NEAR(a.low, c.axis_low, 1e-9) << c.low << ".." << c.high;
        EXPECT_NEAR(a.high, c.axis_high, 1e-9) << c.low << ".." << c.high;
        ASSERT_GE(a.ticks.size(), 2u);
        EXPECT_NEAR(a.ticks[1] - a.ticks[0], c.step, 1e-9) << c.low << ".." << c.high;
        EXPECT_NEAR(a.ticks.front(), a.low, 1e-9);
        EXPECT_NEAR(a.ticks.back(), a.high, 1e-9);
        EXPECT_LE(a.low, c.low);
        EXPECT_GE(a.high, c.high);
    }
}

TEST(Svg, TickLabelsHaveTheStepsDecimals) {
    const struct {
        double value, step;
        std::string out;
    } cases[] = {{0.5, 0.1, "0.5"},
                 {0.65, 0.05, "0.65"},
                 {2000, 500, "2000"},
                 {-0.0, 0.2, "0.0"},
                 {-1e-17, 0.2, "0.0"}};
    for (const auto& c : cases) EXPECT_EQ(tick_label(c.value, c.step), c.out);
}

TEST(Svg, SankeyNodesAreAsTallAsTheirLargerFlowAndBandsStack) {
    // residents -> in county (90), outside (10); in county -> village (60), county (30).
    const std::vector<SankeyNode> nodes = {
        {"residents", 0}, {"in", 1}, {"out", 1}, {"village", 2}, {"county", 2}};
    const std::vector<SankeyLink> links = {{0, 1, 90}, {0, 2, 10}, {1, 3, 60}, {1, 4, 30}};
    const SankeyLayout l = sankey_layout(nodes, links, 400, 234);
    ASSERT_EQ(l.nodes.size(), 5u);
    ASSERT_EQ(l.links.size(), 4u);
    EXPECT_NEAR(l.nodes[0].height, 100 * l.scale, 1e-9);
    EXPECT_NEAR(l.nodes[1].height, 90 * l.scale, 1e-9);
    EXPECT_NEAR(l.nodes[3].height, 60 * l.scale, 1e-9);
    // The tallest column (two nodes, one gap of 18) fills the height below the title (34).
    EXPECT_NEAR(l.nodes[1].height + l.nodes[2].height + 18, 234 - 34, 1e-9);
    // Out of "residents" the two bands stack from its top; into "in" the band starts at its top.
    EXPECT_NEAR(l.links[0].y0, l.nodes[0].y, 1e-9);
    EXPECT_NEAR(l.links[1].y0, l.nodes[0].y + l.links[0].width, 1e-9);
    EXPECT_NEAR(l.links[1].y1, l.nodes[2].y, 1e-9);
    EXPECT_NEAR(l.links[3].y0, l.nodes[1].y + l.links[2].width, 1e-9);
    // Columns are spread over the width; a band runs from one node's right edge to the next.
    EXPECT_NEAR(l.nodes[0].x, 0, 1e-9);
    EXPECT_NEAR(l.nodes[4].x + kSankeyNodeWidth, 400, 1e-9);
    EXPECT_NEAR(l.links[2].x0, l.nodes[1].x + kSankeyNodeWidth, 1e-9);
    EXPECT_NEAR(l.links[2].x1, l.nodes[3].x, 1e-9);
}

TEST(Svg, SankeyWithoutFlowsDrawsNoBand) {
    const SankeyLayout l = sankey_layout({{"a", 0}, {"b", 1}}, {{0, 1, 0}}, 100, 100);
    EXPECT_EQ(l.scale, 0);
    EXPECT_EQ(l.links[0].width, 0);
}

TEST(Svg, LineChartDrawsTheTargetAndEscapesTitles) {
    LineChart c;
    c.title = "A<B";
    c.x = {0, 1, 2};
    c.x_labels = {"01", "02", "03"};
    c.lines = {{"share", {0.60, 0.62, 0.64}, {0.59, 0.61, 0.63}, {0.61, 0.63, 0.65}}};
    c.target = 0.65;
    c.target_label = "target ≥ 0.65";
    const std::string svg = line_chart(c);
    EXPECT_NE(svg.find("A&lt;B"), std::string::npos);
    EXPECT_EQ(svg.find("A<B"), std::string::npos);
    EXPECT_NE(svg.find("class=\"target\""), std::string::npos);
    EXPECT_NE(svg.find("<polygon"), std::string::npos);  // the confidence band
    EXPECT_NE(svg.find(">0.66<"), std::string::npos);    // the axis reaches past the target
    c.target.reset();
    EXPECT_EQ(line_chart(c).find("class=\"target\""), std::string::npos);
}

TEST(Svg, BarChartsStartAtZero) {
    BarChart c;
    c.title = "share";
    c.categories = {"east", "west"};
    c.series = {{"share", {0.61, 0.68}, {}, {}}};
    const std::string svg = bar_chart(c);
    EXPECT_NE(svg.find(">0.0<"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">east<"), std::string::npos);
}

TEST(Svg, ForestPlotHasAZeroLineAndOneRowPerItem) {
    const std::string svg = forest_plot("d", {{"a", 1, 0.5, 1.5}, {"b", -2, -3, -1}});
    EXPECT_NE(svg.find("class=\"zero\""), std::string::npos);
    EXPECT_NE(svg.find(">a<"), std::string::npos);
    EXPECT_NE(svg.find(">b<"), std::string::npos);
    std::size_t bars = 0;
    for (std::size_t at = svg.find("class=\"ci\""); at != std::string::npos;
         at = svg.find("class=\"ci\"", at + 1))
        ++bars;
    EXPECT_EQ(bars, 2u);
}

}  // namespace
}  // namespace cmasim::report::svg
