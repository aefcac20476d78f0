// Merging an overlay map into a base map, lists merged by id (merge.h).
#include "merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "cmasim/util/did_you_mean.h"
#include "schemas.h"
#include "text.h"

namespace cmasim::scenario::detail {

std::vector<YamlEntry> Merger::merged_entries(const YAML::Node& base, const YAML::Node& overlay,
                                              const std::string& path) {
    std::vector<YamlEntry> out = entries_of(base);
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        const YAML::Node k = it->first;  // a copy: `it->` returns a temporary
        const YAML::Node v = it->second;
        if (!k.IsScalar()) {
            out.push_back(YamlEntry{k, v, true});
            continue;
        }
        merge_entry(out, k, v, path);
    }
    return out;
}

void Merger::merge_entry(std::vector<YamlEntry>& out, const YAML::Node& k, const YAML::Node& v,
                         const std::string& path) {
    const std::string child = child_path(path, k.Scalar());
    auto found = std::find_if(out.begin(), out.end(), [&](const YamlEntry& e) {
        return !e.touched && key_is(e.key, k.Scalar());
    });
    if (v.IsNull() && v.Tag() == kEmptyTag) refuse_empty(k, child, found != out.end());
    if (found == out.end()) {
        if (v.IsNull()) return;  // removing a key the base does not have
        out.push_back(YamlEntry{k, v, true});
        sources_.assign(child, NodeSource{label_, true});
        return;
    }
    found->touched = true;
    if (v.IsNull()) {
        out.erase(found);
        sources_.erase(child);
        removed_.push_back(child + " (by " + label_ + ")");
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

void Merger::refuse_empty(const YAML::Node& key, const std::string& path, bool in_base) const {
    const YAML::Mark m = key.Mark();
    fail({Diagnostic{
        label_, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, path,
        "'" + key.Scalar() + "' has no value" +
            (in_base ? ", which would silently remove the base's '" + path + "'"
                     : " (and the base has no '" + path + "')"),
        !full_width_hint(key.Scalar()).empty() ? full_width_hint(key.Scalar())
        : in_base ? "write '" + key.Scalar() + ": ~' to remove it, or give the keys to change"
                  : "give its keys, or delete the line"}});
}

void Merger::merge_map(YAML::Node base, const YAML::Node& overlay, const std::string& path) {
    rewrite(base, merged_entries(base, overlay, path));
}

void Merger::merge_list(YAML::Node base, const YAML::Node& overlay, const std::string& path) {
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
            if (it == index.end()) check_new_item(item, id, index, path);
            sources_.assign(item_path(path, base.size()), NodeSource{label_, true});
            base.push_back(item);
        }
    }
}

}  // namespace cmasim::scenario::detail

namespace cmasim::scenario::detail {

namespace {
/// The keys a new item of the top-level list `list` must give besides its id.
std::vector<std::string> required_keys(const std::string& list) {
    std::vector<std::string> out;
    for (const SchemaKey& section : scenario_schema().docs()) {
        if (section.key != list || section.shape != KeyShape::List) continue;
        for (const SchemaKey& k : section.children) {
            if (k.required && k.key != "id") out.push_back(k.key);
        }
    }
    return out;
}

std::string singular(const std::string& list) {
    if (list.size() > 3 && list.compare(list.size() - 3, 3, "ies") == 0)
        return list.substr(0, list.size() - 3) + "y";
    return !list.empty() && list.back() == 's' ? list.substr(0, list.size() - 1) : list;
}
}  // namespace

void Merger::check_new_item(const YAML::Node& item, const std::string& id,
                            const std::map<std::string, std::size_t>& base_ids,
                            const std::string& path) {
    std::vector<std::string> missing;
    for (const std::string& key : required_keys(path)) {
        if (!value_of(item, key).IsDefined()) missing.push_back(key);
    }
    if (missing.empty()) return;  // a complete new item: added on purpose
    std::vector<std::string> ids;
    for (const auto& [known, index] : base_ids) ids.push_back(known);
    std::string give;
    for (std::size_t i = 0; i < missing.size(); ++i)
        give += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    const std::string what = singular(path);
    std::string hint = util::did_you_mean(id, ids, false);
    hint += (hint.empty() ? "" : " ") + ("To add a new " + what + ", give its " + give);
    const YAML::Mark m = value_of(item, "id").Mark();
    problems_.push_back(Diagnostic{label_, m.is_null() ? 0 : m.line + 1,
                                   m.is_null() ? 0 : m.column + 1, path + "[" + id + "]",
                                   what + " '" + id + "' is not in the base scenario", hint});
}

}  // namespace cmasim::scenario::detail
