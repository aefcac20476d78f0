// Bounds on every number and total of a scenario or sweep file (issue 18): the adversarial
// corpus of tests/data/invalid/ fails with exit 2 and a located message, the totals and the
// sweep point limit sit exactly at their documented values, UTF-8 ids work in sweep key paths,
// and a 50 MB scenario loads.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cmasim/model/county.h"
#include "cmasim/scenario/key_path.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/sweep/plan.h"
#include "cmasim/sweep/spec.h"
#include "invalid_corpus.h"

namespace cmasim {
namespace {

namespace fs = std::filesystem;
using testing::expect_located;
using testing::invalid_files;
using testing::is_sweep_file;

const fs::path kSource = CMASIM_SOURCE_DIR;

fs::path temp_dir(const std::string& name) {
    const fs::path dir =
        fs::temp_directory_path() / ("cmasim_bounds_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(Bounds, EachInvalidSweepFileFailsWithItsMessage) {
    std::size_t checked = 0;
    for (const auto& file : invalid_files()) {
        if (!is_sweep_file(file)) continue;
        SCOPED_TRACE(file.filename().string());
        ++checked;
        try {
            sweep::make_plan(sweep::load_sweep_file(file));
            ADD_FAILURE() << "planned without error";
        } catch (const scenario::ScenarioError& e) {
            expect_located(e.what(), file);
        }
    }
    EXPECT_GE(checked, 15u);
}

// The command line turns every file of the corpus into exit 2 (bad input) with the message on
// stderr: never exit 1 (a failure during the run), a crash or a hang.
TEST(Bounds, EveryInvalidFileExitsWithTwo) {
    const fs::path log = temp_dir("exit") / "stderr.txt";
    for (const auto& file : invalid_files()) {
        SCOPED_TRACE(file.filename().string());
        const std::string args = is_sweep_file(file)
                                     ? "sweep \"" + file.string() + "\" --list-points"
                                     : "validate \"" + file.string() + "\"";
        const std::string command = std::string("\"") + CMASIM_BINARY + "\" " + args +
                                    " > /dev/null 2> \"" + log.string() + "\"";
        const int status = std::system(command.c_str());
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 2);
        const std::string err = read_all(log);
        const auto expected = testing::expectations_of(file);
        ASSERT_FALSE(expected.messages.empty());
        EXPECT_NE(err.find(expected.messages.front()), std::string::npos) << err;
    }
    fs::remove_all(log.parent_path());
}

/// The minimal county of tests/data/valid/minimal.yaml with `extra` villages (and clinics)
/// added to its township.
std::string county_with_villages(int extra, const std::string& population = "1000") {
    std::string villages =
        "villages:\n  - {id: v1, township: east, population: " + population + "}\n";
    std::string roads =
        "roads:\n  - {from: v1, to: town, minutes: 10}\n  - {from: town, to: seat, minutes: 30}\n";
    for (int i = 0; i < extra; ++i) {
        const std::string id = "x" + std::to_string(i);
        villages += "  - {id: " + id + ", township: east, population: " + population + "}\n";
        roads += "  - {from: " + id + ", to: town, minutes: 5}\n";
    }
    return "name: big\nplaces: [{id: seat}, {id: town}]\ntownships: [{id: east, seat: town}]\n" +
           villages + roads +
           "facilities:\n  - {id: v1_clinic, level: village, place: v1, village: v1, township: "
           "east}\n"
           "  - {id: hospital, level: county, place: seat, beds: 20}\n"
           "conditions: [{id: minor, episodes_per_person_year: 2, consult_minutes: 10}]\n"
           "referral: {rules: [{from: village, to: hospital}]}\n";
}

std::string load_error(const std::string& yaml) {
    try {
        scenario::load_scenario_string(yaml, "big.yaml");
    } catch (const scenario::ScenarioError& e) {
        return e.what();
    }
    return {};
}

TEST(Bounds, VillageCountLimitIsExactly2000) {
    EXPECT_EQ(load_error(county_with_villages(1999)), "");
    const std::string err = load_error(county_with_villages(2000));
    EXPECT_NE(err.find("2001 villages, more than the limit of 2000"), std::string::npos) << err;
    EXPECT_EQ(err.rfind("big.yaml:5:", 0), 0u) << err;  // located at the villages list
}

TEST(Bounds, CountyPopulationLimitIsExactly20Million) {
    EXPECT_EQ(load_error(county_with_villages(1, "10000000")), "");
    const std::string err = load_error(county_with_villages(2, "10000000"));
    EXPECT_NE(err.find("the county has 30000000 residents, more than the limit of 20000000"),
              std::string::npos)
        << err;
    // Each village alone is bounded, so no sum of them can wrap.
    const std::string one = load_error(county_with_villages(0, "9223372036854775807"));
    EXPECT_NE(one.find("villages[v1].population: must be <= 20000000"), std::string::npos) << one;
}

TEST(Bounds, SweepPointLimitIsExactly10000) {
    auto sweep_text = [](int values, int samples) {
        std::string grid = "[";
        for (int i = 0; i < values; ++i) grid += (i ? ", " : "") + std::to_string(i);
        std::string text =
            "base: base.yaml\nparameters:\n  - {path: seed_like, values: " + grid + "]}\n";
        text += "  - {path: choice.b_time, between: [-0.06, -0.01]}\n";
        return text + "design: {method: latin_hypercube, samples: " + std::to_string(samples) +
               "}\n";
    };
    EXPECT_NO_THROW(sweep::load_sweep_string(sweep_text(100, 100), "s.yaml"));
    try {
        sweep::load_sweep_string(sweep_text(101, 100), "s.yaml");
        FAIL() << "10,100 points accepted";
    } catch (const scenario::ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("s.yaml:3:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("more than the limit of 10000"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(sweep::kMaxPoints, 10'000u);
}

TEST(Bounds, KeyPathsTakeUtf8IdsAndRefuseHugeIndices) {
    std::string error;
    const auto path = scenario::parse_key_path("facilities[县人民医院].doctors", error);
    ASSERT_TRUE(path) << error;
    ASSERT_EQ(path->size(), 3u);
    EXPECT_EQ((*path)[1].key, "县人民医院");
    EXPECT_FALSE((*path)[1].index);
    EXPECT_EQ((*path)[2].key, "doctors");
    EXPECT_TRUE(scenario::parse_key_path("policy.payment.case_rates.重症.county", error)) << error;
    EXPECT_FALSE(scenario::parse_key_path("facilities[99999999999999999999999].doctors", error));
    EXPECT_EQ(error, "list index [99999999999999999999999] is too large");
    const auto index = scenario::parse_key_path("roads[18446744073709551615].minutes", error);
    ASSERT_TRUE(index) << error;
    EXPECT_EQ((*index)[1].index, std::size_t{18446744073709551615u});
}

// Loading is linear in the file's size, so a 50 MB scenario - a county with 850,000 scripted
// episodes, one flow map a line, the shape the loader reads without yaml-cpp's tree
// (src/scenario/fast_episodes.h) - loads and compiles as `cmasim validate` does. Nothing is
// timed: a super-linear loader would time the test out.
TEST(Bounds, FiftyMegabyteScenarioValidates) {
    const fs::path dir = temp_dir("large");
    const fs::path file = dir / "large.yaml";
    std::size_t episodes = 0;
    {
        std::ofstream out(file);
        out << county_with_villages(20) << "episodes:\n";
        std::size_t bytes = county_with_villages(20).size();
        const std::string times[] = {"\"08:15\"", "\"10:40\"", "\"14:05\"", "\"16:30\""};
        while (bytes < 50'000'000) {
            const std::string line = "  - {day: " + std::to_string(episodes % 365) +
                                     ", time: " + times[episodes % 4] + ", village: x" +
                                     std::to_string(episodes % 20) + ", condition: minor}\n";
            out << line;
            bytes += line.size();
            ++episodes;
        }
    }
    ASSERT_GE(fs::file_size(file), 50'000'000u);
    const scenario::Scenario s = scenario::load_scenario(file);
    EXPECT_EQ(s.episodes.size(), episodes);
    EXPECT_EQ(s.episodes.back().village, "x" + std::to_string((episodes - 1) % 20));
    const model::County county = model::compile_county(s);
    EXPECT_EQ(county.villages.size(), 21u);
    fs::remove_all(dir);
}

// A sweep varies a facility whose id is Chinese, with the key path --set takes.
TEST(Bounds, SweepPathWithUtf8Id) {
    const fs::path dir = temp_dir("utf8");
    std::string tiny = read_all(kSource / "scenarios/tiny.yaml");
    for (std::size_t at = tiny.find("county_hospital"); at != std::string::npos;
         at = tiny.find("county_hospital", at)) {
        tiny.replace(at, std::string("county_hospital").size(), "县人民医院");
    }
    std::ofstream(dir / "base.yaml") << tiny;
    std::ofstream(dir / "cn.yaml")
        << "base: base.yaml\nparameters:\n"
           "  - {path: \"facilities[县人民医院].doctors\", values: [3, 4]}\n";
    const sweep::SweepPlan plan = sweep::make_plan(sweep::load_sweep_file(dir / "cn.yaml"));
    ASSERT_EQ(plan.points.size(), 2u);
    const scenario::Scenario second = sweep::load_point(plan, 1);
    int doctors = 0;
    for (const auto& f : second.facilities) {
        if (f.id == "县人民医院") doctors = f.doctors;
    }
    EXPECT_EQ(doctors, 4);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace cmasim
