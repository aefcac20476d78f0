// Internal to composing (compose.h): reading and rewriting the entries of a YAML map in place,
// shared by the merge of `extends:` chains and the `--set` overrides.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace cmasim::scenario::detail {

/// One key: value pair of a map. YAML::Node's assignment operator does not rebind the handle but
/// makes the node it refers to share the other node's data (changing the tree), so a YamlEntry
/// assigns by reset(): vector::erase and std::remove_if assign elements.
struct YamlEntry {
    YAML::Node key;
    YAML::Node value;
    bool touched = false;  ///< already merged with or replaced by an entry of the overlay

    YamlEntry(const YAML::Node& k, const YAML::Node& v, bool t = false)
        : key(k), value(v), touched(t) {}
    YamlEntry(const YamlEntry&) = default;
    YamlEntry& operator=(const YamlEntry& other) {
        key.reset(other.key);
        value.reset(other.value);
        touched = other.touched;
        return *this;
    }
    ~YamlEntry() = default;
};

/// The entries of a map, in order.
std::vector<YamlEntry> entries_of(const YAML::Node& map);

bool key_is(const YAML::Node& key, const std::string& name);

/// The value of `key` in a map (first occurrence), or an undefined node; never inserts.
YAML::Node value_of(const YAML::Node& map, const std::string& key);

/// Replaces the entries of `map` (keeping the node itself, and with it its mark).
void rewrite(YAML::Node map, const std::vector<YamlEntry>& entries);

/// Sets `key` in `map` to `value`, in place if present, else at the end.
void set_entry(YAML::Node map, const std::string& key, const YAML::Node& value);

void remove_entry(YAML::Node map, const std::string& key);

/// The `id` of a list item that is a map with a non-empty scalar id.
std::optional<std::string> id_of(const YAML::Node& item);

/// A list whose items are all maps with an `id`.
bool is_id_list(const YAML::Node& list);

}  // namespace cmasim::scenario::detail
