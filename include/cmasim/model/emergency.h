// The emergency pathway (policy.emergency_pathway, docs/levers.md): which emergencies take it,
// where an ambulance goes, how long its trips take, and when treatment starts. The compiled
// facts and the small pure rules the engine asks; tests/test_emergency.cpp tabulates them.
#pragma once

#include <cstdint>
#include <vector>

#include "cmasim/model/events.h"
#include "cmasim/model/ids.h"
#include "cmasim/sim/time.h"

namespace cmasim::model {

/// The pathway compiled against the county's indices (off when no condition takes it).
struct EmergencyPathwayInfo {
    std::vector<bool> condition;              ///< by condition index: its emergencies take it
    std::vector<bool> center;                 ///< by facility index: has a center
    std::vector<std::uint32_t> ambulance_to;  ///< by place: the nearest center (kNone: none)
    double ambulance_share = 0;
    sim::SimTime dispatch = 0;  ///< seconds
    double speed_factor = 1;
    sim::SimTime center_door_to_treatment = 0;  ///< seconds
    sim::SimTime door_to_treatment = 0;         ///< seconds
    sim::SimTime threshold = 0;                 ///< seconds, onset to treatment

    bool on() const { return !condition.empty(); }
    bool covers(bool emergency, std::uint32_t cond) const {
        return emergency && !condition.empty() && condition[cond];
    }
};

/// Whether a pathway emergency calls an ambulance, given one uniform draw of its own stream
/// (taken whatever the share, so the share moves the threshold, not the draws).
inline bool calls_ambulance(double share, double uniform) {
    return uniform < share;
}

/// Which trips of a pathway emergency go by ambulance: the first contact when the patient
/// called one, and every transfer up (转运). Follow-ups and down-referrals are ordinary trips.
inline bool by_ambulance(VisitKind kind, bool called) {
    return (kind == VisitKind::FirstContact && called) || kind == VisitKind::Referred;
}

/// An ambulance trip: the dispatch, then the road at the ambulance's speed (seconds).
inline sim::SimTime ambulance_trip(sim::SimTime dispatch, double road_minutes,
                                   double speed_factor) {
    return dispatch + sim::round_half_away(road_minutes / speed_factor * 60.0);
}

/// The emergency consultation that starts treatment: the first of the episode at a facility
/// that treats the condition, for an urgent step (not a follow-up or a down-referral visit).
inline bool starts_treatment(VisitKind kind, bool can_treat, bool already_timed) {
    return can_treat && !already_timed && kind != VisitKind::FollowUp &&
           kind != VisitKind::DownReferred;
}

}  // namespace cmasim::model
