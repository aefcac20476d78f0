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

scenario::Insurance cover_terms(const scenario::Insurance& base,
                                const scenario::ConditionCover& cover, scenario::PlaceClass place) {
    scenario::Insurance ins = base;
    ins.by_condition.clear();
    for (std::size_t i = 0; i < base.outpatient_ratio.size(); ++i) {
        ins.outpatient_ratio[i] = cover.outpatient_ratio[i].value_or(base.outpatient_ratio[i]);
        ins.inpatient_ratio[i] = cover.inpatient_ratio[i].value_or(base.inpatient_ratio[i]);
        ins.inpatient_deductible[i] =
            cover.inpatient_deductible[i].value_or(base.inpatient_deductible[i]);
    }
    if (cover.outpatient_cap > 0) ins.outpatient_cap = cover.outpatient_cap;
    const auto& at = base.external_by_class[place];
    const int x = idx(Level::External);
    ins.outpatient_ratio[x] = at.outpatient_ratio.value_or(ins.outpatient_ratio[x]);
    ins.inpatient_ratio[x] = at.inpatient_ratio.value_or(ins.inpatient_ratio[x]);
    ins.inpatient_deductible[x] = at.inpatient_deductible.value_or(ins.inpatient_deductible[x]);
    ins.unreferred_penalty[x] = at.unreferred_penalty.value_or(ins.unreferred_penalty[x]);
    return ins;
}

namespace {

/// The catastrophic layer's payment on a whole year's out-of-pocket `oop`, unrounded (fen).
double catastrophic_on(const scenario::Catastrophic& layer, Fen oop) {
    double paid = 0;
    Fen from = layer.threshold;
    double ratio = layer.ratio;
    for (const auto& band : layer.bands) {
        if (oop <= from) return paid;
        paid += ratio * static_cast<double>(std::min(oop, band.above) - from);
        from = std::max(from, band.above);
        ratio = band.ratio;
    }
    return oop > from ? paid + ratio * static_cast<double>(oop - from) : paid;
}

}  // namespace

Fen catastrophic_payment(const scenario::Catastrophic& layer, Fen oop_ytd, Fen oop, Fen paid_ytd) {
    if (layer.threshold <= 0 || oop <= 0) return 0;
    const Fen due = sim::round_half_away(catastrophic_on(layer, oop_ytd + oop)) -
                    sim::round_half_away(catastrophic_on(layer, oop_ytd));
    return std::min(oop, limit_by_cap(std::max<Fen>(0, due), layer.cap, paid_ytd));
}

Fen assistance_payment(const scenario::Assistance& layer, Fen oop, Fen paid_ytd) {
    if (layer.low_income_share <= 0 || oop <= 0) return 0;
    return std::min(oop, limit_by_cap(share_of(layer.ratio, oop), layer.cap, paid_ytd));
}

Bill case_based(const Bill& fee_bill, Fen case_rate) {
    if (case_rate <= 0) return fee_bill;
    Bill b = fee_bill;
    b.total = std::max(case_rate, fee_bill.out_of_pocket);
    b.fund = b.total - b.out_of_pocket;
    return b;
}

Fen per_diem_payment(Fen rate, double days) {
    if (rate <= 0) return 0;
    return sim::round_half_away(static_cast<double>(rate) * days);
}

}  // namespace cmasim::model
