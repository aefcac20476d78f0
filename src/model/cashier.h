// The bills of one replication: the insurance rules (insurance.h) applied to each encounter,
// with the residents' yearly fund payments kept against the caps. Not a public header.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/insurance.h"

namespace cmasim::model::detail {

/// What the cashier needs to know about the patient at an encounter.
struct Encounter {
    std::uint64_t person = 0;
    std::uint32_t condition = 0;
    Level level = Level::Village;
    CareRoute route;
    bool low_income = false;  ///< eligible for medical assistance
};

class Cashier {
  public:
    explicit Cashier(const County& county);
    /// Inline: one per consultation. `c` is the county of the episode's period (its insurance
    /// rules and fees, with the condition's own terms from insurance.by_condition); the yearly
    /// ledgers are the residents', whatever the period. A condition group with its own cap
    /// counts against its own pot.
    Bill outpatient(const County& c, const Encounter& e) {
        return outpatient_fee(c, e, c.conditions[e.condition].spec.outpatient_fee[idx(e.level)]);
    }
    /// An exam's fee (policy.exams), settled as an outpatient item where it was ordered: the
    /// same ratio, cap and layers as the visit.
    Bill exam(const County& c, const Encounter& e, Fen fee) { return outpatient_fee(c, e, fee); }
    /// An admission for `stay` seconds; `deductible_paid` is what the episode paid before and
    /// grows by this bill's deductible.
    Bill inpatient(const County& c, const Encounter& e, sim::SimTime stay, Fen& deductible_paid);
    /// A new insurance year: the yearly caps start again.
    void new_year();

  private:
    Bill outpatient_fee(const County& c, const Encounter& e, Fen fee) {
        const auto& cond = c.conditions[e.condition];
        const auto& ins = cond.insurance;
        auto& ledger = cond.own_outpatient_cap ? paid_cover_ : paid_outpatient_;
        const bool capped = ins.outpatient_cap > 0;
        const Fen used = capped ? ledger[e.person] : 0;
        Bill bill = outpatient_bill(fee, e.level, e.route, ins, used);
        if (capped) ledger[e.person] = ledger_total(used, bill.fund);
        if (layered_) settle_layers(c, e, bill);
        return bill;
    }

    /// Year-to-date fund payments after one more bill, saturated at 2^32 - 1 fen. Saturation
    /// never changes a bill: caps are at most 10^9 fen and any total at or above the cap leaves
    /// nothing to pay (case-based payments may push a total past its cap).
    static std::uint32_t ledger_total(Fen used, Fen fund) {
        return static_cast<std::uint32_t>(
            std::min<Fen>(used + fund, std::numeric_limits<std::uint32_t>::max()));
    }

    /// The catastrophic layer, then medical assistance, on what the basic scheme left to the
    /// patient (docs/model.md: insurance layers), under the terms of the period county `c`.
    void settle_layers(const County& c, const Encounter& e, Bill& bill);

    bool layered_ = false;  ///< a catastrophic or assistance layer is configured in some period
    /// Fund payments per resident this year, fen, against the yearly outpatient and inpatient
    /// caps. 32 bits suffice: a cap is at most 10^9 fen (the loader's bound) and the fund never
    /// pays past it. One table per cap, each empty when its cap does not apply: an outpatient
    /// bill then reads 4 bytes of a table half as large (at 16x the baseline, 32 MB instead of
    /// 64 MB, which matters when it no longer fits the cache).
    std::vector<std::uint32_t> paid_outpatient_;
    std::vector<std::uint32_t> paid_inpatient_;
    std::vector<std::uint32_t> paid_cover_;  ///< the condition groups' own outpatient pot
    // The layers' yearly ledgers per resident, empty when the layer is off: out-of-pocket after
    // the basic scheme (the catastrophic threshold's base) and each layer's payments (its cap).
    std::vector<std::uint32_t> oop_year_;
    std::vector<std::uint32_t> paid_catastrophic_;
    std::vector<std::uint32_t> paid_assistance_;
};

}  // namespace cmasim::model::detail
