#include "cashier.h"

namespace cmasim::model::detail {
namespace {

void allocate_if(bool needed, std::vector<std::uint32_t>& ledger, std::int64_t population) {
    if (needed) ledger.assign(static_cast<std::size_t>(population), 0);
}

}  // namespace

void CapLedger::keep(std::int64_t population, Fen largest_cap) {
    if (largest_cap <= 0) return;
    const auto n = static_cast<std::size_t>(population);
    if (largest_cap <= std::numeric_limits<std::uint16_t>::max())
        narrow_.assign(n, 0);
    else
        wide_.assign(n, 0);
}

/// A ledger is kept when its cap (or layer) applies in any period of the timeline, as wide as
/// the largest cap counted against it in any period needs.
Cashier::Cashier(const County& county) {
    Fen shared_outpatient = 0, own_outpatient = 0, inpatient = 0;
    bool catastrophic = false, catastrophic_cap = false, assistance = false, assistance_cap = false;
    for (std::size_t k = 0; k <= county.periods.size(); ++k) {
        const County& c = county.period(k);
        for (const auto& cond : c.conditions) {
            Fen& outpatient = cond.own_outpatient_cap ? own_outpatient : shared_outpatient;
            outpatient = std::max(outpatient, cond.insurance.outpatient_cap);
            inpatient = std::max(inpatient, cond.insurance.inpatient_cap);
        }
        const auto& ins = c.scenario.insurance;
        catastrophic |= ins.catastrophic.threshold > 0;
        catastrophic_cap |= ins.catastrophic.threshold > 0 && ins.catastrophic.cap > 0;
        assistance |= ins.assistance.low_income_share > 0;
        assistance_cap |= ins.assistance.low_income_share > 0 && ins.assistance.cap > 0;
    }
    const auto n = county.population;
    paid_outpatient_.keep(n, shared_outpatient);
    paid_cover_.keep(n, own_outpatient);
    paid_inpatient_.keep(n, inpatient);
    layered_ = catastrophic || assistance;
    allocate_if(catastrophic, oop_year_, n);
    allocate_if(catastrophic_cap, paid_catastrophic_, n);
    allocate_if(assistance_cap, paid_assistance_, n);
}

Bill Cashier::inpatient(const County& c, const Encounter& e, sim::SimTime stay,
                        Fen& deductible_paid, double fee_share) {
    const auto& info = c.conditions[e.condition];
    const auto& ins = info.terms(e.place);
    const auto& cond = info.spec;
    const int l = idx(e.level);
    const double days = static_cast<double>(stay) / static_cast<double>(sim::kDay);
    Fen fee = cond.inpatient_fee_stay[l] +
              static_cast<Fen>(
                  sim::round_half_away(static_cast<double>(cond.inpatient_fee_day[l]) * days));
    if (fee_share != 1) fee = sim::round_half_away(static_cast<double>(fee) * fee_share);
    const bool capped = ins.inpatient_cap > 0;
    const Fen used = capped ? paid_inpatient_.paid(e.person) : 0;
    Bill bill = inpatient_bill(fee, e.level, e.route, ins, deductible_paid, used);
    bill = case_based(bill, info.case_rate[l]);
    bill = case_based(bill, per_diem_payment(info.per_diem[l], days));
    if (capped) paid_inpatient_.record(e.person, used, bill.fund);
    deductible_paid += bill.deductible;
    if (layered_) settle_layers(c, e, bill);
    return bill;
}

void Cashier::settle_layers(const County& c, const Encounter& e, Bill& bill) {
    const auto& ins = c.scenario.insurance;
    const auto p = static_cast<std::size_t>(e.person);
    auto ytd = [p](const std::vector<std::uint32_t>& ledger) -> Fen {
        return ledger.empty() ? 0 : ledger[p];
    };
    auto add = [p](std::vector<std::uint32_t>& ledger, Fen amount) {
        if (!ledger.empty()) ledger[p] = ledger_total(ledger[p], amount);
    };
    if (!oop_year_.empty()) {
        if (ins.catastrophic.threshold > 0)  // the layer may start with a later period
            bill.catastrophic = catastrophic_payment(ins.catastrophic, ytd(oop_year_),
                                                     bill.out_of_pocket, ytd(paid_catastrophic_));
        add(oop_year_, bill.out_of_pocket);
        add(paid_catastrophic_, bill.catastrophic);
        bill.out_of_pocket -= bill.catastrophic;
    }
    if (e.low_income && ins.assistance.low_income_share > 0) {
        bill.assistance =
            assistance_payment(ins.assistance, bill.out_of_pocket, ytd(paid_assistance_));
        add(paid_assistance_, bill.assistance);
        bill.out_of_pocket -= bill.assistance;
    }
}

void Cashier::new_year() {
    for (auto* ledger : {&paid_outpatient_, &paid_inpatient_, &paid_cover_}) ledger->clear();
    for (auto* ledger : {&oop_year_, &paid_catastrophic_, &paid_assistance_}) {
        std::fill(ledger->begin(), ledger->end(), 0);
    }
}

}  // namespace cmasim::model::detail
