#include "cmasim/scenario/diagnostics.h"

#include <algorithm>

namespace cmasim::scenario {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out = d.file;
    if (d.line > 0) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
    out += ": ";
    if (!d.key_path.empty()) out += d.key_path + ": ";
    out += d.message;
    if (!d.hint.empty()) out += " (" + d.hint + ")";
    return out;
}

namespace {
std::string join(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) out += '\n';
        out += format_diagnostic(d);
    }
    // A planner fixing a long list needs to know how many there are: the count ends it.
    if (diagnostics.size() > 1) out += "\n" + std::to_string(diagnostics.size()) + " errors";
    return out;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace cmasim::scenario
