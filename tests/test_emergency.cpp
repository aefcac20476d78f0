// The emergency pathway (policy.emergency_pathway, docs/levers.md 13):
//  (1) table tests of its rules (emergency.h);
//  (2) runs over the lever test county (tests/data/levers/county.yaml) with emergencies of the
//      serious condition and common random numbers: a pathway that only measures (no center,
//      no ambulance) leaves every indicator as it was, and centers with ambulances shorten the
//      time to treatment in every replication pair.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cmasim/model/emergency.h"
#include "lever_runs.h"

namespace {

namespace model = cmasim::model;
using model::VisitKind;

// ---- (1) the rules

TEST(EmergencyRules, AmbulanceCalledBelowTheShare) {
    struct Row {
        double share, u;
        bool called;
    };
    const Row rows[] = {{0, 0.0, false},
                        {0.181, 0.18, true},
                        {0.181, 0.181, false},
                        {0.5, 0.7, false},
                        {1, 0.999, true}};
    for (const auto& row : rows) {
        EXPECT_EQ(model::calls_ambulance(row.share, row.u), row.called)
            << row.share << " " << row.u;
    }
}

TEST(EmergencyRules, AmbulanceCarriesTheFirstContactOfACallerAndEveryTransferUp) {
    struct Row {
        VisitKind kind;
        bool called, ambulance;
    };
    const Row rows[] = {
        {VisitKind::FirstContact, true, true},  {VisitKind::FirstContact, false, false},
        {VisitKind::Referred, false, true},     {VisitKind::Referred, true, true},
        {VisitKind::SelfReferred, true, false}, {VisitKind::FollowUp, true, false},
        {VisitKind::DownReferred, true, false}, {VisitKind::Retry, true, false},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(model::by_ambulance(row.kind, row.called), row.ambulance)
            << static_cast<int>(row.kind) << " " << row.called;
    }
}

TEST(EmergencyRules, AmbulanceTripIsDispatchPlusRoadAtItsSpeed) {
    struct Row {
        cmasim::sim::SimTime dispatch;
        double road_minutes, speed;
        cmasim::sim::SimTime seconds;
    };
    const Row rows[] = {
        {0, 30, 1, 1800},      // no dispatch, road speed: the road's time
        {600, 30, 1, 2400},    // ten minutes' dispatch
        {600, 30, 1.5, 1800},  // 20 minutes on the road
        {0, 0.01, 1, 1},       // rounded to the second
        {300, 0, 2, 300},      // the center is in the village: the dispatch only
    };
    for (const auto& row : rows) {
        EXPECT_EQ(model::ambulance_trip(row.dispatch, row.road_minutes, row.speed), row.seconds)
            << row.dispatch << " " << row.road_minutes << " " << row.speed;
    }
}

TEST(EmergencyRules, TreatmentStartsOnceWhereTheConditionIsTreated) {
    struct Row {
        VisitKind kind;
        bool can_treat, timed, starts;
    };
    const Row rows[] = {
        {VisitKind::FirstContact, true, false, true},
        {VisitKind::FirstContact, false, false, false},  // a township that refers it up
        {VisitKind::Referred, true, false, true},        // the county hospital it was sent to
        {VisitKind::Referred, true, true, false},        // already timed (a transfer after it)
        {VisitKind::FollowUp, true, false, false},
        {VisitKind::DownReferred, true, false, false},
        {VisitKind::Retry, true, false, true},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(model::starts_treatment(row.kind, row.can_treat, row.timed), row.starts)
            << static_cast<int>(row.kind) << row.can_treat << row.timed;
    }
}

// ---- (2) runs with common random numbers

using cmasim::test::Rows;
using cmasim::test::value;

/// The lever county with emergencies of the serious condition at any hour, seen by the
/// townships' and the county hospital's emergency services.
Rows run(std::vector<std::string> sets) {
    for (const char* s :
         {"conditions[serious].emergency_episodes_per_person_year=0.5",
          "facilities[n_center].emergency=true", "facilities[s_center].emergency=true",
          "facilities[w_center].emergency=true"})
        sets.emplace_back(s);
    return cmasim::test::run_lever_county(sets);
}

const std::string kMeasure = "policy.emergency_pathway.conditions=[serious]";

TEST(EmergencyPathway, MeasuringAloneLeavesEveryStreamAsItWas) {
    const Rows base = run({});
    const Rows measured = run({kMeasure});
    ASSERT_EQ(base.size(), measured.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
        for (const auto& row : base[r].county) {
            EXPECT_EQ(value(measured[r], row.indicator), row.value)
                << row.indicator << " in replication " << r;
        }
        EXPECT_GT(value(measured[r], "emergency_treatments"), 100);
        EXPECT_EQ(value(measured[r], "emergency_ambulance_share"), 0);
        EXPECT_EQ(value(measured[r], "door_to_treatment_minutes"), 62);  // no center anywhere
    }
}

TEST(EmergencyPathway, CentersAndAmbulancesShortenTheTimeToTreatment) {
    const Rows measured = run({kMeasure});
    const Rows pathway = run({kMeasure, "policy.emergency_pathway.centers=[county_hospital]",
                              "policy.emergency_pathway.ambulance_share=0.5"});
    ASSERT_EQ(measured.size(), pathway.size());
    for (std::size_t r = 0; r < measured.size(); ++r) {
        auto both = [&](const std::string& key) {
            return std::pair{value(measured[r], key), value(pathway[r], key)};
        };
        const auto [time_before, time_after] = both("time_to_treatment_minutes");
        EXPECT_LT(time_after, time_before) << "replication " << r;
        const auto [within_before, within_after] = both("time_to_treatment_within");
        EXPECT_GT(within_after, within_before) << "replication " << r;
        const auto [center_before, center_after] = both("emergency_center_share");
        EXPECT_EQ(center_before, 0);
        EXPECT_GT(center_after, 0.5) << "replication " << r;
        // Callers skip the townships' emergency services on the way to the center.
        const auto [township_before, township_after] = both("visits_township");
        EXPECT_LT(township_after, township_before) << "replication " << r;
    }
}

TEST(EmergencyPathway, DispatchDelayLengthensTheTripToTheDoor) {
    const std::string all_call = "policy.emergency_pathway.ambulance_share=1";
    const Rows quick = run({kMeasure, all_call});
    const Rows slow =
        run({kMeasure, all_call, "policy.emergency_pathway.ambulance_dispatch_minutes=30"});
    for (std::size_t r = 0; r < quick.size(); ++r) {
        EXPECT_EQ(value(quick[r], "emergency_ambulance_share"), 1);
        // Every trip to the door now waits 30 minutes more: the first and each transfer up.
        EXPECT_GE(value(slow[r], "onset_to_door_minutes"),
                  value(quick[r], "onset_to_door_minutes") + 30 - 1e-9)
            << "replication " << r;
    }
}

}  // namespace
