// Doctors sent down leave their source (sent_down.h, docs/levers.md §6): the pure arithmetic
// tabled, then the compiled lever test county (tests/data/levers/county.yaml) with stationed
// physicians and circuit clinics from each kind of source.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/sent_down.h"

namespace {

namespace model = cmasim::model;
namespace scenario = cmasim::scenario;

struct SentCase {
    const char* name;
    int stationed;
    double circuit_hours;
    double source_open_hours;
    int expected;
};

const std::vector<SentCase> kSentCases = {
    {"nothing_sent", 0, 0, 63, 0},
    {"stationed_whole_doctors", 3, 0, 63, 3},
    {"circuit_hours_round_up", 0, 36, 63, 1},  // 36 of 63 hours: one doctor short
    {"circuit_exact_doctors", 0, 126, 63, 2},  // two doctors' weeks exactly, not three
    {"circuit_just_over", 0, 126.5, 63, 3},
    {"both", 15, 1500, 80.5, 34},            // the baseline's 06 what-if from the lead: 15 + 19
    {"source_never_open", 2, 36, 0, 2},      // no hours to give: only the stationed doctors
    {"always_open_source", 0, 1500, 168, 9}  // 1,500 / 168 = 8.9
};

class SentDown : public ::testing::TestWithParam<SentCase> {};

TEST_P(SentDown, Exact) {
    const SentCase& c = GetParam();
    EXPECT_EQ(scenario::doctors_sent_down(c.stationed, c.circuit_hours, c.source_open_hours),
              c.expected);
}

INSTANTIATE_TEST_SUITE_P(SentDownTable, SentDown, ::testing::ValuesIn(kSentCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(SentDownHours, WeeklyOpenHoursAndCircuitHours) {
    scenario::Opening always;
    EXPECT_DOUBLE_EQ(scenario::weekly_open_hours(always), 168.0);
    scenario::CircuitClinics circuit;  // Tuesday and Friday 09:00-12:00, one doctor
    EXPECT_DOUBLE_EQ(scenario::circuit_hours_per_week(circuit), 6.0);
    circuit.doctors = 2;
    EXPECT_DOUBLE_EQ(scenario::circuit_hours_per_week(circuit), 12.0);
}

const std::string kCounty = std::string(CMASIM_SOURCE_DIR) + "/tests/data/levers/county.yaml";

/// Doctors of each named facility after compiling the lever county with `sets`.
std::vector<int> doctors(const std::vector<std::string>& sets,
                         const std::vector<std::string>& ids) {
    scenario::LoadOptions o;
    o.overrides = sets;
    const model::County c = model::compile_county(scenario::load_scenario(kCounty, o));
    std::vector<int> out;
    for (const auto& id : ids) {
        for (const auto& f : c.facilities) {
            if (f.id == id) out.push_back(f.doctors);
        }
    }
    return out;
}

struct SourceCase {
    const char* name;
    std::vector<std::string> sets;
    std::vector<int> expected;  ///< county_hospital, n_center, w_center
};

// The lever county: county_hospital (6 doctors here) open 08:00-17:00 daily (63 h a week);
// three township centers of 2 doctors open 08:00-17:30 (66.5 h); six village clinics (two
// in the North township, two in the West one); circuits of one doctor Tuesday and Friday
// 09:00-12:00 (6 h a week each).
const std::vector<SourceCase> kSourceCases = {
    {"no_lever", {}, {6, 2, 2}},
    // three stationed doctors leave the lead hospital; each center gains one
    {"stationed_from_lead", {"policy.stationed_physicians.per_township=1"}, {3, 3, 3}},
    // six circuits x 6 h = 36 h of the hospital's 63: one doctor
    {"circuit_from_lead", {"policy.circuit_clinics.enabled=true"}, {5, 2, 2}},
    // each center runs its own villages' circuits: 12 h of 66.5 for North and West
    {"circuit_from_home_township",
     {"policy.circuit_clinics={enabled: true, source: home_township}"},
     {6, 1, 1}},
    // a named source: the North center (5 doctors) sends one to every center, itself too
    {"stationed_from_named_center",
     {"facilities[n_center].doctors=5",
      "policy.stationed_physicians={per_township: 1, "
      "source: n_center}"},
     {6, 3, 3}},
};

class SentDownSource : public ::testing::TestWithParam<SourceCase> {};

TEST_P(SentDownSource, SentDoctorsLeaveTheSource) {
    std::vector<std::string> sets{"facilities[county_hospital].doctors=6"};
    sets.insert(sets.end(), GetParam().sets.begin(), GetParam().sets.end());
    EXPECT_EQ(doctors(sets, {"county_hospital", "n_center", "w_center"}), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(SentDownTable, SentDownSource, ::testing::ValuesIn(kSourceCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(SentDownSource, TooFewDoctorsAtTheSourceIsALoadError) {
    // county_hospital has 2 doctors; three townships would take 3
    scenario::LoadOptions o;
    o.overrides = {"policy.stationed_physicians.per_township=1"};
    EXPECT_THROW(scenario::load_scenario(kCounty, o), scenario::ScenarioError);
}

}  // namespace
