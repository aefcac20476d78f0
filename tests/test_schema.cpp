// The schema documents itself: every key has a description, every numeric key has bounds, and
// docs/scenario-reference.md is exactly what the schema generates.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cmasim/scenario/schema.h"

namespace cmasim::scenario {
namespace {

TEST(Schema, EveryKeyIsDescribed) {
    const auto keys = schema_keys();
    ASSERT_GT(keys.size(), 100u);
    for (const auto& k : keys) {
        EXPECT_FALSE(k.description.empty()) << k.path << " has no description";
        EXPECT_FALSE(k.type.empty()) << k.path << " has no type";
        EXPECT_TRUE(k.required || !k.default_value.empty()) << k.path << " has no default";
    }
}

// Every number that feeds arithmetic has an upper bound, so that no sum, product or conversion
// to seconds or fen can overflow (src/scenario/limits.h says what each protects).
TEST(Schema, EveryNumericKeyHasBounds) {
    std::set<std::string> unbounded;
    for (const auto& k : schema_keys()) {
        if (!k.numeric) continue;
        if (!k.unbounded_reason.empty()) {
            unbounded.insert(k.path);
            continue;
        }
        EXPECT_TRUE(k.min.has_value()) << k.path << " is numeric but has no lower bound";
        EXPECT_TRUE(k.max.has_value()) << k.path << " is numeric but has no upper bound";
        if (k.min && k.max) {
            EXPECT_LT(k.min->value, k.max->value) << k.path;
        }
    }
    // Deliberate exceptions, each with a reason shown in the reference.
    EXPECT_EQ(unbounded, (std::set<std::string>{"seed", "synthetic_county.seed",
                                                "targets.<name>.min", "targets.<name>.max"}));
}

TEST(Schema, PathsAreUnique) {
    std::set<std::string> seen;
    for (const auto& k : schema_keys()) EXPECT_TRUE(seen.insert(k.path).second) << k.path;
    EXPECT_TRUE(seen.count("facilities[].doctors"));
    EXPECT_TRUE(seen.count("synthetic_county.village_clinic.opening"));
    EXPECT_TRUE(seen.count("referral.rules[].from"));
}

TEST(Schema, SectionsHaveExamples) {
    for (const auto& s : schema_sections()) {
        if (s.shape == KeyShape::Value) continue;
        EXPECT_FALSE(s.example.empty()) << s.key << " has no example";
        EXPECT_EQ(s.example.rfind(s.key + ":", 0), 0u) << s.key << " example starts elsewhere";
    }
}

TEST(Schema, ReferenceDocumentIsUpToDate) {
    const std::string path = CMASIM_SOURCE_DIR "/docs/scenario-reference.md";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing; generate it with: "
                    << "build/release/cmasim schema > docs/scenario-reference.md";
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_TRUE(text.str() == schema_reference_markdown())
        << path << " differs from the schema; regenerate it with: "
        << "build/release/cmasim schema > docs/scenario-reference.md";
}

TEST(Schema, ReferenceNamesEveryKey) {
    const std::string md = schema_reference_markdown();
    for (const auto& k : schema_keys()) {
        EXPECT_NE(md.find("`" + k.path + "`"), std::string::npos) << k.path;
    }
}

}  // namespace
}  // namespace cmasim::scenario
