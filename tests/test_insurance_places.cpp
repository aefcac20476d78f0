// Insurance by the place of an external hospital (docs/levers.md §1c): in the prefecture, elsewhere
// in the province, outside it.
//  (1) a table of the rule that picks a bill's terms (cover_terms, then effective_ratio) from the
//      level, the place class, the condition's cover and the referral status;
//  (2) the expected cost a patient chooses by prices an external stop by its class's terms;
//  (3) the loader reads place_class and insurance.external_by_class;
//  (4) runs with common random numbers: lower terms outside the prefecture move admissions from
//      the hospitals there to those nearer home in every replication.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/expected_cost.h"
#include "cmasim/model/insurance.h"
#include "cmasim/scenario/loader.h"
#include "insurance_scheme.h"
#include "lever_runs.h"

namespace {

namespace fs = std::filesystem;
namespace model = cmasim::model;
namespace scenario = cmasim::scenario;
using scenario::Fen;
using scenario::Level;
using scenario::PlaceClass;

// ============================================================================================
// (1) The rule
// ============================================================================================

/// The base scheme (insurance_scheme.h) with unreferred external care 0.1 points off, and terms
/// elsewhere: out of the prefecture 0.5 above a 2,000-yuan deductible, unreferred 0.2 points off;
/// out of the province 0.4, outpatient 0.3, the deductible and penalty of the external level.
scenario::Insurance scheme() {
    scenario::Insurance ins = cmasim::test::base_scheme();
    ins.unreferred_penalty[idx(Level::External)] = 0.1;
    ins.external_by_class.out_of_prefecture = {std::nullopt, 0.5, 200000, 0.2};
    ins.external_by_class.out_of_province = {0.3, 0.4, std::nullopt, std::nullopt};
    return ins;
}

struct RuleRow {
    const char* name;
    Level level;
    PlaceClass place;
    std::optional<double> cover_external_inpatient;  ///< the condition's own external ratio
    bool referred;
    double inpatient_ratio;  ///< after penalties
    Fen deductible;
    double outpatient_ratio;  ///< after penalties
};

std::ostream& operator<<(std::ostream& os, const RuleRow& r) {
    return os << r.name;
}

const std::vector<RuleRow> kRuleRows = {
    {"in_prefecture_referred",
     Level::External,
     PlaceClass::InPrefecture,
     {},
     true,
     0.6,
     150000,
     0.5},
    {"in_prefecture_unreferred",
     Level::External,
     PlaceClass::InPrefecture,
     {},
     false,
     0.5,
     150000,
     0.4},
    {"out_of_prefecture_referred",
     Level::External,
     PlaceClass::OutOfPrefecture,
     {},
     true,
     0.5,
     200000,
     0.5},
    // the class's own penalty: 0.5 - 0.2, 0.5 - 0.2
    {"out_of_prefecture_unreferred",
     Level::External,
     PlaceClass::OutOfPrefecture,
     {},
     false,
     0.3,
     200000,
     0.3},
    {"out_of_province_referred",
     Level::External,
     PlaceClass::OutOfProvince,
     {},
     true,
     0.4,
     150000,
     0.3},
    // no penalty of its own: the external level's 0.1
    {"out_of_province_unreferred",
     Level::External,
     PlaceClass::OutOfProvince,
     {},
     false,
     0.3,
     150000,
     0.2},
    // a condition's external ratio holds where the class gives none ...
    {"cover_in_prefecture", Level::External, PlaceClass::InPrefecture, 0.7, true, 0.7, 150000, 0.5},
    // ... and yields where it gives one
    {"cover_out_of_prefecture", Level::External, PlaceClass::OutOfPrefecture, 0.7, true, 0.5,
     200000, 0.5},
    {"cover_out_of_province_unreferred", Level::External, PlaceClass::OutOfProvince, 0.7, false,
     0.3, 150000, 0.2},
    // the class touches the external level only
    {"county_level_untouched", Level::County, PlaceClass::OutOfProvince, {}, true, 0.7, 60000, 0.2},
};

class PlaceRule : public ::testing::TestWithParam<RuleRow> {};

TEST_P(PlaceRule, PicksTermsByLevelPlaceCoverAndReferral) {
    const RuleRow& row = GetParam();
    scenario::ConditionCover cover;
    cover.inpatient_ratio[idx(Level::External)] = row.cover_external_inpatient;
    const scenario::Insurance base = scheme();
    const scenario::Insurance ins = model::cover_terms(base, cover, row.place);
    const model::CareRoute route{row.referred, false, false, false};
    const int l = idx(row.level);
    EXPECT_NEAR(model::effective_ratio(ins.inpatient_ratio[l], row.level, route, ins),
                row.inpatient_ratio, 1e-12);
    EXPECT_EQ(ins.inpatient_deductible[l], row.deductible);
    EXPECT_NEAR(model::effective_ratio(ins.outpatient_ratio[l], row.level, route, ins),
                row.outpatient_ratio, 1e-12);
    // the bill follows the terms: 10,000 yuan, nothing paid before
    const model::Bill bill = model::inpatient_bill(1000000, row.level, route, ins, 0, 0);
    EXPECT_EQ(bill.deductible, row.deductible);
    EXPECT_EQ(bill.fund,
              std::llround(row.inpatient_ratio * static_cast<double>(1000000 - row.deductible)));
}

INSTANTIATE_TEST_SUITE_P(InsuranceByPlace, PlaceRule, ::testing::ValuesIn(kRuleRows),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(InsuranceByPlace, NoClassTermsLeaveEveryClassAtTheExternalLevel) {
    const scenario::Insurance base = cmasim::test::base_scheme();
    for (const PlaceClass p :
         {PlaceClass::InPrefecture, PlaceClass::OutOfPrefecture, PlaceClass::OutOfProvince}) {
        const scenario::Insurance ins = model::cover_terms(base, {}, p);
        EXPECT_EQ(ins.inpatient_ratio, base.inpatient_ratio);
        EXPECT_EQ(ins.outpatient_ratio, base.outpatient_ratio);
        EXPECT_EQ(ins.inpatient_deductible, base.inpatient_deductible);
        EXPECT_EQ(ins.unreferred_penalty, base.unreferred_penalty);
    }
}

// ============================================================================================
// (2) The expected cost
// ============================================================================================

TEST(InsuranceByPlace, ExpectedCostPricesAnExternalStopByItsClass) {
    scenario::Condition c;
    c.outpatient_fee = {2000, 4000, 10000, 20000};
    c.admission_probability = {0, 0.5, 0.4, 0.5};
    c.inpatient_fee_stay = {0, 300000, 600000, 1500000};
    const scenario::Insurance base = scheme();
    model::PlaceTerms terms;
    for (int p = 0; p < scenario::kPlaceClasses; ++p)
        terms[static_cast<std::size_t>(p)] =
            model::cover_terms(base, {}, static_cast<PlaceClass>(p));
    auto cost = [&](PlaceClass p) {
        const std::vector<model::ExpectedStop> path{{Level::External, true, p}};
        return model::expected_out_of_pocket_yuan(c, terms, path, false, 0);
    };
    // unreferred: visit 200 x (1 - 0.4) + 0.5 x (1,500 + 13,500 x (1 - 0.5)) = 120 + 4,125
    EXPECT_NEAR(cost(PlaceClass::InPrefecture), 4245.0, 1e-9);
    // visit 200 x 0.7 + 0.5 x (2,000 + 13,000 x 0.7) = 140 + 5,550
    EXPECT_NEAR(cost(PlaceClass::OutOfPrefecture), 5690.0, 1e-9);
    // visit 200 x 0.8 + 0.5 x (1,500 + 13,500 x 0.7) = 160 + 5,475
    EXPECT_NEAR(cost(PlaceClass::OutOfProvince), 5635.0, 1e-9);
    // the single-terms form prices every stop with the terms it is given
    const std::vector<model::ExpectedStop> far{{Level::External, true, PlaceClass::OutOfProvince}};
    EXPECT_NEAR(model::expected_out_of_pocket_yuan(c, terms[0], far, false, 0), 4245.0, 1e-9);
}

// ============================================================================================
// (3) The loader
// ============================================================================================

const fs::path kCounty = fs::path(CMASIM_SOURCE_DIR) / "tests/data/places/county.yaml";

TEST(InsuranceByPlace, LoaderReadsClassesAndTerms) {
    scenario::LoadOptions o;
    o.overrides = {
        "insurance.external_by_class={out_of_prefecture: {inpatient_ratio: 0.5, "
        "inpatient_deductible: 2000}, out_of_province: {unreferred_penalty: 0.3}}"};
    const scenario::Scenario s = scenario::load_scenario(kCounty, o);
    std::vector<PlaceClass> classes;
    for (const auto& f : s.facilities) {
        if (f.level == Level::External) classes.push_back(f.place_class);
    }
    const std::vector<PlaceClass> expected = {PlaceClass::InPrefecture, PlaceClass::OutOfPrefecture,
                                              PlaceClass::OutOfProvince};
    EXPECT_EQ(classes, expected);
    const auto& by = s.insurance.external_by_class;
    EXPECT_EQ(by.out_of_prefecture.inpatient_ratio.value_or(-1), 0.5);
    EXPECT_EQ(by.out_of_prefecture.inpatient_deductible.value_or(-1), Fen{200000});
    EXPECT_FALSE(by.out_of_prefecture.outpatient_ratio.has_value());
    EXPECT_EQ(by.out_of_province.unreferred_penalty.value_or(-1), 0.3);
    EXPECT_FALSE(by.in_prefecture.inpatient_ratio.has_value());
    const model::County county = model::compile_county(s);
    const auto& terms = county.conditions[0].terms(PlaceClass::OutOfProvince);
    EXPECT_EQ(terms.unreferred_penalty[idx(Level::External)], 0.3);
    EXPECT_EQ(county.conditions[0].insurance.inpatient_ratio,
              county.conditions[0].terms(PlaceClass::InPrefecture).inpatient_ratio);
}

// ============================================================================================
// (4) Runs with common random numbers
// ============================================================================================

/// Per replication, the indicators `keys` of the county with hospitals of every class.
std::vector<std::vector<double>> run(const std::vector<std::string>& sets,
                                     const std::vector<std::string>& keys) {
    std::vector<std::vector<double>> out;
    for (const auto& r : cmasim::test::run_lever_county(sets, kCounty)) {
        std::vector<double> row;
        for (const auto& k : keys) row.push_back(cmasim::test::value(r, k));
        out.push_back(row);
    }
    return out;
}

TEST(InsuranceByPlace, LowerTermsElsewhereMoveAdmissionsNearer) {
    const std::vector<std::string> keys = {"admissions_out_of_prefecture",
                                           "admissions_out_of_province",
                                           "admissions_in_prefecture_external",
                                           "fund_spending_out_of_prefecture",
                                           "admissions",
                                           "in_county_inpatient_rate"};
    const auto base = run({}, keys);
    const auto whatif = run({"insurance.external_by_class={out_of_prefecture: {inpatient_ratio: "
                             "0.4, inpatient_deductible: 3000}, out_of_province: "
                             "{inpatient_ratio: 0.3, inpatient_deductible: 4000}}"},
                            keys);
    ASSERT_EQ(base.size(), whatif.size());
    double near_base = 0, near_whatif = 0;
    for (std::size_t r = 0; r < base.size(); ++r) {
        EXPECT_GT(base[r][0], 0) << "replication " << r;
        EXPECT_GT(base[r][1], 0) << "replication " << r;
        EXPECT_LT(whatif[r][0], base[r][0]) << "out of the prefecture, replication " << r;
        EXPECT_LT(whatif[r][1], base[r][1]) << "out of the province, replication " << r;
        EXPECT_LT(whatif[r][3], base[r][3])
            << "fund spent out of the prefecture, replication " << r;
        near_base += base[r][2] + base[r][4] * base[r][5];  // + the in-county admissions
        near_whatif += whatif[r][2] + whatif[r][4] * whatif[r][5];
    }
    // the in-prefecture hospital and the county together hold or gain over the replications
    EXPECT_GE(near_whatif, near_base);
}

}  // namespace
