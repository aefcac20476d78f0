// The schema of `alliances:`, a county with more than one medical alliance (docs/model.md,
// "More than one alliance"), and the checks that need the whole scenario.
#include <map>
#include <set>

#include "checks.h"
#include "fields.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

const RecordSchema<Alliance>& alliance_schema() {
    using A = Alliance;
    static const RecordSchema<Alliance> schema{
        {text("id", &A::id).required().describe("unique id of the alliance"),
         text("name", &A::name).default_text("the id").describe("name shown in reports"),
         one_of("kind", &A::kind,
                {{"general", A::Kind::General},
                 {"tcm", A::Kind::Tcm},
                 {"综合", A::Kind::General},
                 {"中医", A::Kind::Tcm}})
             .describe("general, or tcm: led by a traditional Chinese medicine county hospital "
                       "(云南 (二)); the model treats its care like any other"),
         text("lead", &A::lead)
             .required()
             .describe("id of the county-level alliance facility that leads it"),
         text_list("townships", &A::townships)
             .describe("township ids whose residents it is responsible for (its budget); their "
                       "village clinics and township centers are its members"),
         text_list("members", &A::members)
             .describe("further member facilities, e.g. a county hospital that is its "
                       "sub-center; the lead is a member without being listed")},
        [](const YAML::Node& map, A& a, Reader& r) {
            a.source = r.where(map);
            if (a.name.empty()) a.name = a.id;
        }};
    return schema;
}

namespace {

class AllianceCheck {
  public:
    AllianceCheck(Scenario& s, Reader& r) : s_(s), r_(r) {
        for (std::size_t i = 0; i < s.facilities.size(); ++i)
            facility_.emplace(s.facilities[i].id, i);
        for (const auto& t : s.townships) townships_.insert(t.id);
    }

    void run() {
        for (std::size_t a = 0; a < s_.alliances.size(); ++a) {
            const Alliance& al = s_.alliances[a];
            if (!ids_.insert(al.id).second)
                error(a, "id", "alliance id '" + al.id + "' is used twice", "give each its own id");
            lead(a);
            for (std::size_t j = 0; j < al.townships.size(); ++j) township(a, j);
            for (std::size_t j = 0; j < al.members.size(); ++j) member(a, j);
        }
        terms(s_, "policy.payment");
        for (std::size_t k = 0; k < s_.timeline.size(); ++k)
            if (s_.timeline[k].scenario)
                terms(*s_.timeline[k].scenario,
                      "timeline[" + std::to_string(k) + "].policy.payment");
        if (r_.has_errors()) return;
        for (std::size_t i = 0; i < s_.facilities.size(); ++i) unassigned(i);
        stray_leads();
    }

  private:
    void error(std::size_t a, const std::string& key, std::string message, std::string hint) {
        const std::string path = "alliances[" + std::to_string(a) + "]." + key;
        r_.report(r_.locate(path, s_.alliances[a].source),
                  "alliances[" + s_.alliances[a].id + "]." + key, std::move(message),
                  std::move(hint));
    }

    std::vector<std::string> facility_ids() const {
        std::vector<std::string> ids;
        for (const auto& f : s_.facilities) ids.push_back(f.id);
        return ids;
    }

    /// Claims facility i for alliance a; a second claim is an error.
    void claim(std::size_t i, std::size_t a, const std::string& key) {
        const auto [at, fresh] = owner_.emplace(i, a);
        if (fresh || at->second == a) return;
        error(a, key,
              "facility '" + s_.facilities[i].id + "' is already in alliance '" +
                  s_.alliances[at->second].id + "'",
              "every alliance facility belongs to exactly one alliance; remove it from one");
    }

    void lead(std::size_t a) {
        const Alliance& al = s_.alliances[a];
        const auto it = facility_.find(al.lead);
        if (it == facility_.end()) {
            error(a, "lead", "unknown facility '" + al.lead + "'",
                  util::did_you_mean(al.lead, facility_ids()));
            return;
        }
        const Facility& f = s_.facilities[it->second];
        if (f.level != Level::County || !f.alliance) {
            error(a, "lead",
                  "'" + f.id + "' is a " + to_string(f.level) +
                      (f.alliance ? "" : " non-alliance") +
                      " facility: a lead must be a county-level "
                      "alliance facility",
                  al.kind == Alliance::Kind::Tcm ? "name the county TCM hospital"
                                                 : "name a county hospital");
            return;
        }
        claim(it->second, a, "lead");
    }

