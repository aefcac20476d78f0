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

// 100,000 scripted episodes, each with a key the schema does not know: 100,000 located messages.
// Converting each message's byte column to characters used to scan the file from its start, and
// each unknown key rebuilt the schema's key list for its hint: `cmasim validate` on this file took
// 78 s of CPU (608 s on the loaded machine), 4 s now, most of it yaml-cpp's parse
// (docs/performance.md, "Loading a large scenario").
TEST(Loading, AnErrorOnEveryLineIsReportedWhole) {
    constexpr int kEpisodes = 100'000;
    std::string text = minimal_county() + "episodes:\n";
    const int first_line = lines_in(text) + 1;
    for (int i = 0; i < kEpisodes; ++i)
        text += "  - {day: 1, time: \"08:15\", village: v1, condition: minor, bogus: 1}\n";
    try {
        scenario::load_scenario_string(text, "many.yaml");
        FAIL() << "loaded a file with an unknown key on every line";
    } catch (const scenario::ScenarioError& e) {
        const auto& d = e.diagnostics();
        ASSERT_EQ(d.size(), static_cast<std::size_t>(kEpisodes));
        EXPECT_EQ(d.front().line, first_line);
        EXPECT_EQ(d.back().line, first_line + kEpisodes - 1);
        EXPECT_EQ(d.back().column, 60);
        EXPECT_EQ(d.back().key_path, "episodes[99999]");
        EXPECT_EQ(d.back().message, "unknown key 'bogus'");
        const std::string what = e.what();
        EXPECT_EQ(what.substr(what.rfind('\n') + 1), "100000 errors");
    }
}

}  // namespace
}  // namespace cmasim
