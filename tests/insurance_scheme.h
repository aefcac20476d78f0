// The insurance scheme the insurance and expected-cost table tests start from (yuan in comments,
// fen in code): outpatient ratios 0.6/0.5/0.2/0.5, deductibles 0/200/600/1500, inpatient ratios
// 0/0.8/0.7/0.6, no caps, no penalty.
#pragma once

#include "cmasim/model/insurance.h"

namespace cmasim::test {

inline scenario::Insurance base_scheme() {
    scenario::Insurance ins;
    ins.outpatient_ratio = {0.6, 0.5, 0.2, 0.5};
    ins.inpatient_deductible = {0, 20000, 60000, 150000};
    ins.inpatient_ratio = {0.0, 0.8, 0.7, 0.6};
    return ins;
}

}  // namespace cmasim::test
