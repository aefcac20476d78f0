// The static access indicators, resident by resident (include/cmasim/model/access.h).
#include "cmasim/model/access.h"

namespace cmasim::model {

VillageAccess village_access(const std::vector<scenario::Hamlet>& hamlets, double nearest,
                             double limit) {
    if (hamlets.empty()) return {nearest <= limit ? 1.0 : 0.0, nearest};
    VillageAccess out;
    for (const auto& h : hamlets) {
        const double minutes = h.minutes + nearest;
        if (minutes <= limit) out.within += h.share;
        out.minutes += h.share * minutes;
    }
    return out;
}

}  // namespace cmasim::model
