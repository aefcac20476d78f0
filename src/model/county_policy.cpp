// Policy levers that change the county's facilities (docs/model.md §6): facility changes
// (sub-center upgrades, capacity, hours), stationed county physicians, village circuit clinics,
// capacity reserved for referred patients, remote consultation, case-based rates, the emergency
// pathway, the shared exam centers, and the queueing-network validation mode's stations
// (County::stations).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "cmasim/model/county.h"
#include "cmasim/model/insurance.h"
#include "cmasim/model/policy.h"
#include "cmasim/model/schedule_build.h"
#include "cmasim/scenario/sent_down.h"

namespace cmasim::model {
namespace {

using scenario::Scenario;
using IndexMap = std::unordered_map<std::string, std::uint32_t>;

void add_capabilities(FacilityInfo& f, const std::vector<std::string>& conditions,
                      const IndexMap& cond) {
    for (const auto& id : conditions) {
        auto it = cond.find(id);
        if (it != cond.end()) f.can_treat[it->second] = true;
    }
}

bool selected(const scenario::FacilityChange& ch, const FacilityInfo& f) {
    if (!ch.facilities.empty())
        return std::find(ch.facilities.begin(), ch.facilities.end(), f.id) != ch.facilities.end();
    return ch.level && *ch.level == f.level;
}

void apply_changes(const Scenario& s, County& c, const IndexMap& cond) {
    for (const auto& ch : s.policy.changes) {
        for (auto& f : c.facilities) {
            if (!selected(ch, f)) continue;
            if (ch.sub_center) f.sub_center = *ch.sub_center;
            f.doctors += ch.add_doctors;
            f.beds += ch.add_beds;
            if (ch.quality) f.quality = *ch.quality;
            if (ch.opening) f.schedule = build_schedule(*ch.opening);
            add_capabilities(f, ch.also_treats, cond);
        }
    }
}

/// The facility whose doctors are sent to `to`: the named source, the township center of `to`
/// (home_township), or the lead of its township's alliance. The loader checked that one exists.
std::uint32_t sent_from(const std::string& source, const County& c, const FacilityInfo& to,
                        const IndexMap& fac) {
    if (source.empty())
        return fac.at(scenario::default_source(c.scenario, c.townships[to.township].id));
    if (source != scenario::kHomeTownship) return fac.at(source);
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        const auto& fi = c.facilities[f];
        if (fi.level == Level::Township && fi.township == to.township && &fi != &to) return f;
    }
    throw std::runtime_error("internal: no source for the doctors sent to '" + to.id + "'");
}

/// Stationed physicians and circuit clinics add doctors where they go and take them from their
/// source (sent_down.h): stationed doctors whole, circuit doctor-hours spread over the source's
/// opening hours.
void apply_staffing(const Scenario& s, County& c, const IndexMap& cond, const IndexMap& fac) {
    const auto& st = s.policy.stationed;
    const auto& circuit = s.policy.circuit;
    scenario::Opening window;
    window.always = false;
    window.windows.push_back(circuit.window);
    const double hours = scenario::circuit_hours_per_week(circuit);
    std::vector<int> stationed(c.facilities.size(), 0);
    std::vector<double> circuit_hours(c.facilities.size(), 0.0);
    for (auto& f : c.facilities) {
        if (f.level == Level::Township && st.per_township > 0) {
            f.doctors += st.per_township;
            f.stationed_doctors += st.per_township;
            f.quality += st.quality_bonus;
            add_capabilities(f, st.also_treats, cond);
            stationed[sent_from(st.source, c, f, fac)] += st.per_township;
        }
        if (circuit.enabled && f.level == circuit.level && !f.unlimited) {
            f.extra_staff.push_back({build_schedule(window), circuit.doctors});
            circuit_hours[sent_from(circuit.source, c, f, fac)] += hours;
        }
    }
    for (std::size_t f = 0; f < c.facilities.size(); ++f) {
        auto& fi = c.facilities[f];
        const double open = static_cast<double>(fi.schedule.open_seconds(0, 7 * sim::kDay)) /
                            static_cast<double>(sim::kHour);
        fi.doctors -= scenario::doctors_sent_down(stationed[f], circuit_hours[f], open);
    }
}

void apply_reservation_and_remote(const Scenario& s, County& c, const IndexMap& cond) {
    const auto& p = s.policy;
    for (auto& f : c.facilities) {
        const bool reserved = std::find(p.reserved_levels.begin(), p.reserved_levels.end(),
                                        f.level) != p.reserved_levels.end();
        if (reserved && p.reserved_share > 0 && !f.unlimited) {
            f.reserved_doctors = reserved_count(p.reserved_share, f.doctors);
            f.reserved_beds = reserved_count(p.reserved_share, f.beds);
        }
        f.remote_treat.assign(c.conditions.size(), false);
        const bool remote_level = std::find(p.remote.levels.begin(), p.remote.levels.end(),
                                            f.level) != p.remote.levels.end();
        if (!remote_level) continue;
        for (const auto& id : p.remote.conditions) {
            auto it = cond.find(id);
            if (it != cond.end() && !f.can_treat[it->second]) f.remote_treat[it->second] = true;
        }
        f.remote_delay = static_cast<sim::SimTime>(std::llround(p.remote.delay_minutes * 60.0));
    }
}

/// The loader allows case rates only under case_based, points only under dip_points and per-diem
/// rates only under capitation_per_diem.
void apply_case_rates(const Scenario& s, County& c, const IndexMap& cond) {
    for (const auto& [id, rates] : s.policy.payment.case_rates) {
        auto it = cond.find(id);
        if (it != cond.end()) c.conditions[it->second].case_rate = rates;
    }
    for (const auto& [id, points] : s.policy.payment.points) {
        auto it = cond.find(id);
        if (it != cond.end()) c.conditions[it->second].dip_points = points;
    }
    for (const auto& [id, rates] : s.policy.payment.per_diem) {
        auto it = cond.find(id);
        if (it != cond.end()) c.conditions[it->second].per_diem = rates;
    }
}

/// Every condition gets the scheme's terms, with its group's own where insurance.by_condition
/// gives them, and those terms at each place class (insurance.external_by_class).
void apply_condition_cover(const Scenario& s, County& c, const IndexMap& cond) {
    std::vector<const scenario::ConditionCover*> covers(c.conditions.size(), nullptr);
    for (const auto& cover : s.insurance.by_condition) {
        auto it = cond.find(cover.condition);
        if (it != cond.end()) covers[it->second] = &cover;
    }
    const scenario::ConditionCover none{};
    for (std::size_t k = 0; k < c.conditions.size(); ++k) {
        auto& ci = c.conditions[k];
        const auto& cover = covers[k] ? *covers[k] : none;
        for (int p = 0; p < scenario::kPlaceClasses; ++p) {
            ci.place_terms[static_cast<std::size_t>(p)] =
                cover_terms(s.insurance, cover, static_cast<scenario::PlaceClass>(p));
        }
        ci.insurance = ci.place_terms[0];
        ci.own_outpatient_cap = cover.outpatient_cap > 0;
    }
}

/// Chronic-disease management and the medicine lists (docs/levers.md): facts per condition.
void apply_chronic_and_medicines(const Scenario& s, County& c, const IndexMap& cond) {
    const auto& chronic = s.policy.chronic;
    if (chronic.managed_share > 0) {
        for (const auto& id : chronic.acute_conditions) {
            if (auto it = cond.find(id); it != cond.end())
                c.conditions[it->second].managed_acute = true;
        }
        if (auto it = cond.find(chronic.condition); it != cond.end())
            c.managed_condition = it->second;
    }
    for (const auto& [id, shares] : s.policy.medicines.availability) {
        if (auto it = cond.find(id); it != cond.end())
            c.conditions[it->second].medicine_availability = shares;
    }
}

/// Home beds (docs/levers.md): the slots of each township center that opens them and the
/// conditions they may take.
void apply_home_beds(const Scenario& s, County& c, const IndexMap& cond, const IndexMap& fac) {
    const auto& h = s.policy.home_beds;
    if (h.slots_per_center <= 0) return;
    for (const auto& id : h.conditions) c.conditions[cond.at(id)].home_bed = true;
    for (const auto& id : h.facilities)
        c.facilities[fac.at(id)].home_bed_slots = h.slots_per_center;
    for (auto& fi : c.facilities) {
        if (h.all_townships && fi.level == Level::Township) fi.home_bed_slots = h.slots_per_center;
    }
}

/// The emergency pathway (docs/levers.md): its conditions, centers, and each place's nearest
/// center (where an ambulance takes a patient from there).
void apply_emergency(const Scenario& s, County& c, const IndexMap& cond, const IndexMap& fac) {
    const auto& e = s.policy.emergency;
    if (e.conditions.empty()) return;
    auto& info = c.emergency;
    auto seconds = [](double minutes) { return sim::round_half_away(minutes * 60.0); };
    info.condition.assign(c.conditions.size(), false);
    for (const auto& id : e.conditions) info.condition[cond.at(id)] = true;
    info.center.assign(c.facilities.size(), false);
    for (const auto& id : e.centers) info.center[fac.at(id)] = true;
    info.ambulance_to.assign(c.place_ids.size(), kNone);
    for (std::uint32_t place = 0; place < c.place_ids.size(); ++place) {
        double best = 0;
        for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
            const double minutes = c.minutes(place, c.facilities[f].place);
            if (!info.center[f] || !std::isfinite(minutes) ||
                (info.ambulance_to[place] != kNone && minutes >= best))
                continue;
            info.ambulance_to[place] = f;
            best = minutes;
        }
    }
    info.ambulance_share = e.ambulance_share;
    info.dispatch = seconds(e.ambulance_dispatch_minutes);
    info.speed_factor = e.ambulance_speed_factor;
    info.center_door_to_treatment = seconds(e.center_door_to_treatment_minutes);
    info.door_to_treatment = seconds(e.door_to_treatment_minutes);
    info.threshold = seconds(e.threshold_minutes);
}

