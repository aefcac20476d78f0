// Applying `--set key.path=value` overrides to the composed document (compose.h): the key path
// is parsed into keys and list selectors ([index] or [id]), walked (creating missing maps, and
// turning a per-level number into a table with that default), and the value set, replaced or
// (for ~) removed, the provenance following.
#include <algorithm>
#include <optional>

#include "cmasim/scenario/key_path.h"
#include "compose.h"
#include "reader.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

/// Key paths are parsed as a sweep file's paths are (cmasim/scenario/key_path.h).
using Segment = KeyPathSegment;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

bool is_level_key(const std::string& key) {
    return key == "village" || key == "township" || key == "county" || key == "external" ||
           key == "default";
}

class OverrideApplier {
  public:
    /// Values set are recorded as coming from `source`; problems are reported at `at`.
    OverrideApplier(Document& doc, NodeSource source, SourceRef at)
        : doc_(doc), source_(std::move(source)), at_(std::move(at)) {}

    /// A `--set` override's text `key.path=value`.
    void apply(const std::string& text, std::vector<Diagnostic>& problems) {
        problems_ = &problems;
        const auto eq = text.find('=');
        if (eq == std::string::npos) {
            return report("", "expected key.path=value, got '" + text + "'",
                          "e.g. --set facilities[county_hospital].doctors=90");
        }
        const std::string path = trim(text.substr(0, eq));
        const std::string value_text = trim(text.substr(eq + 1));
        if (path.empty()) return report("", "no key path before '='", "e.g. --set seed=7");
        std::string error;
        auto segments = parse_key_path(path, error);
        if (!segments) {
            return report(path, "malformed key path '" + path + "': " + error, key_path_hint());
        }
        if (value_text.empty()) {
            return report(path, "no value after '='", "write path=value; ~ removes the key");
        }
        YAML::Node value;
        try {
            value.reset(YAML::Load(value_text));
        } catch (const YAML::Exception& e) {
            return report(path, "the value '" + value_text + "' is not valid YAML: " + e.msg,
                          "quote text with special characters");
        }
        walk(*segments, value);
    }

    /// A change given as a key path and a value node (a timeline entry's `set:`).
    void apply(const std::string& path, const YAML::Node& value,
               std::vector<Diagnostic>& problems) {
        problems_ = &problems;
        std::string error;
        auto segments = parse_key_path(path, error);
        if (!segments) {
            return report(path, "malformed key path '" + path + "': " + error, key_path_hint());
        }
        walk(*segments, value);
    }

  private:
    void report(const std::string& key_path, std::string message, std::string hint = {}) {
        problems_->push_back(Diagnostic{at_.file, at_.line, at_.column, key_path,
                                        std::move(message), std::move(hint)});
    }

    NodeSource source() const { return source_; }

