#include "cashier.h"

namespace cmasim::model::detail {

Cashier::Cashier(const County& county) : c_(county) {
    const auto& ins = c_.scenario.insurance;
    if (ins.outpatient_cap > 0) paid_outpatient_.assign(static_cast<std::size_t>(c_.population), 0);
    if (ins.inpatient_cap > 0) paid_inpatient_.assign(static_cast<std::size_t>(c_.population), 0);
}

Bill Cashier::inpatient(const Encounter& e, sim::SimTime stay, Fen& deductible_paid) {
    const auto& ins = c_.scenario.insurance;
    const auto& cond = c_.conditions[e.condition].spec;
    const int l = idx(e.level);
    const double days = static_cast<double>(stay) / static_cast<double>(sim::kDay);
    const Fen fee =
        cond.inpatient_fee_stay[l] + static_cast<Fen>(sim::round_half_away(
                                         static_cast<double>(cond.inpatient_fee_day[l]) * days));
    const bool capped = ins.inpatient_cap > 0;
    const Fen used = capped ? paid_inpatient_[e.person] : 0;
    Bill bill = inpatient_bill(fee, e.level, e.route, ins, deductible_paid, used);
    bill = case_based(bill, c_.conditions[e.condition].case_rate[l]);
    if (capped) paid_inpatient_[e.person] = ledger_total(used, bill.fund);
    deductible_paid += bill.deductible;
    return bill;
}

void Cashier::new_year() {
    std::fill(paid_outpatient_.begin(), paid_outpatient_.end(), 0);
    std::fill(paid_inpatient_.begin(), paid_inpatient_.end(), 0);
}

}  // namespace cmasim::model::detail
