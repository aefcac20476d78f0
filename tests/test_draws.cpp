// A calibration's parameter draws in `run` and `compare` (--draws, docs/calibration.md): each
// replication runs its draw's values, every arm of a comparison the same draw, and a draws file
// naming a key the scenario lacks, or a value it refuses, is refused at its line and column.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cmasim/calibrate/draws.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/scenarios.h"
#include "temp_dir.h"

namespace cmasim {
namespace {

namespace fs = std::filesystem;

const fs::path kTiny = fs::path(CMASIM_SOURCE_DIR) / "scenarios/tiny.yaml";
const std::string kRate = "conditions[minor_acute].episodes_per_person_year";
const std::vector<std::string> kShort = {"horizon_days=30"};

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

/// draws.csv (two rates far apart, by parameter name) and the parameters.csv naming its path.
fs::path write_draws(const fs::path& dir) {
    write(dir / "parameters.csv", "parameter,path,low,high\nminor_rate," + kRate + ",1,6\n");
    write(dir / "draws.csv", "draw,minor_rate\n0,1.5\n1,6\n");
    return dir / "draws.csv";
}

double value_of(const indicators::ReplicationResult& r, const std::string& indicator) {
    for (const auto& v : r.county) {
        if (v.indicator == indicator) return v.value;
    }
    ADD_FAILURE() << "no " << indicator;
    return 0;
}

/// Replication `replication` of tiny.yaml (short) run plainly with the rate set to `rate`.
double plain_visits(const std::string& rate, std::uint64_t replication) {
    auto overrides = kShort;
    overrides.push_back(kRate + "=" + rate);
    const auto s = sweep::load_scenario_source(kTiny, {}, sweep::load_options(overrides));
    return value_of(model::run_replication(model::compile_county(s), replication),
                    "visits_per_capita");
}

TEST(Draws, EachReplicationRunsItsDrawsValues) {
    testing_support::TempDir dir("draws_values");
    const auto draws = calibrate::load_draws(write_draws(dir.path));
    ASSERT_EQ(draws.paths, std::vector<std::string>{kRate});
    const auto scenarios = calibrate::draw_scenarios(draws, kTiny, kShort, 4);
    ASSERT_EQ(scenarios.size(), 2u);
    const auto seed = scenarios[0].seed;
    const auto one = calibrate::run_with_draws(scenarios, 4, seed, 1);
    const auto two = calibrate::run_with_draws(scenarios, 4, seed, 2);
    for (std::uint64_t r = 0; r < 4; ++r) {
        const double visits = value_of(one[r], "visits_per_capita");
        EXPECT_EQ(one[r].replication, r);
        EXPECT_EQ(visits, plain_visits(r % 2 == 0 ? "1.5" : "6", r)) << "replication " << r;
        EXPECT_EQ(visits, value_of(two[r], "visits_per_capita")) << "threads changed a value";
    }
    // The two rates are a factor of four apart: the draws did change the runs.
    EXPECT_GT(value_of(one[1], "visits_per_capita"), 2 * value_of(one[0], "visits_per_capita"));
}

TEST(Draws, EveryArmOfAComparisonRunsTheSameDrawInTheSameReplication) {
    testing_support::TempDir dir("draws_compare");
    const auto draws = calibrate::load_draws(write_draws(dir.path));
    write(dir.path / "short.yaml", "extends: " + kTiny.string() + "\nhorizon_days: 30\n");
    const auto file = (dir.path / "short.yaml").string();
    const auto s = sweep::load_scenario_source(file, {}, sweep::load_options());
    sweep::ComparisonOptions o;
    o.replications = 4;
    const auto run =
        calibrate::compare_with_draws({{"a", file, s, ""}, {"b", file, s, ""}}, o, draws);
    ASSERT_TRUE(run.comparison.paired);
    for (const auto& i : run.comparison.indicators) {
        if (i.indicator != "visits_per_capita") continue;
        EXPECT_GT(i.scenario[0].sd, 1.0);  // the draws spread the arm's replications
        EXPECT_EQ(i.difference[1].mean, 0.0);
        EXPECT_EQ(i.difference[1].sd, 0.0);  // replication by replication the same draw
    }
}

std::string refusal(const fs::path& draws) {
    try {
        calibrate::draw_scenarios(calibrate::load_draws(draws), kTiny, kShort, 2);
    } catch (const scenario::ScenarioError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(Draws, AColumnTheScenarioLacksOrAValueItRefusesIsLocated) {
    testing_support::TempDir dir("draws_bad");
    write(dir.path / "a.csv", "draw," + kRate + ",choice.level_constant.countyy\n0,2,0\n");
    EXPECT_NE(refusal(dir.path / "a.csv")
                  .find("a.csv:1:" + std::to_string(7 + kRate.size()) +
                        ": choice.level_constant.countyy"),
              std::string::npos)
        << refusal(dir.path / "a.csv");
    write(dir.path / "b.csv", "draw," + kRate + "\n0,2\n1,-3\n");
    EXPECT_NE(refusal(dir.path / "b.csv").find("b.csv:3:3: " + kRate), std::string::npos)
        << refusal(dir.path / "b.csv");
    write(dir.path / "c.csv", "replication,x\n0,2\n");
    EXPECT_NE(refusal(dir.path / "c.csv").find("c.csv:1:1"), std::string::npos);
}

TEST(Draws, TheCommandLineExitsWithTwoOnAnUnknownColumn) {
    testing_support::TempDir dir("draws_cli");
    write(dir.path / "draws.csv", "draw,no_such_parameter\n0,1\n");
    const fs::path err = dir.path / "err.txt";
    const std::string run = std::string(CMASIM_BINARY) + " run " + kTiny.string() +
                            " -r 2 -q --draws " + (dir.path / "draws.csv").string() + " --out " +
                            (dir.path / "out").string() + " 2>" + err.string();
    EXPECT_EQ(WEXITSTATUS(std::system(run.c_str())), 2);
    std::ostringstream text;
    text << std::ifstream(err).rdbuf();
    EXPECT_NE(text.str().find("draws.csv:1:6: no_such_parameter"), std::string::npos) << text.str();
    EXPECT_FALSE(fs::exists(dir.path / "out"));  // refused before anything ran
}

}  // namespace
}  // namespace cmasim
