// Key paths name one value of a scenario: `facilities[county_hospital].doctors`,
// `conditions[0].episodes_per_person_year`, `facilities[县人民医院].beds`. The same syntax is used
// by `--set key.path=value` and by a sweep file's parameter paths and `set:` keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cmasim::scenario {

/// One step of a key path: a key of a map, or a list item selected by id or by index.
struct KeyPathSegment {
    bool is_key = true;
    std::string key;                   ///< the key, or the id (or digits) inside [...]
    std::optional<std::size_t> index;  ///< for [digits]: the list index
    std::string text;                  ///< as written: "doctors", "[0]", "[peoples_hospital]"
};

/// Parses a key path. Keys are letters, digits, '_' and '-' (any UTF-8 letter included); a list
/// selector [...] holds an id (any text without brackets) or an index. Returns nullopt and sets
/// `error` to what is wrong, e.g. "'[' without a closing ']'" or "list index [99999999999999999999]
/// is too large".
std::optional<std::vector<KeyPathSegment>> parse_key_path(const std::string& path,
                                                          std::string& error);

/// The hint shown with a malformed key path.
const char* key_path_hint();

}  // namespace cmasim::scenario
