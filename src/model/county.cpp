// compile_county: scenario -> dense tables. The loader has already checked references, so a
// lookup that fails here is an internal error, not a user error.
#include "cmasim/model/county.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "cmasim/model/network.h"
#include "cmasim/model/schedule_build.h"
#include "cmasim/sim/detmath.h"

namespace cmasim::model {
namespace {

using scenario::Scenario;

std::uint32_t lookup(const std::unordered_map<std::string, std::uint32_t>& m,
                     const std::string& key, const char* what) {
    auto it = m.find(key);
    if (it == m.end())
        throw std::runtime_error(std::string("internal: unknown ") + what + " '" + key + "'");
    return it->second;
}

struct Indexes {
    std::unordered_map<std::string, std::uint32_t> place, township, village, facility, condition;
};

void compile_places(const Scenario& s, County& c, Indexes& ix) {
    auto add = [&](const std::string& id) {
        ix.place.emplace(id, static_cast<std::uint32_t>(c.place_ids.size()));
        c.place_ids.push_back(id);
    };
    for (const auto& p : s.places) add(p.id);
    for (const auto& v : s.villages) add(v.id);
    std::vector<RoadEdge> edges;
    for (const auto& r : s.roads) {
        edges.push_back(
            {lookup(ix.place, r.from, "place"), lookup(ix.place, r.to, "place"), r.minutes});
    }
    c.place_minutes = shortest_travel_minutes(c.place_ids.size(), edges);
    for (std::size_t i = 0; i < c.place_ids.size(); ++i) {
        for (std::size_t j = 0; j < c.place_ids.size(); ++j) {
            if (c.place_minutes[i][j] == kUnreachable) {
                throw std::runtime_error("place '" + c.place_ids[j] + "' cannot be reached from '" +
                                         c.place_ids[i] + "': add a road");
            }
        }
    }
}

bool treats(const scenario::Facility& f, const scenario::Condition& cond) {
    auto listed = [&](const std::vector<std::string>& ids) {
        return std::find(ids.begin(), ids.end(), cond.id) != ids.end();
    };
    if (listed(f.cannot_treat)) return false;
    return f.level >= cond.lowest_level || listed(f.also_treats);
}

void compile_facilities(const Scenario& s, County& c, Indexes& ix) {
    for (const auto& f : s.facilities) {
        FacilityInfo fi;
        fi.id = f.id;
        fi.name = f.name.empty() ? f.id : f.name;
        fi.level = f.level;
        fi.place = lookup(ix.place, f.place, "place");
        if (!f.township.empty()) fi.township = lookup(ix.township, f.township, "township");
        if (!f.village.empty()) fi.village = lookup(ix.village, f.village, "village");
        fi.alliance = f.alliance;
        fi.lead = f.lead;
        fi.sub_center = f.sub_center;
        fi.in_county = f.level != Level::External;
        fi.place_class = f.place_class;
        fi.unlimited = f.unlimited;
        fi.emergency = f.emergency.value_or(f.level >= Level::County);
        fi.doctors = f.doctors;
        fi.beds = f.beds;
        fi.schedule = build_schedule(f.opening);
        fi.quality = f.quality;
        fi.constant = f.constant;
        for (const auto& cond : s.conditions) fi.can_treat.push_back(treats(f, cond));
        ix.facility.emplace(f.id, static_cast<std::uint32_t>(c.facilities.size()));
        c.facilities.push_back(std::move(fi));
    }
}

/// The facility a patient is sent to from f by the rules (one step), or kNone.
std::uint32_t next_by_rules(const Scenario& s, const County& c, const Indexes& ix,
                            std::uint32_t f) {
    const FacilityInfo& fi = c.facilities[f];
    const scenario::ReferralRule* rule = nullptr;
    for (const auto& r : s.referral.rules) {
        if (r.from == fi.id) {
            rule = &r;
            break;
        }
    }
    if (!rule) {
        for (const auto& r : s.referral.rules) {
            if (r.from == scenario::to_string(fi.level)) {
                rule = &r;
                break;
            }
        }
    }
    if (!rule) return kNone;
    if (rule->to != "home_township") return lookup(ix.facility, rule->to, "facility");
    for (std::uint32_t t = 0; t < c.facilities.size(); ++t) {
        const auto& cand = c.facilities[t];
        if (cand.level == Level::Township && cand.township == fi.township && t != f) return t;
    }
    return kNone;
}

void compile_referrals(const Scenario& s, County& c, const Indexes& ix) {
    const auto n = static_cast<std::uint32_t>(c.facilities.size());
    std::vector<std::uint32_t> next(n);
    for (std::uint32_t f = 0; f < n; ++f)
        next[f] = via_sub_center(c, f, next_by_rules(s, c, ix, f));
    for (std::uint32_t f = 0; f < n; ++f) {
        auto& fi = c.facilities[f];
        fi.referral_target.assign(c.conditions.size(), kNone);
        for (std::size_t k = 0; k < c.conditions.size(); ++k) {
            std::uint32_t t = next[f];
            for (std::uint32_t steps = 0; t != kNone && steps < n; ++steps) {
                if (c.facilities[t].can_treat[k] && c.facilities[t].ever_staffed()) break;
                t = next[t];
            }
            if (t != kNone && !(c.facilities[t].can_treat[k] && c.facilities[t].ever_staffed()))
                t = kNone;
            fi.referral_target[k] = t;
        }
    }
}

}  // namespace

void compile_villages(const Scenario& s, County& c);   // county_villages.cpp
void compile_alliances(const Scenario& s, County& c);  // county_alliances.cpp
void apply_policy(const Scenario& s, County& c);       // county_policy.cpp

/// The timeline's periods, each compiled from its own scenario (which has no timeline).
void compile_periods(const Scenario& s, County& c) {
    c.first_period = s.start_date.empty() ? "day 0" : s.start_date;
    for (const auto& entry : s.timeline) {
        const auto start = static_cast<sim::SimTime>(std::llround(entry.day * sim::kDay));
        c.periods.push_back({c.warmup + start, entry.name,
                             std::make_shared<const County>(compile_county(*entry.scenario))});
    }
}

County compile_county(const Scenario& s) {
    County c;
    c.scenario = s;
    Indexes ix;
    for (const auto& t : s.townships) {
        ix.township.emplace(t.id, static_cast<std::uint32_t>(c.townships.size()));
        c.townships.push_back({t.id, t.name.empty() ? t.id : t.name, 0});
    }
    for (std::size_t v = 0; v < s.villages.size(); ++v) {
        ix.village.emplace(s.villages[v].id, static_cast<std::uint32_t>(v));
    }
    for (const auto& cond : s.conditions) {
        ConditionInfo ci;
        ci.spec = cond;
        ci.grassroots_treatable = cond.lowest_level <= Level::Township;
        ci.follow_up_interval = sim::round_half_away(cond.follow_up_interval_days * sim::kDay);
        c.conditions.push_back(std::move(ci));
    }
    compile_places(s, c, ix);
    compile_facilities(s, c, ix);
    apply_policy(s, c);
    compile_alliances(s, c);
    compile_referrals(s, c, ix);
    c.warmup = static_cast<sim::SimTime>(std::llround(s.warmup_days * sim::kDay));
    c.horizon = static_cast<sim::SimTime>(std::llround(s.horizon_days * sim::kDay));
    c.first_month_offset = County::kMonthStart[static_cast<std::size_t>(s.horizon_start_month - 1)];
    compile_villages(s, c);
    std::unordered_map<std::string, std::uint32_t> condition_index;
    for (std::uint32_t k = 0; k < s.conditions.size(); ++k)
        condition_index.emplace(s.conditions[k].id, k);
    for (const auto& e : s.episodes) {
        c.scripted.push_back({e.at, lookup(ix.village, e.village, "village"),
                              lookup(condition_index, e.condition, "condition"), e.aged,
                              e.emergency});
    }
    c.contract_weight = sim::det::exp(s.choice.b_contract);
    compile_periods(s, c);
    return c;
}

}  // namespace cmasim::model