/// The shared exam centers and the conditions' exams (docs/levers.md).
void apply_exams(const Scenario& s, County& c, const IndexMap& cond, const IndexMap& fac) {
    const auto& p = s.policy;
    if (p.exams.empty()) return;
    auto seconds = [](double hours) { return sim::round_half_away(hours * 3600.0); };
    c.exams.by_condition.assign(c.conditions.size(), ExamNeedInfo{});
    for (const auto& e : p.exams)
        c.exams.by_condition[cond.at(e.condition)] = {true, e.kind, e.fee,
                                                      seconds(e.turnaround_hours)};
    for (const auto& e : p.exam_centers) {
        const int reserved = static_cast<int>(
            std::floor(e.reserved_share_for_referrals * static_cast<double>(e.reads_per_day)));
        c.exams.centers.push_back({fac.at(e.facility), e.kind, e.reads_per_day, reserved, e.fee,
                                   seconds(e.turnaround_hours), e.recognised_after_referral});
    }
}

void apply_network(const Scenario& s, County& c, const IndexMap& fac) {
    for (const auto& st : s.network.stations) {
        StationInfo station{fac.at(st.facility), st.arrivals_per_minute, st.service_minutes, {}};
        double cum = 0;
        for (const auto& [to, prob] : st.routes) {
            cum += prob;
            station.routes.push_back({fac.at(to), cum});
        }
        c.facilities[station.facility].schedule = WeeklySchedule{};  // a station is always open
        c.stations.push_back(std::move(station));
    }
}

}  // namespace

