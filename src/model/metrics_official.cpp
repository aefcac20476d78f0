// The indicators the evaluations define (docs/model.md §7): the out-of-county referral rate,
// costs per visit and per stay, resources per 1,000 residents, the contracted residents' figures,
// emergency visits, and the breakdown by condition (conditions.csv).
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "cmasim/model/metrics.h"
#include "cmasim/model/policy.h"

namespace cmasim::model {
namespace {

/// The settlement's indicator rows, in their order.
std::array<std::pair<const char*, double>, 5> budget_rows(const BudgetSettlement& b) {
    return {{{"alliance_budget", b.budget},
             {"alliance_paid", b.paid},
             {"alliance_budget_result", b.result},
             {"alliance_retained", b.retained},
             {"insurer_spending", b.insurer}}};
}

std::array<std::pair<const char*, double>, 5> point_rows(const PointSettlement& s) {
    return {{{"dip_budget", s.budget},
             {"dip_points", s.points},
             {"dip_point_value", s.point_value},
             {"dip_fee_fund", s.fee_fund},
             {"dip_settlement_adjustment", s.adjustment}}};
}

BudgetSettlement add_settlements(const BudgetSettlement& a, const BudgetSettlement& b) {
    return {a.budget + b.budget, a.paid + b.paid, a.result + b.result, a.retained + b.retained,
            a.insurer + b.insurer};
}

double ratio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}
double count(std::uint64_t n) {
    return static_cast<double>(n);
}

/// Encounters (visits + admissions) outside the county / all encounters.
double out_of_county_share(const VisitCounts& v) {
    return ratio(count(v.visits - v.visits_in_county + v.admissions - v.admissions_in_county),
                 count(v.visits + v.admissions));
}

}  // namespace

void MetricsCollector::count_referral(const Referred& e) {
    const bool contracted = e.patient.contracted;
    auto& condition = condition_[e.patient.condition.index()];
    switch (e.kind) {
        case ReferralKind::Up:
            ++up_;
            ++condition.up_referrals;
            if (contracted) ++contracted_.up_referrals;
            if (!c_.facility(e.to).in_county) {
                ++out_of_county_;
                ++condition.out_of_county_referrals;
            }
            break;
        case ReferralKind::Down:
            ++down_;
            if (contracted) ++contracted_.down_referrals;
            break;
        case ReferralKind::Self:
            ++self_;
            break;
    }
}

void MetricsCollector::add_official_rows(indicators::ReplicationResult& r) const {
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    add("out_of_county_referral_rate", ratio(count(out_of_county_), count(episodes_)));
    add("emergency_visits", count(emergency_visits_));
    add("contracted_grassroots_share", grassroots_share(contracted_.counts));
    add("contracted_visits", count(contracted_.counts.visits));
    add("contracted_up_referrals", count(contracted_.up_referrals));
    add("contracted_down_referrals", count(contracted_.down_referrals));
    add_cost_rows(r);
    add_resource_rows(r);
    add_condition_rows(r);
    add_points_rows(r);
    add_layer_rows(r);
    add_alliance_rows(r);
}

/// 次均门诊费用 and 次均住院费用 by level, in yuan (the whole bill, fund and patient).
void MetricsCollector::add_cost_rows(indicators::ReplicationResult& r) const {
    for (int l = 0; l < 4; ++l) {
        const auto li = static_cast<std::size_t>(l);
        const std::string level = to_string(static_cast<Level>(l));
        const double visit = ratio(static_cast<double>(bills_.outpatient_fen[li]) / 100.0,
                                   count(bills_.outpatient[li]));
        const double stay = ratio(static_cast<double>(bills_.inpatient_fen[li]) / 100.0,
                                  count(bills_.inpatient[li]));
        r.county.push_back({"cost_per_visit_" + level, visit});
        if (l > 0) r.county.push_back({"cost_per_stay_" + level, stay});
        r.groups.push_back({"level", level, "cost_per_visit", visit, {}});
        if (l > 0) r.groups.push_back({"level", level, "cost_per_stay", stay, {}});
    }
}

