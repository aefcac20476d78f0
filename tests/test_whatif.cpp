// What-if scenarios: `extends:` merges a base file at the YAML level (maps by key, lists of
// records by id, other values replaced, ~ removes), `--set` overrides change single values, and
// every message still names the file (or override) and line a value came from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cmasim/scenario/loader.h"

namespace cmasim::scenario {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(CMASIM_SOURCE_DIR) / "tests/data/whatif";

std::string label(const std::string& name) {
    return (kData / name).string();
}

const Facility& facility(const Scenario& s, const std::string& id) {
    for (const auto& f : s.facilities) {
        if (f.id == id) return f;
    }
    throw std::runtime_error("no facility " + id);
}

const Target* target(const Scenario& s, const std::string& indicator) {
    for (const auto& t : s.targets) {
        if (t.indicator == indicator) return &t;
    }
    return nullptr;
}

int line_of(const fs::path& file, const std::string& needle) {
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.find(needle) != std::string::npos) return n;
    }
    return 0;
}

LoadOptions with_sets(std::vector<std::string> sets) {
    LoadOptions o;
    o.overrides = std::move(sets);
    return o;
}

/// The diagnostics of a load that must fail.
std::vector<Diagnostic> errors_of(const fs::path& file, const LoadOptions& options = {}) {
    try {
        load_scenario(file, options);
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    ADD_FAILURE() << file << " loaded without error";
    return {};
}

// --- extends ---------------------------------------------------------------------------

TEST(WhatIf, ListOfRecordsMergesById) {
    const Scenario base = load_scenario(kData / "base.yaml");
    const Scenario s = load_scenario(kData / "more_doctors.yaml");
    ASSERT_EQ(s.facilities.size(), base.facilities.size() + 1);
    EXPECT_EQ(facility(s, "hospital").doctors, 15);  // overridden
    EXPECT_EQ(facility(s, "hospital").beds, 20);     // inherited from the same record
    EXPECT_EQ(facility(s, "town_center").doctors, 2);
    EXPECT_EQ(facility(s, "v1_clinic").township, "east");
    EXPECT_EQ(s.facilities.back().id, "v3_clinic");  // a new id is appended, in order
    ASSERT_EQ(s.villages.size(), 3u);
    EXPECT_EQ(s.villages[2].id, "v3");
    EXPECT_DOUBLE_EQ(s.villages[0].contract_share, 0.3);
    // Records keep the place they were written.
    EXPECT_EQ(facility(s, "hospital").source.file, label("base.yaml"));
    EXPECT_EQ(facility(s, "hospital").source.line, line_of(kData / "base.yaml", "id: hospital"));
    EXPECT_EQ(facility(s, "v3_clinic").source.file, label("more_doctors.yaml"));
    EXPECT_EQ(facility(s, "v3_clinic").source.line,
              line_of(kData / "more_doctors.yaml", "id: v3_clinic"));
    // Conditions merge by id too: the per-level map merges, the county distribution is replaced.
    const Condition& minor = s.conditions[0];
    EXPECT_DOUBLE_EQ(minor.consult_minutes[idx(Level::County)].mean(), 8);
    EXPECT_EQ(minor.consult_minutes[idx(Level::County)].kind(), sim::Distribution::Kind::Fixed);
    EXPECT_DOUBLE_EQ(minor.consult_minutes[idx(Level::Village)].mean(), 10);
    EXPECT_DOUBLE_EQ(minor.episodes_per_person_year, 2);
    EXPECT_EQ(s.conditions[1].lowest_level, Level::County);
}

TEST(WhatIf, MapsMergeKeyByKey) {
    const Scenario s = load_scenario(kData / "more_doctors.yaml");
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Township)], 0.9);
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Village)], 0.6);
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::County)], 0.3);
    EXPECT_DOUBLE_EQ(s.insurance.inpatient_ratio[idx(Level::County)], 0.7);
    EXPECT_DOUBLE_EQ(s.insurance.unreferred_penalty[idx(Level::External)], 0.1);
    EXPECT_EQ(s.behaviour.max_attempts, 4);
    const Target* g = target(s, "grassroots_rate");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->min, 0.6);  // merged by indicator: min replaced, max kept
    EXPECT_EQ(g->max, 0.9);
}