    void township(std::size_t a, std::size_t j) {
        const std::string& t = s_.alliances[a].townships[j];
        const std::string key = "townships[" + std::to_string(j) + "]";
        if (!townships_.count(t)) {
            std::vector<std::string> ids(townships_.begin(), townships_.end());
            error(a, key, "unknown township '" + t + "'", util::did_you_mean(t, ids));
            return;
        }
        const auto [at, fresh] = township_owner_.emplace(t, a);
        if (!fresh) {
            error(
                a, key,
                "township '" + t + "' is already in alliance '" + s_.alliances[at->second].id + "'",
                "a township belongs to at most one alliance; remove it from one");
            return;
        }
        for (std::size_t i = 0; i < s_.facilities.size(); ++i) {
            const Facility& f = s_.facilities[i];
            if (f.alliance && f.township == t && f.level <= Level::Township) claim(i, a, key);
        }
    }

    void member(std::size_t a, std::size_t j) {
        const std::string& id = s_.alliances[a].members[j];
        const std::string key = "members[" + std::to_string(j) + "]";
        const auto it = facility_.find(id);
        if (it == facility_.end()) {
            error(a, key, "unknown facility '" + id + "'", util::did_you_mean(id, facility_ids()));
        } else if (!s_.facilities[it->second].alliance) {
            error(a, key, "'" + id + "' is not an alliance facility",
                  "remove it here, or drop alliance: false from it");
        } else {
            claim(it->second, a, key);
        }
    }

    /// The rules the model settles on the whole county only: a retained surplus's investment
    /// (the engine's settlement) and DIP points.
    void terms(const Scenario& period, const std::string& key) {
        const ProviderPayment& pay = period.policy.payment;
        const SourceRef at = r_.locate(key, s_.alliances.front().source);
        if (pay.mode == PaymentMode::DipPoints) {
            r_.report(at, key + ".mode",
                      "DIP points are settled county-wide: the model cannot price them per "
                      "alliance",
                      "use mode: global_budget with alliances, or drop alliances:");
        }
        if (pay.invest.share > 0) {
            r_.report(at, key + ".invest",
                      "the investment of a retained surplus is not modelled per alliance",
                      "drop invest, or drop alliances:");
        }
    }

    /// An alliance facility in no alliance: its residents' budget would be nobody's.
    void unassigned(std::size_t i) {
        const Facility& f = s_.facilities[i];
        if (!f.alliance || owner_.count(i)) return;
        r_.report(f.source, "facilities[" + f.id + "].alliance",
                  "alliance facility '" + f.id + "' is in none of the alliances",
                  f.level <= Level::Township
                      ? "add its township '" + f.township + "' to an alliance's townships"
                      : "add it to an alliance's members, or set alliance: false");
    }

    /// With `alliances:` the alliances name their leads; lead: true elsewhere contradicts them.
    void stray_leads() {
        for (const auto& f : s_.facilities) {
            bool leads = false;
            for (const auto& al : s_.alliances) leads |= al.lead == f.id;
            if (f.lead && !leads) {
                r_.report(f.source, "facilities[" + f.id + "].lead",
                          "'" + f.id + "' has lead: true but leads none of the alliances",
                          "remove lead: true; each alliance names its lead");
            }
        }
        for (auto& f : s_.facilities) {
            for (const auto& al : s_.alliances) f.lead |= al.lead == f.id;
        }
    }

    Scenario& s_;
    Reader& r_;
    std::map<std::string, std::size_t> facility_;
    std::set<std::string> townships_, ids_;
    std::map<std::size_t, std::size_t> owner_;  // facility -> alliance
    std::map<std::string, std::size_t> township_owner_;
};

}  // namespace

void check_alliances(Scenario& s, Reader& r) {
    if (!s.alliances.empty()) AllianceCheck(s, r).run();
}

}  // namespace cmasim::scenario::detail
