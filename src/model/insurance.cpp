#include "cmasim/model/insurance.h"

#include "cmasim/sim/time.h"

#include <algorithm>
#include <cmath>

namespace cmasim::model {
namespace {

/// ratio x amount in fen, rounded half away from zero; exact for the amounts we see (< 2^53).
Fen share_of(double ratio, Fen amount) {
    return sim::round_half_away(ratio * static_cast<double>(amount));
}

Fen limit_by_cap(Fen fund, Fen cap, Fen cap_used) {
    if (cap <= 0) return fund;
    return std::clamp<Fen>(cap - cap_used, 0, fund);
}

}  // namespace

double effective_ratio(double ratio, Level level, const CareRoute& route,
                       const scenario::Insurance& ins) {
    if (level >= Level::County && !route.referred) {
        const int l = idx(level);
        ratio -= route.gatekept && ins.gatekeeping.enabled ? ins.gatekeeping.penalty[l]
                                                           : ins.unreferred_penalty[l];
    }
    return std::clamp(ratio, 0.0, 1.0);
}

Bill outpatient_bill(Fen fee, Level level, const CareRoute& route, const scenario::Insurance& ins,
                     Fen cap_used) {
    const double ratio = effective_ratio(ins.outpatient_ratio[idx(level)], level, route, ins);
    Bill b;
    b.total = fee;
    b.fund = limit_by_cap(share_of(ratio, fee), ins.outpatient_cap, cap_used);
    b.out_of_pocket = fee - b.fund;
    return b;
}

Fen deductible_due(Level level, const CareRoute& route, const scenario::Insurance& ins,
                   Fen episode_deductible_paid) {
    if (route.down_referred && ins.down_referral_waiver) return 0;
    const Fen standard = ins.inpatient_deductible[idx(level)];
    if (route.up_referred_in_episode && route.referred && !route.down_referred &&
        ins.continuous_deductible) {
        return std::max<Fen>(0, standard - episode_deductible_paid);
    }
    return standard;
}

Bill inpatient_bill(Fen fee, Level level, const CareRoute& route, const scenario::Insurance& ins,
                    Fen episode_deductible_paid, Fen cap_used) {
    const double ratio = effective_ratio(ins.inpatient_ratio[idx(level)], level, route, ins);
    Bill b;
    b.total = fee;
    b.deductible = std::min(fee, deductible_due(level, route, ins, episode_deductible_paid));
    b.fund = limit_by_cap(share_of(ratio, fee - b.deductible), ins.inpatient_cap, cap_used);
    b.out_of_pocket = fee - b.fund;
    return b;
}

Bill case_based(const Bill& fee_bill, Fen case_rate) {
    if (case_rate <= 0) return fee_bill;
    Bill b = fee_bill;
    b.total = std::max(case_rate, fee_bill.out_of_pocket);
    b.fund = b.total - b.out_of_pocket;
    return b;
}

}  // namespace cmasim::model
