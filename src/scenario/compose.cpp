// Composing the scenario document: `extends:` chains merged at the YAML level, then `--set`
// overrides, with the source of every merged value recorded for the messages.
#include "compose.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "reader.h"

namespace cmasim::scenario::detail {

namespace fs = std::filesystem;

std::string child_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string item_path(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

// --- Provenance --------------------------------------------------------------------------

namespace {

bool is_under(const std::string& path, const std::string& root) {
    if (root.empty()) return true;
    if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
    return path.size() == root.size() || path[root.size()] == '.' || path[root.size()] == '[';
}

std::string parent_of(const std::string& path) {
    const auto cut = path.find_last_of(".[");
    return cut == std::string::npos ? std::string{} : path.substr(0, cut);
}

}  // namespace

const NodeSource& Provenance::lookup(const std::string& path) const {
    std::string p = path;
    while (true) {
        if (auto it = entries_.find(p); it != entries_.end()) return it->second;
        if (p.empty()) break;
        p = parent_of(p);
    }
    static const NodeSource unknown{};
    return unknown;
}

void Provenance::erase(const std::string& path) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = is_under(it->first, path) ? entries_.erase(it) : std::next(it);
    }
}

void Provenance::assign(const std::string& path, NodeSource source) {
    erase(path);
    entries_[path] = std::move(source);
}

void Provenance::pin(const std::string& path) {
    NodeSource current = lookup(path);
    entries_.emplace(path, std::move(current));
}

void Provenance::remove_item(const std::string& list, std::size_t index) {
    std::map<std::string, NodeSource> moved;
    const std::string prefix = list + "[";
    for (auto it = entries_.begin(); it != entries_.end();) {
        const std::string& p = it->first;
        const auto close = p.find(']', prefix.size());
        if (p.compare(0, prefix.size(), prefix) != 0 || close == std::string::npos ||
            p.find_first_not_of("0123456789", prefix.size()) != close) {
            ++it;
            continue;
        }
        const std::size_t i = std::stoul(p.substr(prefix.size(), close - prefix.size()));
        if (i > index) moved.emplace(item_path(list, i - 1) + p.substr(close + 1), it->second);
        it = i >= index ? entries_.erase(it) : std::next(it);
    }
    entries_.merge(moved);
}

// --- YAML helpers ------------------------------------------------------------------------

[[noreturn]] void fail(std::vector<Diagnostic> diagnostics, const std::vector<std::string>& labels) {
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
        fail({Diagnostic{label, e.mark.is_null() ? 0 : e.mark.line + 1,
                         e.mark.is_null() ? 0 : e.mark.column + 1, "",
                         "YAML syntax error: " + e.msg,
                         "check indentation, colons, quotes and brackets near here"}});
    }
}

namespace {

/// One key: value pair of a map. YAML::Node's assignment operator does not rebind the handle but
/// makes the node it refers to share the other node's data (changing the tree), so an Entry
/// assigns by reset(): vector::erase and std::remove_if assign elements.
struct Entry {
    YAML::Node key;
    YAML::Node value;
    bool touched = false;  ///< already merged with or replaced by an entry of the overlay

    Entry(const YAML::Node& k, const YAML::Node& v, bool t = false) : key(k), value(v), touched(t) {}
    Entry(const Entry&) = default;
    Entry& operator=(const Entry& other) {
        key.reset(other.key);
        value.reset(other.value);
        touched = other.touched;
        return *this;
    }
    ~Entry() = default;
};

std::vector<Entry> entries_of(const YAML::Node& map) {
    std::vector<Entry> out;
    for (auto it = map.begin(); it != map.end(); ++it) out.push_back(Entry{it->first, it->second});
    return out;
}

bool key_is(const YAML::Node& key, const std::string& name) {
    return key.IsScalar() && key.Scalar() == name;
}

/// The value of `key` in a map (first occurrence), or an undefined node; never inserts.
YAML::Node value_of(const YAML::Node& map, const std::string& key) {
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (key_is(it->first, key)) return it->second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

/// Replaces the entries of `map` (keeping the node itself, and with it its mark).
void rewrite(YAML::Node map, const std::vector<Entry>& entries) {
    std::vector<YAML::Node> old_keys;
    for (auto it = map.begin(); it != map.end(); ++it) old_keys.push_back(it->first);
    for (const auto& k : old_keys) map.remove(k);
    for (const auto& e : entries) map.force_insert(e.key, e.value);
}

/// Sets `key` in `map` to `value`, in place if present, else at the end.
void set_entry(YAML::Node map, const std::string& key, const YAML::Node& value) {
    std::vector<Entry> entries = entries_of(map);
    for (auto& e : entries) {
        if (!key_is(e.key, key)) continue;
        e.value.reset(value);
        rewrite(map, entries);
        return;
    }
    map.force_insert(key, value);
}

void remove_entry(YAML::Node map, const std::string& key) {
    std::vector<Entry> entries = entries_of(map);
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const Entry& e) { return key_is(e.key, key); }),
                  entries.end());
    rewrite(map, entries);
}