TEST(WhatIf, ScalarsAndPlainListsReplace) {
    const Scenario s = load_scenario(kData / "more_doctors.yaml");
    EXPECT_EQ(s.name, "More doctors");
    EXPECT_EQ(s.seed, 11u);  // inherited
    EXPECT_EQ(s.replications, 3);
    ASSERT_EQ(s.roads.size(), 4u);
    EXPECT_EQ(s.roads[2].from, "v3");
    ASSERT_EQ(s.referral.rules.size(), 2u);
    EXPECT_EQ(s.referral.rules[0].to, "town_center");
    EXPECT_EQ(s.source_file, label("more_doctors.yaml"));
}

TEST(WhatIf, NullRemovesAKey) {
    const Scenario base = load_scenario(kData / "base.yaml");
    ASSERT_TRUE(base.behaviour.patience_minutes.has_value());
    ASSERT_NE(target(base, "in_county_rate"), nullptr);
    const Scenario s = load_scenario(kData / "more_doctors.yaml");
    EXPECT_FALSE(s.behaviour.patience_minutes.has_value());
    EXPECT_EQ(target(s, "in_county_rate"), nullptr);
    EXPECT_EQ(s.targets.size(), 1u);
}

TEST(WhatIf, ChainsOfExtends) {
    const Scenario s = load_scenario(kData / "chain.yaml");
    EXPECT_EQ(s.name, "Chain");
    EXPECT_EQ(s.seed, 99u);
    EXPECT_EQ(facility(s, "hospital").doctors, 15);  // from the middle file
    EXPECT_EQ(facility(s, "v3_clinic").level, Level::Village);
    const Facility& center = facility(s, "town_center");
    EXPECT_TRUE(center.sub_center);
    EXPECT_TRUE(center.opening.always);  // `opening: ~` removed the base's hours
    EXPECT_EQ(center.beds, 4);
    EXPECT_DOUBLE_EQ(s.insurance.unreferred_penalty[idx(Level::County)], 0.2);
    EXPECT_DOUBLE_EQ(s.insurance.unreferred_penalty[idx(Level::External)], 0.1);
    EXPECT_TRUE(s.insurance.gatekeeping.enabled);
    EXPECT_DOUBLE_EQ(s.insurance.gatekeeping.penalty[idx(Level::External)], 0.5);
    EXPECT_EQ(s.policy.payment.mode, PaymentMode::GlobalBudget);
    EXPECT_EQ(s.policy.payment.budget_per_resident, 110000);
    ASSERT_EQ(s.policy.changes.size(), 1u);
    EXPECT_EQ(s.policy.changes[0].source.file, label("chain.yaml"));
}

TEST(WhatIf, ExtendsCycleIsAnError) {
    const auto errors = errors_of(kData / "cycle_a.yaml");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("extends cycle: " + label("cycle_a.yaml") + " -> " +
                                     label("cycle_b.yaml") + " -> " + label("cycle_a.yaml")),
              std::string::npos)
        << errors[0].message;
    EXPECT_EQ(errors[0].file, label("cycle_b.yaml"));  // the link that closes the cycle
    EXPECT_EQ(errors[0].line, 2);
}

TEST(WhatIf, ErrorInAnInheritedValueNamesTheBaseFile) {
    const auto errors = errors_of(kData / "inherits_bad.yaml");
    ASSERT_EQ(errors.size(), 2u) << format_diagnostic(errors[0]);
    // The extending file's own problems first, then those of its bases.
    EXPECT_EQ(errors[0].file, label("inherits_bad.yaml"));
    EXPECT_EQ(errors[0].line, line_of(kData / "inherits_bad.yaml", "replications: 0"));
    EXPECT_EQ(errors[0].key_path, "replications");
    EXPECT_EQ(errors[1].file, label("bad_base.yaml"));
    EXPECT_EQ(errors[1].line, line_of(kData / "bad_base.yaml", "doctors: -2"));
    EXPECT_EQ(errors[1].key_path, "facilities[v2_clinic].doctors");
    EXPECT_EQ(errors[1].message, "must be >= 0, got -2");
}

