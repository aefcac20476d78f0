// Cross-reference checks: everything that needs the whole scenario rather than one record.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "checks.h"

namespace cmasim::scenario::detail {

RecordLocator::RecordLocator(const Reader& reader, bool synthetic)
    : reader_(reader), generated_(reader.locate("", SourceRef{reader.file(), 0, 0})) {
    if (synthetic) generated_ = reader.locate("synthetic_county", generated_);
}

SourceRef RecordLocator::where(const std::string& list, std::size_t index,
                               const std::string& key) const {
    const std::string item = list + "[" + std::to_string(index) + "]";
    if (!reader_.knows(item)) return generated_;
    return reader_.locate(key.empty() ? item : item + "." + key, generated_);
}

std::string RecordLocator::path(const std::string& list, const std::string& id,
                                const std::string& key) {
    return list + "[" + id + "]" + (key.empty() ? "" : "." + key);
}

namespace {

/// Where an id was first defined.
struct IdEntry {
    std::string list;
    std::size_t index;
};
using IdTable = std::map<std::string, IdEntry>;

class CrossChecker {
  public:
    CrossChecker(Scenario& s, Reader& r) : s_(s), r_(r), at_(r, s.synthetic.has_value()) {}

    void run() {
        counts();
        build_ids();
        township_and_village_refs();
        road_refs();
        facility_refs();
        referral_refs();
        episode_refs();
        network_refs();
        policy_refs();
        if (!r_.has_errors()) reachability();
        lead();
        run_length();
        if (!r_.has_errors()) check_referral_rules(s_, r_, at_);
        if (!r_.has_errors()) check_sent_down(s_, r_);
    }

  private:
    void error(const std::string& list, std::size_t i, const std::string& id,
               const std::string& key, std::string message, std::string hint = {}) {
        r_.report(at_.where(list, i, key), RecordLocator::path(list, id, key), std::move(message),
                  std::move(hint));
    }

    void counts() {
        const SourceRef top = r_.locate("", SourceRef{r_.file(), 0, 0});
        if (s_.conditions.empty()) {
            r_.report(top, "conditions", "no conditions", "list at least one condition group");
        }
        if (s_.villages.empty()) {
            r_.report(top, "villages", "no villages", "list villages or give a synthetic_county");
        }
        if (s_.facilities.empty()) {
            r_.report(top, "facilities", "no facilities", "list at least one facility");
        }
    }

    template <class Record>
    void add_ids(IdTable& table, const std::vector<Record>& records, const std::string& list,
                 const std::string& shared_note) {
        for (std::size_t i = 0; i < records.size(); ++i) {
            auto [it, fresh] = table.emplace(records[i].id, IdEntry{list, i});
            if (fresh) continue;
            const SourceRef first = at_.where(it->second.list, it->second.index);
            error(list, i, records[i].id, "id", "duplicate id '" + records[i].id + "'",
                  "first used by " + it->second.list + " at line " + std::to_string(first.line) +
                      shared_note);
        }
    }

    void build_ids() {
        add_ids(places_, s_.places, "places", "; places and villages share ids");
        add_ids(places_, s_.villages, "villages", "; places and villages share ids");
        add_ids(townships_, s_.townships, "townships", "");
        add_ids(facilities_, s_.facilities, "facilities", "");
        add_ids(conditions_, s_.conditions, "conditions", "");
    }

    static std::vector<std::string> names(const IdTable& table) {
        std::vector<std::string> out;
        for (const auto& [id, entry] : table) out.push_back(id);
        return out;
    }

    /// Reports `value` (when non-empty) if it is not an id of `table`.
    bool known(const IdTable& table, const std::string& kind, const std::string& value,
               const std::string& list, std::size_t i, const std::string& id,
               const std::string& key) {
        if (value.empty() || table.count(value)) return true;
        error(list, i, id, key, "unknown " + kind + " '" + value + "'",
              util::did_you_mean(value, names(table)));
        return false;
    }

    void network_refs() {
        IdTable seen;
        for (std::size_t i = 0; i < s_.network.stations.size(); ++i) {
            const auto& st = s_.network.stations[i];
            if (!known(facilities_, "facility", st.facility, "queueing_network.stations", i,
                       st.facility, "facility"))
                continue;
            if (!seen.emplace(st.facility, IdEntry{"queueing_network.stations", i}).second) {
                error("queueing_network.stations", i, st.facility, "facility",
                      "facility '" + st.facility + "' is already a station",
                      "list each station once");
            }
        }
        for (std::size_t i = 0; i < s_.network.stations.size(); ++i) {
            const auto& st = s_.network.stations[i];
            for (const auto& [to, prob] : st.routes) {
                if (!seen.count(to)) {
                    error("queueing_network.stations", i, st.facility, "routes",
                          "route to '" + to + "', which is not a station",
                          util::did_you_mean(to, names(seen)));
                }
            }
        }
    }

