// Building a WeeklySchedule from the scenario's opening hours.
#pragma once

#include "cmasim/model/county.h"

namespace cmasim::model {

/// Sorted, merged weekly intervals; "always" stays always open.
WeeklySchedule build_schedule(const scenario::Opening& opening);

}  // namespace cmasim::model
