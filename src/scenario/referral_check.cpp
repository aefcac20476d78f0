// Referral rules must never loop. The rules are resolved to a concrete facility -> facility
// graph (a facility's own rule overrides its level's; home_township resolves per clinic) and
// every cycle a depth-first search finds is reported with its path.
#include <map>
#include <set>

#include "checks.h"

namespace cmasim::scenario::detail {

namespace {

struct Edge {
    std::size_t to;    ///< facility index
    std::size_t rule;  ///< rule index
};

class ReferralGraph {
  public:
    ReferralGraph(const Scenario& s, Reader& r, const RecordLocator& at)
        : s_(s), r_(r), at_(at), edges_(s.facilities.size()) {
        for (std::size_t i = 0; i < s.facilities.size(); ++i) index_[s.facilities[i].id] = i;
        for (std::size_t f = 0; f < s.facilities.size(); ++f) {
            for (std::size_t rule : rules_for(s.facilities[f])) add_edges(f, rule);
        }
    }

    void report_cycles() {
        std::vector<int> colour(edges_.size(), 0);  // 0 unseen, 1 on the stack, 2 done
        std::vector<std::size_t> stack;
        for (std::size_t f = 0; f < edges_.size(); ++f) {
            if (colour[f] == 0) visit(f, colour, stack);
        }
    }

  private:
    /// The facility's own rules if it has any, else the rules of its level.
    std::vector<std::size_t> rules_for(const Facility& f) const {
        std::vector<std::size_t> own, by_level;
        for (std::size_t i = 0; i < s_.referral.rules.size(); ++i) {
            const std::string& from = s_.referral.rules[i].from;
            if (from == f.id) own.push_back(i);
            if (from == to_string(f.level) && !index_.count(from)) by_level.push_back(i);
        }
        return own.empty() ? by_level : own;
    }

    void add_edges(std::size_t f, std::size_t rule) {
        const std::string& to = s_.referral.rules[rule].to;
        if (auto it = index_.find(to); it != index_.end()) {
            edges_[f].push_back(Edge{it->second, rule});
            return;
        }
        if (to != "home_township") return;  // unknown ids are reported elsewhere
        const Facility& from = s_.facilities[f];
        if (from.township.empty()) {
            rule_error(
                rule, "to",
                "'home_township' means nothing for '" + from.id + "', which serves no township",
                "refer it to a facility id");
            return;
        }
        bool found = false;
        for (std::size_t g = 0; g < s_.facilities.size(); ++g) {
            const Facility& t = s_.facilities[g];
            if (t.level != Level::Township || t.township != from.township) continue;
            edges_[f].push_back(Edge{g, rule});
            found = true;
        }
        if (!found && missing_reported_.insert({rule, from.township}).second) {
            rule_error(rule, "to",
                       "township '" + from.township +
                           "' has no township-level facility for 'home_township' (from '" +
                           from.id + "')",
                       "add a township facility there or refer to a facility id");
        }
    }

    void visit(std::size_t f, std::vector<int>& colour, std::vector<std::size_t>& stack) {
        colour[f] = 1;
        stack.push_back(f);
        for (const Edge& e : edges_[f]) {
            if (colour[e.to] == 0) {
                visit(e.to, colour, stack);
            } else if (colour[e.to] == 1) {
                report_loop(stack, e);
            }
        }
        stack.pop_back();
        colour[f] = 2;
    }

    void report_loop(const std::vector<std::size_t>& stack, const Edge& closing) {
        std::string path;
        bool on = false;
        for (std::size_t f : stack) {
            on = on || f == closing.to;
            if (on) path += s_.facilities[f].id + " -> ";
        }
        path += s_.facilities[closing.to].id;
        rule_error(closing.rule, "", "referral rules loop: " + path,
                   "a patient referred along these rules would never arrive; redirect one of "
                   "them up the levels");
    }

    void rule_error(std::size_t rule, const std::string& key, std::string message,
                    std::string hint) {
        r_.report(at_.where("referral.rules", rule, key),
                  RecordLocator::path("referral.rules", std::to_string(rule), key),
                  std::move(message), std::move(hint));
    }

    const Scenario& s_;
    Reader& r_;
    const RecordLocator& at_;
    std::map<std::string, std::size_t> index_;
    std::vector<std::vector<Edge>> edges_;
    std::set<std::pair<std::size_t, std::string>> missing_reported_;
};

}  // namespace

void check_referral_rules(const Scenario& s, Reader& r, const RecordLocator& at) {
    ReferralGraph(s, r, at).report_cycles();
}

}  // namespace cmasim::scenario::detail