TEST(WhatIf, UnknownKeyMergedIntoABaseMapNamesTheExtendingFile) {
    const auto errors = errors_of(kData / "typo.yaml");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, label("typo.yaml"));
    EXPECT_EQ(errors[0].line, line_of(kData / "typo.yaml", "outpatent_ratio"));
    EXPECT_EQ(errors[0].message, "unknown key 'outpatent_ratio'");
    EXPECT_EQ(errors[0].hint, "did you mean 'outpatient_ratio'?");
}

TEST(WhatIf, MissingOrBrokenBase) {
    auto errors = errors_of(kData / "missing_base.yaml");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, label("missing_base.yaml"));
    EXPECT_NE(errors[0].message.find("cannot read base scenario"), std::string::npos);
    errors = errors_of(kData / "not_a_map_base.yaml");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, label("list.yaml"));
    EXPECT_EQ(errors[0].message, "a base scenario must be a map of keys");
}

TEST(WhatIf, ExtendsFromTextIsRelativeToTheLabel) {
    const std::string text = "extends: base.yaml\nname: From text\n";
    const Scenario s = load_scenario_string(text, label("text.yaml"));
    EXPECT_EQ(s.name, "From text");
    EXPECT_EQ(s.facilities.size(), 4u);
}

// --- --set -----------------------------------------------------------------------------

TEST(WhatIf, SetScalars) {
    const Scenario s =
        load_scenario(kData / "base.yaml",
                      with_sets({"seed=5", "choice.b_time=-0.02", "behaviour.full_ward=refer",
                                 "name=Set from the command line"}));
    EXPECT_EQ(s.seed, 5u);
    EXPECT_DOUBLE_EQ(s.choice.b_time, -0.02);  // `choice` was created
    EXPECT_EQ(s.behaviour.full_ward, FullWardAction::Refer);
    EXPECT_EQ(s.behaviour.max_attempts, 4);  // siblings kept
    EXPECT_EQ(s.name, "Set from the command line");
}

TEST(WhatIf, SetPerLevelEntries) {
    const Scenario s = load_scenario(
        kData / "base.yaml",
        with_sets({"insurance.outpatient_ratio.township=0.9",
                   "insurance.inpatient_ratio.county=0.8",  // the base gives one number
                   "insurance.unreferred_penalty.county=0.15"}));
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Township)], 0.9);
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Village)], 0.6);
    EXPECT_DOUBLE_EQ(s.insurance.inpatient_ratio[idx(Level::County)], 0.8);
    EXPECT_DOUBLE_EQ(s.insurance.inpatient_ratio[idx(Level::Township)], 0.7);  // the default
    EXPECT_DOUBLE_EQ(s.insurance.unreferred_penalty[idx(Level::County)], 0.15);
    EXPECT_DOUBLE_EQ(s.insurance.unreferred_penalty[idx(Level::External)], 0.1);
}

TEST(WhatIf, SetListItemsByIdAndByIndex) {
    const Scenario s = load_scenario(
        kData / "base.yaml",
        with_sets({"facilities[hospital].doctors=90",
                   "facilities[town_center].also_treats=[serious]",
                   "conditions[0].episodes_per_person_year=3",
                   "conditions[minor].consult_minutes.village={dist: fixed, value: 3}",
                   "roads[2].minutes=45", "referral.rules[0]=~"}));
    EXPECT_EQ(facility(s, "hospital").doctors, 90);
    EXPECT_EQ(facility(s, "hospital").beds, 20);
    EXPECT_EQ(facility(s, "town_center").also_treats, std::vector<std::string>{"serious"});
    EXPECT_DOUBLE_EQ(s.conditions[0].episodes_per_person_year, 3);
    EXPECT_DOUBLE_EQ(s.conditions[0].consult_minutes[idx(Level::Village)].mean(), 3);
    EXPECT_DOUBLE_EQ(s.conditions[0].consult_minutes[idx(Level::Township)].mean(), 10);
    EXPECT_DOUBLE_EQ(s.roads[2].minutes, 45);
    ASSERT_EQ(s.referral.rules.size(), 1u);  // ~ removed the list item
    EXPECT_EQ(s.referral.rules[0].from, "township");
}

