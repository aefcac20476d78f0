// The loader's check of the doctors sent down: each source exists, has doctors to count (not
// unlimited) and keeps at least one after sending its stationed physicians and circuit-clinic
// doctor-hours (sent_down.h; the model withdraws the same number in county_policy.cpp).
#include <algorithm>
#include <map>
#include <vector>

#include "checks.h"
#include "cmasim/scenario/sent_down.h"
#include "cmasim/util/did_you_mean.h"

namespace cmasim::scenario::detail {
namespace {

struct Sent {
    int stationed = 0;
    double circuit_hours = 0;
    std::string key;  ///< the key path that chose this source, for the message
};

/// A facility's doctors and opening after the facility changes that select it.
std::pair<int, Opening> after_changes(const Scenario& s, const Facility& f) {
    int doctors = f.doctors;
    Opening opening = f.opening;
    for (const auto& ch : s.policy.changes) {
        const bool listed =
            std::find(ch.facilities.begin(), ch.facilities.end(), f.id) != ch.facilities.end();
        if (!(listed || (ch.facilities.empty() && ch.level && *ch.level == f.level))) continue;
        doctors += ch.add_doctors;
        if (ch.opening) opening = *ch.opening;
    }
    return {doctors, opening};
}

class SentDownCheck {
  public:
    SentDownCheck(const Scenario& s, Reader& r) : s_(s), r_(r) {
        for (std::size_t i = 0; i < s.facilities.size(); ++i) index_.emplace(s.facilities[i].id, i);
    }

    void run() {
        const auto& st = s_.policy.stationed;
        const auto& circuit = s_.policy.circuit;
        const double hours = circuit_hours_per_week(circuit);
        for (const auto& f : s_.facilities) {
            if (f.level == Level::Township && st.per_township > 0) {
                if (auto* to = source(st.source, "policy.stationed_physicians.source", f, false))
                    to->stationed += st.per_township;
            }
            if (circuit.enabled && f.level == circuit.level && !f.unlimited) {
                if (auto* to = source(circuit.source, "policy.circuit_clinics.source", f, true))
                    to->circuit_hours += hours;
            }
        }
        for (const auto& [id, sent] : sent_) enough_doctors(s_.facilities[index_.at(id)], sent);
    }

  private:
    /// The tally of the facility that sends doctors to `to`; nullptr after an error.
    Sent* source(const std::string& name, const std::string& key, const Facility& to,
                 bool home_allowed) {
        std::string id = name.empty() ? default_source(s_, to.township) : name;
        if (home_allowed && name == kHomeTownship) id = home_center(to);
        if (id.empty() || !index_.count(id)) {
            complain(key, name, to);
            return nullptr;
        }
        Sent& sent = sent_[id];
        sent.key = key;
        return &sent;
    }

    std::string home_center(const Facility& to) const {
        for (const auto& f : s_.facilities) {
            if (f.level == Level::Township && f.township == to.township && f.id != to.id)
                return f.id;
        }
        return {};
    }

    void complain(const std::string& key, const std::string& name, const Facility& to) {
        if (reported_.count(key)) return;
        reported_.insert({key, true});
        const SourceRef at = r_.locate(key, r_.locate("", SourceRef{r_.file(), 0, 0}));
        if (name.empty()) {
            r_.report(at, key, "no lead hospital to send the doctors to '" + to.id + "' from",
                      "name a source facility, e.g. source: county_hospital, or put its "
                      "township in an alliance");
        } else if (name == kHomeTownship) {
            r_.report(at, key, "'" + to.id + "' has no township center to send its doctors",
                      "name a source facility instead of home_township");
        } else {
            std::vector<std::string> ids;
            for (const auto& f : s_.facilities) ids.push_back(f.id);
            if (key.find("circuit") != std::string::npos) ids.push_back(kHomeTownship);
            r_.report(at, key, "unknown facility '" + name + "'", util::did_you_mean(name, ids));
        }
    }

    void enough_doctors(const Facility& f, const Sent& sent) {
        const SourceRef at = r_.locate(sent.key, r_.locate("", SourceRef{r_.file(), 0, 0}));
        if (f.unlimited) {
            r_.report(at, sent.key, "'" + f.id + "' is unlimited: it has no doctors to send",
                      "name a facility with a number of doctors");
            return;
        }
        const auto [doctors, opening] = after_changes(s_, f);
        const int sent_down =
            doctors_sent_down(sent.stationed, sent.circuit_hours, weekly_open_hours(opening));
        if (sent_down < doctors) return;
        r_.report(at, sent.key,
                  "'" + f.id + "' would send " + std::to_string(sent_down) + " of its " +
                      std::to_string(doctors) + " doctors down (" + std::to_string(sent.stationed) +
                      " stationed, " + format_number(sent.circuit_hours) +
                      " circuit-clinic doctor-hours a week), leaving none",
                  "send fewer, add doctors there, or name another source");
    }

    const Scenario& s_;
    Reader& r_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, Sent> sent_;
    std::map<std::string, bool> reported_;
};

}  // namespace

void check_sent_down(const Scenario& s, Reader& r) {
    SentDownCheck(s, r).run();
}

}  // namespace cmasim::scenario::detail
