// Villages: demand rates, first-contact candidates and the static part of their utilities; the
// calendar of months; static access indicators.
#include <algorithm>
#include <cmath>

#include <unordered_map>
#include "cmasim/sim/detmath.h"

#include "cmasim/model/access.h"
#include "cmasim/model/county.h"
#include "cmasim/model/expected_cost.h"
#include "cmasim/model/network.h"

namespace cmasim::model {
namespace {

using scenario::Scenario;

constexpr double kSecondsPerYear = 365.0 * 86400.0;

/// Adds f to the candidate list unless it is already there.
void offer(VillageInfo& v, const County& c, std::uint32_t f) {
    if (!c.facilities[f].ever_staffed()) return;  // a clinic without doctors is no choice
    for (const auto& k : v.candidates) {
        if (k.facility == f) return;
    }
    v.candidates.push_back(
        {f, c.facilities[f].level, c.minutes(v.place, c.facilities[f].place), false});
}

void choose_candidates(const Scenario& s, const County& c, VillageInfo& v, std::uint32_t vi) {
    std::vector<std::uint32_t> clinics;
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        const auto& fi = c.facilities[f];
        if (fi.level == Level::Village && fi.village == vi) offer(v, c, f);
        if (fi.level == Level::Village && fi.village != vi) clinics.push_back(f);
        if (fi.level == Level::Township && fi.township == v.township) offer(v, c, f);
    }
    auto nearer = [&](std::uint32_t a, std::uint32_t b) {
        const double ta = c.minutes(v.place, c.facilities[a].place);
        const double tb = c.minutes(v.place, c.facilities[b].place);
        return ta != tb ? ta < tb : a < b;
    };
    std::sort(clinics.begin(), clinics.end(), nearer);
    const auto n =
        std::min<std::size_t>(clinics.size(), static_cast<std::size_t>(s.choice.nearest_clinics));
    for (std::size_t i = 0; i < n; ++i) offer(v, c, clinics[i]);
    std::vector<std::uint32_t> subs;
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        const auto& fi = c.facilities[f];  // a county-level sub-center is offered below anyway
        if (fi.sub_center && fi.level == Level::Township && fi.township != v.township)
            subs.push_back(f);
    }
    if (!subs.empty()) offer(v, c, *std::min_element(subs.begin(), subs.end(), nearer));
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        if (c.facilities[f].level >= Level::County) offer(v, c, f);
    }
    for (auto& k : v.candidates) {
        const auto& fi = c.facilities[k.facility];
        k.contract_facility = family_doctor_at(fi, vi, v.township, s.choice.contract_level);
    }
}

/// Rows of the choice tables per condition: [gatekept], and [low_income] with medical assistance.
std::size_t choice_groups(const Scenario& s) {
    return s.insurance.assistance.low_income_share > 0 ? 4 : 2;
}

void compute_static_utility(const Scenario& s, const County& c, const std::vector<double>& oops,
                            VillageInfo& v) {
    const auto& ch = s.choice;
    const std::size_t groups = choice_groups(s);
    v.static_utility.assign(groups * c.conditions.size() * v.candidates.size(), 0.0);
    for (std::size_t group = 0; group < groups; ++group) {
        const std::size_t gatekept = group % 2;
        if (gatekept == 1 && !s.insurance.gatekeeping.enabled) continue;
        // Assistance pays its ratio of what the basic scheme leaves (caps ignored, as above).
        const double keeps = group >= 2 ? 1 - s.insurance.assistance.ratio : 1.0;
        for (std::uint32_t k = 0; k < c.conditions.size(); ++k) {
            const auto& cond = c.conditions[k].spec;
            double* row =
                v.static_utility.data() + (group * c.conditions.size() + k) * v.candidates.size();
            for (const auto& cand : v.candidates) {
                const auto& fi = c.facilities[cand.facility];
                const int l = idx(fi.level);
                const double oop =
                    keeps * oops[(gatekept * c.conditions.size() + k) * c.facilities.size() +
                                 cand.facility];
                *row++ = ch.b_time * cand.travel_minutes + ch.b_cost * oop +
                         ch.b_log_cost * sim::det::log1p(oop) + ch.b_quality * fi.quality +
                         ch.level_constant[l] + cond.choice_constant[l] + fi.constant;
            }
        }
    }
    v.static_weight.resize(v.static_utility.size());
    const std::size_t n = v.candidates.size();
    for (std::size_t row = 0; n > 0 && row < v.static_utility.size(); row += n) {
        const auto first = v.static_utility.begin() + static_cast<std::ptrdiff_t>(row);
        const double top = *std::max_element(first, first + static_cast<std::ptrdiff_t>(n));
        for (std::size_t k = row; k < row + n; ++k)
            v.static_weight[k] = sim::det::exp(v.static_utility[k] - top);
    }
}

/// Appends a condition's two cumulative rates per second (under 65, then 65+) for one month.
void add_rates(std::vector<double>& cum, double& total, double per_person_year,
               const scenario::Condition& cond, std::size_t month, const VillageInfo& v) {
    const double base = per_person_year * cond.seasonality[month] / kSecondsPerYear;
    total += static_cast<double>(v.population - v.aged) * base;
    cum.push_back(total);
    total += static_cast<double>(v.aged) * base * cond.aged_multiplier;
    cum.push_back(total);
}