std::optional<std::string> id_of(const YAML::Node& item) {
    if (!item.IsMap()) return std::nullopt;
    const YAML::Node id = value_of(item, "id");
    if (!id.IsDefined() || !id.IsScalar() || id.Scalar().empty()) return std::nullopt;
    return id.Scalar();
}

/// A list whose items are all maps with an `id`.
bool is_id_list(const YAML::Node& list) {
    if (!list.IsSequence()) return false;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!id_of(list[i])) return false;
    }
    return true;
}

// --- merging -----------------------------------------------------------------------------

class Merger {
public:
    Merger(Provenance& sources, std::string label) : sources_(sources), label_(std::move(label)) {}

    /// The entries of `base` with `overlay` merged in (base order, then new keys in order).
    std::vector<Entry> merged_entries(const YAML::Node& base, const YAML::Node& overlay,
                                      const std::string& path) {
        std::vector<Entry> out = entries_of(base);
        for (auto it = overlay.begin(); it != overlay.end(); ++it) {
            const YAML::Node k = it->first;  // a copy: `it->` returns a temporary
            const YAML::Node v = it->second;
            if (!k.IsScalar()) {
                out.push_back(Entry{k, v, true});
                continue;
            }
            const std::string child = child_path(path, k.Scalar());
            auto found = std::find_if(out.begin(), out.end(), [&](const Entry& e) {
                return !e.touched && key_is(e.key, k.Scalar());
            });
            if (found == out.end()) {
                if (v.IsNull()) continue;  // removing a key the base does not have
                out.push_back(Entry{k, v, true});
                sources_.assign(child, NodeSource{label_, true});
                continue;
            }
            found->touched = true;
            if (v.IsNull()) {
                out.erase(found);
                sources_.erase(child);
            } else if (found->value.IsMap() && v.IsMap() && !value_of(v, "dist").IsDefined()) {
                merge_map(found->value, v, child);
            } else if (is_id_list(found->value) && is_id_list(v) && v.size() > 0) {
                merge_list(found->value, v, child);
            } else {
                found->key.reset(k);
                found->value.reset(v);
                sources_.assign(child, NodeSource{label_, true});
            }
        }
        return out;
    }

    void merge_map(YAML::Node base, const YAML::Node& overlay, const std::string& path) {
        rewrite(base, merged_entries(base, overlay, path));
    }

    /// Items with an id already in the base deep-merge into it; new ids are appended.
    void merge_list(YAML::Node base, const YAML::Node& overlay, const std::string& path) {
        std::map<std::string, std::size_t> index;
        const YAML::Node& items = base;
        for (std::size_t i = 0; i < items.size(); ++i) index.emplace(*id_of(items[i]), i);
        std::set<std::string> merged;
        for (std::size_t j = 0; j < overlay.size(); ++j) {
            const YAML::Node item = overlay[j];
            const std::string id = *id_of(item);
            auto it = index.find(id);
            if (it != index.end() && merged.insert(id).second) {
                merge_map(items[it->second], item, item_path(path, it->second));
            } else {
                // A new id, or one given twice in the overlay (then the duplicate id check
                // reports it).
                sources_.assign(item_path(path, base.size()), NodeSource{label_, true});
                base.push_back(item);
            }
        }
    }

private:
    Provenance& sources_;
    std::string label_;
};

// --- extends -------------------------------------------------------------------------------

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

std::string read_file(const fs::path& file, bool& ok) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    ok = static_cast<bool>(in);
    return text.str();
}

