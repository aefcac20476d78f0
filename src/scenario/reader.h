// Internal to the loader: the Reader collects diagnostics while the schema is applied to a YAML
// tree, tracks the key path, and remembers where each value stood in the file so that the later
// cross-reference stage can point at it. Scalar readers report and return nullopt on bad input.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/schema.h"
#include "cmasim/scenario/spec.h"
#include "cmasim/util/did_you_mean.h"

namespace cmasim::scenario::detail {

class Provenance;

class Reader {
  public:
    /// `sources` (may be null: everything comes from `file`) says which file each key path of
    /// a merged document (extends, --set) came from; it must outlive the Reader.
    Reader(std::string file, LoadOptions options, const Provenance* sources = nullptr);

    /// Reports a problem at `at` under the current key path.
    void error(const YAML::Node& at, std::string message, std::string hint = {});
    /// Reports a problem with the key `key` of the map at the current path (`key_node` is the
    /// key itself); the message keeps the map's path.
    void error_at_key(const YAML::Node& key_node, const std::string& key, std::string message,
                      std::string hint = {});
    /// Reports a problem at an explicit place (cross-reference stage).
    void report(const SourceRef& where, std::string key_path, std::string message,
                std::string hint = {});

    /// Where `node`, the value at the current path, stands (file, line, column).
    SourceRef where(const YAML::Node& node) const;
    /// Remembers where the value at the current (canonical) path stands.
    void note_location(const YAML::Node& node);
    /// Where the value at a canonical path ("villages[3].township") stood, or its closest
    /// recorded ancestor; `fallback` when none is recorded.
    SourceRef locate(const std::string& canonical_path, const SourceRef& fallback) const;
    /// Whether the value at exactly this canonical path was read from the file.
    bool knows(const std::string& canonical_path) const {
        return locations_.count(canonical_path) > 0;
    }

    /// Enters a key ("doctors") or a list element ("[e1_clinic]" shown, "[3]" canonical).
    class Scope {
      public:
        Scope(Reader& reader, std::string shown, std::string canonical);
        Scope(Reader& reader, const std::string& key) : Scope(reader, key, key) {}
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

      private:
        Reader& reader_;
    };

    std::string path() const;
    std::string canonical_path() const;
    bool has_errors() const { return !diagnostics_.empty(); }
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
    const LoadOptions& options() const { return options_; }
    const std::string& file() const { return file_; }

  private:
    std::string file_;
    LoadOptions options_;
    std::vector<Diagnostic> diagnostics_;
    std::vector<std::pair<std::string, std::string>> path_;  // (shown, canonical) segments
    std::map<std::string, SourceRef> locations_;
    const Provenance* sources_ = nullptr;
    /// What a located tag adds to the messages at its place ("row 4, column '人口'"), noted when
    /// where() reads the tag.
    mutable std::map<std::tuple<std::string, int, int>, std::string> notes_;

    SourceRef where_at(const YAML::Node& node, const std::string& canonical) const;
};

/// Shortest text that reads back as the same double ("0.05", "1800", "1e-06").
std::string format_number(double value);
/// Fen as yuan ("12.5").
std::string format_yuan(Fen fen);
/// "08:30" for seconds since midnight.
std::string format_time_of_day(sim::SimTime seconds);

std::optional<std::int64_t> read_integer(const YAML::Node& node, Reader& r, const SchemaKey& doc);
std::optional<std::uint64_t> read_unsigned(const YAML::Node& node, Reader& r, const SchemaKey& doc);
std::optional<double> read_number(const YAML::Node& node, Reader& r, const SchemaKey& doc);
std::optional<bool> read_flag(const YAML::Node& node, Reader& r);
std::optional<std::string> read_text(const YAML::Node& node, Reader& r);
std::optional<std::vector<std::string>> read_text_list(const YAML::Node& node, Reader& r);
/// Money in yuan, bounds applied to the yuan value; returns fen = round(yuan * 100).
std::optional<Fen> read_money(const YAML::Node& node, Reader& r, const SchemaKey& doc);
/// A key whose value is a share, from 0 to 1: it may be written in percent ("13.6%").
bool is_share(const SchemaKey& doc);
/// Checks the doc's bounds; reports "must be >= 0, got -2" and returns false when out.
bool check_bounds(double value, const YAML::Node& node, Reader& r, const SchemaKey& doc);
/// A name among `allowed` (for enumerations); reports with a did-you-mean hint otherwise.
std::optional<std::size_t> read_choice(const YAML::Node& node, Reader& r,
                                       const std::vector<std::string>& allowed);

/// Distribution of a duration or other non-negative quantity: a number (fixed) or
/// {dist: kind, params...}. Reports unknown kinds, missing/unknown parameters, factory errors
/// and distributions that can go negative; every parameter must respect `doc`'s upper bound.
std::optional<sim::Distribution> read_distribution(const YAML::Node& node, Reader& r,
                                                   const SchemaKey& doc);
/// Opening hours: "always", one window {days, from, to} or a list of windows.
std::optional<Opening> read_opening(const YAML::Node& node, Reader& r);
/// Weekdays of an opening window: daily, weekdays or a list of mon..sun; sets them in `w.days`.
void read_days(const YAML::Node& node, OpeningWindow& w, Reader& r);
/// "HH:MM" from 00:00 to 24:00, as seconds since midnight.
std::optional<sim::SimTime> read_time_of_day(const YAML::Node& node, Reader& r);

/// The shown segment of a list element: "[id]" when it has a text id, else "[index]".
std::string element_label(const YAML::Node& item, std::size_t index);
/// Reports a value that should be a list and is not.
bool expect_list(const YAML::Node& node, Reader& r);

/// The keys of a map in file order, each key once; reports a non-map, non-text keys, keys
/// given twice, and (when `allowed` is non-empty) unknown keys with a did-you-mean hint.
struct MapEntry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};
std::optional<std::vector<MapEntry>> map_entries(const YAML::Node& node, Reader& r,
                                                 const std::vector<std::string>& allowed,
                                                 const std::string& what);

}  // namespace cmasim::scenario::detail
