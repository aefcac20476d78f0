#include "choice.h"

#include <algorithm>
#include <cmath>

#include "cmasim/sim/detmath.h"

namespace cmasim::model::detail {

FacilityChooser::FacilityChooser(const County& county) : c_(county) {
    for (auto& w : expected_wait_) w.assign(c_.facilities.size(), 0.0);
    for (auto& w : wait_weight_) w.assign(c_.facilities.size(), 1.0);
    any_referral_ = c_.scenario.policy.reserved_for == scenario::ReservedFor::AnyReferral;
}

/// The weight of candidate k is exp(utility_k) up to a common factor, computed as a product of
/// precomputed factors: static (County), wait (updated at each consultation), contract. The
/// outside option, when offered, adds its weight to the same total, so one uniform decides
/// between every facility and staying out of formal care. Should every allowed weight underflow
/// or the sum overflow, exact_logit_weights() takes over.
std::size_t FacilityChooser::choose(const County& county, const ChoiceAsk& ask,
                                    UniformDraw draw) const {
    const auto& village = county.villages[ask.village];
    const std::size_t nk = county.conditions.size();
    const std::size_t row = village.static_row(ask.gatekept, ask.low_income, ask.condition, nk);
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    double util[64];
    double total = 0;
    if (!candidate_weights(county, ask, village, row, util, total)) return kNoChoice;
    double outside = ask.outside ? village.outside_weight[village.outside_row(
                                       ask.gatekept, ask.low_income, ask.condition, nk)]
                                 : 0.0;
    total += outside;
    if (!(total > 0 && total < INFINITY))
        total = exact_logit_weights(county, ask, village, row, util, outside);
    return logit_pick(util, n, outside, total, draw);
}

/// The allowed candidates' weights into w (negative for those not allowed: never picked) and
/// their sum into total; false when no candidate is allowed.
bool FacilityChooser::candidate_weights(const County& county, const ChoiceAsk& ask,
                                        const VillageInfo& village, std::size_t row, double* w,
                                        double& total) const {
    const double* statics = village.static_weight.data() + row;
    const std::uint32_t* onward = village.onward_row(ask.condition);
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    // Locals, not members or `total`: the stores to w may alias them, which would make the
    // compiler reload them for every candidate. Same products and the same sum, in order.
    const double* walkin_weight = wait_weight_[kWalkin].data();
    const double contract_weight = county.contract_weight;
    double sum = total;
    bool any = false;
    for (std::size_t k = 0; k < n; ++k) {
        const auto& cand = village.candidates[k];
        const bool allowed = (ask.tried >> k & 1U) == 0 && cand.level >= ask.min_level &&
                             (!ask.contract_only || cand.contract_facility);
        if (!allowed) {
            w[k] = -1;
            continue;
        }
        any = true;
        double weight = statics[k] * walkin_weight[cand.facility];
        if (ask.contracted && cand.contract_facility) weight *= contract_weight;
        if (onward[k] != kNone) weight *= wait_weight_[onward_class(ask, cand)][onward[k]];
        w[k] = weight;
        sum += weight;
    }
    total = sum;
    return any;
}

/// The logit weights in the log domain, exp(utility - best): slower (one exp per candidate) but
/// immune to underflow and overflow. Overwrites the weights of the allowed candidates (>= 0; the
/// others are negative and stay so) and the outside option's (when offered), and returns their
/// sum.
double FacilityChooser::exact_logit_weights(const County& county, const ChoiceAsk& ask,
                                            const VillageInfo& village, std::size_t row, double* w,
                                            double& outside) const {
    const auto& ch = county.scenario.choice;
    const double* statics = village.static_utility.data() + row;
    const std::uint32_t* onward = village.onward_row(ask.condition);
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    const auto& option = county.conditions[ask.condition].spec.outside_option;
    const bool offered = ask.outside && option.has_value();
    double util[64];
    double best = offered ? *option : -INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;  // not allowed (an allowed weight here is 0, inf or nan)
        const auto& cand = village.candidates[k];
        util[k] = statics[k] + ch.b_wait * expected_wait_[kWalkin][cand.facility] +
                  (ask.contracted && cand.contract_facility ? ch.b_contract : 0.0);
        if (onward[k] != kNone)
            util[k] += ch.b_wait * expected_wait_[onward_class(ask, cand)][onward[k]];
        best = std::max(best, util[k]);
    }
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;
        w[k] = sim::det::exp(util[k] - best);
        total += w[k];
    }
    outside = offered ? sim::det::exp(*option - best) : 0.0;
    return total + outside;
}

}  // namespace cmasim::model::detail