/// The document of one file, its `extends:` chain resolved and merged.
Document with_bases(YAML::Node root, const std::string& label, std::vector<Link>& chain,
                    std::vector<std::string>& labels) {
    labels.push_back(label);
    Document doc{root, Provenance(NodeSource{label, true}), {}};
    if (!root.IsMap()) return doc;
    YAML::Node ext = value_of(root, "extends");
    if (!ext.IsDefined()) return doc;
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
    std::error_code ec;
    if (!fs::is_regular_file(base_file, ec)) {
        fail_at(label, ext, "extends",
                "cannot read base scenario '" + base_label + "': " +
                    (fs::exists(base_file, ec) ? "not a regular file" : "no such file"),
                "the path is relative to the directory of " + label);
    }
    bool ok = false;
    const std::string text = read_file(base_file, ok);
    if (!ok) {
        fail_at(label, ext, "extends", "cannot read base scenario '" + base_label + "'",
                "check its permissions");
    }
    YAML::Node base_root = parse_yaml(text, base_label);
    if (!base_root.IsMap()) {
        fail_at(base_label, base_root, "", "a base scenario must be a map of keys",
                "start from scenarios/tiny.yaml");
    }
    chain.push_back(Link{id, base_label});
    Document base = with_bases(base_root, base_label, chain, labels);
    chain.pop_back();

    // The extending file's root map becomes the merged root; base keys keep their source.
    std::vector<Entry> own = entries_of(root);
    own.erase(std::remove_if(own.begin(), own.end(),
                             [](const Entry& e) { return key_is(e.key, "extends"); }),
              own.end());
    rewrite(root, own);
    for (auto it = base.root.begin(); it != base.root.end(); ++it) {
        if (it->first.IsScalar()) base.sources.pin(it->first.Scalar());
    }
    Merger merger(base.sources, label);
    std::vector<Entry> merged = merger.merged_entries(base.root, root, "");
    rewrite(root, merged);
    doc.sources = std::move(base.sources);
    doc.sources.relabel_root(NodeSource{label, true});
    return doc;
}

// --- overrides -----------------------------------------------------------------------------

struct Segment {
    bool is_key = true;
    std::string key;  ///< for a key, or the id of a list item
    std::optional<std::size_t> index;
    std::string text;  ///< as written: "doctors", "[0]", "[peoples_hospital]"
};

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

