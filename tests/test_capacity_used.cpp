// The counts of the capacity the alliance moves, on micro-scenarios where they are known by hand
// (tests/data/micro/capacity.yaml): reserved doctor slots and beds used and by whom, and the
// visits seen by stationed physicians and circuit-clinic doctors (docs/model.md, indicators).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/runner.h"
#include "cmasim/model/trace.h"
#include "cmasim/scenario/loader.h"

namespace {

using cmasim::scenario::ScriptedEpisode;

constexpr std::int64_t kTuesday0900 = 86400 + 9 * 3600;
constexpr std::int64_t kTuesday1400 = 86400 + 14 * 3600;

struct Outcome {
    cmasim::indicators::ReplicationResult result;
    std::vector<std::string> trace;
};

Outcome run(const std::vector<ScriptedEpisode>& episodes,
            const std::vector<std::string>& overrides) {
    cmasim::scenario::LoadOptions options;
    options.overrides = overrides;
    auto s = cmasim::scenario::load_scenario(
        std::string(CMASIM_SOURCE_DIR) + "/tests/data/micro/capacity.yaml", options);
    for (const auto& e : episodes) s.episodes.push_back(e);
    const cmasim::model::County county = cmasim::model::compile_county(s);
    cmasim::model::TraceRecorder trace(county);
    cmasim::model::simulate_replication(county, 0, trace);
    return {cmasim::model::run_replication(county, 0), trace.lines()};
}

double value(const Outcome& r, const std::string& key) {
    for (const auto& v : r.result.county) {
        if (v.indicator == key) return v.value;
    }
    ADD_FAILURE() << "not emitted: " << key;
    return -1;
}

bool emitted(const Outcome& r, const std::string& key) {
    return std::any_of(r.result.county.begin(), r.result.county.end(),
                       [&](const auto& v) { return v.indicator == key; });
}

/// A trace line at time `at` (seconds) that ends with `what` (the episode number between them).
bool traced(const Outcome& r, std::int64_t at, const std::string& what) {
    const std::string start = "t=" + std::to_string(at) + " ";
    return std::any_of(r.trace.begin(), r.trace.end(), [&](const std::string& line) {
        return line.rfind(start, 0) == 0 && line.size() >= what.size() &&
               line.compare(line.size() - what.size(), what.size(), what) == 0;
    });
}

// Half the county hospital's two doctors and two beds are reserved (one of each). A (v1, no
// contract: a walk-in there) reaches the hospital at 09:55 and takes the walk-ins' doctor; B (v2,
// referred by the family doctor at t1_center) arrives at 10:00 while A is seen and takes the
// reserved doctor. A is admitted at 10:05 to the walk-ins' bed, B at 10:10 to the reserved one.
TEST(CapacityUsed, ReservedDoctorAndBedTakenByTheFamilyDoctorsReferral) {
    const Outcome r = run({{kTuesday0900, "v1", "serious"}, {kTuesday0900 + 300, "v2", "serious"}},
                          {"policy.reserved_share=0.5"});
    EXPECT_EQ(value(r, "reserved_doctors_used"), 1);
    EXPECT_EQ(value(r, "reserved_beds_used"), 1);
    EXPECT_EQ(value(r, "reserved_used_family_referrals"), 2);
    EXPECT_EQ(value(r, "reserved_used_down_referrals"), 0);
    EXPECT_TRUE(traced(r, 122400, " reserved_doctor county_hospital referred family_doctor"));
    EXPECT_TRUE(traced(r, 123000, " reserved_bed county_hospital referred family_doctor"));
}

// Without A, nobody holds the walk-ins' doctor or bed: B takes them, and no reservation is used.
TEST(CapacityUsed, NothingReservedIsUsedWhileWalkinCapacityIsFree) {
    const Outcome r = run({{kTuesday0900 + 300, "v2", "serious"}}, {"policy.reserved_share=0.5"});
    EXPECT_EQ(value(r, "reserved_doctors_used"), 0);
    EXPECT_EQ(value(r, "reserved_beds_used"), 0);
}

// No reservation, no reserved-capacity rows: other scenarios keep their outputs.
TEST(CapacityUsed, RowsOnlyWhenTheLeverIsOn) {
    const Outcome r = run({{kTuesday0900, "v1", "minor"}}, {});
    EXPECT_FALSE(emitted(r, "reserved_doctors_used"));
    EXPECT_FALSE(emitted(r, "stationed_physician_visits"));
    EXPECT_FALSE(emitted(r, "circuit_clinic_visits"));
}

// One physician stationed at t1_center (its own doctor + 1 on duty) and a circuit of one doctor
// at v1_clinic Tuesday and Friday 09:00-12:00 (its own doctor + 1), both from the county
// hospital (given three doctors to send them from). Each visit counts for the visiting doctors'
// share of those on duty: the minor patient at Tuesday 09:00 1/2 a circuit visit, the one at
// 14:00 none; the serious patient's first visit at the clinic at 14:00 none, and its two visits
// at t1_center after the down-referral 1/2 a stationed visit each.
TEST(CapacityUsed, VisitsOfSentDownDoctorsByTheirShareOfTheDoctorsOnDuty) {
    const Outcome r =
        run({{kTuesday0900, "v1", "minor"},
             {kTuesday1400, "v1", "minor"},
             {kTuesday1400 + 1200, "v1", "serious"}},
            {"facilities[county_hospital].doctors=3", "policy.stationed_physicians.per_township=1",
             "policy.circuit_clinics.enabled=true"});
    EXPECT_DOUBLE_EQ(value(r, "circuit_clinic_visits"), 0.5);
    EXPECT_DOUBLE_EQ(value(r, "stationed_physician_visits"), 1.0);
}

}  // namespace
