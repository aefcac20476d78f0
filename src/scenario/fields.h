// Internal to the loader: field factories, one per kind of value a scenario key can hold. Each
// reads the YAML value with the checks its kind needs and stores it in a member of the record.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schema_core.h"

namespace cmasim::scenario::detail {

template <class T, class M>
M default_of(M T::*member) {
    return T{}.*member;
}

template <class T, class Int>
FieldBuilder<T> integer(std::string key, Int T::*m) {
    return FieldBuilder<T>(std::move(key), "integer", std::to_string(default_of(m)),
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_integer(n, r, doc)) out.*m = static_cast<Int>(*v);
                           })
        .numeric();
}

template <class T>
FieldBuilder<T> seed(std::string key, std::uint64_t T::*m) {
    return FieldBuilder<T>(std::move(key), "integer", std::to_string(default_of(m)),
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_unsigned(n, r, doc)) out.*m = *v;
                           })
        .numeric()
        .min(0)
        .unbounded("any whole number from 0 to 2^64 - 1: a seed only keys the random streams");
}

template <class T>
FieldBuilder<T> number(std::string key, double T::*m) {
    return FieldBuilder<T>(std::move(key), "number", format_number(default_of(m)),
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_number(n, r, doc)) out.*m = *v;
                           })
        .numeric();
}

template <class T>
FieldBuilder<T> optional_number(std::string key, std::optional<double> T::*m) {
    return FieldBuilder<T>(std::move(key), "number", "none",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_number(n, r, doc)) out.*m = *v;
                           })
        .numeric();
}

template <class T>
FieldBuilder<T> optional_integer(std::string key, std::optional<int> T::*m) {
    return FieldBuilder<T>(std::move(key), "integer", "none",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_integer(n, r, doc)) out.*m = static_cast<int>(*v);
                           })
        .numeric();
}

template <class T>
FieldBuilder<T> money(std::string key, Fen T::*m) {
    return FieldBuilder<T>(std::move(key), "money", format_yuan(default_of(m)),
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_money(n, r, doc)) out.*m = *v;
                           })
        .numeric()
        .unit("yuan");
}

template <class T>
FieldBuilder<T> text(std::string key, std::string T::*m) {
    std::string def = default_of(m);
    return FieldBuilder<T>(std::move(key), "text", def.empty() ? "empty" : def,
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_text(n, r)) out.*m = *v;
                           });
}

template <class T>
FieldBuilder<T> text_list(std::string key, std::vector<std::string> T::*m) {
    return FieldBuilder<T>(std::move(key), "list of text", "empty",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_text_list(n, r)) out.*m = *v;
                           });
}

template <class T>
FieldBuilder<T> flag(std::string key, bool T::*m) {
    return FieldBuilder<T>(std::move(key), "true/false", default_of(m) ? "true" : "false",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_flag(n, r)) out.*m = *v;
                           });
}

/// An enumeration written as one of a few names.
template <class T, class E>
FieldBuilder<T> one_of(std::string key, E T::*m, std::vector<std::pair<std::string, E>> names) {
    std::vector<std::string> allowed;
    std::string def;
    for (const auto& [name, value] : names) {
        allowed.push_back(name);
        if (value == default_of(m) && def.empty()) def = name;
    }
    std::string type = "one of";
    for (std::size_t i = 0; i < allowed.size(); ++i) type += (i ? ", " : " ") + allowed[i];
    return FieldBuilder<T>(
               std::move(key), type, def,
               [m, names, allowed](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                   if (auto i = read_choice(n, r, allowed)) out.*m = names[*i].second;
               })
        .allowed(allowed);
}

template <class T>
FieldBuilder<T> optional_flag(std::string key, std::optional<bool> T::*m) {
    return FieldBuilder<T>(std::move(key), "true/false", "none (unchanged)",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_flag(n, r)) out.*m = *v;
                           });
}

inline std::vector<std::string> level_names(const std::vector<Level>& levels) {
    std::vector<std::string> names;
    for (Level l : levels) names.emplace_back(to_string(l));
    return names;
}

inline std::string one_of_type(const std::vector<std::string>& names) {
    std::string type = "one of";
    for (std::size_t i = 0; i < names.size(); ++i) type += (i ? ", " : " ") + names[i];
    return type;
}

template <class T>
FieldBuilder<T> optional_level(std::string key, std::optional<Level> T::*m,
                               std::vector<Level> levels) {
    const std::vector<std::string> names = level_names(levels);
    return FieldBuilder<T>(
               std::move(key), one_of_type(names), "none",
               [m, levels, names](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                   if (auto i = read_choice(n, r, names)) out.*m = levels[*i];
               })
        .allowed(names);
}

/// A list of distinct level names.
template <class T>
FieldBuilder<T> level_list(std::string key, std::vector<Level> T::*m, std::vector<Level> levels) {
    const std::vector<std::string> names = level_names(levels);
    std::string def;
    for (Level l : default_of(m)) def += (def.empty() ? "" : ", ") + std::string(to_string(l));
    auto parse = [m, levels, names](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
        if (!expect_list(n, r)) return;
        std::vector<Level> got;
        bool ok = true;
        for (std::size_t i = 0; i < n.size(); ++i) {
            Reader::Scope scope(r, "[" + std::to_string(i) + "]");
            r.note_location(n[i]);
            auto which = read_choice(n[i], r, names);
            if (!which) {
                ok = false;
            } else if (std::find(got.begin(), got.end(), levels[*which]) != got.end()) {
                r.error(n[i], "level '" + names[*which] + "' is listed twice", "list it once");
                ok = false;
            } else {
                got.push_back(levels[*which]);
            }
        }
        if (ok) out.*m = got;
    };
    std::string type = "list of levels (";
    for (std::size_t i = 0; i < names.size(); ++i) type += (i ? ", " : "") + names[i];
    return FieldBuilder<T>(std::move(key), type + ")", def.empty() ? "empty" : "[" + def + "]",
                           parse)
        .allowed(names);
}

