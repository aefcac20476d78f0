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
