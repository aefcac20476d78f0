// Home beds at township centers (家庭病床; docs/levers.md 16):
//  (1) a table test of the rule that decides who takes a home bed, and of the visits' interval;
//  (2) runs over the lever test county (tests/data/levers/county.yaml) with small township
//      wards and common random numbers, home beds off against on: the home beds are used,
//      township and in-county admissions do not fall, the county ward's bed occupancy falls,
//      and a home-bed day costs less than a day in the township ward; the doctors' visits
//      lengthen the townships' waits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cmasim/model/home_beds.h"
#include "lever_runs.h"

namespace {

namespace model = cmasim::model;
using cmasim::test::Rows;
using cmasim::test::value;

// ---- (1) the rule

struct HomeBedRow {
    const char* what;
    model::HomeBedFacts facts;
    bool takes;
};

model::HomeBedFacts eligible() {
    model::HomeBedFacts f;
    f.slots = 3;
    f.used = 1;
    f.condition_eligible = true;
    return f;
}

model::HomeBedFacts with(model::HomeBedFacts f, void (*change)(model::HomeBedFacts&)) {
    change(f);
    return f;
}

TEST(HomeBedRules, WhoTakesAHomeBed) {
    const HomeBedRow rows[] = {
        {"eligible, a slot free", eligible(), true},
        {"no home beds", with(eligible(), [](auto& f) { f.slots = 0; }), false},
        {"every slot taken", with(eligible(), [](auto& f) { f.used = 3; }), false},
        {"last slot free", with(eligible(), [](auto& f) { f.used = 2; }), true},
        {"condition not listed", with(eligible(), [](auto& f) { f.condition_eligible = false; }),
         false},
        {"emergency", with(eligible(), [](auto& f) { f.emergency = true; }), false},
        {"inpatient transfer", with(eligible(), [](auto& f) { f.inpatient_transfer = true; }),
         false},
        {"contracted only, not contracted",
         with(eligible(), [](auto& f) { f.contracted_only = true; }), false},
        {"contracted only, contracted",
         with(eligible(),
              [](auto& f) {
                  f.contracted_only = true;
                  f.contracted = true;
              }),
         true},
        {"aged only, not aged", with(eligible(), [](auto& f) { f.aged_only = true; }), false},
        {"aged only, aged",
         with(eligible(),
              [](auto& f) {
                  f.aged_only = true;
                  f.aged = true;
              }),
         true},
    };
    for (const auto& row : rows) EXPECT_EQ(model::takes_home_bed(row.facts), row.takes) << row.what;
}

TEST(HomeBedRules, VisitsComeEveryWeekOverTheirNumber) {
    EXPECT_EQ(model::home_visit_interval(0), 0);  // no visits
    EXPECT_EQ(model::home_visit_interval(1), 7 * cmasim::sim::kDay);
    EXPECT_EQ(model::home_visit_interval(2), 7 * cmasim::sim::kDay / 2);
    EXPECT_EQ(model::home_visit_interval(7), cmasim::sim::kDay);
}

// ---- (2) runs with common random numbers

// Township wards of 3 beds, so that a full ward sends moderate acute patients up to the county
// hospital; both runs have the small wards, only the home beds differ.
const std::vector<std::string> kSmallWards = {
    "facilities[n_center].beds=3", "facilities[s_center].beds=3", "facilities[w_center].beds=3"};

std::vector<std::string> home_beds(double visits_per_week) {
    std::vector<std::string> sets = kSmallWards;
    sets.insert(sets.end(),
                {"policy.home_beds.all_townships=true", "policy.home_beds.slots_per_center=6",
                 "policy.home_beds.conditions=[moderate_acute]", "policy.home_beds.fee_share=0.5",
                 "policy.home_beds.visits_per_week=" + std::to_string(visits_per_week)});
    return sets;
}

double sum(const Rows& rows, const std::string& key) {
    double s = 0;
    for (const auto& r : rows) s += value(r, key);
    return s;
}

// The home beds' own effect, without the doctors' visits (the next test adds them).
TEST(HomeBeds, AdmitAtTheTownshipsInsteadOfTheCountyWard) {
    const Rows base = cmasim::test::run_lever_county(kSmallWards);
    const Rows whatif = cmasim::test::run_lever_county(home_beds(0));
    ASSERT_EQ(base.size(), whatif.size());
    // The lever county's moderate_acute: 2,083 yuan a township stay of 6.4 days on average.
    const double ward_day = 2083.0 / 6.4;
    for (std::size_t r = 0; r < base.size(); ++r) {
        const auto& b = base[r];
        const auto& w = whatif[r];
        EXPECT_GT(value(w, "home_bed_admissions"), 0) << r;
        EXPECT_GT(value(w, "home_bed_occupancy"), 0) << r;
        EXPECT_LE(value(w, "home_bed_occupancy"), 1) << r;
        EXPECT_GE(value(w, "admission_share_township"), value(b, "admission_share_township")) << r;
        EXPECT_GE(value(w, "in_county_inpatient_rate"), value(b, "in_county_inpatient_rate")) << r;
        EXPECT_LT(value(w, "home_bed_cost_per_day"), ward_day) << r;
    }
    EXPECT_GT(sum(whatif, "admission_share_township"), sum(base, "admission_share_township"));
    EXPECT_GT(sum(whatif, "in_county_inpatient_rate"), sum(base, "in_county_inpatient_rate"));
    // The county ward is nearly full either way (its occupancy about 0.94), so one replication
    // may move by noise: its fall is checked over the replications together.
    EXPECT_LT(sum(whatif, "bed_occupancy_county"), sum(base, "bed_occupancy_county"));
}

TEST(HomeBeds, HomeVisitsTakeTheTownshipDoctorsTime) {
    const Rows without = cmasim::test::run_lever_county(home_beds(0));
    const Rows with = cmasim::test::run_lever_county(home_beds(2));
    ASSERT_EQ(without.size(), with.size());
    for (std::size_t r = 0; r < with.size(); ++r) {
        EXPECT_EQ(value(without[r], "home_bed_visits"), 0) << r;
        EXPECT_GT(value(with[r], "home_bed_visits"), 0) << r;
        EXPECT_GT(value(with[r], "home_bed_doctor_hours"), 0) << r;
        EXPECT_GT(value(with[r], "wait_minutes_mean_township"),
                  value(without[r], "wait_minutes_mean_township"))
            << r;
    }
}

TEST(HomeBeds, OffByDefaultReportsNoHomeBedRows) {
    const Rows base = cmasim::test::run_lever_county({});
    for (const auto& row : base.front().county)
        EXPECT_EQ(row.indicator.rfind("home_bed", 0), std::string::npos) << row.indicator;
}

}  // namespace