    void episode_refs() {
        IdTable villages;
        add_ids(villages, s_.villages, "villages", "");
        for (std::size_t i = 0; i < s_.episodes.size(); ++i) {
            const auto& e = s_.episodes[i];
            const std::string id = std::to_string(i);
            known(villages, "village", e.village, "episodes", i, id, "village");
            known(conditions_, "condition", e.condition, "episodes", i, id, "condition");
            if (e.at >= static_cast<sim::SimTime>(
                            std::llround((s_.warmup_days + s_.horizon_days) * 86400.0))) {
                error("episodes", i, id, "day", "starts after the end of the run",
                      "keep day below warmup_days + horizon_days");
            }
        }
    }

    void township_and_village_refs() {
        for (std::size_t i = 0; i < s_.townships.size(); ++i) {
            const auto& t = s_.townships[i];
            known(places_, "place", t.seat, "townships", i, t.id, "seat");
        }
        for (std::size_t i = 0; i < s_.villages.size(); ++i) {
            const auto& v = s_.villages[i];
            known(townships_, "township", v.township, "villages", i, v.id, "township");
        }
    }

    void road_refs() {
        for (std::size_t i = 0; i < s_.roads.size(); ++i) {
            const auto& road = s_.roads[i];
            const std::string label = std::to_string(i);
            known(places_, "place", road.from, "roads", i, label, "from");
            known(places_, "place", road.to, "roads", i, label, "to");
        }
    }

    void facility_refs() {
        for (std::size_t i = 0; i < s_.facilities.size(); ++i) {
            const Facility& f = s_.facilities[i];
            known(places_, "place", f.place, "facilities", i, f.id, "place");
            const bool township_ok =
                known(townships_, "township", f.township, "facilities", i, f.id, "township");
            bool village_ok = true;
            if (!f.village.empty()) {
                auto it = places_.find(f.village);
                village_ok = it != places_.end() && it->second.list == "villages";
                if (!village_ok) {
                    error("facilities", i, f.id, "village", "unknown village '" + f.village + "'",
                          util::did_you_mean(f.village, village_ids()));
                }
            }
            facility_links(i, township_ok && village_ok);
            for (const char* key : {"also_treats", "cannot_treat"}) {
                const auto& ids =
                    std::string(key) == "also_treats" ? f.also_treats : f.cannot_treat;
                for (std::size_t j = 0; j < ids.size(); ++j) {
                    known(conditions_, "condition", ids[j], "facilities", i, f.id,
                          std::string(key) + "[" + std::to_string(j) + "]");
                }
            }
        }
    }

    std::vector<std::string> village_ids() const {
        std::vector<std::string> out;
        for (const auto& v : s_.villages) out.push_back(v.id);
        return out;
    }

    /// A village clinic names its village and township, a township center its township, and a
    /// clinic's village lies in the clinic's township.
    void facility_links(std::size_t i, bool refs_ok) {
        const Facility& f = s_.facilities[i];
        if (f.level == Level::Village && f.village.empty()) {
            error("facilities", i, f.id, "", "a village clinic must name its village",
                  "add village: <village id>");
        }
        if ((f.level == Level::Village || f.level == Level::Township) && f.township.empty()) {
            error("facilities", i, f.id, "",
                  std::string("a ") + to_string(f.level) + " facility must name its township",
                  "add township: <township id>");
        }
        if (!refs_ok || f.village.empty() || f.township.empty()) return;
        const Village& v = s_.villages[places_.at(f.village).index];
        if (townships_.count(v.township) && v.township != f.township) {
            error("facilities", i, f.id, "township",
                  "village '" + v.id + "' is in township '" + v.township + "', not '" + f.township +
                      "'",
                  "make the facility's township match its village");
        }
    }

    void referral_refs() {
        std::vector<std::string> from_names = names(facilities_);
        from_names.insert(from_names.end(), {"village", "township", "county"});
        std::vector<std::string> to_names = names(facilities_);
        to_names.push_back("home_township");
        for (std::size_t i = 0; i < s_.referral.rules.size(); ++i) {
            const ReferralRule& rule = s_.referral.rules[i];
            const std::string label = std::to_string(i);
            auto check = [&](const std::string& value, const std::vector<std::string>& allowed,
                             const char* key, const char* kind) {
                if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
                r_.report(at_.where("referral.rules", i, key),
                          RecordLocator::path("referral.rules", label, key),
                          std::string("unknown ") + kind + " '" + value + "'",
                          util::did_you_mean(value, allowed));
            };
            check(rule.from, from_names, "from", "facility or level");
            check(rule.to, to_names, "to", "facility");
        }
    }

