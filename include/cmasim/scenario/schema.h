// The scenario file's schema, for introspection and documentation. The schema itself (records
// of keys with their parsers) lives in src/scenario/; this header exposes what it says.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cmasim::scenario {

/// A numeric bound on a key's value.
struct Bound {
    double value = 0;
    bool inclusive = true;  ///< ">= value" rather than "> value"
};

/// How a key's value is laid out in the file.
enum class KeyShape {
    Value,   ///< a scalar, a per-level table, a distribution, opening hours, ...
    Record,  ///< a map of keys (the children)
    List,    ///< a list of records (the children describe one record)
    Map,     ///< a map from a name the file chooses to a record (the children)
};

/// What the schema says about one key.
struct SchemaKey {
    std::string key;   ///< e.g. "doctors"
    std::string path;  ///< full path, e.g. "facilities[].doctors"; filled by schema_keys()
    std::string type;  ///< e.g. "integer", "per-level money", "distribution"
    KeyShape shape = KeyShape::Value;
    bool numeric = false;     ///< a number (or table of numbers) that must carry bounds
    std::string unit;         ///< e.g. "minutes", "yuan"; empty when dimensionless
    std::string description;  ///< one or two sentences for a planner
    std::string hint;         ///< what to do when the value is wrong; empty = use description
    bool required = false;
    std::string default_value;  ///< text shown in the reference; empty when required
    std::optional<Bound> min;
    std::optional<Bound> max;
    std::string unbounded_reason;      ///< for a numeric key that deliberately has no bounds
    std::vector<std::string> allowed;  ///< for enumerations
    std::string example;               ///< a YAML snippet (sections only)
    std::vector<SchemaKey> children;
};

/// The top-level keys of a scenario file, each with its children.
const std::vector<SchemaKey>& schema_sections();

/// Every key, depth first, with `path` filled in.
std::vector<SchemaKey> schema_keys();

/// The scenario file reference in Markdown (docs/scenario-reference.md, `cmasim schema`).
std::string schema_reference_markdown();

}  // namespace cmasim::scenario