std::optional<std::vector<Segment>> parse_key_path(const std::string& path, std::string& error) {
    std::vector<Segment> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '[') {
            const auto close = path.find(']', pos);
            if (close == std::string::npos) {
                error = "'[' without a closing ']'";
                return std::nullopt;
            }
            Segment s;
            s.is_key = false;
            s.key = path.substr(pos + 1, close - pos - 1);
            s.text = path.substr(pos, close - pos + 1);
            if (s.key.empty() || !std::all_of(s.key.begin(), s.key.end(), is_name_char)) {
                error = "'" + s.text + "' is not a list selector";
                return std::nullopt;
            }
            if (std::all_of(s.key.begin(), s.key.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
                s.index = std::stoul(s.key);
            }
            if (out.empty()) {
                error = "a key path starts with a key, not a list selector";
                return std::nullopt;
            }
            out.push_back(s);
            pos = close + 1;
            continue;
        }
        if (!out.empty()) {
            if (path[pos] != '.') {
                error = "expected '.' or '[' after '" + out.back().text + "'";
                return std::nullopt;
            }
            ++pos;
        }
        const std::size_t start = pos;
        while (pos < path.size() && is_name_char(path[pos])) ++pos;
        if (pos == start) {
            error = "empty or invalid key at position " + std::to_string(start + 1);
            return std::nullopt;
        }
        Segment s;
        s.key = s.text = path.substr(start, pos - start);
        out.push_back(s);
    }
    return out;
}

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
    OverrideApplier(Document& doc, std::string text)
        : doc_(doc), text_(std::move(text)), label_("--set " + text_) {}

    const std::string& label() const { return label_; }

    void apply(std::vector<Diagnostic>& problems) {
        problems_ = &problems;
        const auto eq = text_.find('=');
        if (eq == std::string::npos) {
            return report("", "expected key.path=value, got '" + text_ + "'",
                          "e.g. --set facilities[county_hospital].doctors=90");
        }
        const std::string path = trim(text_.substr(0, eq));
        const std::string value_text = trim(text_.substr(eq + 1));
        if (path.empty()) return report("", "no key path before '='", "e.g. --set seed=7");
        std::string error;
        auto segments = parse_key_path(path, error);
        if (!segments) {
            return report(path, "malformed key path '" + path + "': " + error,
                          "write keys separated by '.', list items as [id] or [index], e.g. "
                          "conditions[0].episodes_per_person_year");
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

private:
    void report(const std::string& key_path, std::string message, std::string hint = {}) {
        problems_->push_back(Diagnostic{label_, 0, 0, key_path, std::move(message), std::move(hint)});
    }

    NodeSource source() const { return NodeSource{label_, false}; }

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
            report(shown + s.text, "index " + s.key + " is out of range: '" + shown + "' has " +
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
               did_you_mean(s.key, ids));
        return std::nullopt;
    }

    void walk(const std::vector<Segment>& segments, const YAML::Node& value) {
        YAML::Node node = doc_.root;
        std::string canon, shown;
        for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
            const Segment& s = segments[i];
            const Segment& next = segments[i + 1];
            if (!s.is_key) {
                auto idx = select(node, s, shown);
                if (!idx) return;
                const YAML::Node& list = node;
                node.reset(list[*idx]);
                canon = item_path(canon, *idx);
                shown += s.text;
                continue;
            }
            const std::string child_canon = child_path(canon, s.key);
            const std::string child_shown = child_path(shown, s.key);
            if (!node.IsMap()) {
                return report(shown, "'" + shown + "' is not a map, so it has no key '" + s.key +
                                         "'", "check the key path");
            }
            YAML::Node child = value_of(node, s.key);
            if (!child.IsDefined() || child.IsNull()) {
                if (!next.is_key) {
                    return report(child_shown, "there is no list '" + child_shown +
                                                   "' to select " + next.text + " from",
                                  "check the key path");
                }
                child.reset(YAML::Node(YAML::NodeType::Map));
                set_entry(node, s.key, child);
                doc_.sources.assign(child_canon, source());
            } else if (child.IsScalar() && next.is_key && is_level_key(next.key)) {
                // A per-level value given as one number: that number becomes the default.
                const NodeSource old = doc_.sources.lookup(child_canon);
                YAML::Node table(YAML::NodeType::Map);
                table.force_insert(std::string("default"), child);
                set_entry(node, s.key, table);
                doc_.sources.assign(child_canon, source());
                doc_.sources.assign(child_path(child_canon, "default"), old);
                child.reset(table);
            }
            node.reset(child);
            canon = child_canon;
            shown = child_shown;
        }
        const Segment& last = segments.back();
        if (last.is_key) {
            if (!node.IsMap()) {
                return report(shown, "'" + shown + "' is not a map, so it has no key '" +
                                         last.key + "'", "check the key path");
            }
            const std::string child_canon = child_path(canon, last.key);
            if (value.IsNull()) {
                remove_entry(node, last.key);
                doc_.sources.erase(child_canon);
            } else {
                set_entry(node, last.key, value);
                doc_.sources.assign(child_canon, source());
            }
            return;
        }
        auto idx = select(node, last, shown);
        if (!idx) return;
        if (value.IsNull()) {
            node.remove(*idx);
            doc_.sources.remove_item(canon, *idx);
            return;
        }
        std::vector<YAML::Node> items;
        const YAML::Node& list = node;
        for (std::size_t i = 0; i < list.size(); ++i) items.push_back(i == *idx ? value : list[i]);
        while (node.size() > 0) node.remove(node.size() - 1);
        for (const auto& item : items) node.push_back(item);
        doc_.sources.assign(item_path(canon, *idx), source());
    }

    Document& doc_;
    std::string text_;
    std::string label_;
    std::vector<Diagnostic>* problems_ = nullptr;
};

}  // namespace

Document compose_document(const YAML::Node& root, const std::string& label,
                          const LoadOptions& options) {
    std::vector<Link> chain{Link{identity_of(label), label}};
    std::vector<std::string> labels;
    Document doc = with_bases(root, label, chain, labels);
    doc.labels = labels;
    if (options.overrides.empty()) return doc;
    std::vector<Diagnostic> problems;
    for (const auto& text : options.overrides) {
        OverrideApplier applier(doc, text);
        doc.labels.push_back(applier.label());
        if (!doc.root.IsMap()) continue;  // the schema pass reports the root
        applier.apply(problems);
    }
    if (!problems.empty()) fail(std::move(problems), doc.labels);
    return doc;
}

}  // namespace cmasim::scenario::detail