template <class T>
FieldBuilder<T> level(std::string key, Level T::*m, std::vector<Level> levels) {
    std::vector<std::pair<std::string, Level>> names;
    for (Level l : levels) names.emplace_back(to_string(l), l);
    return one_of(std::move(key), m, names);
}

inline auto never_single = [](const YAML::Node&) { return false; };
inline auto has_dist_key = [](const YAML::Node& n) { return n.IsMap() && n["dist"].IsDefined(); };

/// A map of condition id to per-level values (case rates, medicine availability), replacing
/// `out`: each entry's levels read by `one`, a level not given taking `fallback`.
template <class V, class One>
void read_condition_levels(const YAML::Node& n, Reader& r, const std::string& what, V fallback,
                           std::vector<std::pair<std::string, PerLevel<V>>>& out, One one) {
    auto entries = map_entries(n, r, {}, what);
    if (!entries) return;
    out.clear();
    for (const auto& e : *entries) {
        Reader::Scope scope(r, e.key);
        r.note_location(e.value);
        auto got = read_levels<V>(e.value, r, one, never_single);
        PerLevel<V> values{};
        for (int i = 0; i < kLevels; ++i) values[i] = got.values[i].value_or(fallback);
        out.emplace_back(e.key, values);
    }
}

template <class T>
FieldBuilder<T> level_numbers(std::string key, PerLevel<double> T::*m) {
    auto parse = [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_number(x, r, doc); };
        auto got = read_levels<double>(n, r, one, never_single);
        for (int i = 0; i < kLevels; ++i) {
            if (got.values[i]) (out.*m)[i] = *got.values[i];
        }
    };
    return FieldBuilder<T>(std::move(key), "per-level number",
                           describe_levels(default_of(m), format_number), parse)
        .numeric();
}

template <class T>
FieldBuilder<T> level_money(std::string key, PerLevel<Fen> T::*m) {
    auto parse = [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_money(x, r, doc); };
        auto got = read_levels<Fen>(n, r, one, never_single);
        for (int i = 0; i < kLevels; ++i) {
            if (got.values[i]) (out.*m)[i] = *got.values[i];
        }
    };
    return FieldBuilder<T>(std::move(key), "per-level money",
                           describe_levels(default_of(m), format_yuan), parse)
        .numeric()
        .unit("yuan");
}

/// A per-level table of distributions of a non-negative duration. With `every_level`, each
/// level must end up with a value (given or by `default`).
template <class T>
FieldBuilder<T> level_durations(std::string key, PerLevel<sim::Distribution> T::*m,
                                bool every_level) {
    auto parse = [m, every_level](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_distribution(x, r, doc); };
        auto got = read_levels<sim::Distribution>(n, r, one, has_dist_key);
        for (int i = 0; i < kLevels; ++i) {
            if (got.values[i]) {
                (out.*m)[i] = *got.values[i];
            } else if (every_level && got.ok) {
                std::string name = to_string(static_cast<Level>(i));
                r.error(n, "no value for level '" + name + "'",
                        "give '" + name + "' or a 'default' in " + doc.key);
            }
        }
    };
    return FieldBuilder<T>(std::move(key), "per-level distribution", "", parse).numeric().min(0);
}

template <class T>
FieldBuilder<T> duration(std::string key, std::optional<sim::Distribution> T::*m) {
    return FieldBuilder<T>(std::move(key), "distribution", "none",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_distribution(n, r, doc)) out.*m = *v;
                           })
        .numeric()
        .min(0);
}

template <class T>
FieldBuilder<T> opening(std::string key, Opening T::*m) {
    return FieldBuilder<T>(std::move(key), "opening hours", "always",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_opening(n, r)) out.*m = *v;
                           });
}

template <class T>
FieldBuilder<T> optional_opening(std::string key, std::optional<Opening> T::*m) {
    return FieldBuilder<T>(std::move(key), "opening hours", "none (unchanged)",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_opening(n, r)) out.*m = *v;
                           });
}

template <class T>
FieldBuilder<T> time_of_day(std::string key, sim::SimTime T::*m) {
    return FieldBuilder<T>(std::move(key), "time of day", "",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               if (auto v = read_time_of_day(n, r)) out.*m = *v;
                           })
        .unit("HH:MM");
}

/// A nested record.
template <class T, class R>
FieldBuilder<T> record(std::string key, R T::*m, const RecordSchema<R>& schema) {
    return FieldBuilder<T>(std::move(key), "record", "see its keys",
                           [m, &schema](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
                               apply_record(schema, n, out.*m, r);
                           })
        .shape(KeyShape::Record, schema.docs());
}

/// A list of records.
template <class T, class R>
FieldBuilder<T> records(std::string key, std::vector<R> T::*m, const RecordSchema<R>& schema) {
    auto parse = [m, &schema](const YAML::Node& n, T& out, Reader& r, const SchemaKey&) {
        if (!expect_list(n, r)) return;
        for (std::size_t i = 0; i < n.size(); ++i) {
            Reader::Scope scope(r, element_label(n[i], i), "[" + std::to_string(i) + "]");
            R item{};
            apply_record(schema, n[i], item, r);
            (out.*m).push_back(std::move(item));
        }
    };
    return FieldBuilder<T>(std::move(key), "list of records", "empty", parse)
        .shape(KeyShape::List, schema.docs());
}

}  // namespace cmasim::scenario::detail
