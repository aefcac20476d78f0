// The calibration's tidy CSV files: targets.csv, parameters.csv, waves.csv and draws.csv. Numbers
// in their shortest round-trip form (empty when undefined), so reruns compare byte for byte.
#include <cmath>
#include <string>

#include "cmasim/report/tables.h"
#include "cmasim/report/writers.h"
#include "state.h"

namespace cmasim::calibrate::detail {

namespace {

std::string num(double v) {
    return std::isfinite(v) ? report::round_trip_number(v) : std::string();
}

/// One CSV line of already formatted fields (quoted where they must be).
std::string line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        report::append_csv_field(out, fields[i]);
    }
    return out + "\n";
}

}  // namespace

namespace {

/// One line of targets.csv: the target as given, the best fit, the prediction.
std::vector<std::string> target_row(const Target& g, const TargetResult& r) {
    std::vector<std::string> row = {g.indicator, g.period, role_of(g)};
    for (const double v :
         {g.value, g.se, g.discrepancy, r.best.mean, r.best.ci_low, r.best.ci_high})
        row.push_back(num(v));
    row.push_back(std::to_string(r.best.n));
    for (const double v : {r.z, r.implausibility, r.noise_ratio, r.predicted_mean, r.predicted_low,
                           r.predicted_high})
        row.push_back(num(v));
    const std::string year = g.year ? std::to_string(*g.year) : std::string();
    row.insert(row.end(), {r.inside ? "inside" : "outside", g.source, year, to_string(g.measure)});
    return row;
}

}  // namespace

std::string targets_csv(const Context& c, const Outcome& o) {
    std::string out =
        "indicator,period,role,observed,se,discrepancy,simulated_mean,ci_low,ci_high,"
        "replications,z,implausibility,noise_ratio,predicted_mean,predicted_low,predicted_high,"
        "coverage,source,year,measure\n";
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t)
        out += line(target_row(c.spec.targets[t], o.targets[t]));
    return out;
}

std::string parameters_csv(const Context& c, const Outcome& o) {
    std::string out = line({"parameter", "path", "low", "high", "prior_mean", "prior_sd", "best",
                            "plausible_low", "plausible_high", "range_fraction", "identified"});
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d) {
        const FreeParameter& p = c.spec.parameters[d];
        const ParameterResult& r = o.parameters[d];
        out +=
            line({p.column, p.path, num(p.low), num(p.high), p.prior_mean ? num(*p.prior_mean) : "",
                  p.prior_sd ? num(*p.prior_sd) : "", r.best, num(r.plausible_low),
                  num(r.plausible_high), num(r.fraction), r.constrained ? "yes" : "no"});
    }
    return out;
}

std::string waves_csv(const Context& c, const Outcome& o) {
    std::string out = line({"wave", "points", "runs", "training_points", "remaining_fraction",
                            "target", "loo_rms", "loo_beyond_3", "simulation_variance",
                            "signal_variance", "length_scales"});
    for (const Wave& w : o.waves) {
        for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
            std::string lengths;
            for (double l : w.emulators[t].length_scales())
                lengths += (lengths.empty() ? "" : ";") + num(l);
            out += line({std::to_string(w.number), std::to_string(w.runs.size()),
                         std::to_string(w.runs.size() * static_cast<std::size_t>(c.replications)),
                         std::to_string(w.training), num(w.remaining), c.spec.targets[t].indicator,
                         num(w.checks[t].rms), std::to_string(w.checks[t].beyond_3),
                         num(w.sim_variance[t]), num(w.emulators[t].signal_variance()), lengths});
        }
    }
    return out;
}

std::string draws_csv(const Context& c, const Outcome& o) {
    std::vector<std::string> header = {"draw"};
    for (const auto& p : c.spec.parameters) header.push_back(p.column);
    std::string out = line(header);
    for (std::size_t i = 0; i < o.draws.size(); ++i) {
        std::vector<std::string> row = {std::to_string(i)};
        row.insert(row.end(), o.draws[i].begin(), o.draws[i].end());
        out += line(row);
    }
    return out;
}

}  // namespace cmasim::calibrate::detail
