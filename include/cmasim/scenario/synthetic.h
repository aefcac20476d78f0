// A synthetic county: places, roads, townships, villages and grassroots facilities generated
// deterministically from a seed, for planners who have no village list at hand.
#pragma once

#include "cmasim/scenario/spec.h"

namespace cmasim::scenario {

/// Appends the generated places, roads, townships, villages, village clinics and township
/// centers to the scenario's lists. Generated ids: place "county_seat" and "city"; townships
/// "t01".."tNN" (seat place = township id); villages "t01_v001"...; facilities "clinic_<village>"
/// and "center_<township>". Does nothing when scenario.synthetic is empty. Deterministic: the
/// same SyntheticCounty always gives the same lists, on any machine.
void expand_synthetic(Scenario& scenario);

/// The hamlets of the v-th generated village (of `population` residents): hamlets_per_village
/// equal parts at points uniform over a disc of the village's land (the county's area shared by
/// population); each one's minutes = straight-line km × road_winding ÷ in_village_speed_kmh,
/// rounded. From a stream of its own per village, so they move nothing else in the county.
std::vector<Hamlet> synthetic_hamlets(const SyntheticCounty& s, int v, std::int64_t population);

}  // namespace cmasim::scenario
