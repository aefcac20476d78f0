// The indicators of the outpatient capitation and the per-diem admissions (policy.payment.mode:
// capitation_per_diem, docs/levers.md lever 4): the capitation settled per insurance year in
// place of the fund's share of the grassroots' outpatient fees, and the admissions paid per
// bed-day.
#include <string>

#include "cmasim/model/metrics.h"

namespace cmasim::model {
namespace {

bool capitation_pays(const scenario::ProviderPayment& pay) {
    return pay.mode == scenario::PaymentMode::CapitationPerDiem && pay.capitation_per_resident > 0;
}

double yuan(scenario::Fen fen) {
    return static_cast<double>(fen) / 100.0;
}

}  // namespace

std::pair<const scenario::ProviderPayment*, double> MetricsCollector::year_terms(
    std::size_t y) const {
    const sim::SimTime start = from_ + static_cast<sim::SimTime>(y) * 365 * sim::kDay;
    const sim::SimTime end = std::min(to_, start + 365 * sim::kDay);
    return {&c_.period(c_.period_at(start)).scenario.policy.payment,
            static_cast<double>(end - start) / (365.0 * 86400.0)};
}

void MetricsCollector::init_capitation_per_diem() {
    auto& s = capitation_per_diem_;
    for (std::size_t k = 0; k <= c_.periods.size(); ++k)
        s.on |=
            c_.period(k).scenario.policy.payment.mode == scenario::PaymentMode::CapitationPerDiem;
    if (!s.on) return;
    s.visits_by_year.assign(fund_by_year_.size(), 0);
    s.fee_fund_by_year.assign(fund_by_year_.size(), 0);
}

/// A capitated visit: outpatient, at a village clinic or township center of the alliance in
/// the county, under a period that pays the capitation. An admission paid per diem adds its bill.
void MetricsCollector::count_capitated(const Billed& e, std::size_t year) {
    const County& c = c_.period(c_.period_at(e.at));
    const FacilityInfo& f = c_.facility(e.facility);
    auto& s = capitation_per_diem_;
    if (e.inpatient) {
        if (c.conditions[e.patient.condition.index()].per_diem[idx(f.level)] > 0)
            s.paid += e.bill.total;
        return;
    }
    const bool grassroots = f.level == Level::Village || f.level == Level::Township;
    if (!grassroots || !f.alliance || !f.in_county || !capitation_pays(c.scenario.policy.payment))
        return;
    ++s.visits_by_year[year];
    s.fee_fund_by_year[year] += e.bill.fund;
}

void MetricsCollector::count_per_diem(const Admitted& e) {
    const County& c = c_.period(c_.period_at(e.at));
    const Level level = c_.facility(e.facility).level;
    if (c.conditions[e.patient.condition.index()].per_diem[idx(level)] <= 0) return;
    ++capitation_per_diem_.admissions;
    capitation_per_diem_.bed_days += static_cast<double>(e.stay) / static_cast<double>(sim::kDay);
}

/// Each insurance year whose first day pays the capitation is settled on its own: the
/// grassroots receive capitation × residents × the year's length, whatever the visits, in place
/// of the fund's share of those visits' fees; the county rows are the sums over the years.
void MetricsCollector::add_capitation_per_diem_rows(indicators::ReplicationResult& r) const {
    const auto& s = capitation_per_diem_;
    if (!s.on) return;
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    double budget = 0, visits = 0, fee_fund = 0;
    for (std::size_t y = 0; settle_ && y < fund_by_year_.size(); ++y) {
        const auto [pay, years] = year_terms(y);
        if (!capitation_pays(*pay)) continue;
        budget += yuan(pay->capitation_per_resident) * static_cast<double>(c_.population) * years;
        visits += static_cast<double>(s.visits_by_year[y]);
        fee_fund += yuan(s.fee_fund_by_year[y]);
    }
    if (settle_) {
        add("capitation_budget", budget);
        add("capitation_visits", visits);
        add("capitation_fee_fund", fee_fund);
        add("capitation_settlement_adjustment", budget - fee_fund);
    }
    add("per_diem_admissions", static_cast<double>(s.admissions));
    add("per_diem_bed_days", s.bed_days);
    add("per_diem_paid", yuan(s.paid));
}

}  // namespace cmasim::model
