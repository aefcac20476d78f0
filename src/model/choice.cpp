#include "choice.h"

#include <algorithm>
#include <cmath>

namespace cmasim::model::detail {

FacilityChooser::FacilityChooser(const County& county) : c_(county) {
    expected_wait_.assign(c_.facilities.size(), 0.0);
    wait_weight_.assign(c_.facilities.size(), 1.0);
    contract_weight_ = std::exp(c_.scenario.choice.b_contract);
}

/// The weight of candidate k is exp(utility_k) up to a common factor, computed as a product of
/// precomputed factors: static (County), wait (updated at each consultation), contract. Should
/// every allowed weight underflow or the sum overflow, exact_logit_weights() takes over.
std::size_t FacilityChooser::choose(const ChoiceAsk& ask, UniformDraw draw) const {
    const auto& village = c_.villages[ask.village];
    const std::size_t row = village.static_row(ask.gatekept, ask.condition, c_.conditions.size());
    const double* statics = village.static_weight.data() + row;
    double util[64];
    bool any = false;
    double total = 0;
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& cand = village.candidates[k];
        const bool allowed = (ask.tried >> k & 1U) == 0 && cand.level >= ask.min_level &&
                             (!ask.contract_only || cand.contract_facility);
        if (!allowed) {
            util[k] = -1;
            continue;
        }  // negative: never picked (see below)
        any = true;
        double w = statics[k] * wait_weight_[cand.facility];
        if (ask.contracted && cand.contract_facility) w *= contract_weight_;
        util[k] = w;
        total += w;
    }
    if (!any) return kNoChoice;
    if (!(total > 0 && total < INFINITY)) total = exact_logit_weights(ask, village, row, util);
    double u = draw() * total;
    std::size_t pick = n;
    for (std::size_t k = 0; k < n; ++k) {
        if (util[k] <= 0) continue;
        pick = k;
        if (u < util[k]) break;
        u -= util[k];
    }
    return pick;
}

/// The logit weights in the log domain, exp(utility - best): slower (one exp per candidate) but
/// immune to underflow and overflow. Overwrites the weights of the allowed candidates (>= 0; the
/// others are negative and stay so) and returns their sum.
double FacilityChooser::exact_logit_weights(const ChoiceAsk& ask, const VillageInfo& village,
                                            std::size_t row, double* w) const {
    const auto& ch = c_.scenario.choice;
    const double* statics = village.static_utility.data() + row;
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    double util[64];
    double best = -INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;  // not allowed (an allowed weight here is 0, inf or nan)
        const auto& cand = village.candidates[k];
        util[k] = statics[k] + ch.b_wait * expected_wait_[cand.facility] +
                  (ask.contracted && cand.contract_facility ? ch.b_contract : 0.0);
        best = std::max(best, util[k]);
    }
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;
        w[k] = std::exp(util[k] - best);
        total += w[k];
    }
    return total;
}

}  // namespace cmasim::model::detail
