// Capacity bought with a retained surplus (docs/model.md): the engine settles each insurance
// year and gives the next year the doctors and beds the alliance buys (ReplicationStats); the
// capacity-based indicators count them in the year they served, and the purchase has its rows.
#include <algorithm>
#include <string>

#include "cmasim/model/metrics.h"

namespace cmasim::model {
namespace {

bool bought_at(const YearSettlement& s, std::size_t f) {
    return std::find(s.facilities.begin(), s.facilities.end(), f) != s.facilities.end();
}

}  // namespace

/// Doctor-seconds on duty in the window: the schedule's, and the bought doctors in the
/// facility's opening hours of the year after the one whose surplus bought them.
double MetricsCollector::doctor_seconds(std::size_t f) const {
    const auto& fi = c_.facilities[f];
    double total = fi.doctor_seconds(from_, to_);
    for (const auto& s : settlements_) {
        if (s.each.doctors == 0 || !bought_at(s, f)) continue;
        const sim::SimTime start =
            c_.warmup + static_cast<sim::SimTime>(s.year + 1) * 365 * sim::kDay;
        const sim::SimTime from = std::max(from_, start);
        const sim::SimTime to = std::min(to_, start + 365 * sim::kDay);
        if (to > from)
            total += s.each.doctors * static_cast<double>(fi.schedule.open_seconds(from, to));
    }
    return total;
}

/// Bed-seconds in the window, the bought beds in the year they served included.
double MetricsCollector::bed_seconds(std::size_t f) const {
    double total = static_cast<double>(c_.facilities[f].beds) * static_cast<double>(to_ - from_);
    for (const auto& s : settlements_) {
        if (s.each.beds == 0 || !bought_at(s, f)) continue;
        const sim::SimTime start =
            c_.warmup + static_cast<sim::SimTime>(s.year + 1) * 365 * sim::kDay;
        total += s.each.beds * static_cast<double>(clipped(start, 365 * sim::kDay));
    }
    return total;
}

/// Only when some period invests: what each year's surplus bought for the next year (group
/// "year", the year whose surplus paid) and the sums over the run.
void MetricsCollector::add_invest_rows(indicators::ReplicationResult& r) const {
    bool invests = false;
    for (std::size_t k = 0; k <= c_.periods.size(); ++k)
        invests |= c_.period(k).scenario.policy.payment.invest.share > 0;
    if (!invests) return;
    double spent = 0, doctors = 0, beds = 0;
    for (const auto& s : settlements_) {
        const auto n = static_cast<double>(s.facilities.size());
        const std::string year = std::to_string(s.year + 1);
        r.groups.push_back({"year", year, "alliance_invested", s.each.spent * n, {}});
        r.groups.push_back({"year", year, "alliance_invested_doctors", s.each.doctors * n, {}});
        r.groups.push_back({"year", year, "alliance_invested_beds", s.each.beds * n, {}});
        spent += s.each.spent * n;
        doctors += s.each.doctors * n;
        beds += s.each.beds * n;
    }
    r.county.push_back({"alliance_invested", spent});
    r.county.push_back({"alliance_invested_doctors", doctors});
    r.county.push_back({"alliance_invested_beds", beds});
}

}  // namespace cmasim::model
