// The county engine's own settlement of a global budget, year by year, and the capacity a
// retained surplus buys for the next insurance year (docs/model.md, "Capacity bought with a
// retained surplus"). The metrics settle the same years after the run from the Billed events;
// tests/test_invest.cpp checks that the two agree.
#include <algorithm>

#include "county_engine.h"

namespace cmasim::model::detail {

/// The fund's share of a bill counts in the insurance year it is settled in, inside the
/// statistics window (the metrics' window: warm-up excluded, the drain after the horizon too).
/// Only a global budget's settlement reads the sums: without one in any period the table is
/// empty and a bill costs one test here.
void CountyEngine::count_fund(Fen fund) {
    const SimTime t = sim_.now();
    if (fund_by_year_.empty() || t < c_.warmup || t >= end_) return;
    fund_by_year_[static_cast<std::size_t>((t - c_.warmup) / (365 * sim::kDay))] += fund;
}

namespace {

std::vector<std::uint32_t> facility_indices(const County& c, const std::vector<std::string>& ids) {
    std::vector<std::uint32_t> out;
    for (const auto& id : ids)
        if (const auto f = facility_index(c, id); f != kNone) out.push_back(f);
    return out;
}

}  // namespace

/// Settles insurance year `year` (over now) under the terms in force on its first day, as the
/// metrics do, and gives the next year the capacity its retained surplus buys; last year's
/// purchase ends (a yearly cost buys a year).
void CountyEngine::settle_year(std::size_t year) {
    const SimTime start = c_.warmup + static_cast<SimTime>(year) * 365 * sim::kDay;
    const auto& pay = c_.period(c_.period_at(start)).scenario.policy.payment;
    YearSettlement s;
    if (pay.mode == scenario::PaymentMode::GlobalBudget) {
        const double budget = (static_cast<double>(pay.budget_per_resident) / 100.0) *
                              static_cast<double>(c_.population);  // a whole year
        s.year = year;
        s.budget = settle_global_budget(budget, static_cast<double>(fund_by_year_[year]) / 100.0,
                                        pay.surplus_retention, pay.deficit_share);
        s.facilities = facility_indices(c_, pay.invest.facilities);
        s.each = buy_capacity(s.budget.retained, pay.invest, s.facilities.size());
    }
    for (std::uint32_t f = 0; f < desks_.size(); ++f) {
        const bool chosen =
            std::find(s.facilities.begin(), s.facilities.end(), f) != s.facilities.end();
        invest(f, chosen ? s.each : CapacityPurchase{});
    }
    if (pay.mode == scenario::PaymentMode::GlobalBudget) stats_.settlements.push_back(s);
}

/// Replaces a facility's bought capacity; a facility whose capacity does not change is not
/// touched, so a run without investment keeps its events as they were.
void CountyEngine::invest(std::uint32_t f, const CapacityPurchase& buy) {
    auto& desk = desks_[f];
    if (desk.invested_doctors() == buy.doctors && desk.invested_beds() == buy.beds) return;
    desk.invest(buy.doctors, buy.beds);
    staff_desk(c_.facilities[f], desk, sim_.now());
    if (desk.open()) serve_next(f);
    auto is_walkin_at = [this](std::uint32_t q) { return walkin(patients_[q]); };
    while (const auto next = desk.next_for_bed(is_walkin_at))
        admit(*next, sim_.now() - patients_[*next].queued_at);
}

}  // namespace cmasim::model::detail
