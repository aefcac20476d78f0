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
    /// The facility's place class: an external hospital's picks its terms.
    scenario::PlaceClass place = scenario::PlaceClass::InPrefecture;
};

/// One yearly cap's fund payments per resident this year, fen, saturated at the largest value a
/// row holds. Saturation never changes a bill: any total at or above the cap leaves nothing to
/// pay (case-based payments may push a total past its cap). A row is 16 bits when every cap
/// counted against the ledger is below 2^16 fen (the baseline's 100-yuan outpatient cap is
/// 10,000 fen), else 32 (a cap is at most 10^9 fen, the loader's bound). A bill reads its
/// resident's row at random: the narrow table is half as much memory to miss in the cache once
/// the county is large (docs/performance.md, "Session 10: instruction counts").
class CapLedger {
  public:
    /// A row per resident against caps of at most `largest_cap` fen; 0 keeps no rows.
    void keep(std::int64_t population, Fen largest_cap);
    /// What the fund paid this year (saturated).
    Fen paid(std::uint64_t person) const {
        return narrow_.empty() ? Fen{wide_[person]} : Fen{narrow_[person]};
    }
    /// After a bill: `used` is paid(person) before it, `fund` the bill's fund share (>= 0).
    void record(std::uint64_t person, Fen used, Fen fund) {
        if (narrow_.empty())
            wide_[person] = saturated<std::uint32_t>(used + fund);
        else
            narrow_[person] = saturated<std::uint16_t>(used + fund);
    }
    /// A new insurance year.
    void clear() {
        std::fill(narrow_.begin(), narrow_.end(), 0);
        std::fill(wide_.begin(), wide_.end(), 0);
    }

  private:
    template <class Row>
    static Row saturated(Fen total) {
        return static_cast<Row>(std::min<Fen>(total, std::numeric_limits<Row>::max()));
    }
    std::vector<std::uint16_t> narrow_;
    std::vector<std::uint32_t> wide_;
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
    /// grows by this bill's deductible. A home bed (policy.home_beds) bills `fee_share` of the
    /// fee.
    Bill inpatient(const County& c, const Encounter& e, sim::SimTime stay, Fen& deductible_paid,
                   double fee_share = 1);
    /// A new insurance year: the yearly caps start again.
    void new_year();

  private:
    Bill outpatient_fee(const County& c, const Encounter& e, Fen fee) {
        const auto& cond = c.conditions[e.condition];
        const auto& ins = cond.terms(e.place);
        auto& ledger = cond.own_outpatient_cap ? paid_cover_ : paid_outpatient_;
        const bool capped = ins.outpatient_cap > 0;
        const Fen used = capped ? ledger.paid(e.person) : 0;
        Bill bill = outpatient_bill(fee, e.level, e.route, ins, used);
        if (capped) ledger.record(e.person, used, bill.fund);
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
    /// Fund payments per resident this year against the yearly outpatient and inpatient caps.
    /// One table per cap, each empty when its cap does not apply: an outpatient bill reads one
    /// row of one table (at 16x the baseline, 16 MB of 2-byte rows, where one table of 8-byte
    /// rows for both caps was 64 MB).
    CapLedger paid_outpatient_;
    CapLedger paid_inpatient_;
    CapLedger paid_cover_;  ///< the condition groups' own outpatient pot
    // The layers' yearly ledgers per resident, empty when the layer is off: out-of-pocket after
    // the basic scheme (the catastrophic threshold's base) and each layer's payments (its cap).
    std::vector<std::uint32_t> oop_year_;
    std::vector<std::uint32_t> paid_catastrophic_;
    std::vector<std::uint32_t> paid_assistance_;
};

}  // namespace cmasim::model::detail
