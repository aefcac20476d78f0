// Reading and rewriting the entries of a YAML map in place (yaml_entries.h).
#include "yaml_entries.h"

#include <algorithm>

namespace cmasim::scenario::detail {

std::vector<YamlEntry> entries_of(const YAML::Node& map) {
    std::vector<YamlEntry> out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out.push_back(YamlEntry{it->first, it->second});
    return out;
}

bool key_is(const YAML::Node& key, const std::string& name) {
    return key.IsScalar() && key.Scalar() == name;
}

YAML::Node value_of(const YAML::Node& map, const std::string& key) {
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (key_is(it->first, key)) return it->second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

void rewrite(YAML::Node map, const std::vector<YamlEntry>& entries) {
    std::vector<YAML::Node> old_keys;
    for (auto it = map.begin(); it != map.end(); ++it) old_keys.push_back(it->first);
    for (const auto& k : old_keys) map.remove(k);
    for (const auto& e : entries) map.force_insert(e.key, e.value);
}

void set_entry(YAML::Node map, const std::string& key, const YAML::Node& value) {
    std::vector<YamlEntry> entries = entries_of(map);
    for (auto& e : entries) {
        if (!key_is(e.key, key)) continue;
        e.value.reset(value);
        rewrite(map, entries);
        return;
    }
    map.force_insert(key, value);
}

void remove_entry(YAML::Node map, const std::string& key) {
    std::vector<YamlEntry> entries = entries_of(map);
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const YamlEntry& e) { return key_is(e.key, key); }),
                  entries.end());
    rewrite(map, entries);
}

std::optional<std::string> id_of(const YAML::Node& item) {
    if (!item.IsMap()) return std::nullopt;
    const YAML::Node id = value_of(item, "id");
    if (!id.IsDefined() || !id.IsScalar() || id.Scalar().empty()) return std::nullopt;
    return id.Scalar();
}

bool is_id_list(const YAML::Node& list) {
    if (!list.IsSequence()) return false;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!id_of(list[i])) return false;
    }
    return true;
}

}  // namespace cmasim::scenario::detail