/// Fund spending per resident per year (every resident is insured in the model), and the
/// county's own beds and doctors per 1,000 residents (external hospitals are not the county's).
void MetricsCollector::add_resource_rows(indicators::ReplicationResult& r) const {
    const double pop = static_cast<double>(c_.population);
    const double years = static_cast<double>(to_ - from_) / (365.0 * 86400.0);
    double beds = 0, doctors = 0;
    for (const auto& f : c_.facilities) {
        if (!f.in_county || f.unlimited) continue;
        beds += f.beds;
        doctors += f.doctors;
    }
    r.county.push_back(
        {"fund_spending_per_resident", ratio(static_cast<double>(fund_fen_) / 100.0, pop * years)});
    r.county.push_back({"beds_per_1000", ratio(1000.0 * beds, pop)});
    r.county.push_back({"doctors_per_1000", ratio(1000.0 * doctors, pop)});
}

void MetricsCollector::add_condition_rows(indicators::ReplicationResult& r) const {
    for (std::size_t k = 0; k < c_.conditions.size(); ++k) {
        const auto& spec = c_.conditions[k].spec;
        const ConditionCounts& n = condition_[k];
        auto add = [&](const char* key, double value) {
            r.groups.push_back({"condition", spec.id, key, value, spec.name});
        };
        add("episodes", count(n.episodes));
        add("episodes_no_visit", count(n.no_visit));
        add("no_visit_share", ratio(count(n.no_visit), count(n.episodes)));
        add("visits", count(n.counts.visits));
        add("emergency_visits", count(n.emergency_visits));
        add("admissions", count(n.counts.admissions));
        add("grassroots_share", grassroots_share(n.counts));
        add("in_county_inpatient_rate",
            ratio(count(n.counts.admissions_in_county), count(n.counts.admissions)));
        add("out_of_county_share", out_of_county_share(n.counts));
        add("up_referrals", count(n.up_referrals));
        add("out_of_county_referrals", count(n.out_of_county_referrals));
        add("out_of_county_referral_rate",
            ratio(count(n.out_of_county_referrals), count(n.episodes)));
    }
}

/// Global budget (结余留用、合理超支分担): the insurer pays each alliance a yearly budget per
/// resident of its townships; the alliance pays the fund's share of every bill of its residents,
/// inside and outside the county; it keeps `surplus_retention` of a surplus and bears
/// `deficit_share` of a deficit, and the insurer settles the rest. Each insurance year is settled
/// on its own, under the terms in force on its first day (a budget is agreed for a year); the
/// county rows are the sums over the alliances and the years, and a run of more than one year
/// lists each year (group "year"); a scenario with `alliances:` lists each alliance too.
void MetricsCollector::add_budget_rows(indicators::ReplicationResult& r) const {
    if (!settle_) return;
    BudgetSettlement sum;
    std::vector<BudgetSettlement> by_alliance(c_.alliances.size());
    bool any = false;
    for (std::size_t y = 0; y < fund_by_year_.size(); ++y) {
        const auto [terms, years] = year_terms(y);
        const auto& pay = *terms;
        if (pay.mode != scenario::PaymentMode::GlobalBudget) continue;
        BudgetSettlement year_sum;
        for (std::uint32_t a = 0; a < c_.alliances.size(); ++a) {
            const double budget = (static_cast<double>(pay.budget_per_resident) / 100.0) *
                                  static_cast<double>(alliance_population(a)) * years;
            const BudgetSettlement b =
                settle_global_budget(budget, static_cast<double>(alliance_fund_[a][y]) / 100.0,
                                     pay.surplus_retention, pay.deficit_share);
            year_sum = a == 0 ? b : add_settlements(year_sum, b);
            by_alliance[a] = any ? add_settlements(by_alliance[a], b) : b;
        }
        if (fund_by_year_.size() > 1) {
            const std::string year = std::to_string(y + 1);
            for (const auto& [key, v] : budget_rows(year_sum))
                r.groups.push_back({"year", year, key, v, {}});
        }
        sum = any ? add_settlements(sum, year_sum) : year_sum;
        any = true;
    }
    if (!any) return;
    for (const auto& [key, v] : budget_rows(sum)) r.county.push_back({key, v});
    add_alliance_budget_rows(r, by_alliance);
    add_invest_rows(r);
}

