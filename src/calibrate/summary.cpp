// summary.txt and the warnings: what the calibration found, in the order a reader checks it
// (did the targets match, which parameters are pinned down, can the numbers be trusted).
#include <cmath>
#include <cstdio>

#include "cmasim/indicators/table.h"
#include "state.h"

namespace cmasim::calibrate::detail {

std::string g(double v, int digits) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    return buffer;
}

namespace {

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s + " ";
}

std::string target_line(const Target& t, const TargetResult& r) {
    const std::string name = t.indicator +
                             (t.reform == ReformPeriod::None ? "" : " (" + t.period + ")") +
                             (t.measure == Measure::Change ? " change" : "");
    std::string line =
        "  " + pad(name, 26) + pad(g(t.value) + " +- " + g(t.se), 18) +
        pad(g(r.best.mean) + " [" + g(r.best.ci_low) + ", " + g(r.best.ci_high) + "]", 28);
    if (t.reform == ReformPeriod::After) {
        return line + "predicted " + g(r.predicted_mean) + " [" + g(r.predicted_low) + ", " +
               g(r.predicted_high) + "], observed " + (r.inside ? "inside" : "outside") + "\n";
    }
    if (t.holdout) {
        return line + "held out: predicted [" + g(r.predicted_low) + ", " + g(r.predicted_high) +
               "], observed " + (r.inside ? "inside" : "outside") + "\n";
    }
    return line + "z " + pad(g(r.z, 3), 7) + "I " + pad(g(r.implausibility, 3), 6) + "noise " +
           g(r.noise_ratio, 2) + "\n";
}

std::string parameter_line(const FreeParameter& p, const ParameterResult& r) {
    std::string range = std::isfinite(r.plausible_low)
                            ? "[" + g(r.plausible_low) + ", " + g(r.plausible_high) + "]"
                            : "(none)";
    return "  " + pad(p.column, 34) + pad(r.best, 12) + pad(range, 24) + g(100 * r.fraction, 3) +
           "% of [" + g(p.low) + ", " + g(p.high) + "]\n";
}

}  // namespace

std::vector<std::string> warnings(const Context& c, const Outcome& o) {
    std::vector<std::string> out;
    if (o.remaining == 0) {
        out.push_back(
            "no non-implausible point remains: the fitted targets cannot all be matched "
            "within their uncertainty (add model discrepancy, widen the bounds, or free "
            "another parameter)");
    }
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d) {
        const ParameterResult& r = o.parameters[d];
        if (!r.constrained && std::isfinite(r.plausible_low)) {
            out.push_back("parameter " + c.spec.parameters[d].column +
                          " is not identified by these targets: its non-implausible range spans " +
                          g(100 * r.fraction, 3) + "% of its bounds");
        }
    }
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
        const double ratio = o.targets[t].noise_ratio;
        if (!(ratio > kNoiseRatioLimit)) continue;
        const double needed =
            std::ceil(c.replications * (ratio / kNoiseRatioLimit) * (ratio / kNoiseRatioLimit));
        out.push_back("target " + c.spec.targets[t].indicator + ": simulation noise is " +
                      g(ratio, 2) + " of its uncertainty; method.replications: " + g(needed, 6) +
                      " would bring it under " + g(kNoiseRatioLimit, 2));
    }
    return out;
}

std::string summary_text(const Context& c, const Outcome& o) {
    std::string s = "cmasim calibrate: " + c.spec.name + " (" + c.spec.file + ") on " +
                    c.options.scenario.string() + "\n";
    s += std::to_string(o.waves.size()) + " waves of up to " +
         std::to_string(c.spec.method.points_per_wave) + " points and " +
         std::to_string(o.fit_runs.size()) + " best-fit evaluations, " +
         std::to_string(c.replications) + " replications each (seed " + std::to_string(c.seed) +
         ", common random numbers): " + std::to_string(o.tasks) + " replications, " +
         g(o.county_years, 4) + " county-years simulated\n";
    if (!c.reform.empty())
        s += "reform: timeline entry '" + c.reform +
             "'; before-targets fitted on the period before it, after-targets predicted for the "
             "period from it on\n";
    s += "non-implausible space remaining: " + g(100 * o.remaining, 3) + "% of the bounds' box\n\n";
    s += "targets                     observed           simulated at best fit [95% CI]\n";
    for (std::size_t t = 0; t < c.spec.targets.size(); ++t)
        s += target_line(c.spec.targets[t], o.targets[t]);
    s += "\nparameters                          best         plausible range\n";
    for (std::size_t d = 0; d < c.spec.parameters.size(); ++d)
        s += parameter_line(c.spec.parameters[d], o.parameters[d]);
    const auto w = warnings(c, o);
    if (!w.empty()) s += "\nwarnings\n";
    for (const auto& line : w) s += "  " + line + "\n";
    return s;
}

}  // namespace cmasim::calibrate::detail
