// The indicators per alliance (docs/model.md, "More than one alliance"): the fund's payments for
// each alliance's residents, which its global budget settles on, and the group "alliance" of
// other_groups.csv, listed only when the scenario lists `alliances:` (a county with its one
// implicit alliance keeps its rows).
#include "cmasim/model/metrics.h"

namespace cmasim::model {

void MetricsCollector::init_funds(std::size_t years) {
    fund_by_year_.assign(years, 0);
    alliance_fund_.assign(c_.alliances.size(), std::vector<scenario::Fen>(years, 0));
}

/// The fund's share of a bill counts for the county and for the alliance of the patient's
/// township (residents of a township in no alliance count for the county only).
void MetricsCollector::count_fund(const Billed& e, std::size_t year) {
    fund_by_year_[year] += e.bill.fund;
    const std::uint32_t a = c_.townships[e.patient.township.index()].alliance;
    if (a != kNone) alliance_fund_[a][year] += e.bill.fund;
}

/// The residents of the alliance's townships (every resident is insured in the model).
std::int64_t MetricsCollector::alliance_population(std::uint32_t a) const {
    std::int64_t n = 0;
    for (const auto& t : c_.townships)
        if (t.alliance == a) n += t.population;
    return n;
}

/// Its residents' visits and admissions, wherever made: the sums over its townships.
void MetricsCollector::add_alliance_rows(indicators::ReplicationResult& r) const {
    if (c_.scenario.alliances.empty()) return;
    for (std::uint32_t a = 0; a < c_.alliances.size(); ++a) {
        VisitCounts v;
        for (std::size_t k = 0; k < c_.townships.size(); ++k) {
            if (c_.townships[k].alliance != a) continue;
            v.visits += township_[k].visits;
            v.visits_grassroots += township_[k].visits_grassroots;
            v.visits_in_county += township_[k].visits_in_county;
            v.admissions += township_[k].admissions;
            v.admissions_in_county += township_[k].admissions_in_county;
        }
        auto add = [&](const char* key, double value) {
            r.groups.push_back({"alliance", c_.alliances[a].id, key, value, c_.alliances[a].name});
        };
        const auto n = [](std::uint64_t x) { return static_cast<double>(x); };
        add("residents", static_cast<double>(alliance_population(a)));
        add("visits", n(v.visits));
        add("admissions", n(v.admissions));
        add("grassroots_share", grassroots_share(v));
        add("in_county_inpatient_rate",
            v.admissions > 0 ? n(v.admissions_in_county) / n(v.admissions) : 0.0);
    }
}

/// Each alliance's global-budget settlement, summed over the insurance years.
void MetricsCollector::add_alliance_budget_rows(
    indicators::ReplicationResult& r, const std::vector<BudgetSettlement>& settled) const {
    if (c_.scenario.alliances.empty()) return;
    for (std::size_t a = 0; a < settled.size(); ++a) {
        const auto& b = settled[a];
        const auto& al = c_.alliances[a];
        for (const auto& [key, v] : {std::pair<const char*, double>{"alliance_budget", b.budget},
                                     {"alliance_paid", b.paid},
                                     {"alliance_budget_result", b.result},
                                     {"alliance_retained", b.retained}})
            r.groups.push_back({"alliance", al.id, key, v, al.name});
    }
}

}  // namespace cmasim::model