void MetricsCollector::init_points() {
    for (std::size_t k = 0; k <= c_.periods.size(); ++k)
        dip_ |= c_.period(k).scenario.policy.payment.mode == scenario::PaymentMode::DipPoints;
    if (!dip_) return;
    points_by_year_.assign(fund_by_year_.size(), 0);
    points_fee_fund_by_year_.assign(fund_by_year_.size(), 0);
}

/// An admission earns the points of its condition at its level under the terms of its period.
void MetricsCollector::count_points(const Billed& e, std::size_t year) {
    const auto& cond = c_.period(c_.period_at(e.at)).conditions[e.patient.condition.index()];
    const double points = cond.dip_points[idx(c_.facility(e.facility).level)];
    if (points <= 0) return;
    points_by_year_[year] += points;
    points_fee_fund_by_year_[year] += e.bill.fund;
}

/// DIP points inside a global budget: each insurance year whose first day pays points is settled
/// on its own (settle_dip_points: point value = budget ÷ points); the county rows are the sums
/// over the years, the point value the budget ÷ the points of all of them.
void MetricsCollector::add_points_rows(indicators::ReplicationResult& r) const {
    if (!settle_ || !dip_) return;
    PointSettlement sum;
    for (std::size_t y = 0; y < fund_by_year_.size(); ++y) {
        const auto [terms, years] = year_terms(y);
        const auto& pay = *terms;
        if (pay.mode != scenario::PaymentMode::DipPoints) continue;
        const PointSettlement b = settle_dip_points(
            (static_cast<double>(pay.budget_per_resident) / 100.0) *
                static_cast<double>(c_.population) * years,
            points_by_year_[y], static_cast<double>(points_fee_fund_by_year_[y]) / 100.0);
        if (fund_by_year_.size() > 1) {
            for (const auto& [key, v] : point_rows(b))
                r.groups.push_back({"year", std::to_string(y + 1), key, v, {}});
        }
        sum = settle_dip_points(sum.budget + b.budget, sum.points + b.points,
                                sum.fee_fund + b.fee_fund);
    }
    for (const auto& [key, v] : point_rows(sum)) r.county.push_back({key, v});
}

/// The layers' rows, only when the scenario has the layer (a scenario without one keeps its
/// indicator list).
void MetricsCollector::add_layer_rows(indicators::ReplicationResult& r) const {
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    bool catastrophic = false, assistance = false;  // in any period of the timeline
    for (std::size_t k = 0; k <= c_.periods.size(); ++k) {
        const auto& ins = c_.period(k).scenario.insurance;
        catastrophic |= ins.catastrophic.threshold > 0;
        assistance |= ins.assistance.low_income_share > 0;
    }
    if (catastrophic) {
        add("catastrophic_cases", count(layers_.catastrophic_bills));
        add("catastrophic_spending", static_cast<double>(layers_.catastrophic_fen) / 100.0);
    }
    if (assistance) {
        const double oop = static_cast<double>(layers_.low_income_oop_fen) / 100.0;
        add("assistance_spending", static_cast<double>(layers_.assistance_fen) / 100.0);
        add("low_income_episodes", count(layers_.low_income_episodes));
        add("low_income_visits", count(layers_.low_income.visits));
        add("low_income_grassroots_share", grassroots_share(layers_.low_income));
        add("low_income_out_of_pocket", oop);
        add("low_income_out_of_pocket_per_episode", ratio(oop, count(layers_.low_income_episodes)));
    }
}

}  // namespace cmasim::model
