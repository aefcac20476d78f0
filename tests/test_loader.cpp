// Loader tests: the example scenario loads with the right typed values, every value kind reads,
// and every error message has a failing scenario file in tests/data/invalid/ that produces it
// at the right line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cmasim/scenario/loader.h"
#include "cmasim/util/did_you_mean.h"
#include "invalid_corpus.h"

namespace cmasim::scenario {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = CMASIM_SOURCE_DIR;

const Facility& facility(const Scenario& s, const std::string& id) {
    for (const auto& f : s.facilities) {
        if (f.id == id) return f;
    }
    throw std::runtime_error("no facility " + id);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The line of the first occurrence of `needle` in a file (1-based).
int line_of(const fs::path& file, const std::string& needle) {
    std::istringstream text(read_text(file));
    std::string line;
    for (int n = 1; std::getline(text, line); ++n) {
        if (line.find(needle) != std::string::npos) return n;
    }
    return 0;
}

TEST(Loader, TinyScenarioGeneralKeys) {
    const Scenario s = load_scenario(kSource / "scenarios/tiny.yaml");
    EXPECT_EQ(s.name, "Tiny county");
    EXPECT_EQ(s.seed, 20261122u);
    EXPECT_EQ(s.replications, 4);
    EXPECT_DOUBLE_EQ(s.horizon_days, 120);
    EXPECT_DOUBLE_EQ(s.warmup_days, 14);
    EXPECT_EQ(s.source_file, (kSource / "scenarios/tiny.yaml").string());
    ASSERT_EQ(s.places.size(), 4u);
    ASSERT_EQ(s.villages.size(), 4u);
    ASSERT_EQ(s.roads.size(), 8u);
    EXPECT_EQ(s.villages[0].population, 1800);
    EXPECT_DOUBLE_EQ(s.villages[3].aged_share, 0.22);
    EXPECT_EQ(s.villages[0].name, "e1");  // a name defaults to the id
    EXPECT_EQ(s.townships[1].seat, "west_seat");
}

TEST(Loader, TinyScenarioFacilities) {
    const fs::path file = kSource / "scenarios/tiny.yaml";
    const Scenario s = load_scenario(file);
    const Facility& clinic = facility(s, "w2_clinic");
    EXPECT_EQ(clinic.level, Level::Village);
    EXPECT_FALSE(clinic.opening.always);
    ASSERT_EQ(clinic.opening.windows.size(), 1u);
    EXPECT_EQ(clinic.opening.windows[0].from, 8 * 3600);
    EXPECT_EQ(clinic.opening.windows[0].to, 12 * 3600);
    EXPECT_TRUE(clinic.opening.windows[0].days[4]);   // Friday
    EXPECT_FALSE(clinic.opening.windows[0].days[5]);  // Saturday
    EXPECT_EQ(facility(s, "east_center").opening.windows[0].to, 17 * 3600 + 30 * 60);
    EXPECT_EQ(clinic.source.line, line_of(file, "id: w2_clinic"));
    EXPECT_EQ(clinic.source.column, 5);
    const Facility& county = facility(s, "county_hospital");
    EXPECT_TRUE(county.lead);
    EXPECT_TRUE(county.alliance);
    EXPECT_TRUE(county.opening.always);
    EXPECT_EQ(county.beds, 20);
    const Facility& city = facility(s, "city_hospital");
    EXPECT_FALSE(city.alliance);
    EXPECT_TRUE(city.unlimited);
    EXPECT_DOUBLE_EQ(city.quality, 1.6);
    EXPECT_EQ(facility(s, "e1_clinic").doctors, 1);
}

TEST(Loader, TinyScenarioConditions) {
    const Scenario s = load_scenario(kSource / "scenarios/tiny.yaml");
    ASSERT_EQ(s.conditions.size(), 2u);
    const Condition& minor = s.conditions[0];
    EXPECT_DOUBLE_EQ(minor.aged_multiplier, 1.3);
    EXPECT_NEAR(minor.seasonality[0], 1.3, 1e-12);  // the factors already average 1
    EXPECT_DOUBLE_EQ(minor.consult_minutes[idx(Level::Village)].mean(), 8);  // default
    EXPECT_DOUBLE_EQ(minor.consult_minutes[idx(Level::County)].mean(), 10);  // own value
    EXPECT_DOUBLE_EQ(minor.admission_probability[idx(Level::Village)], 0);   // field default
    EXPECT_DOUBLE_EQ(minor.admission_probability[idx(Level::County)], 0.02);
    EXPECT_DOUBLE_EQ(minor.stay_days[idx(Level::Township)].mean(), 4);
    EXPECT_EQ(minor.outpatient_fee[idx(Level::County)], 22200);  // 222 yuan in fen
    EXPECT_EQ(minor.inpatient_fee_stay[idx(Level::Village)], 0);
    const Condition& serious = s.conditions[1];
    EXPECT_EQ(serious.lowest_level, Level::County);
    EXPECT_EQ(serious.down_referral_visits, 2);
    EXPECT_EQ(serious.down_referral_to, Level::Township);
    EXPECT_DOUBLE_EQ(serious.choice_constant[idx(Level::Village)], -1.0);
    EXPECT_DOUBLE_EQ(serious.choice_constant[idx(Level::External)], 0.0);
    EXPECT_EQ(serious.inpatient_fee_stay[idx(Level::External)], 1353900);
    EXPECT_EQ(serious.name, "serious");
}

TEST(Loader, TinyScenarioPolicy) {
    const Scenario s = load_scenario(kSource / "scenarios/tiny.yaml");
    EXPECT_DOUBLE_EQ(s.choice.b_time, -0.04);
    EXPECT_EQ(s.choice.nearest_clinics, 2);  // default
    EXPECT_DOUBLE_EQ(s.choice.level_constant[idx(Level::External)], -1.5);
    ASSERT_TRUE(s.behaviour.patience_minutes.has_value());
    EXPECT_DOUBLE_EQ(s.behaviour.patience_minutes->mean(), 240);
    EXPECT_EQ(s.behaviour.max_attempts, 3);
    EXPECT_EQ(s.insurance.outpatient_cap, 10000);
    EXPECT_EQ(s.insurance.inpatient_cap, 15000000);
    EXPECT_EQ(s.insurance.inpatient_deductible[idx(Level::County)], 60000);
    EXPECT_EQ(s.insurance.inpatient_deductible[idx(Level::Village)], 0);
    ASSERT_EQ(s.referral.rules.size(), 3u);
    EXPECT_EQ(s.referral.rules[0].to, "home_township");
    EXPECT_TRUE(s.referral.referred_priority);
    ASSERT_EQ(s.targets.size(), 1u);
    EXPECT_EQ(s.targets[0].indicator, "grassroots_share");
    EXPECT_EQ(s.targets[0].min, 0.5);
    EXPECT_FALSE(s.targets[0].max.has_value());
}

TEST(Loader, EveryKindOfValue) {
    const Scenario s = load_scenario(kSource / "tests/data/valid/every_kind.yaml");
    EXPECT_EQ(s.horizon_start_month, 12);
    const Condition& minor = s.conditions[0];
    EXPECT_DOUBLE_EQ(minor.seasonality[0], 2.0 / (26.0 / 12.0));  // relative to the mean
    EXPECT_DOUBLE_EQ(minor.seasonality[11], 4.0 / (26.0 / 12.0));
    EXPECT_EQ(minor.consult_minutes[idx(Level::Township)].kind(),
              sim::Distribution::Kind::Exponential);
    EXPECT_DOUBLE_EQ(minor.consult_minutes[idx(Level::External)].mean(), 2);
    EXPECT_DOUBLE_EQ(minor.admission_probability[idx(Level::Village)], 0.5);  // scalar: all
    EXPECT_DOUBLE_EQ(minor.stay_days[idx(Level::County)].mean(), 0.2 + 1.0 + 0.9);
    EXPECT_EQ(minor.outpatient_fee[idx(Level::Village)], 1235);  // 12.345 yuan, rounded
    EXPECT_EQ(minor.inpatient_fee_day[idx(Level::Township)], 10000);
    EXPECT_EQ(minor.inpatient_fee_day[idx(Level::External)], 7);
    EXPECT_DOUBLE_EQ(s.conditions[1].stay_days[idx(Level::County)].mean(), 4);
    const Facility& clinic = facility(s, "v1_clinic");
    ASSERT_EQ(clinic.opening.windows.size(), 3u);
    EXPECT_TRUE(clinic.opening.windows[0].days[0]);
    EXPECT_FALSE(clinic.opening.windows[0].days[5]);
    EXPECT_EQ(facility(s, "town_center").opening.windows[0].to, 24 * 3600);
    EXPECT_FALSE(facility(s, "other_hospital").lead);
    EXPECT_EQ(s.behaviour.renege_action, RenegeAction::Leave);
    EXPECT_EQ(s.behaviour.full_ward, FullWardAction::Refer);
    EXPECT_DOUBLE_EQ(s.behaviour.patience_minutes->mean(), 30);
    EXPECT_EQ(s.choice.contract_level, Level::Township);
    EXPECT_FALSE(s.referral.referred_priority);
    EXPECT_EQ(s.villages[0].name, "First village");
}

void expect_insurance_levers(const Insurance& ins) {
    EXPECT_DOUBLE_EQ(ins.unreferred_penalty[idx(Level::County)], 0.1);
    EXPECT_DOUBLE_EQ(ins.unreferred_penalty[idx(Level::External)], 0.2);
    EXPECT_DOUBLE_EQ(ins.unreferred_penalty[idx(Level::Township)], 0);
    EXPECT_TRUE(ins.gatekeeping.enabled);
    EXPECT_DOUBLE_EQ(ins.gatekeeping.compliance, 0.8);
    EXPECT_DOUBLE_EQ(ins.gatekeeping.penalty[idx(Level::External)], 1.0);
}

/// Provider payment, contracts, reserved capacity, stationed physicians and circuit clinics.
void expect_provider_levers(const Policy& p) {
    EXPECT_EQ(p.payment.mode, PaymentMode::CaseBased);
    EXPECT_EQ(p.payment.budget_per_resident, 0);  // a budget key under case_based is an error
    ASSERT_EQ(p.payment.case_rates.size(), 2u);
    EXPECT_EQ(p.payment.case_rates[0].first, "serious");
    EXPECT_EQ(p.payment.case_rates[0].second[idx(Level::County)], 800000);
    EXPECT_EQ(p.payment.case_rates[0].second[idx(Level::Township)], 0);
    EXPECT_EQ(p.payment.case_rates[1].second[idx(Level::Township)], 180000);
    EXPECT_EQ(p.contract_share, 0.7);
    EXPECT_DOUBLE_EQ(p.reserved_share, 0.2);
    EXPECT_EQ(p.reserved_levels, (std::vector<Level>{Level::County, Level::Township}));
    EXPECT_EQ(p.stationed.per_township, 1);
    EXPECT_EQ(p.stationed.also_treats, std::vector<std::string>{"moderate_acute"});
    EXPECT_DOUBLE_EQ(p.stationed.quality_bonus, 0.2);
    EXPECT_TRUE(p.circuit.enabled);
    EXPECT_EQ(p.circuit.level, Level::Village);
    EXPECT_EQ(p.circuit.doctors, 2);
    EXPECT_EQ(p.circuit.window.days,
              (std::array<bool, 7>{false, false, true, false, false, false, false}));
    EXPECT_EQ(p.circuit.window.from, 9 * 3600);  // default hours, own days
    EXPECT_EQ(p.circuit.window.to, 12 * 3600);
}

/// Facility changes, as read from `file`.
void expect_facility_changes(const Policy& p, const fs::path& file) {
    ASSERT_EQ(p.changes.size(), 3u);
    const FacilityChange& up = p.changes[0];
    EXPECT_EQ(up.facilities, (std::vector<std::string>{"center_east", "center_west"}));
    EXPECT_FALSE(up.level.has_value());
    EXPECT_EQ(up.sub_center, true);
    EXPECT_EQ(up.add_doctors, 4);
    EXPECT_EQ(up.add_beds, 30);
    EXPECT_EQ(up.quality, 1.0);
    EXPECT_EQ(up.also_treats, std::vector<std::string>{"serious"});
    EXPECT_FALSE(up.opening.has_value());
    EXPECT_EQ(up.source.line, line_of(file, "facilities: [center_east"));
    EXPECT_EQ(p.changes[1].level, Level::Township);
    EXPECT_FALSE(p.changes[1].sub_center.has_value());
    EXPECT_FALSE(p.changes[1].quality.has_value());
    ASSERT_TRUE(p.changes[2].opening.has_value());
    EXPECT_EQ(p.changes[2].opening->windows[0].from, 7 * 3600);
}

TEST(Loader, PolicyLevers) {
    const fs::path file = kSource / "tests/data/valid/policy_levers.yaml";
    const Scenario s = load_scenario(file);
    expect_insurance_levers(s.insurance);
    expect_provider_levers(s.policy);
    expect_facility_changes(s.policy, file);
    const Policy& p = s.policy;
    EXPECT_EQ(p.remote.conditions, std::vector<std::string>{"serious"});
    EXPECT_EQ(p.remote.levels, (std::vector<Level>{Level::Township, Level::Village}));
    EXPECT_DOUBLE_EQ(p.remote.delay_minutes, 45);
}

TEST(Loader, PolicyDefaults) {
    const Scenario s = load_scenario(kSource / "tests/data/valid/minimal.yaml");
    const Policy& p = s.policy;
    EXPECT_EQ(p.payment.mode, PaymentMode::FeeForService);
    EXPECT_FALSE(p.contract_share.has_value());
    EXPECT_DOUBLE_EQ(p.reserved_share, 0);
    EXPECT_EQ(p.reserved_levels, std::vector<Level>{Level::County});
    EXPECT_FALSE(p.circuit.enabled);
    // The circuit's default window is filled even when the file gives no circuit_clinics.
    EXPECT_EQ(p.circuit.window.days,
              (std::array<bool, 7>{false, true, false, false, true, false, false}));
    EXPECT_EQ(p.circuit.window.from, 9 * 3600);
    EXPECT_EQ(p.circuit.window.to, 12 * 3600);
    EXPECT_TRUE(p.changes.empty());
    EXPECT_EQ(p.remote.levels, std::vector<Level>{Level::Township});
    EXPECT_FALSE(s.insurance.gatekeeping.enabled);
}

TEST(Loader, OnlyCountyHospitalBecomesTheLead) {
    const Scenario s = load_scenario(kSource / "tests/data/valid/minimal.yaml");
    EXPECT_TRUE(facility(s, "hospital").lead);
    EXPECT_FALSE(facility(s, "town_center").lead);
}

TEST(Loader, EveryValidFileLoads) {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "tests/data/valid")) {
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(load_scenario(entry.path()));
        ++files;
    }
    EXPECT_GE(files, 2);
}

