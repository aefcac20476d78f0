// The reform measures of docs/levers.md 11-12 (chronic-disease management, medicine lists):
//  (1) table tests of their pathway rules (pathway.h), with the draws each row may take;
//  (2) runs over the lever test county (tests/data/levers/county.yaml) with common random
//      numbers: a measure switched on so that it cannot act leaves every indicator as it was
//      (its draws come from streams of its own), and switched on for real it moves its
//      indicators in the documented direction in every replication pair.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cmasim/model/pathway.h"
#include "lever_runs.h"

namespace {

namespace model = cmasim::model;

/// A draw that hands out fixed numbers and counts how many were taken.
struct Draws {
    std::vector<double> values;
    int taken = 0;
    double operator()() { return values.at(static_cast<std::size_t>(taken++)); }
};

// ---- (1) the rules

struct PreventionRow {
    bool managed, acute;
    double multiplier, u;
    bool prevented;
    int draws;
};

TEST(ReformRules, ManagementPreventsOnlyManagedAcuteEpisodes) {
    const PreventionRow rows[] = {
        {false, true, 0.5, 0.9, false, 0},  // not managed: no draw
        {true, false, 0.5, 0.9, false, 0},  // not an acute condition: no draw
        {true, true, 0.5, 0.4, false, 1},   // kept: the draw is below the multiplier
        {true, true, 0.5, 0.5, true, 1},    // prevented at the boundary
        {true, true, 0.78, 0.9, true, 1},
        {true, true, 1.0, 0.999, false, 1},  // multiplier 1 prevents nothing
        {true, true, 0.0, 0.001, true, 1},   // multiplier 0 prevents everything
    };
    for (const auto& row : rows) {
        Draws d{{row.u}};
        EXPECT_EQ(model::management_prevents(row.managed, row.acute, row.multiplier,
                                             model::UniformDraw(d)),
                  row.prevented)
            << row.managed << row.acute << " " << row.multiplier << " " << row.u;
        EXPECT_EQ(d.taken, row.draws);
    }
}

struct MedicineRow {
    double availability, u;
    bool missing;
    int draws;
};

TEST(ReformRules, MedicineMissingDrawsOnlyWhereTheListIsShort) {
    const MedicineRow rows[] = {
        {1.0, 0.999, false, 0},  // every medicine at the level: no draw (today's numbers)
        {0.5, 0.49, false, 1},  {0.5, 0.5, true, 1}, {0.8, 0.95, true, 1},
        {0.0, 0.001, true, 1},  // the level has none of the condition's medicines
    };
    for (const auto& row : rows) {
        Draws d{{row.u}};
        EXPECT_EQ(model::medicine_missing(row.availability, model::UniformDraw(d)), row.missing)
            << row.availability << " " << row.u;
        EXPECT_EQ(d.taken, row.draws);
    }
}

// ---- (2) runs with common random numbers

using cmasim::test::Rows;
using cmasim::test::value;

Rows run(const std::vector<std::string>& sets) {
    return cmasim::test::run_lever_county(sets);
}

/// Every indicator the base reports is the same, to the bit, in the what-if.
void expect_same(const Rows& base, const Rows& whatif) {
    ASSERT_EQ(base.size(), whatif.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        for (const auto& row : base[r].county) {
            EXPECT_EQ(value(whatif[r], row.indicator), row.value)
                << row.indicator << " in replication " << r;
        }
    }
}

/// `key` is lower (or higher) in the what-if than in the base in every replication pair.
void expect_every_pair(const Rows& base, const Rows& whatif, const std::string& key, bool lower) {
    ASSERT_EQ(base.size(), whatif.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        const double b = value(base[r], key), w = value(whatif[r], key);
        if (lower) {
            EXPECT_LT(w, b) << key << " in replication " << r;
        } else {
            EXPECT_GT(w, b) << key << " in replication " << r;
        }
    }
}

const std::vector<std::string> kManaged = {
    "policy.chronic_management.managed_share=0.3",
    "policy.chronic_management.condition=minor_acute",
    "policy.chronic_management.acute_conditions=[moderate_acute, serious]"};

std::vector<std::string> managed(std::vector<std::string> more) {
    std::vector<std::string> sets = kManaged;
    sets.insert(sets.end(), more.begin(), more.end());
    return sets;
}

TEST(ReformChronic, ManagementThatCannotActLeavesEveryStreamAsItWas) {
    expect_same(run({}), run(managed({"policy.chronic_management.acute_rate_multiplier=1",
                                      "policy.chronic_management.follow_ups_per_year=0"})));
}

TEST(ReformChronic, ManagedPatientsHaveFewerAcuteEpisodes) {
    const Rows base = run(managed({"policy.chronic_management.acute_rate_multiplier=1",
                                   "policy.chronic_management.follow_ups_per_year=0"}));
    const Rows whatif = run(managed({"policy.chronic_management.acute_rate_multiplier=0.5",
                                     "policy.chronic_management.follow_ups_per_year=0"}));
    expect_every_pair(base, whatif, "managed_acute_episodes", true);
    expect_every_pair(base, whatif, "episodes", true);
    expect_every_pair(base, whatif, "admissions", true);
}

TEST(ReformChronic, ManagedPatientsComeForGrassrootsFollowUps) {
    const Rows base = run(managed({"policy.chronic_management.follow_ups_per_year=0"}));
    const Rows whatif = run(managed({"policy.chronic_management.follow_ups_per_year=4"}));
    for (const auto& r : base) EXPECT_EQ(value(r, "managed_follow_up_visits"), 0);
    expect_every_pair(base, whatif, "managed_follow_up_visits", false);
    expect_every_pair(base, whatif, "visits_village", false);
    expect_every_pair(base, whatif, "grassroots_share", false);
    // The follow-ups are 4 a year of 30% of 18,000 residents over 90 days: about 5,300.
    for (const auto& r : whatif) {
        EXPECT_NEAR(value(r, "managed_follow_up_visits"), 18000 * 0.3 * 4 * 90 / 365.0, 400);
    }
}

TEST(ReformMedicine, FullListsLeaveEveryStreamAsItWas) {
    expect_same(run({}), run({"policy.medicine_list.availability={minor_acute: {village: 1}}"}));
}

TEST(ReformMedicine, UnifiedListSendsFewerPatientsUp) {
    const Rows gaps = run({"policy.medicine_list.availability={minor_acute: {village: 0.6}}"});
    const Rows unified = run({"policy.medicine_list.availability={minor_acute: {village: 1}}"});
    for (const auto& r : unified) EXPECT_EQ(value(r, "medicine_referrals"), 0);
    expect_every_pair(gaps, unified, "medicine_referrals_village", true);
    expect_every_pair(gaps, unified, "up_referrals", true);
    expect_every_pair(gaps, unified, "visits_township", true);
    for (const auto& r : gaps) {
        EXPECT_EQ(value(r, "medicine_referrals"), value(r, "medicine_referrals_village"));
    }
}

}  // namespace
