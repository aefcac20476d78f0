// Human-readable and machine-readable output of a run. nlohmann-json and all number formatting
// live in report/ only.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/report/summary.h"

namespace cmasim::report {

/// Print the county table for a planner: one line per county indicator, under section headings
/// (Visits and rates, Referrals, Waiting, Capacity, Money, Access, Other), with label, mean,
/// confidence interval "[lo, hi]", unit and target verdict ("≥ 0.65  met"), followed by a line
/// counting target verdicts and any notes. Numbers use the registry's decimals and thousands
/// separators. UTF-8 output.
void print_table(std::ostream& out, const Summary& summary);

/// Write the run's files into `out_dir` (created if missing), each atomically:
///  - summary.json: run info, county estimates, target verdicts, group estimates
///    (ordered keys, no timestamps: the same inputs give byte-identical files; NaN -> null;
///    with one replication ci_low/ci_high/sd/half_width are null);
///  - replications.csv (replication,indicator,value): county values, one row per value;
///  - townships.csv / months.csv / facilities.csv / levels.csv
///    (replication,<township|month|facility|level>,indicator,value): group values;
///  - other_groups.csv (replication,dimension,group,indicator,value), only when the results
///    contain a dimension not listed above.
/// Rows are in replication order, then in the order the model emitted them. Values are written
/// in the shortest form that reads back to the same double; undefined values as empty fields.
/// With `csv_bom` every CSV file starts with the UTF-8 byte order mark, so that Excel on a
/// Chinese Windows reads the names as UTF-8 instead of the local code page (`--csv-bom`).
/// Throws std::runtime_error naming the path on any file-system failure.
void write_outputs(const std::filesystem::path& out_dir, const Summary& summary,
                   const std::vector<indicators::ReplicationResult>& results, bool csv_bom = false);

/// The UTF-8 byte order mark `--csv-bom` puts before a CSV file's first line.
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

/// summary.json's content (what write_outputs writes), pretty-printed, ending in a newline.
std::string summary_json(const Summary& summary);

/// `value` in the shortest decimal form that parses back to the same double ("0.1", "12",
/// "1e+300"); the empty string for NaN and infinities.
std::string round_trip_number(double value);

}  // namespace cmasim::report