const LoadOptions kIndicators{{"grassroots_rate", "in_county_rate", "bypass_rate"}, {}};

TEST(Loader, EachInvalidFileFailsWithItsMessage) {
    std::size_t checked = 0;
    for (const auto& file : testing::invalid_files()) {
        if (testing::is_sweep_file(file)) continue;  // test_bounds.cpp reads those
        SCOPED_TRACE(file.filename().string());
        ++checked;
        try {
            load_scenario(file, kIndicators);
            ADD_FAILURE() << "loaded without error";
        } catch (const ScenarioError& e) {
            testing::expect_located(e.what(), file);
        }
    }
    ASSERT_GE(checked, 150u);
}

TEST(Loader, ReportsEveryErrorAtOnce) {
    try {
        load_scenario(kSource / "tests/data/invalid/69_several_errors.yaml");
        FAIL() << "loaded without error";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.diagnostics().size(), 4u) << e.what();
        // One line per diagnostic, in file order.
        const std::string what = e.what();
        EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 4);  // and "4 errors"
        for (std::size_t i = 1; i < e.diagnostics().size(); ++i) {
            EXPECT_LE(e.diagnostics()[i - 1].line, e.diagnostics()[i].line);
        }
    }
}

TEST(Loader, YamlSyntaxErrorHasItsPlace) {
    try {
        load_scenario_string("name: x\nplaces: [a, b\n", "broken.yaml");
        FAIL() << "loaded without error";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_GT(e.diagnostics()[0].line, 0);
        EXPECT_NE(std::string(e.what()).find("broken.yaml:"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("YAML syntax error"), std::string::npos);
    }
}

TEST(Loader, MissingFile) {
    try {
        load_scenario(kSource / "tests/data/no_such_file.yaml");
        FAIL() << "loaded without error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("no such scenario file"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("no_such_file.yaml"), std::string::npos);
    }
}

TEST(Loader, IndicatorNamesAreCheckedOnlyWhenKnown) {
    const std::string text = read_text(kSource / "tests/data/valid/minimal.yaml") +
                             "targets:\n  anything_at_all: {max: 3}\n";
    EXPECT_NO_THROW(load_scenario_string(text, "free.yaml"));
    EXPECT_THROW(load_scenario_string(text, "checked.yaml", kIndicators), ScenarioError);
}

TEST(Loader, MegabyteLongUnknownKeyIsReportedWithoutASuggestion) {
    // No known key is within a few edits of a 1 MB name, so none is suggested; the hint only
    // compares names of about the same length, which keeps this linear (issue 18).
    const std::string key(1 << 20, 'k');
    // An explicit key ("? "): YAML limits a plain key to 1024 characters.
    const std::string text =
        read_text(kSource / "tests/data/valid/minimal.yaml") + "? " + key + "\n: 1\n";
    try {
        load_scenario_string(text, "long.yaml");
        FAIL() << "loaded without error";
    } catch (const ScenarioError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("unknown key '" + key + "'"), std::string::npos);
        EXPECT_EQ(what.find("did you mean"), std::string::npos);
        EXPECT_NE(what.find("expected one of: "), std::string::npos);
    }
}