    /// Reports `value` if it is not an id of `table`; `path` is canonical (list indices).
    void known_at(const IdTable& table, const std::string& kind, const std::string& value,
                  const std::string& path) {
        if (table.count(value)) return;
        r_.report(r_.locate(path, r_.locate("", SourceRef{r_.file(), 0, 0})), path,
                  "unknown " + kind + " '" + value + "'", util::did_you_mean(value, names(table)));
    }

    static std::string item(const std::string& list, std::size_t j) {
        return list + "[" + std::to_string(j) + "]";
    }

    void payment_refs(const ProviderPayment& pay) {
        for (const auto& [id, rates] : pay.case_rates) {
            known_at(conditions_, "condition", id, "policy.payment.case_rates." + id);
        }
        for (const auto& [id, points] : pay.points) {
            known_at(conditions_, "condition", id, "policy.payment.points." + id);
        }
        for (const auto& [id, rates] : pay.per_diem) {
            known_at(conditions_, "condition", id, "policy.payment.per_diem." + id);
        }
        const auto& where = pay.invest.facilities;
        for (std::size_t j = 0; j < where.size(); ++j) {
            const std::string path = item("policy.payment.invest.facilities", j);
            known_at(facilities_, "facility", where[j], path);
            const auto it = facilities_.find(where[j]);
            if (it == facilities_.end()) continue;
            const Facility& f = s_.facilities[it->second.index];
            if (f.level != Level::External && f.alliance) continue;
            r_.report(r_.locate(path, r_.locate("", SourceRef{r_.file(), 0, 0})), path,
                      "'" + f.id +
                          "' is not an alliance facility in the county: the alliance "
                          "invests its surplus in its own facilities",
                      "name a county, township or village facility of the alliance");
        }
    }

    /// Chronic-disease management, the medicine lists, the emergency pathway and the exams name
    /// conditions (and the pathway's centers and the exam centers facilities).
    void reform_refs() {
        const Policy& p = s_.policy;
        for (std::size_t j = 0; j < p.chronic.acute_conditions.size(); ++j) {
            known_at(conditions_, "condition", p.chronic.acute_conditions[j],
                     item("policy.chronic_management.acute_conditions", j));
        }
        if (!p.chronic.condition.empty()) {
            known_at(conditions_, "condition", p.chronic.condition,
                     "policy.chronic_management.condition");
        }
        for (const auto& [id, shares] : p.medicines.availability) {
            known_at(conditions_, "condition", id, "policy.medicine_list.availability." + id);
        }
        const auto& e = p.emergency;
        for (std::size_t j = 0; j < e.conditions.size(); ++j) {
            known_at(conditions_, "condition", e.conditions[j],
                     item("policy.emergency_pathway.conditions", j));
        }
        for (std::size_t j = 0; j < e.centers.size(); ++j) {
            known_at(facilities_, "facility", e.centers[j],
                     item("policy.emergency_pathway.centers", j));
        }
        for (std::size_t j = 0; j < p.exam_centers.size(); ++j) {
            known_at(facilities_, "facility", p.exam_centers[j].facility,
                     item("policy.exam_centers", j) + ".facility");
        }
        for (std::size_t j = 0; j < p.exams.size(); ++j)
            known_at(conditions_, "condition", p.exams[j].condition,
                     item("policy.exams", j) + ".condition");
    }

    /// Home beds name township centers and conditions.
    void home_bed_refs(const HomeBeds& h) {
        for (std::size_t j = 0; j < h.conditions.size(); ++j)
            known_at(conditions_, "condition", h.conditions[j],
                     item("policy.home_beds.conditions", j));
        for (std::size_t j = 0; j < h.facilities.size(); ++j) {
            const std::string path = item("policy.home_beds.facilities", j);
            known_at(facilities_, "facility", h.facilities[j], path);
            const auto it = facilities_.find(h.facilities[j]);
            if (it == facilities_.end()) continue;
            const Facility& f = s_.facilities[it->second.index];
            if (f.level == Level::Township) continue;
            r_.report(r_.locate(path, r_.locate("", SourceRef{r_.file(), 0, 0})), path,
                      "'" + f.id + "' is a " + to_string(f.level) +
                          " facility: home beds are a township center's service",
                      "name township facilities, or set all_townships: true");
        }
    }

