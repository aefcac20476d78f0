#include "cmasim/report/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cmasim/indicators/table.h"
#include "cmasim/report/manifest.h"
#include "cmasim/report/tables.h"
#include "cmasim/report/writers.h"
#include "cmasim/util/atomic_file.h"

namespace cmasim::report {
namespace {

using Values = std::map<std::uint64_t, double>;  // replication -> value

std::map<std::string, Values> by_indicator(
    const std::vector<indicators::ReplicationResult>& results) {
    std::map<std::string, Values> out;
    for (const auto& r : results) {
        for (const auto& v : r.county) {
            if (std::isfinite(v.value)) out[v.indicator][r.replication] = v.value;
        }
    }
    return out;
}

std::vector<double> values_of(const Values& v) {
    std::vector<double> out;
    for (const auto& [rep, x] : v) out.push_back(x);
    return out;
}

Estimate paired(const Values& base, const Values& other, double confidence) {
    std::vector<double> diff;
    for (const auto& [rep, x] : other) {
        auto it = base.find(rep);
        if (it != base.end()) diff.push_back(x - it->second);
    }
    return estimate(diff, confidence);
}

/// Every indicator any scenario reports, the base's first (a global-budget what-if against a
/// fee-for-service base adds the budget rows; the base then has n = 0 for them).
std::vector<std::string> reported_keys(const std::vector<ScenarioRun>& runs) {
    std::vector<std::string> keys;
    for (const auto& run : runs) {
        for (const auto& r : run.results) {
            for (const auto& row : r.county) {
                if (std::find(keys.begin(), keys.end(), row.indicator) == keys.end())
                    keys.push_back(row.indicator);
            }
        }
    }
    return keys;
}

/// One indicator in every scenario (tables[k]: scenario k's values by indicator), and each
/// scenario's difference from the base (scenario 0).
IndicatorComparison compare_indicator(const std::string& key,
                                      std::vector<std::map<std::string, Values>>& tables,
                                      bool is_paired, double confidence) {
    IndicatorComparison ic;
    ic.indicator = key;
    const Values& base = tables[0][key];
    for (std::size_t k = 0; k < tables.size(); ++k) {
        const Values& v = tables[k][key];
        ic.scenario.push_back(indicator_estimate(key, values_of(v), confidence));
        if (k == 0) {
            ic.difference.push_back(Estimate{});
        } else if (is_paired) {
            ic.difference.push_back(paired(base, v, confidence));
        } else {
            ic.difference.push_back(welch_difference(values_of(base), values_of(v), confidence));
        }
    }
    return ic;
}

}  // namespace

Comparison compare_runs(const std::vector<ScenarioRun>& runs, bool is_paired, double confidence) {
    if (runs.empty()) throw std::invalid_argument("compare: no scenarios");
    Comparison c;
    c.paired = is_paired;
    c.confidence = confidence;
    c.replications = static_cast<int>(runs[0].results.size());
    c.git_commit = build_info().commit;
    std::vector<std::map<std::string, Values>> tables;
    for (const auto& run : runs) {
        c.labels.push_back(run.label);
        c.files.push_back(run.file);
        c.seeds.push_back(run.seed);
        c.sha256.push_back(run.sha256);
        tables.push_back(by_indicator(run.results));
        RunInfo info{run.label, run.file, run.seed,  static_cast<int>(run.results.size()), 0, 0,
                     "",        "",       run.sha256};
        Summary summary = summarise(info, run.results, run.targets, confidence);
        c.targets.push_back(std::move(summary.targets));
        auto& months = c.months.emplace_back();
        for (auto& g : summary.groups) {
            if (g.dimension == "month") months.push_back(std::move(g));
        }
    }
    for (const auto& key : reported_keys(runs)) {
        c.indicators.push_back(compare_indicator(key, tables, is_paired, confidence));
    }
    return c;
}

namespace {

std::string fmt(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string interval(const Estimate& e, int decimals) {
    if (!e.has_interval()) return fmt(e.mean, decimals);
    return fmt(e.mean, decimals) + " [" + fmt(e.ci_low, decimals) + ", " +
           fmt(e.ci_high, decimals) + "]";
}

}  // namespace

void print_comparison(std::ostream& out, const Comparison& c) {
    const int pct = static_cast<int>(std::lround(c.confidence * 100));
    for (std::size_t k = 1; k < c.labels.size(); ++k) {
        out << "\n"
            << c.labels[k] << " vs " << c.labels[0] << "  ("
            << (c.paired ? "paired over replications, common random numbers"
                         : "independent streams, Welch")
            << "; " << pct << "% intervals; * = difference excludes 0)\n";
        char head[256];
        std::snprintf(head, sizeof head, "  %-38s %-28s %-28s %s\n", "Indicator",
                      c.labels[0].c_str(), c.labels[k].c_str(), "Difference");
        out << head;
        for (const auto& ic : c.indicators) {
            const int d = indicators::decimals(ic.indicator);
            const auto& diff = ic.difference[k];
            const bool sig = diff.has_interval() && (diff.ci_low > 0 || diff.ci_high < 0);
            char line[512];
            std::snprintf(line, sizeof line, "  %-38s %-28s %-28s %s%s\n",
                          indicators::label(ic.indicator).c_str(),
                          interval(ic.scenario[0], d).c_str(), interval(ic.scenario[k], d).c_str(),
                          interval(diff, d).c_str(), sig ? " *" : "");
            out << line;
        }
        for (const auto& t : c.targets[k]) {
            out << "  target " << t.target.indicator << ": " << to_string(t.verdict) << "\n";
        }
    }
}

namespace {

nlohmann::ordered_json estimate_json(const Estimate& e) {
    auto num = [](double v) {
        return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
    };
    return {
        {"n", e.n}, {"mean", num(e.mean)}, {"ci_low", num(e.ci_low)}, {"ci_high", num(e.ci_high)}};
}

}  // namespace

std::string comparison_json(const Comparison& c) {
    nlohmann::ordered_json j;
    j["format"] = "cmasim-compare";
    j["paired"] = c.paired;
    j["confidence"] = c.confidence;
    j["replications"] = c.replications;
    j["git_commit"] = c.git_commit;
    j["scenarios"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < c.labels.size(); ++k) {
        nlohmann::ordered_json s{{"label", c.labels[k]},
                                 {"name", k < c.names.size() ? c.names[k] : ""},
                                 {"file", c.files[k]},
                                 {"seed", c.seeds[k]},
                                 {"scenario_sha256", c.sha256[k]}};
        for (const auto& ic : c.indicators) {
            auto& e = s["indicators"][ic.indicator];
            e = estimate_json(ic.scenario[k]);
            if (k > 0) e["difference"] = estimate_json(ic.difference[k]);
        }
        for (const auto& t : c.targets[k]) s["targets"][t.target.indicator] = to_string(t.verdict);
        if (k < c.months.size()) {
            for (const auto& g : c.months[k])
                s["months"][g.group][g.indicator] = estimate_json(g.estimate);
        }
        j["scenarios"].push_back(std::move(s));
    }
    return j.dump(2) + "\n";
}

void write_comparison(const std::filesystem::path& out_dir, const Comparison& c, bool csv_bom) {
    std::filesystem::create_directories(out_dir);
    util::write_file_atomically(out_dir / "compare.json", comparison_json(c));
    std::ostringstream csv;
    if (csv_bom) csv << kUtf8Bom;
    csv << "scenario,name,indicator,n,mean,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high\n";
    for (std::size_t k = 0; k < c.labels.size(); ++k) {
        for (const auto& ic : c.indicators) {
            const auto& e = ic.scenario[k];
            const auto& d = ic.difference[k];
            std::string name;
            append_csv_field(name, k < c.names.size() ? c.names[k] : "");
            csv << c.labels[k] << ',' << name << ',' << ic.indicator << ',' << e.n << ','
                << round_trip_number(e.mean) << ',' << round_trip_number(e.ci_low) << ','
                << round_trip_number(e.ci_high) << ',';
            if (k > 0) {
                csv << round_trip_number(d.mean) << ',' << round_trip_number(d.ci_low) << ','
                    << round_trip_number(d.ci_high);
            } else {
                csv << ",,";
            }
            csv << '\n';
        }
    }
    util::write_file_atomically(out_dir / "compare.csv", csv.str());
}

}  // namespace cmasim::report
