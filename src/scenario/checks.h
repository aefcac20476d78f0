// Internal to the loader: the cross-reference stage, run on a scenario whose every key read
// cleanly (and after a synthetic county is expanded).
#pragma once

#include <string>

#include "reader.h"

namespace cmasim::scenario::detail {

/// Where a record (or one of its keys) stood in the file, and how to name it in a message.
/// Generated records (synthetic county) point at the synthetic_county key.
class RecordLocator {
  public:
    RecordLocator(const Reader& reader, bool synthetic);
    /// e.g. ("villages", 3, "e1", "township") -> line of villages[3].township,
    /// path "villages[e1].township"
    SourceRef where(const std::string& list, std::size_t index, const std::string& key = {}) const;
    static std::string path(const std::string& list, const std::string& id,
                            const std::string& key = {});

  private:
    const Reader& reader_;
    SourceRef generated_;
};

/// `alliances:` (schema_alliances.cpp): known ids, every alliance facility and township in at
/// most one alliance and every alliance facility in one, county-level leads; marks the leads.
void check_alliances(Scenario& s, Reader& r);

/// policy.provider_response_by_mode (response_check.cpp): each mode it gives is in force in the
/// scenario or in one of its timeline's periods; an override for a mode never paid means nothing.
void check_response_modes(const Scenario& s, Reader& r);

/// Ids, references, facility links, road connectivity, the lead hospital, referral loops,
/// run length. Reports through `r`; marks the only county alliance facility as the lead when
/// none is marked.
void check_cross_references(Scenario& s, Reader& r);

/// Builds the facility -> facility referral graph and reports `home_township` rules that resolve
/// to nothing and every loop.
void check_referral_rules(const Scenario& s, Reader& r, const RecordLocator& at);

/// Doctors sent down (stationed physicians, circuit clinics): every source exists, is not
/// unlimited and keeps at least one doctor (sent_down.h).
void check_sent_down(const Scenario& s, Reader& r);

/// The totals of src/scenario/limits.h: records of each kind, residents, expected demand.
void check_totals(const Scenario& s, Reader& r);

/// The queueing network's stations: every one can be left (a route out is reachable from it),
/// and each has a load (arrival rate / (doctors x service rate), from the traffic equations)
/// below 1. Needs the stations' references checked.
void check_network_load(const Scenario& s, Reader& r);

}  // namespace cmasim::scenario::detail