TEST(WhatIf, SetAppliesAfterExtendsAndCanRemove) {
    const Scenario s = load_scenario(
        kData / "more_doctors.yaml",
        with_sets({"facilities[v3_clinic].doctors=2", "behaviour.max_attempts=~",
                   "policy.payment.mode=global_budget", "policy.payment.budget_per_resident=900"}));
    EXPECT_EQ(facility(s, "v3_clinic").doctors, 2);
    EXPECT_EQ(facility(s, "hospital").doctors, 15);
    EXPECT_EQ(s.behaviour.max_attempts, Behaviour{}.max_attempts);
    EXPECT_EQ(s.policy.payment.budget_per_resident, 90000);
}

TEST(WhatIf, SetPathErrors) {
    const fs::path base = kData / "base.yaml";
    auto only = [&](const std::string& set) {
        auto errors = errors_of(base, with_sets({set}));
        EXPECT_EQ(errors.size(), 1u) << set;
        if (errors.empty()) return Diagnostic{};
        EXPECT_EQ(errors[0].file, "--set " + set);
        EXPECT_EQ(errors[0].line, 0);
        return errors[0];
    };
    Diagnostic d = only("facilities[hospitl].doctors=5");
    EXPECT_EQ(d.message, "no item with id 'hospitl' in 'facilities'");
    EXPECT_EQ(d.hint, "did you mean 'hospital'?");
    EXPECT_EQ(d.key_path, "facilities[hospitl]");
    d = only("conditions[7].follow_ups=1");
    EXPECT_EQ(d.message, "index 7 is out of range: 'conditions' has 2 items");
    d = only("conditions[2]=~");
    EXPECT_NE(d.message.find("out of range"), std::string::npos);
    d = only("seed");
    EXPECT_EQ(d.message, "expected key.path=value, got 'seed'");
    d = only("facilities[hospital.doctors=5");
    EXPECT_NE(d.message.find("malformed key path"), std::string::npos) << d.message;
    d = only("insurance..outpatient_cap=5");
    EXPECT_NE(d.message.find("malformed key path"), std::string::npos) << d.message;
    d = only("seed=");
    EXPECT_EQ(d.message, "no value after '='");
    d = only("seed=[1, 2");
    EXPECT_NE(d.message.find("is not valid YAML"), std::string::npos) << d.message;
    d = only("name[0]=x");
    EXPECT_NE(d.message.find("is not a list"), std::string::npos) << d.message;
    d = only("seed.x=1");
    EXPECT_NE(d.message.find("is not a map"), std::string::npos) << d.message;
    // Every bad override is reported at once.
    EXPECT_EQ(errors_of(base, with_sets({"seed", "conditions[9].x=1"})).size(), 2u);
}

TEST(WhatIf, SetValueErrorsNameTheOverride) {
    const fs::path base = kData / "base.yaml";
    auto errors = errors_of(base, with_sets({"insurance.outpatient_ratio.township=1.5"}));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "--set insurance.outpatient_ratio.township=1.5");
    EXPECT_EQ(errors[0].key_path, "insurance.outpatient_ratio.township");
    EXPECT_EQ(errors[0].message, "must be <= 1, got 1.5");
    EXPECT_EQ(format_diagnostic(errors[0]).rfind("--set insurance.outpatient_ratio.township=1.5: "
                                                 "insurance.outpatient_ratio.township: must be",
                                                 0),
              0u);
    // An unknown key comes from the schema pass, with a did-you-mean.
    errors = errors_of(base, with_sets({"insurance.outpatent_cap=5"}));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "--set insurance.outpatent_cap=5");
    EXPECT_EQ(errors[0].message, "unknown key 'outpatent_cap'");
    EXPECT_EQ(errors[0].hint, "did you mean 'outpatient_cap'?");
    // A cross-reference problem in an overridden value names the override too.
    errors = errors_of(base, with_sets({"facilities[hospital].also_treats=[minor, nothing]"}));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "--set facilities[hospital].also_treats=[minor, nothing]");
    EXPECT_EQ(errors[0].message, "unknown condition 'nothing'");
    // Problems in the file and in an override are both reported, the file's first.
    errors = errors_of(kData / "inherits_bad.yaml", with_sets({"seed=-1"}));
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[2].file, "--set seed=-1");
}

