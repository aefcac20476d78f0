// Shared by the reform-measure tests (test_reform_levers.cpp, test_emergency.cpp,
// test_insurance_places.cpp): runs of the lever test county (tests/data/levers/county.yaml, or a
// file that extends it) with --set overrides, every replication kept, and reading one county
// indicator of a replication.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/scenario/loader.h"

namespace cmasim::test {

inline const std::filesystem::path kLeverCounty =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/levers/county.yaml";

using Rows = std::vector<indicators::ReplicationResult>;

/// Every replication of the lever county (or of `file`) with the overrides `sets`.
inline Rows run_lever_county(const std::vector<std::string>& sets,
                             const std::filesystem::path& file = kLeverCounty) {
    scenario::LoadOptions o;
    o.overrides = sets;
    const scenario::Scenario s = scenario::load_scenario(file, o);
    const model::County county = model::compile_county(s);
    Rows out;
    for (int rep = 0; rep < s.replications; ++rep) {
        model::MetricsCollector metrics(county);
        model::simulate_replication(county, static_cast<std::uint64_t>(rep), metrics);
        out.push_back(metrics.result(static_cast<std::uint64_t>(rep)));
    }
    return out;
}

/// A county indicator of one replication (a test failure, and NaN, when it is missing).
inline double value(const indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county) {
        if (row.indicator == key) return row.value;
    }
    ADD_FAILURE() << "no indicator " << key;
    return NAN;
}

}  // namespace cmasim::test
