// The static access indicators (the 15-minute health service circle, 15分钟医疗卫生服务圈): a
// village's residents counted hamlet by hamlet (docs/model.md §2, tests/test_access.cpp).
#pragma once

#include <vector>

#include "cmasim/scenario/spec.h"

namespace cmasim::model {

/// A village's residents' access to care.
struct VillageAccess {
    double within = 0;   ///< share of its residents within the limit
    double minutes = 0;  ///< their mean travel minutes
};

/// Access of a village whose nearest care is `nearest` minutes from its centre, when its
/// residents live in `hamlets` (each that many minutes from the centre; none: all at the
/// centre). A hamlet reaches care through the centre, so its minutes add to `nearest`.
VillageAccess village_access(const std::vector<scenario::Hamlet>& hamlets, double nearest,
                             double limit);

}  // namespace cmasim::model
