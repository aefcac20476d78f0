// Merging an overlay map into a base map, lists merged by id (merge.h).
#include "merge.h"

#include <algorithm>
#include <map>
#include <set>

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
        in_base ? "write '" + key.Scalar() + ": ~' to remove it, or give the keys to change"
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
            sources_.assign(item_path(path, base.size()), NodeSource{label_, true});
            base.push_back(item);
        }
    }
}

}  // namespace cmasim::scenario::detail
