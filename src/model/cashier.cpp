#include "cashier.h"

namespace cmasim::model::detail {

/// A ledger is kept when a cap applies in any period of the timeline.
Cashier::Cashier(const County& county) {
    const auto people = static_cast<std::size_t>(county.population);
    for (std::size_t k = 0; k <= county.periods.size(); ++k) {
        const auto& ins = county.period(k).scenario.insurance;
        if (ins.outpatient_cap > 0) paid_outpatient_.assign(people, 0);
        if (ins.inpatient_cap > 0) paid_inpatient_.assign(people, 0);
    }
}

Bill Cashier::inpatient(const County& c, const Encounter& e, sim::SimTime stay,
                        Fen& deductible_paid) {
    const auto& ins = c.scenario.insurance;
    const auto& cond = c.conditions[e.condition].spec;
    const int l = idx(e.level);
    const double days = static_cast<double>(stay) / static_cast<double>(sim::kDay);
    const Fen fee =
        cond.inpatient_fee_stay[l] + static_cast<Fen>(sim::round_half_away(
                                         static_cast<double>(cond.inpatient_fee_day[l]) * days));
    const bool capped = ins.inpatient_cap > 0;
    const Fen used = capped ? paid_inpatient_[e.person] : 0;
    Bill bill = inpatient_bill(fee, e.level, e.route, ins, deductible_paid, used);
    bill = case_based(bill, c.conditions[e.condition].case_rate[l]);
    if (capped) paid_inpatient_[e.person] = ledger_total(used, bill.fund);
    deductible_paid += bill.deductible;
    return bill;
}

void Cashier::new_year() {
    std::fill(paid_outpatient_.begin(), paid_outpatient_.end(), 0);
    std::fill(paid_inpatient_.begin(), paid_inpatient_.end(), 0);
}

}  // namespace cmasim::model::detail
