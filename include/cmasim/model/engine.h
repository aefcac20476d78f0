// Simulating one replication of a compiled county.
#pragma once

#include <cstdint>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/observer.h"
#include "cmasim/model/policy.h"

namespace cmasim::model {

/// The engine's own settlement of one insurance year under a global budget, and what the
/// alliance's retained surplus bought for the next year (docs/model.md).
struct YearSettlement {
    std::size_t year = 0;     ///< 0 = the first insurance year
    BudgetSettlement budget;  ///< as the metrics settle it after the run
    CapacityPurchase each;    ///< at each facility of `facilities`
    std::vector<std::uint32_t> facilities;
};

/// Kernel-level facts about a finished replication (not indicators: those come from observers).
struct ReplicationStats {
    std::uint64_t events = 0;            ///< kernel events processed
    std::uint64_t episodes_started = 0;  ///< over the whole run, warm-up included
    std::uint64_t episodes_ended = 0;    ///< equals episodes_started once the run has drained
    std::uint64_t peak_patients = 0;     ///< most patients in the system at once
    /// Every insurance year settled during the run (under a global budget, each but the last).
    std::vector<YearSettlement> settlements;
};

/// Runs warm-up + horizon, then stops new arrivals and lets every open episode finish (so each
/// episode ends exactly once). Replication r with the scenario's seed always gives the same
/// events in the same order. Several observers: pass an ObserverList. Errors raised during the
/// run carry the simulated time.
ReplicationStats simulate_replication(const County& county, std::uint64_t replication,
                                      ModelObserver& observer);

/// Random-stream purposes: with the (seed, replication) key and an entity id they name every
/// stream of a run. Demand is keyed by village; a patient's own draws by episode id, one stream
/// per purpose, so policies that differ only in cost sharing see the same patients.
enum class StreamPurpose : std::uint64_t {
    Demand = 1,     ///< entity: village index
    Person = 2,     ///< entity: global resident index (contract status)
    Choice = 3,     ///< entity: episode id
    Clinical = 4,   ///< admission, length of stay, down-referral; entity: episode id
    Service = 5,    ///< consultation times; entity: episode id
    Behaviour = 6,  ///< patience, self-referral; entity: episode id
    Compliance =
        7,        ///< whether a gatekept resident first sees the family doctor; entity: episode id
    Routing = 8,  ///< network mode: where a served customer goes next; entity: episode id
    EmergencyDemand = 9,    ///< emergency episodes (any hour); entity: village index
    AdmissionDecline = 10,  ///< whether a patient declines an advised admission; entity: episode id
    LowIncome = 17,  ///< whether a resident is low-income (医疗救助); entity: resident index
    // The reform measures' own purposes (docs/levers.md), so that switching one on leaves every
    // other stream's draws as they were.
    Managed = 11,        ///< whether a resident is a managed chronic patient; entity: resident
    Prevention = 12,     ///< whether management prevents an episode; entity: episode id
    ManagedVisits = 13,  ///< scheduled follow-ups of managed residents; entity: village index
    Medicine = 14,       ///< whether the level has the patient's medicine; entity: episode id
    Ambulance = 19,      ///< whether a pathway emergency calls an ambulance; entity: episode id
    /// One block per episode holding the first draws of its choice, clinical and service streams
    /// (EpisodeDraws in src/model/kernel.h); entity: episode id.
    EpisodeShared = 24,
};

}  // namespace cmasim::model
