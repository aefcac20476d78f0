#include "cmasim/report/summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "cmasim/indicators/table.h"
#include "cmasim/report/manifest.h"

namespace cmasim::report {

namespace {

/// Values of one series, collected in replication order.
struct Series {
    std::vector<double> values;
};

/// Series keyed by some K, kept in first-seen order.
template <class K>
class OrderedSeries {
  public:
    /// Append `value` to the series for `key` (creating it if new). Returns false if `key`
    /// was already added during replication `replication`.
    bool add(const K& key, double value, std::uint64_t replication) {
        auto [it, inserted] = index_.try_emplace(key, keys_.size());
        if (inserted) {
            keys_.push_back(key);
            series_.emplace_back();
            last_replication_.push_back(replication);
        } else if (last_replication_[it->second] == replication) {
            return false;
        }
        last_replication_[it->second] = replication;
        if (std::isfinite(value)) series_[it->second].values.push_back(value);
        return true;
    }
    const std::vector<K>& keys() const { return keys_; }
    const Series& series(std::size_t i) const { return series_[i]; }

  private:
    std::map<K, std::size_t> index_;
    std::vector<K> keys_;
    std::vector<Series> series_;
    std::vector<std::uint64_t> last_replication_;
};

using GroupKey = std::tuple<std::string, std::string, std::string>;

[[noreturn]] void throw_duplicate(std::uint64_t replication, const std::string& what) {
    throw std::invalid_argument("replication " + std::to_string(replication) + " reports " + what +
                                " twice");
}

void collect(const indicators::ReplicationResult& r, OrderedSeries<std::string>& county,
             OrderedSeries<GroupKey>& groups) {
    for (const auto& row : r.county) {
        if (!county.add(row.indicator, row.value, r.replication)) {
            throw_duplicate(r.replication, "county indicator '" + row.indicator + "'");
        }
    }
    for (const auto& row : r.groups) {
        if (!groups.add({row.dimension, row.group, row.indicator}, row.value, r.replication)) {
            throw_duplicate(r.replication, "'" + row.indicator + "' for " + row.dimension + " '" +
                                               row.group + "'");
        }
    }
}

TargetResult judge_target(const scenario::Target& target,
                          const std::vector<CountyEstimate>& county) {
    TargetResult result{target, std::nullopt, TargetVerdict::Undecided, ""};
    const auto it = std::find_if(county.begin(), county.end(), [&](const CountyEstimate& c) {
        return c.indicator == target.indicator;
    });
    if (it == county.end()) {
        result.note = "indicator '" + target.indicator + "' was not reported by the model";
        return result;
    }
    result.estimate = it->estimate;
    result.verdict = judge(it->estimate, target.min, target.max);
    if (it->estimate.n == 0) {
        result.note = "no replication gave a defined value";
    } else if (it->estimate.n == 1) {
        result.note = "one replication only: no confidence interval";
    } else if (!target.min && !target.max) {
        result.note = "target has no bound";
    }
    return result;
}

/// The first name each named group carries, in first-seen order.
std::vector<GroupName> group_names(const std::vector<const indicators::ReplicationResult*>& order) {
    std::vector<GroupName> names;
    std::set<std::pair<std::string, std::string>> seen;
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->groups) {
            if (!row.name.empty() && seen.insert({row.dimension, row.group}).second)
                names.push_back({row.dimension, row.group, row.name});
        }
    }
    return names;
}

}  // namespace

std::vector<const indicators::ReplicationResult*> in_replication_order(
    const std::vector<indicators::ReplicationResult>& results) {
    std::vector<const indicators::ReplicationResult*> order;
    order.reserve(results.size());
    for (const auto& r : results) order.push_back(&r);
    std::stable_sort(
        order.begin(), order.end(),
        [](const indicators::ReplicationResult* a, const indicators::ReplicationResult* b) {
            return a->replication < b->replication;
        });
    const auto dup = std::adjacent_find(
        order.begin(), order.end(),
        [](const indicators::ReplicationResult* a, const indicators::ReplicationResult* b) {
            return a->replication == b->replication;
        });
    if (dup != order.end()) {
        throw std::invalid_argument("replication " + std::to_string((*dup)->replication) +
                                    " appears twice in the results");
    }
    return order;
}

RunInfo run_info(const scenario::Scenario& scenario, const std::string& file,
                 const std::string& scenario_sha256) {
    return {scenario.name,         file,
            scenario.seed,         scenario.replications,
            scenario.horizon_days, scenario.warmup_days,
            CMASIM_VERSION,        build_info().commit,
            scenario_sha256};
}

Estimate indicator_estimate(std::string_view indicator, std::span<const double> values,
                            double confidence) {
    Estimate e = estimate(values, confidence);
    const indicators::Range range = indicators::range(indicator);
    // A NaN bound (no interval) compares false and stays NaN.
    if (e.ci_low < range.low) e.ci_low = range.low;
    if (e.ci_high > range.high) e.ci_high = range.high;
    return e;
}

Summary summarise(RunInfo run, const std::vector<indicators::ReplicationResult>& results,
                  const std::vector<scenario::Target>& targets, double confidence) {
    OrderedSeries<std::string> county;
    OrderedSeries<GroupKey> groups;
    const auto order = in_replication_order(results);
    for (const indicators::ReplicationResult* r : order) collect(*r, county, groups);

    Summary s;
    s.run = std::move(run);
    s.confidence = confidence;
    for (std::size_t i = 0; i < county.keys().size(); ++i) {
        s.county.push_back(
            {county.keys()[i],
             indicator_estimate(county.keys()[i], county.series(i).values, confidence)});
    }
    for (std::size_t i = 0; i < groups.keys().size(); ++i) {
        const auto& [dimension, group, indicator] = groups.keys()[i];
        s.groups.push_back({dimension, group, indicator,
                            indicator_estimate(indicator, groups.series(i).values, confidence)});
    }
    for (const auto& target : targets) s.targets.push_back(judge_target(target, s.county));
    s.group_names = group_names(order);
    return s;
}

}  // namespace cmasim::report