/// The outside option's weight per row, relative to the row's best candidate as static_weight
/// is, so that choose() adds it to the same total.
void compute_outside_weights(const County& c, VillageInfo& v) {
    const std::size_t nk = c.conditions.size();
    const std::size_t n = v.candidates.size();
    const std::size_t rows = choice_groups(c.scenario) * nk;
    v.outside_weight.assign(rows, 0.0);
    for (std::size_t row = 0; n > 0 && row < rows; ++row) {
        const auto& option = c.conditions[row % nk].spec.outside_option;
        if (!option) continue;
        const auto first = v.static_utility.begin() + static_cast<std::ptrdiff_t>(row * n);
        const double top = *std::max_element(first, first + static_cast<std::ptrdiff_t>(n));
        v.outside_weight[row] = sim::det::exp(*option - top);
    }
}

/// Per condition and candidate, the facility a patient is referred on to when the candidate
/// cannot treat the condition (kNone when it can): its wait enters the choice.
void compute_onward(const County& c, VillageInfo& v) {
    v.onward.clear();
    for (std::size_t k = 0; k < c.conditions.size(); ++k) {
        for (const auto& cand : v.candidates) {
            const auto& fi = c.facilities[cand.facility];
            const bool treats = fi.can_treat[k] || fi.remote_treat[k];
            v.onward.push_back(treats ? kNone : fi.referral_target[k]);
        }
    }
}

void compute_rates(const County& c, VillageInfo& v) {
    bool emergencies = false;
    for (const auto& ci : c.conditions)
        emergencies |= ci.spec.emergency_episodes_per_person_year > 0;
    for (std::size_t month = 0; month < 12; ++month) {
        double total = 0, urgent = 0;
        for (const auto& ci : c.conditions) {
            const auto& cond = ci.spec;
            add_rates(v.cumulative_rate[month], total, cond.episodes_per_person_year, cond, month,
                      v);
            if (emergencies) {
                add_rates(v.emergency_rate[month], urgent, cond.emergency_episodes_per_person_year,
                          cond, month, v);
            }
        }
    }
}

/// Marks the candidates without an emergency service, unless none has one (then an emergency
/// patient chooses among all, like anyone else).
void mark_emergency_candidates(const County& c, VillageInfo& v) {
    std::uint64_t none = 0;
    for (std::size_t k = 0; k < v.candidates.size(); ++k) {
        if (!c.facilities[v.candidates[k].facility].emergency) none |= std::uint64_t{1} << k;
    }
    const std::uint64_t all = v.candidates.size() >= 64
                                  ? ~std::uint64_t{0}
                                  : (std::uint64_t{1} << v.candidates.size()) - 1;
    v.no_emergency = none == all ? 0 : none;
}

/// Residents within 15 minutes of a grassroots facility where a doctor is ever on duty (its own
/// or a circuit clinic's: a clinic without one is no care), counted hamlet by hamlet.
void compute_access(const Scenario& s, County& c) {
    double within = 0;
    double travel = 0;
    for (std::size_t vi = 0; vi < c.villages.size(); ++vi) {
        const auto& v = c.villages[vi];
        double best = kUnreachable;
        for (const auto& f : c.facilities) {
            if (f.level <= Level::Township && f.ever_staffed())
                best = std::min(best, c.minutes(v.place, f.place));
        }
        const auto access = village_access(s.villages[vi].hamlets, best, 15.0);
        const double pop = static_cast<double>(v.population);
        within += pop * access.within;
        travel += pop * access.minutes;
    }
    const double total = static_cast<double>(c.population);
    c.within_15_min = total > 0 ? within / total : 0;
    c.mean_travel_minutes = total > 0 ? travel / total : 0;
}

}  // namespace

void compile_villages(const Scenario& s, County& c) {
    std::unordered_map<std::string, std::uint32_t> place_index;
    for (std::uint32_t p = 0; p < c.place_ids.size(); ++p) place_index.emplace(c.place_ids[p], p);
    std::unordered_map<std::string, std::uint32_t> township_index;
    for (std::uint32_t t = 0; t < c.townships.size(); ++t)
        township_index.emplace(c.townships[t].id, t);
    std::uint64_t person = 0;
    const std::vector<double> oops = first_contact_costs(s, c);
    for (std::uint32_t vi = 0; vi < s.villages.size(); ++vi) {
        const auto& sv = s.villages[vi];
        VillageInfo v;
        v.id = sv.id;
        v.place = place_index.at(sv.id);
        v.township = township_index.at(sv.township);
        v.population = sv.population;
        v.aged = std::llround(static_cast<double>(sv.population) * sv.aged_share);
        v.first_person = person;
        person += static_cast<std::uint64_t>(sv.population);
        v.contract_share = s.policy.contract_share ? *s.policy.contract_share : sv.contract_share;
        choose_candidates(s, c, v, vi);
        for (const auto& k : v.candidates) {
            const auto& fi = c.facilities[k.facility];
            if (fi.level == Level::Village && fi.village == vi && v.own_clinic == kNone)
                v.own_clinic = k.facility;
            if (fi.level == Level::Township && fi.township == v.township && v.own_center == kNone)
                v.own_center = k.facility;
        }
        compute_static_utility(s, c, oops, v);
        compute_outside_weights(c, v);
        compute_onward(c, v);
        compute_rates(c, v);
        mark_emergency_candidates(c, v);
        c.townships[v.township].population += v.population;
        c.population += v.population;
        c.villages.push_back(std::move(v));
    }
    compute_access(s, c);
}

sim::SimTime County::next_month_start(sim::SimTime t) const {
    const int doy = day_of_year(t);
    const int next =
        kMonthStart[static_cast<std::size_t>(kMonthOfDay[static_cast<std::size_t>(doy)]) + 1];
    return warmup + (day_index(t) + (next - doy)) * sim::kDay;
}

}  // namespace cmasim::model
