// Composing the scenario document: `extends:` chains merged at the YAML level (extends.cpp,
// merge.cpp), then `--set` overrides (overrides.cpp), with the source of every merged value
// recorded for the messages (provenance.cpp).
#include "compose.h"

#include "text.h"

#include <algorithm>
#include <tuple>
#include <vector>

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

namespace {

/// yaml-cpp reads `key:` (nothing after it) and `key: ~` alike as null; the text at the value's
/// mark tells them apart.
bool written_null(const std::string& text, std::size_t pos) {
    if (pos >= text.size()) return false;
    if (text[pos] == '~') return true;
    for (const char* word : {"null", "Null", "NULL"}) {
        if (text.compare(pos, 4, word) == 0) return true;
    }
    return false;
}

/// Tags every value left empty with kEmptyTag (iteratively: nesting depth is the file's).
void tag_empty_values(const YAML::Node& root, const std::string& text) {
    std::vector<YAML::Node> todo{root};
    while (!todo.empty()) {
        const YAML::Node node = todo.back();
        todo.pop_back();
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                YAML::Node value = it->second;
                if (value.IsNull() && !written_null(text, value.Mark().pos))
                    value.SetTag(kEmptyTag);
                else
                    todo.push_back(value);
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) todo.push_back(item);
        }
    }
}

}  // namespace

namespace {

/// What to do about a syntax error at line `line`: the slip a planner most likely made there.
std::string syntax_hint(const std::string& text, int line) {
    const std::string_view row = line_of(text, line);
    const std::string_view above = line > 1 ? line_of(text, line - 1) : std::string_view{};
    for (std::string_view l : {row, above}) {
        std::string wide = full_width_hint(l);
        if (!wide.empty()) return wide;
    }
    for (std::string_view l : {row, above}) {
        if (l.find('\t') != std::string_view::npos) {
            return "line " + std::to_string(l == row ? line : line - 1) +
                   " has a tab: YAML indents with spaces only, replace the tab with spaces";
        }
    }
    return "check indentation, colons, quotes and brackets near here: a key belongs to the "
           "nearest line above it that is indented less";
}

}  // namespace

YAML::Node parse_yaml(const std::string& text, const std::string& label) {
    if (auto bad = encoding_problem(text, label)) fail({*bad});
    try {
        YAML::Node root = YAML::Load(text);
        if (root.IsNull()) {
            fail({Diagnostic{label, 1, 1, "", "the scenario file is empty",
                             "start from scenarios/tiny.yaml"}});
        }
        tag_empty_values(root, text);
        return root;
    } catch (const YAML::Exception& e) {
        const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        fail({Diagnostic{label, line, e.mark.is_null() ? 0 : e.mark.column + 1, "",
                         "YAML syntax error: " + e.msg, syntax_hint(text, line)}});
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
