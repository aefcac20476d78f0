// The scenarios of a policy timeline: each entry's changes are applied, as `--set` overrides are,
// to the composed document of the period before it, and the result goes through every loading
// stage again. A problem names the entry and points at the value in the file.
#include <memory>

#include "compose.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

/// An independent copy of the document without its timeline: the periods' scenarios have none.
Document without_timeline(const Document& doc) {
    Document copy{YAML::Clone(doc.root), doc.sources, doc.labels, doc.removed};
    remove_entry(copy.root, "timeline");
    return copy;
}

/// Applies entry `i`'s changes to `period`; throws ScenarioError when a key path selects nothing.
void apply_entry(Document& period, const Document& doc, const TimelineChange& entry,
                 std::size_t i) {
    const YAML::Node set = value_of(value_of(doc.root, "timeline")[i], "set");
    const NodeSource source{doc.sources.lookup("timeline").label, true};
    std::vector<Diagnostic> problems;
    for (std::size_t k = 0; k < entry.keys.size(); ++k) {
        apply_change(period, entry.keys[k], value_of(set, entry.keys[k]), source,
                     entry.key_sources[k], problems);
    }
    if (!problems.empty()) fail(std::move(problems), doc.labels);
}

/// The error with every message saying which timeline entry it comes from.
ScenarioError in_entry(const ScenarioError& e, const TimelineChange& entry, std::size_t i) {
    std::vector<Diagnostic> named = e.diagnostics();
    for (auto& d : named) {
        d.message = "timeline[" + std::to_string(i) + "] (" + entry.name + "): " + d.message;
        if (d.line != 0 || entry.keys.empty()) continue;
        // A map the change created has no place in the file: point at the key that made it.
        std::size_t k = 0;
        while (k + 1 < entry.keys.size() && entry.keys[k].rfind(d.key_path, 0) != 0) ++k;
        d.file = entry.key_sources[k].file;
        d.line = entry.key_sources[k].line;
        d.column = entry.key_sources[k].column;
    }
    return ScenarioError(std::move(named));
}

}  // namespace

void add_periods(Scenario& scenario, const Document& doc, const std::string& label,
                 const LoadOptions& options) {
    if (scenario.timeline.empty()) return;
    Document period = without_timeline(doc);
    for (std::size_t i = 0; i < scenario.timeline.size(); ++i) {
        auto& entry = scenario.timeline[i];
        try {
            apply_entry(period, doc, entry, i);
            entry.scenario =
                std::make_shared<const Scenario>(build_scenario(period, label, options));
        } catch (const ScenarioError& e) {
            throw in_entry(e, entry, i);
        }
    }
}

}  // namespace cmasim::scenario::detail
