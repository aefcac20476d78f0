// Internal to composing (compose.h): merging an overlay map into a base map, as `extends:` does.
// Maps merge key by key, lists of items with an `id` merge item by item (by id), anything else
// is replaced; a null value removes the key. The provenance records every value the overlay
// brought.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "compose.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

class Merger {
  public:
    /// Records the overlay's values in `sources` under `label`.
    Merger(Provenance& sources, std::string label) : sources_(sources), label_(std::move(label)) {}

    /// The entries of `base` with `overlay` merged in (base order, then new keys in order).
    std::vector<YamlEntry> merged_entries(const YAML::Node& base, const YAML::Node& overlay,
                                          const std::string& path);

    void merge_map(YAML::Node base, const YAML::Node& overlay, const std::string& path);

    /// Items with an id already in the base deep-merge into it; new ids are appended.
    void merge_list(YAML::Node base, const YAML::Node& overlay, const std::string& path);

    /// Keys this merge removed (`key: ~`), as "path (by file)".
    const std::vector<std::string>& removed() const { return removed_; }
    /// Items of the overlay that match no id of the base and lack what a new item needs
    /// (a misspelt id in a what-if would otherwise add an item silently).
    const std::vector<Diagnostic>& problems() const { return problems_; }

  private:
    /// An empty value in a what-if would drop the base's block without a word: only `~` removes.
    [[noreturn]] void refuse_empty(const YAML::Node& key, const std::string& path,
                                   bool in_base) const;

    /// Merges the overlay's entry k: v into `out`, the entries of the map at `path`.
    void merge_entry(std::vector<YamlEntry>& out, const YAML::Node& k, const YAML::Node& v,
                     const std::string& path);

    void check_new_item(const YAML::Node& item, const std::string& id,
                        const std::map<std::string, std::size_t>& base_ids,
                        const std::string& path);

    Provenance& sources_;
    std::string label_;
    std::vector<std::string> removed_;
    std::vector<Diagnostic> problems_;
};

}  // namespace cmasim::scenario::detail
