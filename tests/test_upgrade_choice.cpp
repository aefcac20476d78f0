// Upgrading a township for a condition (a sub-center, remote consultation, a stationed
// physician) makes it no dearer to start there (expected_cost.h), so its first contacts for
// that condition never fall, other things equal: base and upgrade run with common random
// numbers over the lever test county (tests/data/levers/county.yaml).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/observer.h"
#include "cmasim/scenario/loader.h"

namespace {

namespace model = cmasim::model;
using cmasim::model::County;
using cmasim::model::VisitKind;
using cmasim::scenario::Level;

const std::string kSource = CMASIM_SOURCE_DIR;

/// First contacts at township centers for one condition, in the statistics window.
class TownshipFirstContacts final : public model::ModelObserver {
  public:
    TownshipFirstContacts(const County& c, std::uint32_t condition)
        : c_(c), condition_(condition) {}
    using ModelObserver::on;
    void on(const model::FacilityChosen& e) override {
        if (e.kind != VisitKind::FirstContact || e.at < c_.warmup ||
            e.at >= c_.warmup + c_.horizon || e.patient.condition.index() != condition_ ||
            c_.facility(e.facility).level != Level::Township)
            return;
        ++count;
    }
    std::uint64_t count = 0;

  private:
    const County& c_;
    std::uint32_t condition_;
};

/// Township first contacts for `serious`, summed over the scenario's replications.
std::uint64_t serious_at_townships(const std::string& file, const std::vector<std::string>& sets) {
    cmasim::scenario::LoadOptions o;
    o.overrides = sets;
    const County county =
        model::compile_county(cmasim::scenario::load_scenario(kSource + "/" + file, o));
    std::uint32_t serious = 0;
    while (county.conditions[serious].spec.id != "serious") ++serious;
    std::uint64_t total = 0;
    for (int rep = 0; rep < county.scenario.replications; ++rep) {
        TownshipFirstContacts count(county, serious);
        model::simulate_replication(county, static_cast<std::uint64_t>(rep), count);
        total += count.count;
    }
    return total;
}

struct Upgrade {
    const char* name;
    const char* county;  ///< the scenario file, from the source directory
    std::string set;
};

constexpr const char* kLevers = "tests/data/levers/county.yaml";
constexpr const char* kTiny = "scenarios/tiny.yaml";

class UpgradeChoice : public ::testing::TestWithParam<Upgrade> {};

TEST_P(UpgradeChoice, TownshipFirstContactsNeverFall) {
    // Both runs give the county hospital the doctors stationed physicians take from it.
    const std::string doctors = "facilities[county_hospital].doctors=6";
    const std::uint64_t base = serious_at_townships(GetParam().county, {doctors});
    const std::uint64_t upgraded =
        serious_at_townships(GetParam().county, {doctors, GetParam().set});
    EXPECT_GT(base, 0U);
    EXPECT_GE(upgraded, base) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    UpgradeTable, UpgradeChoice,
    ::testing::Values(
        Upgrade{"levers_remote_consultation", kLevers,
                "policy.remote_consultation={conditions: [serious], levels: [township]}"},
        Upgrade{"levers_stationed_physician", kLevers,
                "policy.stationed_physicians={per_township: 1, also_treats: [serious]}"},
        Upgrade{"levers_sub_center", kLevers,
                "policy.facility_changes=[{level: township, sub_center: true, "
                "also_treats: [serious]}]"},
        Upgrade{"tiny_remote_consultation", kTiny,
                "policy.remote_consultation={conditions: [serious], levels: [township]}"},
        Upgrade{"tiny_stationed_physician", kTiny,
                "policy.stationed_physicians={per_township: 1, also_treats: [serious]}"},
        Upgrade{"tiny_sub_center", kTiny,
                "policy.facility_changes=[{level: township, sub_center: true, "
                "also_treats: [serious]}]"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