    /// The index of the list item `s` selects, or nullopt (reported).
    std::optional<std::size_t> select(const YAML::Node& list, const Segment& s,
                                      const std::string& shown) {
        if (!list.IsSequence()) {
            report(shown, "'" + shown + "' is not a list, so '" + s.text + "' selects nothing",
                   "select list items only");
            return std::nullopt;
        }
        if (s.index) {
            if (*s.index < list.size()) return s.index;
            report(shown + s.text,
                   "index " + s.key + " is out of range: '" + shown + "' has " +
                       std::to_string(list.size()) + " items",
                   "indices start at 0; or select the item by its id, e.g. [" +
                       (list.size() > 0 && id_of(list[0]) ? *id_of(list[0]) : std::string("id")) +
                       "]");
            return std::nullopt;
        }
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto id = id_of(list[i]);
            if (id && *id == s.key) return i;
            if (id) ids.push_back(*id);
        }
        report(shown + s.text, "no item with id '" + s.key + "' in '" + shown + "'",
               util::did_you_mean(s.key, ids));
        return std::nullopt;
    }

    /// Where the walk down a key path has got to: the node, and its path as the provenance
    /// indexes it (canonical) and as the user wrote it (shown).
    struct Cursor {
        YAML::Node node;
        std::string canon;
        std::string shown;
    };

    void walk(const std::vector<Segment>& segments, const YAML::Node& value) {
        Cursor at{doc_.root, "", ""};
        for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
            const Segment& s = segments[i];
            if (!(s.is_key ? step_into_key(at, s, segments[i + 1]) : step_into_item(at, s))) return;
        }
        const Segment& last = segments.back();
        if (last.is_key) {
            set_key(at, last, value);
        } else {
            set_item(at, last, value);
        }
    }

    /// Moves `at` to the list item `s` selects; false when there is none (reported).
    bool step_into_item(Cursor& at, const Segment& s) {
        auto idx = select(at.node, s, at.shown);
        if (!idx) return false;
        const YAML::Node& list = at.node;
        at.node.reset(list[*idx]);
        at.canon = item_path(at.canon, *idx);
        at.shown += s.text;
        return true;
    }

    /// Moves `at` to its key `s` (followed by `next`), creating a missing map; false when the
    /// path cannot go on (reported).
    bool step_into_key(Cursor& at, const Segment& s, const Segment& next) {
        const std::string child_canon = child_path(at.canon, s.key);
        const std::string child_shown = child_path(at.shown, s.key);
        if (!at.node.IsMap()) {
            report(at.shown, "'" + at.shown + "' is not a map, so it has no key '" + s.key + "'",
                   "check the key path");
            return false;
        }
        YAML::Node child = value_of(at.node, s.key);
        if (!child.IsDefined() || child.IsNull()) {
            if (!next.is_key) {
                report(child_shown,
                       "there is no list '" + child_shown + "' to select " + next.text + " from",
                       "check the key path");
                return false;
            }
            child.reset(YAML::Node(YAML::NodeType::Map));
            set_entry(at.node, s.key, child);
            doc_.sources.assign(child_canon, source());
        } else if (child.IsScalar() && next.is_key && is_level_key(next.key)) {
            child.reset(per_level_table(at.node, s.key, child, child_canon));
        }
        at.node.reset(child);
        at.canon = child_canon;
        at.shown = child_shown;
        return true;
    }

    /// A per-level value given as one number (`number`, at key `key` of `map`): that number
    /// becomes the default of a per-level table, which replaces it and is returned.
    YAML::Node per_level_table(YAML::Node map, const std::string& key, const YAML::Node& number,
                               const std::string& canon) {
        const NodeSource old = doc_.sources.lookup(canon);
        YAML::Node table(YAML::NodeType::Map);
        table.force_insert(std::string("default"), number);
        set_entry(map, key, table);
        doc_.sources.assign(canon, source());
        doc_.sources.assign(child_path(canon, "default"), old);
        return table;
    }

    /// The last segment is a key: sets it (or, for ~, removes it).
    void set_key(Cursor& at, const Segment& last, const YAML::Node& value) {
        if (!at.node.IsMap()) {
            return report(at.shown,
                          "'" + at.shown + "' is not a map, so it has no key '" + last.key + "'",
                          "check the key path");
        }
        const std::string child_canon = child_path(at.canon, last.key);
        if (value.IsNull()) {
            remove_entry(at.node, last.key);
            doc_.sources.erase(child_canon);
            doc_.removed.push_back(child_canon + " (by " + source_.label + ")");
        } else {
            set_entry(at.node, last.key, value);
            doc_.sources.assign(child_canon, source());
        }
    }

    /// The last segment selects a list item: replaces it (or, for ~, removes it).
    void set_item(Cursor& at, const Segment& last, const YAML::Node& value) {
        auto idx = select(at.node, last, at.shown);
        if (!idx) return;
        YAML::Node& node = at.node;
        if (value.IsNull()) {
            node.remove(*idx);
            doc_.sources.remove_item(at.canon, *idx);
            doc_.removed.push_back(item_path(at.canon, *idx) + " (by " + source_.label + ")");
            return;
        }
        std::vector<YAML::Node> items;
        const YAML::Node& list = node;
        for (std::size_t i = 0; i < list.size(); ++i) items.push_back(i == *idx ? value : list[i]);
        while (node.size() > 0) node.remove(node.size() - 1);
        for (const auto& item : items) node.push_back(item);
        doc_.sources.assign(item_path(at.canon, *idx), source());
    }

    Document& doc_;
    NodeSource source_;
    SourceRef at_;
    std::vector<Diagnostic>* problems_ = nullptr;
};

}  // namespace

void apply_override(Document& doc, const std::string& text, std::vector<Diagnostic>& problems) {
    const std::string label = "--set " + text;
    doc.labels.push_back(label);
    if (!doc.root.IsMap()) return;  // the schema pass reports the root
    OverrideApplier(doc, NodeSource{label, false}, SourceRef{label, 0, 0}).apply(text, problems);
}

void apply_change(Document& doc, const std::string& path, const YAML::Node& value,
                  const NodeSource& source, const SourceRef& at,
                  std::vector<Diagnostic>& problems) {
    OverrideApplier(doc, source, at).apply(path, value, problems);
}

}  // namespace cmasim::scenario::detail
