// What one replication reports: the model produces it, every writer and summariser reads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cmasim::indicators {

/// One indicator's value for the whole county in one replication.
struct IndicatorValue {
    std::string indicator;  ///< key from docs/model.md §7, e.g. "grassroots_rate"
    double value = 0;
};

/// One indicator's value for one group of a breakdown in one replication
/// (dimension "township": group is a township id; "month": "01".."12"; "facility": facility id;
/// "condition": condition id; "level": level name).
struct GroupValue {
    std::string dimension;
    std::string group;
    std::string indicator;
    double value = 0;
    /// The group's human name (the township's, facility's or condition's `name`), printed next to
    /// the id; empty for groups that are their own name (levels, months).
    std::string name;
};

/// Everything one replication reports. Rows keep the order the model emits them in, so that
/// writers produce byte-identical files for the same inputs.
struct ReplicationResult {
    std::uint64_t replication = 0;
    std::vector<IndicatorValue> county;
    std::vector<GroupValue> groups;
    std::uint64_t events = 0;  ///< kernel events processed (for performance reports, not output)
    std::uint64_t peak_patients = 0;  ///< most patients in the system at once (performance reports)
};

}  // namespace cmasim::indicators
