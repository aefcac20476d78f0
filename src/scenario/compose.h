// Internal to the loader: composing the YAML document the schema is applied to. A scenario may
// `extends:` a base file (recursively) and the caller may give `--set path=value` overrides; both
// are applied to the YAML tree before the schema pass. Nodes keep the marks (line, column) of the
// file they were read from, and a Provenance remembers, per key path of the merged tree, which
// file (or override) a value came from, so that every message names the right file and line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"

namespace cmasim::scenario::detail {

/// Where the values under a key path came from.
struct NodeSource {
    std::string label;  ///< file label, or "--set path=value" for an override
    bool marks = true;  ///< the nodes' line/column refer to `label` (false for overrides)
};

/// Key path ("facilities[3].doctors", canonical list indices) -> source of that value and of
/// everything below it that has no entry of its own.
class Provenance {
  public:
    explicit Provenance(NodeSource root) { entries_.emplace("", std::move(root)); }
    /// The source of the closest recorded ancestor (or the path itself).
    const NodeSource& lookup(const std::string& path) const;
    /// The value at `path` (and all below it) now comes from `source`.
    void assign(const std::string& path, NodeSource source);
    /// Records the current source of `path` explicitly (before an ancestor's source changes).
    void pin(const std::string& path);
    /// The root's own source (its children keep theirs).
    void relabel_root(NodeSource source) { entries_[""] = std::move(source); }
    /// Forgets everything at and below `path`.
    void erase(const std::string& path);
    /// Item `index` of the list at `list` was removed: later items move up by one.
    void remove_item(const std::string& list, std::size_t index);

  private:
    std::map<std::string, NodeSource> entries_;
};

/// A merged scenario document.
struct Document {
    YAML::Node root;
    Provenance sources;
    /// Every file merged, the extending file first, then its bases in order, then the overrides
    /// ("--set path=value"). Diagnostics are sorted in this order.
    std::vector<std::string> labels;
    /// Every key a what-if (`key: ~`) or an override (`--set path=~`) removed, as
    /// "path (by file)", in the order they were removed; `cmasim resolve` lists them.
    std::vector<std::string> removed;
};

/// The tag parse_yaml() gives a value written as nothing at all (`key:`), unlike the removal
/// `key: ~`: in a what-if an empty value is an error, not a silent removal
/// (docs/scenario-reference.md).
inline constexpr const char* kEmptyTag = "!cmasim-empty";

/// "a.b" / "a[3]" path joins, as the Reader builds canonical paths.
std::string child_path(const std::string& parent, const std::string& key);
std::string item_path(const std::string& parent, std::size_t index);

/// A tag for a node the loader built (from a CSV cell, or an implied clinic) that carries where
/// it stood: the Reader reads it in place of the node's mark, which such a node lacks. `note`
/// ("row 4, column '人口'") is added to the key path of its messages. Tags are never written out.
std::string located_tag(const std::string& file, int line, int column, const std::string& note);
struct Located {
    std::string file;
    int line = 0;
    int column = 0;
    std::string note;
};
std::optional<Located> read_located_tag(const std::string& tag);

/// Replaces every top-level list written {csv: file} in `root` (the file `label`) by the records
/// its rows make (tables.cpp; paths relative to the directory of `label`), then adds the clinic
/// of every village with `clinic: true` to the facilities. Returns the CSV files read, for the
/// order of messages; throws ScenarioError with every problem found in them.
std::vector<std::string> expand_tables(YAML::Node root, const std::string& label);

/// Parses YAML text; an empty document or a syntax error throws ScenarioError naming `label`.
YAML::Node parse_yaml(const std::string& text, const std::string& label);

/// The document of `label` (parsed into `root`) with its `extends:` chain (paths relative to the
/// directory of each file) resolved and merged; labels: the file, then its bases in order.
/// Throws ScenarioError naming the file and line of the first problem.
Document with_extends(const YAML::Node& root, const std::string& label);

/// Applies one `--set key.path=value` override (`text`) to `doc` and adds its label to
/// doc.labels; what is wrong with it is added to `problems`.
void apply_override(Document& doc, const std::string& text, std::vector<Diagnostic>& problems);

/// Applies one change given as a key path and a value node to `doc`, as an override: the value
/// is recorded as coming from `source` (whose marks are the value's), problems are reported at
/// `at` (a timeline entry's key).
void apply_change(Document& doc, const std::string& path, const YAML::Node& value,
                  const NodeSource& source, const SourceRef& at, std::vector<Diagnostic>& problems);

/// The stages after composing (loader.cpp): the schema, a synthetic county's expansion, the
/// totals, the cross-references and the queueing network's load. Throws ScenarioError.
/// `more_episodes` (fast_episodes.h) follow the document's scripted episodes.
Scenario build_scenario(const Document& doc, const std::string& label, const LoadOptions& options,
                        const std::vector<ScriptedEpisode>* more_episodes = nullptr);

/// Compiles each timeline entry's scenario (timeline.cpp): the document without its timeline,
/// with the entries up to and including that one applied in order. Throws ScenarioError, the
/// messages naming the entry.
void add_periods(Scenario& scenario, const Document& doc, const std::string& label,
                 const LoadOptions& options);

/// Resolves `extends:` (relative to the directory of `label`) and applies options.overrides.
/// Throws ScenarioError with every problem of the stage that failed.
Document compose_document(const YAML::Node& root, const std::string& label,
                          const LoadOptions& options);

/// Throws ScenarioError with the diagnostics sorted by file (in `labels` order), line, column.
[[noreturn]] void fail(std::vector<Diagnostic> diagnostics,
                       const std::vector<std::string>& labels = {});

}  // namespace cmasim::scenario::detail
