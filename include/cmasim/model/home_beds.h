// Home beds at township centers (家庭病床; docs/levers.md): who takes one and how often the
// center's doctors visit. Small pure functions, table-tested in tests/test_home_beds.cpp.
#pragma once

#include <algorithm>

#include "cmasim/sim/time.h"

namespace cmasim::model {

/// What decides whether an admission advised at a facility takes a home bed.
struct HomeBedFacts {
    int slots = 0;                    ///< the facility's home beds (0: it has none)
    int used = 0;                     ///< of them, taken now
    bool condition_eligible = false;  ///< policy.home_beds.conditions lists the condition
    bool emergency = false;           ///< an emergency episode (needs the ward)
    bool inpatient_transfer = false;  ///< transferred up as an inpatient (needs the ward)
    bool contracted_only = false;
    bool contracted = false;  ///< the resident has a family-doctor contract
    bool aged_only = false;
    bool aged = false;
};

/// A home bed is taken, in place of the ward (or the bed queue, or a referral up for a full
/// ward), when the facility has a free slot and the patient is eligible: the condition is
/// listed, the episode is not an emergency or an inpatient transfer, and the resident meets the
/// contract and age conditions set. No random number is drawn.
inline bool takes_home_bed(const HomeBedFacts& f) {
    if (f.slots <= 0 || f.used >= f.slots || !f.condition_eligible) return false;
    if (f.emergency || f.inpatient_transfer) return false;
    if (f.contracted_only && !f.contracted) return false;
    return !f.aged_only || f.aged;
}

/// Seconds between two home visits at `visits_per_week`; 0 when there are none.
inline sim::SimTime home_visit_interval(double visits_per_week) {
    if (visits_per_week <= 0) return 0;
    return std::max<sim::SimTime>(1, sim::round_half_away(7.0 * sim::kDay / visits_per_week));
}

}  // namespace cmasim::model
