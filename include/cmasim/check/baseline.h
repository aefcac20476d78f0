// Regression baselines for `cmasim check`: the replication values of every county indicator of
// one scenario run, stored as readable JSON (one indicator per line, so a changed baseline reads
// well in a diff), plus a fingerprint of all outputs for exact reproduction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cmasim/indicators/results.h"

namespace cmasim::check {

/// One indicator and its value in each replication (replication order; NaN = undefined).
struct IndicatorSeries {
    std::string indicator;
    std::vector<double> values;
};

/// What a baseline file holds. `format` is always "cmasim-baseline", `version` 1.
struct Baseline {
    std::string scenario;  ///< scenario file as given on the command line when written
    std::uint64_t seed = 0;
    int replications = 0;
    double horizon_days = 0;
    std::string fingerprint;  ///< fingerprint() of the run, 64 hex digits
    /// output_fingerprints() of the run; empty in baselines written before they were recorded.
    std::vector<std::pair<std::string, std::string>> outputs;
    std::vector<IndicatorSeries> indicators;  ///< county indicators, in the model's order
};

/// The county indicators of `results` as series, in first-seen order (replication order, then
/// the model's row order). A replication missing an indicator contributes NaN to it.
std::vector<IndicatorSeries> county_series(
    const std::vector<indicators::ReplicationResult>& results);

/// SHA-256 (lowercase hex) of the canonical text of every output of the run — county and group
/// values — one line per value "replication,dimension,group,indicator,value" with the value in
/// report::round_trip_number form, in replication order then the model's row order. Equal
/// fingerprints mean bit-identical outputs; any change of any value changes it.
std::string fingerprint(const std::vector<indicators::ReplicationResult>& results);

/// The fingerprint of each output on its own, as (output, SHA-256) in first-seen order:
/// "county" for the county values, then each group dimension ("township", "month", ...), over
/// the same lines fingerprint() hashes. `check --exact` names the outputs that differ with them.
std::vector<std::pair<std::string, std::string>> output_fingerprints(
    const std::vector<indicators::ReplicationResult>& results);

/// The baseline file's text: a JSON object with one line per indicator, ending in a newline.
/// Values in round-trip form; non-finite values are written as null.
std::string baseline_json(const Baseline& baseline);

/// Parse a baseline file's text. Throws std::runtime_error naming `label` when the text is not
/// a version-1 cmasim baseline (null values read back as NaN).
Baseline parse_baseline(const std::string& text, const std::string& label);

/// The baseline file name of a scenario path: the path relative to the root of the git work tree
/// holding it (the nearest ancestor with a .git entry), with '/' replaced by "__" and ".yaml" by
/// ".json" (scenarios/whatif/09_access.yaml -> scenarios__whatif__09_access.json), whatever the
/// working directory. A scenario outside any git work tree maps to its file name alone.
std::string baseline_file_name(const std::filesystem::path& scenario_file);

}  // namespace cmasim::check
