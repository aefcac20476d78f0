// The access indicators counted resident by resident (include/cmasim/model/access.h): the rule
// by a table, the synthetic county's hamlets, and the micro county of
// tests/data/micro/access.yaml (its header derives every figure below by hand).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "cmasim/model/access.h"
#include "cmasim/model/county.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/synthetic.h"

namespace {

using cmasim::model::village_access;
using cmasim::scenario::Hamlet;

TEST(VillageAccess, CountsResidentsHamletByHamlet) {
    struct Row {
        std::vector<Hamlet> hamlets;
        double nearest;
        double within;
        double minutes;
    };
    const std::vector<Row> table = {
        {{}, 0, 1, 0},                                  // all at a centre with a clinic
        {{}, 15, 1, 15},                                // 15 minutes is within
        {{}, 16, 0, 16},                                // no hamlets: all or none
        {{{0.5, 0}, {0.3, 10}, {0.2, 20}}, 0, 0.8, 7},  // the far hamlet is out
        {{{0.5, 3}, {0.5, 8}}, 10, 0.5, 15.5},          // the nearest care adds to each
        {{{0.25, 0}, {0.75, 30}}, 0, 0.25, 22.5},       // a big far hamlet
        {{{1.0, 40}}, 0, 0, 40},                        // one hamlet: the whole village
    };
    for (const auto& row : table) {
        const auto got = village_access(row.hamlets, row.nearest, 15);
        EXPECT_DOUBLE_EQ(got.within, row.within) << row.nearest;
        EXPECT_DOUBLE_EQ(got.minutes, row.minutes) << row.nearest;
    }
}

TEST(SyntheticHamlets, EqualPartsWithinTheVillagesLandAndReproducible) {
    cmasim::scenario::SyntheticCounty s;
    s.area_km2 = 2400;
    s.population = 500000;
    s.hamlets_per_village = 4;
    const auto a = cmasim::scenario::synthetic_hamlets(s, 3, 2000);
    ASSERT_EQ(a.size(), 4u);
    // 2000 residents of 500,000 hold 9.6 km²: radius 1.75 km, at most 1.75 × 1.3 km at 8 km/h.
    for (const auto& h : a) {
        EXPECT_DOUBLE_EQ(h.share, 0.25);
        EXPECT_GE(h.minutes, 0);
        EXPECT_LE(h.minutes, 18);
    }
    const auto b = cmasim::scenario::synthetic_hamlets(s, 3, 2000);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].minutes, b[i].minutes);
    const auto other = cmasim::scenario::synthetic_hamlets(s, 4, 2000);
    bool differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) differs |= a[i].minutes != other[i].minutes;
    EXPECT_TRUE(differs) << "each village has its own hamlets";
    s.hamlets_per_village = 0;
    EXPECT_TRUE(cmasim::scenario::synthetic_hamlets(s, 3, 2000).empty());
}

cmasim::model::County micro(const std::function<void(cmasim::scenario::Scenario&)>& tweak = {}) {
    auto s = cmasim::scenario::load_scenario(std::string(CMASIM_SOURCE_DIR) +
                                             "/tests/data/micro/access.yaml");
    if (tweak) tweak(s);
    return cmasim::model::compile_county(s);
}

TEST(MicroAccess, ResidentsCountedByHamletAndOnlyWhereADoctorIs) {
    const auto c = micro();
    EXPECT_DOUBLE_EQ(c.within_15_min, 0.45);
    EXPECT_DOUBLE_EQ(c.mean_travel_minutes, 14.5);
}

TEST(MicroAccess, CircuitClinicBringsTheVacantVillageIntoTheCircle) {
    // v2's clinic gets a doctor twice a week: v2 all within (0 minutes).
    const auto c = micro([](auto& s) {
        s.policy.circuit.enabled = true;
        s.policy.circuit.source = "t1_center";
    });
    EXPECT_DOUBLE_EQ(c.within_15_min, (800.0 + 1000.0 + 1000.0) / 4000.0);
    EXPECT_DOUBLE_EQ(c.mean_travel_minutes, (7000.0 + 0.0 + 31000.0) / 4000.0);
}

TEST(MicroAccess, NewClinicInTheVillageWithoutOneMovesBoth) {
    // A clinic at v3: its hamlets 3 and 8 minutes from care, both within.
    const auto c = micro([](auto& s) {
        auto clinic = s.facilities[0];
        clinic.id = "v3_clinic";
        clinic.place = "v3";
        clinic.village = "v3";
        s.facilities.push_back(clinic);
    });
    EXPECT_DOUBLE_EQ(c.within_15_min, (800.0 + 0.0 + 2000.0) / 4000.0);
    EXPECT_DOUBLE_EQ(c.mean_travel_minutes, (7000.0 + 20000.0 + 11000.0) / 4000.0);
}

}  // namespace
