// docs/indicators.md, generated from the indicator table so that the page cannot drift from what
// the model reports (tests/test_indicators.cpp compares them).
#include <string>

#include "cmasim/indicators/table.h"

namespace cmasim::indicators {

namespace {

/// A table cell: a '|' would end the cell early.
std::string cell(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string reference_markdown() {
    std::string md =
        "# Indicators\n\n"
        "Generated from the indicator table (`cmasim indicators`); do not edit by hand. A test "
        "fails when this page and the table disagree. How the model counts them, and the sources "
        "of the official definitions: [model.md](model.md) §7.\n";
    for (const std::string& s : sections()) {
        bool heading = false;
        for (const IndicatorInfo& info : all()) {
            if (info.section != s) continue;
            if (!heading) {
                md += "\n## " + s + "\n\n| key | official name | unit | definition |\n";
                md += "|---|---|---|---|\n";
                heading = true;
            }
            md += "| `" + info.key + "` | " + cell(info.chinese) + " | " + cell(info.unit) + " | " +
                  cell(info.description) + " |\n";
        }
    }
    return md;
}

}  // namespace cmasim::indicators
