// Resolving `extends:` chains (compose.h): each file's base is read, resolved recursively, and
// the extending file merged over it (merge.h), the provenance following every value.
#include <algorithm>
#include <filesystem>

#include "compose.h"
#include "merge.h"
#include "text.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

namespace fs = std::filesystem;

struct Link {
    fs::path file;  ///< weakly canonical
    std::string label;
};

fs::path identity_of(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return ec ? fs::absolute(p, ec).lexically_normal() : c;
}

[[noreturn]] void fail_at(const std::string& label, const YAML::Node& node, std::string key_path,
                          std::string message, std::string hint) {
    const YAML::Mark m = node.Mark();
    fail({Diagnostic{label, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1,
                     std::move(key_path), std::move(message), std::move(hint)}});
}

/// The base file that `ext` (the `extends:` value of file `label`) names, as a link of the
/// chain: fails on a malformed value or a cycle through `chain`.
Link base_of(const YAML::Node& ext, const std::string& label, const std::vector<Link>& chain) {
    if (!ext.IsScalar() || ext.Scalar().empty()) {
        fail_at(label, ext, "extends", "expected the path of a base scenario file",
                "e.g. extends: baseline.yaml (relative to this file's directory)");
    }
    const fs::path given = ext.Scalar();
    const fs::path base_file =
        (given.is_absolute() ? given : fs::path(label).parent_path() / given).lexically_normal();
    const std::string base_label = base_file.string();
    const fs::path id = identity_of(base_file);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (chain[i].file != id) continue;
        std::string cycle;
        for (std::size_t j = i; j < chain.size(); ++j) cycle += chain[j].label + " -> ";
        fail_at(label, ext, "extends", "extends cycle: " + cycle + base_label,
                "a scenario cannot extend itself, directly or through its bases");
    }
    return Link{id, base_label};
}

/// The root map of the base file `base_label`, named by `ext` in file `label`.
YAML::Node read_base(const YAML::Node& ext, const std::string& label,
                     const std::string& base_label) {
    const fs::path base_file = base_label;
    std::error_code ec;
    if (!fs::is_regular_file(base_file, ec)) {
        fail_at(label, ext, "extends",
                "cannot read base scenario '" + base_label +
                    "': " + (fs::exists(base_file, ec) ? "not a regular file" : "no such file"),
                "the path is relative to the directory of " + label);
    }
    bool ok = false;
    const std::string text = read_file_text(base_file.string(), ok);
    if (!ok) {
        fail_at(label, ext, "extends", "cannot read base scenario '" + base_label + "'",
                "check its permissions");
    }
    YAML::Node base_root = parse_yaml(text, base_label);
    if (!base_root.IsMap()) {
        fail_at(base_label, base_root, "", "a base scenario must be a map of keys",
                "start from scenarios/tiny.yaml");
    }
    return base_root;
}

/// Merges the extending file's `root` (without its `extends:` key) over the resolved `base`,
/// into `root`: the extending file's root map becomes the merged root; base keys keep their
/// source.
void merge_over_base(YAML::Node root, Document& base, const std::string& label) {
    std::vector<YamlEntry> own = entries_of(root);
    own.erase(std::remove_if(own.begin(), own.end(),
                             [](const YamlEntry& e) { return key_is(e.key, "extends"); }),
              own.end());
    rewrite(root, own);
    for (auto it = base.root.begin(); it != base.root.end(); ++it) {
        if (it->first.IsScalar()) base.sources.pin(it->first.Scalar());
    }
    Merger merger(base.sources, label);
    std::vector<YamlEntry> merged = merger.merged_entries(base.root, root, "");
    if (!merger.problems().empty()) fail(merger.problems());
    rewrite(root, merged);
    base.sources.relabel_root(NodeSource{label, true});
    base.removed.insert(base.removed.end(), merger.removed().begin(), merger.removed().end());
}

/// The document of one file, its `extends:` chain resolved and merged.
Document with_bases(YAML::Node root, const std::string& label, std::vector<Link>& chain,
                    std::vector<std::string>& labels) {
    labels.push_back(label);
    const std::vector<std::string> tables = expand_tables(root, label);
    labels.insert(labels.end(), tables.begin(), tables.end());
    Document doc{root, Provenance(NodeSource{label, true}), {}, {}};
    if (!root.IsMap()) return doc;
    YAML::Node ext = value_of(root, "extends");
    if (!ext.IsDefined()) return doc;
    const Link base_link = base_of(ext, label, chain);
    YAML::Node base_root = read_base(ext, label, base_link.label);
    chain.push_back(base_link);
    Document base = with_bases(base_root, base_link.label, chain, labels);
    chain.pop_back();
    merge_over_base(root, base, label);
    doc.sources = std::move(base.sources);
    doc.removed = std::move(base.removed);
    return doc;
}

}  // namespace

Document with_extends(const YAML::Node& root, const std::string& label) {
    std::vector<Link> chain{Link{identity_of(label), label}};
    std::vector<std::string> labels;
    Document doc = with_bases(root, label, chain, labels);
    doc.labels = labels;
    return doc;
}

}  // namespace cmasim::scenario::detail