TEST(DidYouMean, SuggestsTheClosestNameOfAboutTheSameLength) {
    const std::vector<std::string> names = {"horizon_days", "warmup_days", "replications"};
    EXPECT_EQ(util::did_you_mean("horizon_dyas", names), "did you mean 'horizon_days'?");
    EXPECT_EQ(util::did_you_mean("replicaton", names), "did you mean 'replications'?");
    EXPECT_EQ(util::did_you_mean("zzz", names),
              "expected one of: horizon_days, warmup_days, replications");
    EXPECT_EQ(util::did_you_mean("zzz", names, false), "");
    // Past 256 characters nothing is compared (the cost grows with the square of the length).
    const std::string pad(300, 'x');
    EXPECT_EQ(util::did_you_mean(pad + "horizon_days", {pad + "horizon_day"}),
              "expected one of: " + pad + "horizon_day");
}

TEST(DidYouMean, CountsCharactersNotBytes) {
    // One Chinese character is three bytes of UTF-8 but one edit.
    EXPECT_EQ(util::edit_distance("县人民医院", "县人名医院"), 1);
    EXPECT_EQ(util::edit_distance("县人民医院", "县人民医"), 1);
    EXPECT_EQ(util::edit_distance("城关镇卫生院", "卫生院"), 3);
    EXPECT_EQ(util::edit_distance("ab", "ba"), 1);
    // A byte that starts no valid sequence is one character of its own.
    EXPECT_EQ(util::edit_distance("a\xff", "a\xfe"), 1);
    EXPECT_EQ(util::edit_distance("\xe5\x8e", "x"), 2);
    const std::vector<std::string> ids = {"县人民医院", "县中医院", "城关镇卫生院"};
    EXPECT_EQ(util::did_you_mean("县人名医院", ids), "did you mean '县人民医院'?");
    EXPECT_EQ(util::did_you_mean("城关卫生院", ids), "did you mean '城关镇卫生院'?");
}

TEST(Loader, FromStringUsesTheLabel) {
    const fs::path file = kSource / "tests/data/valid/minimal.yaml";
    const Scenario s = load_scenario_string(read_text(file), "label.yaml");
    EXPECT_EQ(s.source_file, "label.yaml");
    EXPECT_EQ(s.facilities[0].source.file, "label.yaml");
    EXPECT_EQ(s.facilities[0].source.line, line_of(file, "id: v1_clinic"));
    EXPECT_EQ(s.conditions[0].source.line, line_of(file, "id: minor"));
}

TEST(Diagnostics, Format) {
    const Diagnostic d{"tiny.yaml",
                       41,
                       5,
                       "facilities[2].doctors",
                       "must be >= 0, got -2",
                       "set the number of outpatient doctors, 0 or more"};
    EXPECT_EQ(format_diagnostic(d),
              "tiny.yaml:41:5: facilities[2].doctors: must be >= 0, got -2 (set the number of "
              "outpatient doctors, 0 or more)");
    EXPECT_EQ(format_diagnostic(Diagnostic{"a.yaml", 0, 0, "", "no such scenario file", ""}),
              "a.yaml: no such scenario file");
}

}  // namespace
}  // namespace cmasim::scenario