    void policy_refs() {
        const Policy& p = s_.policy;
        home_bed_refs(p.home_beds);
        for (std::size_t j = 0; j < p.stationed.also_treats.size(); ++j) {
            known_at(conditions_, "condition", p.stationed.also_treats[j],
                     item("policy.stationed_physicians.also_treats", j));
        }
        for (std::size_t j = 0; j < p.remote.conditions.size(); ++j) {
            known_at(conditions_, "condition", p.remote.conditions[j],
                     item("policy.remote_consultation.conditions", j));
        }
        reform_refs();
        payment_refs(p.payment);
        for (const auto& cover : s_.insurance.by_condition) {
            known_at(conditions_, "condition", cover.condition,
                     "insurance.by_condition." + cover.condition);
        }
        const std::string list = "policy.facility_changes";
        for (std::size_t i = 0; i < p.changes.size(); ++i) {
            const FacilityChange& ch = p.changes[i];
            const std::string label = std::to_string(i);
            for (std::size_t j = 0; j < ch.facilities.size(); ++j) {
                const std::string key = item("facilities", j);
                if (!known(facilities_, "facility", ch.facilities[j], list, i, label, key))
                    continue;
                const Facility& f = s_.facilities[facilities_.at(ch.facilities[j]).index];
                if (!ch.sub_center.value_or(false) || f.level == Level::Township) continue;
                error(list, i, label, key,
                      "only township facilities can become sub-centers; '" + f.id + "' is a " +
                          to_string(f.level) + " facility",
                      "remove it from this change or drop sub_center");
            }
            for (std::size_t j = 0; j < ch.also_treats.size(); ++j) {
                known(conditions_, "condition", ch.also_treats[j], list, i, label,
                      item("also_treats", j));
            }
        }
    }

    void reachability();
    void lead();
    void run_length();

    Scenario& s_;
    Reader& r_;
    RecordLocator at_;
    IdTable places_, townships_, facilities_, conditions_;
};

/// Union-find over place indices, with path halving.
std::size_t root_of(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

void CrossChecker::reachability() {
    std::map<std::string, std::size_t> index;
    std::vector<IdEntry> order;
    for (const auto& [id, entry] : places_) {
        index.emplace(id, order.size());
        order.push_back(entry);
    }
    // File order, so that "unreachable from" names the first place listed.
    std::vector<std::size_t> by_file(order.size());
    std::iota(by_file.begin(), by_file.end(), 0);
    std::stable_sort(by_file.begin(), by_file.end(), [&](std::size_t a, std::size_t b) {
        return std::pair(order[a].list != "places", order[a].index) <
               std::pair(order[b].list != "places", order[b].index);
    });
    std::vector<std::size_t> parent(order.size());
    std::iota(parent.begin(), parent.end(), 0);
    for (const auto& road : s_.roads) {
        parent[root_of(parent, index.at(road.from))] = root_of(parent, index.at(road.to));
    }
    if (by_file.empty()) return;
    auto id_of = [&](std::size_t i) {
        const auto& e = order[i];
        return e.list == "places" ? s_.places[e.index].id : s_.villages[e.index].id;
    };
    const std::size_t home = root_of(parent, by_file.front());
    std::vector<bool> reported(order.size(), false);
    for (std::size_t i : by_file) {
        const std::size_t root = root_of(parent, i);
        if (root == home || reported[root]) continue;
        reported[root] = true;
        error(order[i].list, order[i].index, id_of(i), "",
              "place '" + id_of(i) + "' cannot be reached by road from '" + id_of(by_file.front()) +
                  "'",
              "add a road linking '" + id_of(i) + "' to the rest of the county");
    }
}

void CrossChecker::lead() {
    std::vector<std::size_t> county, leads;
    for (std::size_t i = 0; i < s_.facilities.size(); ++i) {
        const Facility& f = s_.facilities[i];
        if (f.level == Level::County && f.alliance) county.push_back(i);
        if (f.lead) leads.push_back(i);
    }
    if (county.empty() || !s_.alliances.empty()) return;  // the alliances name their leads
    if (leads.empty() && county.size() == 1) {
        s_.facilities[county.front()].lead = true;
    } else if (leads.empty()) {
        std::string list;
        for (std::size_t i : county) list += (list.empty() ? "" : ", ") + s_.facilities[i].id;
        error("facilities", county.front(), s_.facilities[county.front()].id, "",
              "no lead hospital among the county alliance facilities " + list,
              "mark one of them with lead: true");
    } else if (leads.size() > 1) {
        std::string list;
        for (std::size_t i : leads) list += (list.empty() ? "" : ", ") + s_.facilities[i].id;
        error("facilities", leads[1], s_.facilities[leads[1]].id, "lead",
              "more than one lead hospital: " + list, "mark exactly one with lead: true");
    }
}

void CrossChecker::run_length() {
    constexpr double kLongestRunDays = 36500;
    if (s_.warmup_days + s_.horizon_days <= kLongestRunDays) return;
    r_.report(r_.locate("warmup_days", SourceRef{r_.file(), 0, 0}), "warmup_days",
              "warm-up plus horizon is " + format_number(s_.warmup_days + s_.horizon_days) +
                  " days, more than 100 years",
              "both are in days; shorten the warm-up or the horizon");
}

}  // namespace

void check_cross_references(Scenario& s, Reader& r) {
    CrossChecker(s, r).run();
}

}  // namespace cmasim::scenario::detail
