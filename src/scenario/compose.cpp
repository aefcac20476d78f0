// Composing the scenario document: `extends:` chains merged at the YAML level (extends.cpp,
// merge.cpp), then `--set` overrides (overrides.cpp), with the source of every merged value
// recorded for the messages (provenance.cpp).
#include "compose.h"

#include <algorithm>
#include <tuple>

namespace cmasim::scenario::detail {

[[noreturn]] void fail(std::vector<Diagnostic> diagnostics,
                       const std::vector<std::string>& labels) {
    auto rank = [&](const Diagnostic& d) {
        auto it = std::find(labels.begin(), labels.end(), d.file);
        return static_cast<std::size_t>(it - labels.begin());
    };
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) {
                         auto key = [&](const Diagnostic& d) {
                             return std::tuple(rank(d), d.line == 0 ? 1 << 30 : d.line, d.column);
                         };
                         return key(a) < key(b);
                     });
    throw ScenarioError(std::move(diagnostics));
}

YAML::Node parse_yaml(const std::string& text, const std::string& label) {
    try {
        YAML::Node root = YAML::Load(text);
        if (root.IsNull()) {
            fail({Diagnostic{label, 1, 1, "", "the scenario file is empty",
                             "start from scenarios/tiny.yaml"}});
        }
        return root;
    } catch (const YAML::Exception& e) {
        fail(
            {Diagnostic{label, e.mark.is_null() ? 0 : e.mark.line + 1,
                        e.mark.is_null() ? 0 : e.mark.column + 1, "", "YAML syntax error: " + e.msg,
                        "check indentation, colons, quotes and brackets near here"}});
    }
}

Document compose_document(const YAML::Node& root, const std::string& label,
                          const LoadOptions& options) {
    Document doc = with_extends(root, label);
    if (options.overrides.empty()) return doc;
    std::vector<Diagnostic> problems;
    for (const auto& text : options.overrides) apply_override(doc, text, problems);
    if (!problems.empty()) fail(std::move(problems), doc.labels);
    return doc;
}

}  // namespace cmasim::scenario::detail
