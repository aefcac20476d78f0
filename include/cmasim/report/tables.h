// The tidy tables of a run (replications.csv, townships.csv, ...) as columns: the CSV writer
// formats them, and the Python module hands them over as data frames without a file between.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cmasim/indicators/results.h"

namespace cmasim::report {

/// One tidy table: one row per value, identified by the replication and the key columns.
struct TidyTable {
    std::string name;  ///< the file name without ".csv": "replications", "townships", ...
    std::vector<std::string>
        key_columns;  ///< between replication and value, e.g. {"township", "indicator"}
    std::vector<std::uint64_t> replication;      ///< per row
    std::vector<std::vector<std::string>> keys;  ///< per key column, per row
    std::vector<double> value;                   ///< per row; NaN when undefined
    std::size_t rows() const { return value.size(); }
};

/// The tables of a run, rows in replication order and then in the order the model emitted them:
/// "replications" (indicator), "townships" (township, indicator), "months" (month, indicator),
/// "facilities" (facility, indicator), "levels" (level, indicator), and "other_groups"
/// (dimension, group, indicator) only when a dimension has no table of its own.
/// Throws std::invalid_argument when two results carry the same replication number.
std::vector<TidyTable> tidy_tables(const std::vector<indicators::ReplicationResult>& results);

/// The table as CSV: the header "replication,<key columns>,value", fields quoted only when they
/// must be (RFC 4180), values in round_trip_number() form (empty when undefined).
std::string tidy_csv(const TidyTable& table);

/// Appends `field` to `out` as a CSV field, quoted only when it must be (RFC 4180).
void append_csv_field(std::string& out, const std::string& field);

}  // namespace cmasim::report
