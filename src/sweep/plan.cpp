#include "cmasim/sweep/plan.h"

#include <cmath>

#include "cmasim/scenario/loader.h"
#include "cmasim/sweep/design.h"
#include "cmasim/sweep/scenarios.h"
#include "cmasim/sweep/spec_reader.h"
#include "cmasim/util/hash.h"

namespace cmasim::sweep {

namespace {

/// Significant digits of a sampled value (the column and the override use the same text).
constexpr int kSampledDigits = 6;

/// The sampled parameters' values: rows of the design scaled to their intervals.
std::vector<std::vector<std::string>> sampled_values(const SweepSpec& spec) {
    std::vector<const Parameter*> sampled;
    for (const auto& p : spec.parameters) {
        if (p.sampled()) sampled.push_back(&p);
    }
    if (sampled.empty()) return {{}};
    const int dims = static_cast<int>(sampled.size());
    const auto unit = spec.method == SampleMethod::Sobol
                          ? sobol_points(spec.samples, dims, spec.design_seed)
                          : latin_hypercube(spec.samples, dims, spec.design_seed);
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : unit) {
        std::vector<std::string> row;
        for (std::size_t d = 0; d < sampled.size(); ++d) {
            const Parameter& p = *sampled[d];
            const double x = p.low + u[d] * (p.high - p.low);
            row.push_back(p.integer ? detail::clean_number(std::round(x))
                                    : detail::clean_number(x, kSampledDigits));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Point> expand(const SweepSpec& spec, const PlanBasis& basis) {
    // Grid points in row-major order (the first grid parameter varies slowest), and the whole
    // design under each grid point.
    std::vector<std::vector<std::string>> grid = {{}};
    for (const auto& p : spec.parameters) {
        if (p.sampled()) continue;
        std::vector<std::vector<std::string>> next;
        for (const auto& row : grid) {
            for (const auto& v : p.values) {
                next.push_back(row);
                next.back().push_back(v);
            }
        }
        grid = std::move(next);
    }
    const auto design = sampled_values(spec);
    std::vector<Point> points;
    for (const auto& g : grid) {
        for (const auto& d : design) {
            Point pt;
            std::size_t gi = 0, di = 0;
            pt.overrides = spec.fixed;
            for (const auto& p : spec.parameters) {
                pt.values.push_back(p.sampled() ? d[di++] : g[gi++]);
                pt.overrides.push_back(p.path + "=" + pt.values.back());
            }
            pt.seed = point_seed(spec.common_random_numbers, basis.seed, points.size());
            points.push_back(std::move(pt));
        }
    }
    return points;
}

/// Every message of a point's load failure, prefixed with the point's values.
scenario::ScenarioError point_error(const SweepPlan& plan, std::size_t point,
                                    const scenario::ScenarioError& e) {
    std::string where = "sweep point " + std::to_string(point) + " (";
    for (std::size_t i = 0; i < plan.spec.parameters.size(); ++i) {
        where +=
            (i ? ", " : "") + plan.spec.parameters[i].column + "=" + plan.points[point].values[i];
    }
    where += "): ";
    auto diagnostics = e.diagnostics();
    for (auto& d : diagnostics) d.message = where + d.message;
    return scenario::ScenarioError(std::move(diagnostics));
}

}  // namespace

SweepPlan make_plan(SweepSpec spec, PlanBasis basis) {
    SweepPlan plan;
    plan.sweep_sha256 = util::sha256_hex(spec.text);
    plan.points = expand(spec, basis);
    plan.basis = std::move(basis);
    plan.spec = std::move(spec);
    return plan;
}

SweepPlan make_plan(SweepSpec spec) {
    const scenario::Scenario base = scenario::load_scenario(spec.base, load_options(spec.fixed));
    PlanBasis basis;
    basis.seed = spec.seed.value_or(base.seed);
    basis.replications = spec.replications.value_or(base.replications);
    basis.base_sha256 = scenario::scenario_sha256(spec.base, load_options(spec.fixed));
    SweepPlan plan = make_plan(std::move(spec), std::move(basis));
    check_points(plan);
    return plan;
}

void check_points(const SweepPlan& plan) {
    for (std::size_t p = 0; p < plan.points.size(); ++p) {
        try {
            load_point(plan, p);
        } catch (const scenario::ScenarioError& e) {
            throw point_error(plan, p, e);
        }
    }
}

scenario::Scenario load_point(const SweepPlan& plan, std::size_t point) {
    scenario::Scenario s = load_scenario_source(plan.spec.base, plan.spec.base_text,
                                                load_options(plan.points.at(point).overrides));
    s.seed = plan.points[point].seed;
    s.replications = plan.basis.replications;
    return s;
}

std::string rng_scheme(const SweepPlan& plan) {
    const std::string streams =
        "Philox4x64-10 counter-based streams keyed by (scenario seed, replication); replications "
        "0.." +
        std::to_string(plan.basis.replications - 1) + " of every point; ";
    if (plan.spec.common_random_numbers) {
        return streams + "common random numbers: every point runs with seed " +
               std::to_string(plan.basis.seed) +
               ", so replication r of every point sees the same patients";
    }
    return streams + "independent points: point p runs with seed " +
           std::to_string(plan.basis.seed) + " + p * " + std::to_string(kPointSeedStride) +
           " (mod 2^64)";
}

}  // namespace cmasim::sweep
