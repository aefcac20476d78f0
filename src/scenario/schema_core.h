// Internal to the loader: how the schema is written. A RecordSchema<T> is a list of fields, each
// a documented key (SchemaKey) plus a parser that stores into a member of T. Defaults are the
// member initialisers of spec.h, read from a default-constructed T, so the reference can never
// disagree with the code about a default.
//
//   number("minutes", &Road::minutes).above(0).unit("minutes").required().describe("...")
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "reader.h"

namespace cmasim::scenario::detail {

template <class T>
struct Field {
    SchemaKey doc;
    /// Reads `value` into the record; bounds and messages come from `doc`.
    std::function<void(const YAML::Node& value, T& out, Reader& r, const SchemaKey& doc)> parse;
};

template <class T>
struct RecordSchema {
    std::vector<Field<T>> fields;
    /// Checks involving several keys of one record, run after its keys (may be empty).
    std::function<void(const YAML::Node& map, T& out, Reader& r)> finish;

    std::vector<SchemaKey> docs() const {
        std::vector<SchemaKey> out;
        for (const auto& f : fields) out.push_back(f.doc);
        return out;
    }
    std::vector<std::string> keys() const {
        std::vector<std::string> out;
        for (const auto& f : fields) out.push_back(f.doc.key);
        return out;
    }
};

/// Applies a record schema to a YAML map: unknown and repeated keys, each known key's parser,
/// missing required keys, then the record's own checks.
template <class T>
void apply_record(const RecordSchema<T>& schema, const YAML::Node& map, T& out, Reader& r) {
    auto entries = map_entries(map, r, schema.keys(), "a map of keys");
    if (!entries) return;
    r.note_location(map);
    std::vector<bool> seen(schema.fields.size(), false);
    for (const auto& e : *entries) {
        for (std::size_t i = 0; i < schema.fields.size(); ++i) {
            if (schema.fields[i].doc.key != e.key) continue;
            seen[i] = true;
            Reader::Scope scope(r, e.key);
            r.note_location(e.value);
            schema.fields[i].parse(e.value, out, r, schema.fields[i].doc);
        }
    }
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        const SchemaKey& doc = schema.fields[i].doc;
        if (seen[i] || !doc.required) continue;
        r.error(map, "required key '" + doc.key + "' is missing",
                doc.hint.empty() ? doc.description : doc.hint);
    }
    if (schema.finish) schema.finish(map, out, r);
}

/// Chainable description of a field; converts to Field<T>.
template <class T>
class FieldBuilder {
  public:
    using ParseFn = decltype(Field<T>::parse);
    FieldBuilder(std::string key, std::string type, std::string default_value, ParseFn parse) {
        field_.doc.key = std::move(key);
        field_.doc.type = std::move(type);
        field_.doc.default_value = std::move(default_value);
        field_.parse = std::move(parse);
    }
    FieldBuilder& describe(std::string text) { return set(field_.doc.description, text); }
    FieldBuilder& hint(std::string text) { return set(field_.doc.hint, text); }
    FieldBuilder& unit(std::string text) { return set(field_.doc.unit, text); }
    FieldBuilder& example(std::string text) { return set(field_.doc.example, text); }
    FieldBuilder& default_text(std::string text) { return set(field_.doc.default_value, text); }
    FieldBuilder& required() {
        field_.doc.required = true;
        field_.doc.default_value.clear();
        return *this;
    }
    FieldBuilder& min(double v) { return bound(field_.doc.min, v, true); }
    FieldBuilder& above(double v) { return bound(field_.doc.min, v, false); }
    FieldBuilder& max(double v) { return bound(field_.doc.max, v, true); }
    FieldBuilder& below(double v) { return bound(field_.doc.max, v, false); }
    FieldBuilder& unbounded(std::string why) { return set(field_.doc.unbounded_reason, why); }
    FieldBuilder& numeric() {
        field_.doc.numeric = true;
        return *this;
    }
    FieldBuilder& shape(KeyShape s, std::vector<SchemaKey> children) {
        field_.doc.shape = s;
        field_.doc.children = std::move(children);
        return *this;
    }
    FieldBuilder& allowed(std::vector<std::string> names) {
        field_.doc.allowed = std::move(names);
        return *this;
    }
    operator Field<T>() const { return field_; }  // NOLINT: builder converts implicitly

  private:
    FieldBuilder& set(std::string& slot, std::string& text) {
        slot = std::move(text);
        return *this;
    }
    FieldBuilder& bound(std::optional<Bound>& slot, double v, bool inclusive) {
        slot = Bound{v, inclusive};
        return *this;
    }
    Field<T> field_;
};

/// A per-level table as read: each level's value, if the file gave one (directly or by
/// `default`), and whether every entry read cleanly.
template <class V>
struct LevelValues {
    PerLevel<std::optional<V>> values;
    bool ok = true;
};

/// Reads a single value (meaning "every level") or a map with keys among the level names and
/// `default`. `single_if` says whether a map node is itself one value (a distribution).
template <class V, class ReadOne, class IsSingle>
LevelValues<V> read_levels(const YAML::Node& node, Reader& r, ReadOne read_one,
                           IsSingle single_if) {
    LevelValues<V> out;
    if (!node.IsMap() || single_if(node)) {
        auto v = read_one(node);
        out.ok = v.has_value();
        out.values.fill(v);
        return out;
    }
    static const std::vector<std::string> keys{"village", "township", "county", "external",
                                               "default"};
    auto entries = map_entries(node, r, keys, "a value or a map of levels");
    if (!entries) return LevelValues<V>{{}, false};
    std::optional<V> fallback;
    for (const auto& e : *entries) {
        Reader::Scope scope(r, e.key);
        auto v = read_one(e.value);
        out.ok = out.ok && v.has_value();
        if (auto level = level_from_string(e.key)) {
            out.values[static_cast<int>(*level)] = v;
        } else {
            fallback = v;
        }
    }
    for (auto& v : out.values) {
        if (!v) v = fallback;
    }
    return out;
}

/// Describes a per-level default like "0" or "village: 0.6, township: 0.5, ...".
template <class V, class Format>
std::string describe_levels(const PerLevel<V>& values, Format format) {
    bool same = true;
    for (const auto& v : values) same = same && format(v) == format(values[0]);
    if (same) return format(values[0]);
    std::string out;
    for (int i = 0; i < kLevels; ++i) {
        if (i > 0) out += ", ";
        out += std::string(to_string(static_cast<Level>(i))) + ": " + format(values[i]);
    }
    return out;
}

}  // namespace cmasim::scenario::detail
