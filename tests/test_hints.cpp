// Messages that say how to fix a natural mistake (docs/planners.md): a share written in percent
// points, full-width punctuation from a Chinese input method, tabs, a key read under the wrong
// parent by its indentation; columns counted in characters; the number of problems at the end.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cmasim/scenario/loader.h"

namespace cmasim::scenario {
namespace {

std::string tiny_text() {
    std::ifstream in(std::filesystem::path(CMASIM_SOURCE_DIR) / "scenarios/tiny.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The error text of tiny.yaml with the first `from` replaced by `to`.
std::string error_of(const std::string& from, const std::string& to) {
    std::string text = tiny_text();
    const auto at = text.find(from);
    if (at == std::string::npos) return "test setup: no '" + from + "' in tiny.yaml";
    text.replace(at, from.size(), to);
    try {
        load_scenario_string(text, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "loaded";
}

struct HintCase {
    const char* name;
    const char* from;
    const char* to;
    std::vector<std::string> expected;
};

class Hints : public ::testing::TestWithParam<HintCase> {};

TEST_P(Hints, SayHowToFix) {
    const HintCase& c = GetParam();
    const std::string what = error_of(c.from, c.to);
    for (const auto& part : c.expected)
        EXPECT_NE(what.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << what;
}

INSTANTIATE_TEST_SUITE_P(
    Loader, Hints,
    ::testing::Values(
        HintCase{"ShareInPercentPoints",
                 "aged_share: 0.18",
                 "aged_share: 13.6",
                 {"t.yaml:23:",
                  "villages[e1].aged_share: must be <= 1, got 13.6 (a share is a "
                  "number from 0 to 1: write 0.136 or 13.6%)"}},
        HintCase{"PercentOutsideAShare",
                 "population: 1800",
                 "population: 18%",
                 {"expected a whole number, got '18%'"}},
        HintCase{"PercentOfANonShare",
                 "b_time: -0.04",
                 "b_time: -4%",
                 {"only a share (0 to 1) may be written in percent"}},
        HintCase{"FullWidthComma",
                 "population: 1800,",
                 "population: 1800，",
                 {"t.yaml:23:", "replace '，' with ','"}},
        HintCase{"FullWidthCommaInAValue",
                 "replications: 4",
                 "replications: 4，",
                 {"got '4，'", "replace '，' with ','"}},
        HintCase{"FullWidthColon", "seed: 20261122", "seed：20261122", {"replace '：' with ':'"}},
        HintCase{"FullWidthColonInAFlowMap",
                 "{id: e2, township: east",
                 "{id: e2, township：east",
                 {"replace '：' with ':'"}},
        HintCase{"TabIndentation",
                 "  outpatient_cap: 100",
                 "\toutpatient_cap: 100",
                 {"t.yaml:", "has a tab: YAML indents with spaces only"}},
        HintCase{"KeyUnderTheWrongParent",
                 "  outpatient_cap: 100",
                 "  outpatient_cap: 100\n  self_referral_probability: 0.1",
                 {"insurance: unknown key 'self_referral_probability' (this line is read under "
                  "'insurance' because of its indentation, but 'self_referral_probability' "
                  "belongs under 'behaviour'"}},
        HintCase{"FlagInChinese", "alliance: false", "alliance: 不是", {"expected true or false"}}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(Hints, ColumnsCountCharactersNotBytes) {
    // 东山村 is 3 characters and 9 bytes: the value 'x' stands at character 53.
    const std::string what = error_of("{id: e1, township: east, population: 1800",
                                      "{id: e1, name: 东山村, township: east, population: x");
    EXPECT_NE(what.find("t.yaml:23:53: villages[e1].population"), std::string::npos) << what;
}

TEST(Hints, TheNumberOfProblemsEndsTheMessage) {
    std::string text = tiny_text();
    for (const char* bad : {"population: 1800", "population: 1200"}) {
        text.replace(text.find(bad), std::string(bad).size(), "population: many");
    }
    try {
        load_scenario_string(text, "t.yaml");
        FAIL();
    } catch (const ScenarioError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.substr(what.rfind('\n') + 1), "2 errors") << what;
    }
}

}  // namespace
}  // namespace cmasim::scenario
