// Internal to the loader: the lists a scenario may take from CSV files, the column names each
// accepts besides its keys (the names planners' spreadsheets use), and the clinic a village may
// imply. The rows become the same YAML records a scenario file writes, so the schema checks them
// and locates its messages in the CSV file (compose.h, located_tag).
#pragma once

#include <string>
#include <vector>

namespace cmasim::scenario::detail {

struct TableColumn {
    std::string key;                   ///< the scenario key, e.g. "population"
    std::vector<std::string> aliases;  ///< other headers read as it, e.g. "户籍人口"
};

/// The lists a scenario may give as {csv: file}.
const std::vector<std::string>& table_lists();

/// The column aliases of list `list` (empty for a list that has none).
const std::vector<TableColumn>& column_aliases(const std::string& list);

/// The facility a village with `clinic: true` implies (YAML flow map of its keys besides id, name,
/// place, village and township, which come from the village); shown in the reference.
inline constexpr const char* kImpliedClinic =
    R"({level: village, doctors: 1, opening: {days: daily, from: "07:30", to: "18:30"}})";

/// The id of the clinic implied by village `village`.
std::string implied_clinic_id(const std::string& village);

}  // namespace cmasim::scenario::detail
