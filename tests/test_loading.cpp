// Loading grows linearly with the file (issue 18 item 4; the 50 MB valid file is
// Bounds.FiftyMegabyteScenarioValidates, the megabyte-long key
// Loader.MegabyteLongUnknownKeyIsReportedWithoutASuggestion). Nothing here is timed: the tests are
// registered with their own ctest TIMEOUT (tests/CMakeLists.txt), a hang detector that a
// quadratic loader overruns by minutes. tools/gen_big_scenario.py writes the files measured in
// docs/performance.md ("Loading a large scenario").
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "../src/scenario/fast_episodes.h"
#include "cmasim/scenario/loader.h"

namespace cmasim {
namespace {

std::string minimal_county() {
    std::ifstream in(std::string(CMASIM_SOURCE_DIR) + "/tests/data/valid/minimal.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int lines_in(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

/// Scripted episode i as one flow map a line, in the shapes the fast reader takes (keys in any
/// order, `time` left out, ids with '_' and '-'); `village` replaces v1 in episode `odd`.
std::string episodes(int n, int odd = -1, const std::string& village = "v1") {
    std::string out = "episodes:\n";
    const char* times[] = {"\"08:15\"", "\"00:00\"", "\"23:59\"", "\"16:30\""};
    for (int i = 0; i < n; ++i) {
        const std::string v = i == odd ? village : "v1";
        const std::string day = std::to_string(i % 366);
        switch (i % 3) {
            case 0:
                out += "  - {day: " + day + ", time: " + times[i % 4] + ", village: " + v +
                       ", condition: minor}\n";
                break;
            case 1:
                out += "  - {condition: minor,  village: " + v + ", day: " + day + "}\n";
                break;
            default:
                out += "  - {village: " + v + ", time: " + times[i % 4] +
                       ", condition: minor, day: " + day + "}   \n";
        }
    }
    return out;
}

// A long `episodes:` list is read by the loader's own reader (fast_episodes.h) instead of
// yaml-cpp's node tree; the scenario is the one the general path reads. A comment after the
// list keeps a file on the general path.
TEST(Loading, ALongEpisodeListReadsAsTheGeneralPathReadsIt) {
    const std::string text = minimal_county() + episodes(5000);
    ASSERT_TRUE(scenario::detail::split_scripted_episodes(text, {}).has_value());
    ASSERT_FALSE(scenario::detail::split_scripted_episodes(text + "# end\n", {}).has_value());
    const scenario::Scenario fast = scenario::load_scenario_string(text, "fast.yaml");
    const scenario::Scenario general = scenario::load_scenario_string(text + "# end\n", "g.yaml");
    ASSERT_EQ(fast.episodes.size(), 5000u);
    ASSERT_EQ(general.episodes.size(), fast.episodes.size());
    for (std::size_t i = 0; i < fast.episodes.size(); ++i) {
        const auto& f = fast.episodes[i];
        const auto& g = general.episodes[i];
        ASSERT_EQ(std::tie(f.at, f.village, f.condition, f.aged, f.emergency, f.day, f.time_of_day),
                  std::tie(g.at, g.village, g.condition, g.aged, g.emergency, g.day, g.time_of_day))
            << "episode " << i;
    }
    EXPECT_EQ(fast.episodes[4999].at, 4999 % 366 * 86400);  // no time: midnight
    EXPECT_EQ(fast.episodes[4998].at, 4998 % 366 * 86400 + 23 * 3600 + 59 * 60);  // "23:59"
}

// A mistake anywhere in a long list gets the general path's message, located in the whole file.
TEST(Loading, AMistakeInALongEpisodeListGetsTheGeneralMessage) {
    const std::string text = minimal_county() + episodes(5000, 3001, "v2");
    const auto message = [](const std::string& t) {
        try {
            scenario::load_scenario_string(t, "long.yaml");
        } catch (const scenario::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("loaded");
    };
    const std::string fast = message(text);
    EXPECT_EQ(fast, message(text + "# end\n")) << fast;
    EXPECT_NE(fast.find("long.yaml:" + std::to_string(lines_in(minimal_county()) + 3003) + ":"),
              std::string::npos)
        << fast;
    EXPECT_NE(fast.find("'v2'"), std::string::npos) << fast;
}

// 200,000 scripted episodes, each with a key the schema does not know and none of the three it
// requires: 800,000 located messages. Converting each message's byte column to characters used to
// scan the file from its start, and each unknown key rebuilt the schema's key list for its hint:
// quadratic: `cmasim validate` on 20,000 such episodes (`python3 tools/gen_big_scenario.py
// --errors 20000`) took 9.4 s of CPU against 0.57 s now, and the gap grows with the square of the
// count; this test's 200,000 take about 6 s of CPU now (docs/performance.md, "Loading a large
// scenario"). The ctest TIMEOUT of 300 s is the guard.
TEST(Loading, AnErrorOnEveryLineIsReportedWhole) {
    constexpr int kEpisodes = 200'000;
    std::string text = minimal_county() + "episodes:\n";
    const int first_line = lines_in(text) + 1;
    for (int i = 0; i < kEpisodes; ++i) text += "  - {bogus: 1}\n";
    try {
        scenario::load_scenario_string(text, "many.yaml");
        FAIL() << "loaded a file with an unknown key on every line";
    } catch (const scenario::ScenarioError& e) {
        const auto& d = e.diagnostics();
        ASSERT_EQ(d.size(), static_cast<std::size_t>(4 * kEpisodes));
        EXPECT_EQ(d.front().line, first_line);
        EXPECT_EQ(d.back().line, first_line + kEpisodes - 1);
        EXPECT_EQ(d.back().column, 6);
        EXPECT_EQ(d.back().key_path, "episodes[199999]");
        EXPECT_EQ(d.back().message, "unknown key 'bogus'");
        const std::string what = e.what();
        EXPECT_EQ(what.substr(what.rfind('\n') + 1), "800000 errors");
    }
}

}  // namespace
}  // namespace cmasim
