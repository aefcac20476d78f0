// A sweep plan: the sweep file resolved against its base scenario into points (base + overrides)
// and tasks. Task t is replication t % R of point t / R, so a point's tasks are adjacent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cmasim/scenario/spec.h"
#include "cmasim/sweep/spec.h"

namespace cmasim::sweep {

/// Seed step between points when common random numbers are off: point p runs with seed
/// seed + p * stride (mod 2^64). Odd and far from any seed a user would type next to another.
inline constexpr std::uint64_t kPointSeedStride = 0x9E37'79B9'7F4A'7C15ull;

/// The seed point `point` runs with: `seed` for every point with common random numbers, else
/// seed + point * kPointSeedStride.
inline std::uint64_t point_seed(bool common_random_numbers, std::uint64_t seed,
                                std::uint64_t point) {
    return common_random_numbers ? seed : seed + point * kPointSeedStride;
}

/// One point of the sweep.
struct Point {
    std::vector<std::string> values;     ///< per parameter, the value as written in the columns
    std::vector<std::string> overrides;  ///< `set:` then the parameters, as "path=value"
    std::uint64_t seed = 0;              ///< the scenario seed this point runs with
};

/// What a plan needs from the base scenario (or, when merging, from the stored run header).
struct PlanBasis {
    std::uint64_t seed = 0;
    int replications = 0;
    std::string base_sha256;  ///< of the base scenario resolved (extends: and set: applied)
};

struct SweepPlan {
    SweepSpec spec;
    std::string sweep_sha256;  ///< of the sweep file's bytes
    PlanBasis basis;
    std::vector<Point> points;

    std::uint64_t task_count() const {
        return points.size() * static_cast<std::uint64_t>(basis.replications);
    }
    std::size_t point_of(std::uint64_t task) const {
        return static_cast<std::size_t>(task / replications());
    }
    std::uint64_t replication_of(std::uint64_t task) const { return task % replications(); }
    std::uint64_t task_of(std::size_t point, std::uint64_t replication) const {
        return point * replications() + replication;
    }
    std::uint64_t replications() const { return static_cast<std::uint64_t>(basis.replications); }
};

/// Reads the base scenario (for the default seed and replications and its hash) and checks that
/// every point loads: a bad override or an out-of-bounds value is reported as the loader reports
/// it, prefixed with the point. Throws scenario::ScenarioError.
SweepPlan make_plan(SweepSpec spec);

/// A plan from a stored basis, without reading the base scenario (merging results).
SweepPlan make_plan(SweepSpec spec, PlanBasis basis);

/// Checks that every point of `plan` loads; a problem is reported as the loader reports it,
/// prefixed with the point and its values. Throws scenario::ScenarioError.
void check_points(const SweepPlan& plan);

/// The scenario of one point: base (the file, or spec.base_text) + the point's overrides, with
/// the point's seed and the plan's replications. Throws ScenarioError.
scenario::Scenario load_point(const SweepPlan& plan, std::size_t point);

/// One sentence naming the random-number scheme, for the manifest.
std::string rng_scheme(const SweepPlan& plan);

}  // namespace cmasim::sweep