void apply_policy(const Scenario& s, County& c) {
    c.response = provider_response(s.policy);
    IndexMap cond, fac;
    for (std::uint32_t k = 0; k < c.conditions.size(); ++k)
        cond.emplace(c.conditions[k].spec.id, k);
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) fac.emplace(c.facilities[f].id, f);
    apply_changes(s, c, cond);
    apply_staffing(s, c, cond, fac);
    apply_reservation_and_remote(s, c, cond);
    apply_case_rates(s, c, cond);
    apply_condition_cover(s, c, cond);
    apply_chronic_and_medicines(s, c, cond);
    apply_emergency(s, c, cond, fac);
    apply_exams(s, c, cond, fac);
    apply_home_beds(s, c, cond, fac);
    apply_network(s, c, fac);
}

bool FacilityInfo::open_at(sim::SimTime t) const {
    return unlimited || doctors_at(t) > 0;
}

bool FacilityInfo::ever_staffed() const {
    if (unlimited || doctors > 0) return true;
    for (const auto& w : extra_staff) {
        if (w.doctors > 0) return true;
    }
    return false;
}

sim::SimTime FacilityInfo::next_staffed(sim::SimTime t) const {
    if (!ever_staffed()) return WeeklySchedule::kNever;
    // Staffing repeats weekly, so a bounded number of transitions always reaches a staffed one.
    for (int step = 0; step < 1000 && t != WeeklySchedule::kNever; ++step) {
        if (open_at(t)) return t;
        t = next_change(t);
    }
    return WeeklySchedule::kNever;
}

int FacilityInfo::doctors_at(sim::SimTime t) const {
    int n = schedule.is_open(t) ? doctors : 0;
    for (const auto& w : extra_staff) {
        if (w.when.is_open(t)) n += w.doctors;
    }
    return n;
}

sim::SimTime FacilityInfo::next_change(sim::SimTime t) const {
    sim::SimTime next = schedule.next_transition(t);
    for (const auto& w : extra_staff) next = std::min(next, w.when.next_transition(t));
    return next;
}

double FacilityInfo::doctor_seconds(sim::SimTime from, sim::SimTime to) const {
    double total =
        static_cast<double>(doctors) * static_cast<double>(schedule.open_seconds(from, to));
    for (const auto& w : extra_staff) {
        total +=
            static_cast<double>(w.doctors) * static_cast<double>(w.when.open_seconds(from, to));
    }
    return total;
}

}  // namespace cmasim::model