// --- resolve ---------------------------------------------------------------------------

TEST(WhatIf, ResolvedDocumentLoadsToTheSameScenario) {
    const LoadOptions options =
        with_sets({"facilities[hospital].doctors=33", "insurance.outpatient_ratio.county=0.35"});
    const Scenario direct = load_scenario(kData / "chain.yaml", options);
    const std::string text = resolve_scenario_yaml(kData / "chain.yaml", options);
    EXPECT_EQ(text.rfind("# ", 0), 0u);
    for (const char* name : {"base.yaml", "more_doctors.yaml", "chain.yaml"}) {
        EXPECT_NE(text.find(label(name)), std::string::npos) << name;
    }
    EXPECT_NE(text.find("--set facilities[hospital].doctors=33"), std::string::npos);
    EXPECT_EQ(text.find("\nextends:"), std::string::npos);  // no extends key left

    const Scenario back = load_scenario_string(text, "resolved.yaml");
    EXPECT_EQ(back.name, direct.name);
    EXPECT_EQ(back.seed, direct.seed);
    ASSERT_EQ(back.facilities.size(), direct.facilities.size());
    for (std::size_t i = 0; i < back.facilities.size(); ++i) {
        EXPECT_EQ(back.facilities[i].id, direct.facilities[i].id);
        EXPECT_EQ(back.facilities[i].doctors, direct.facilities[i].doctors);
        EXPECT_EQ(back.facilities[i].beds, direct.facilities[i].beds);
        EXPECT_EQ(back.facilities[i].sub_center, direct.facilities[i].sub_center);
        EXPECT_EQ(back.facilities[i].opening.always, direct.facilities[i].opening.always);
    }
    EXPECT_EQ(facility(back, "hospital").doctors, 33);
    EXPECT_EQ(back.roads.size(), direct.roads.size());
    EXPECT_EQ(back.villages.size(), direct.villages.size());
    EXPECT_EQ(back.insurance.outpatient_ratio, direct.insurance.outpatient_ratio);
    EXPECT_EQ(back.insurance.unreferred_penalty, direct.insurance.unreferred_penalty);
    EXPECT_EQ(back.conditions[0].consult_minutes[idx(Level::County)].mean(),
              direct.conditions[0].consult_minutes[idx(Level::County)].mean());
    EXPECT_EQ(back.policy.payment.budget_per_resident, direct.policy.payment.budget_per_resident);
    EXPECT_EQ(back.targets.size(), direct.targets.size());
    EXPECT_EQ(back.behaviour.patience_minutes.has_value(),
              direct.behaviour.patience_minutes.has_value());
}

TEST(WhatIf, ResolvedShippedScenariosLoadBack) {
    for (const char* name : {"scenarios/tiny.yaml", "scenarios/baseline.yaml"}) {
        SCOPED_TRACE(name);
        const fs::path file = fs::path(CMASIM_SOURCE_DIR) / name;
        const Scenario direct = load_scenario(file);
        const std::string text = resolve_scenario_yaml(file);
        EXPECT_NE(text.find("\"08:00\""), std::string::npos);  // quoted text stays quoted
        const Scenario back = load_scenario_string(text, "resolved.yaml");
        EXPECT_EQ(back.name, direct.name);
        EXPECT_EQ(back.facilities.size(), direct.facilities.size());
        EXPECT_EQ(back.conditions.size(), direct.conditions.size());
        EXPECT_EQ(back.insurance.inpatient_deductible, direct.insurance.inpatient_deductible);
        ASSERT_FALSE(back.facilities.empty());
        EXPECT_EQ(back.facilities[0].opening.windows.size(),
                  direct.facilities[0].opening.windows.size());
    }
}

TEST(WhatIf, ResolveReportsBadOverrides) {
    EXPECT_THROW(resolve_scenario_yaml(kData / "base.yaml", with_sets({"facilities[x].doctors=1"})),
                 ScenarioError);
    EXPECT_THROW(resolve_scenario_yaml(kData / "cycle_a.yaml"), ScenarioError);
}

}  // namespace
}  // namespace cmasim::scenario
