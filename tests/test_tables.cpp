// A county from CSV tables (docs/planners.md): the example county reads its villages, facilities
// and roads from CSV files with a byte-order mark, Chinese column names, percentages, roads in
// km, implied clinics and doctors as headcount; a mistake in a table is located by file, line,
// row and column name.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cmasim/scenario/loader.h"
#include "temp_dir.h"

namespace cmasim::scenario {
namespace {

namespace fs = std::filesystem;
const fs::path kCounty = fs::path(CMASIM_SOURCE_DIR) / "scenarios/csv_county";

template <class T>
const T& by_id(const std::vector<T>& items, const std::string& id) {
    for (const auto& item : items) {
        if (item.id == id) return item;
    }
    throw std::runtime_error("no " + id);
}

const Road& road(const Scenario& s, const std::string& from, const std::string& to) {
    for (const auto& r : s.roads) {
        if (r.from == from && r.to == to) return r;
    }
    throw std::runtime_error("no road " + from + " - " + to);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

/// The example county copied to a fresh directory with some files replaced; the error text of
/// loading its county.yaml (empty when it loads).
class CountyCopy {
  public:
    CountyCopy() : dir_("tables") {
        for (const auto& entry : fs::directory_iterator(kCounty))
            fs::copy_file(entry.path(), dir_.path / entry.path().filename());
    }
    fs::path file(const std::string& name) const { return dir_.path / name; }
    void write(const std::string& name, const std::string& text) const {
        write_text(file(name), text);
    }
    /// Replaces the first `from` in file `name` by `to`.
    void edit(const std::string& name, const std::string& from, const std::string& to) const {
        std::string text = read_text(file(name));
        const auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        write(name, text.replace(at, from.size(), to));
    }
    std::string error(const std::string& scenario = "county.yaml") const {
        try {
            load_scenario(file(scenario));
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return {};
    }

  private:
    testing_support::TempDir dir_;
};

TEST(Tables, TheExampleCountyReadsItsCsvFiles) {
    ASSERT_EQ(read_text(kCounty / "villages.csv").rfind("\xEF\xBB\xBF", 0), 0u)
        << "villages.csv keeps the byte-order mark Excel writes";
    const Scenario s = load_scenario(kCounty / "county.yaml");
    ASSERT_EQ(s.villages.size(), 12u);
    const Village& v = by_id(s.villages, "东山村");  // id from the 行政村 column
    EXPECT_EQ(v.township, "东山镇");
    EXPECT_EQ(v.population, 2100);
    EXPECT_DOUBLE_EQ(v.aged_share, 0.136);  // 13.6%
    EXPECT_DOUBLE_EQ(v.contract_share, 0.45);
    EXPECT_DOUBLE_EQ(by_id(s.villages, "西河村").aged_share, 0.15);
    EXPECT_TRUE(v.clinic);
    EXPECT_FALSE(by_id(s.villages, "上坝村").clinic);
}

TEST(Tables, ImpliedClinicsHeadcountsAndLevelNames) {
    const Scenario s = load_scenario(kCounty / "county.yaml");
    const Facility& clinic = by_id(s.facilities, "东山村_clinic");
    EXPECT_EQ(clinic.name, "东山村卫生室");
    EXPECT_EQ(clinic.level, Level::Village);
    EXPECT_EQ(clinic.place, "东山村");
    EXPECT_EQ(clinic.village, "东山村");
    EXPECT_EQ(clinic.township, "东山镇");
    EXPECT_EQ(clinic.doctors, 1);
    EXPECT_FALSE(clinic.opening.always);
    EXPECT_THROW(by_id(s.facilities, "上坝村_clinic"), std::runtime_error);  // 村卫生室: 否
    EXPECT_EQ(by_id(s.facilities, "东山镇卫生院").doctors, 2);               // 5 x 40%
    EXPECT_EQ(by_id(s.facilities, "县人民医院").doctors, 6);                 // 12 x 50%
    EXPECT_EQ(by_id(s.facilities, "县人民医院").level, Level::County);
    EXPECT_TRUE(by_id(s.facilities, "县人民医院").lead);
    EXPECT_EQ(by_id(s.facilities, "市中心医院").level, Level::External);
    EXPECT_FALSE(by_id(s.facilities, "市中心医院").alliance);
}

TEST(Tables, RoadsInKilometres) {
    const Scenario s = load_scenario(kCounty / "county.yaml");
    EXPECT_DOUBLE_EQ(road(s, "东山村", "东山镇驻地").minutes, 2.5 / 20 * 60);  // 村道
    EXPECT_DOUBLE_EQ(road(s, "石桥村", "东山镇驻地").minutes, 5.0 / 30 * 60);  // 乡道
    EXPECT_DOUBLE_EQ(road(s, "东山镇驻地", "县城").minutes, 18.0 / 40 * 60);   // 县道
    EXPECT_DOUBLE_EQ(road(s, "上坝村", "西河村").minutes, 4.0 / 15 * 60);      // 时速 15
    EXPECT_DOUBLE_EQ(road(s, "县城", "市区").minutes, 70);                     // 分钟
}

TEST(Tables, PercentagesInYaml) {
    const Scenario s = load_scenario(kCounty / "county.yaml");
    EXPECT_DOUBLE_EQ(s.behaviour.self_referral_probability, 0.1);
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Township)], 0.5);
    EXPECT_DOUBLE_EQ(s.insurance.inpatient_ratio[idx(Level::External)], 0.6);
}

TEST(Tables, WhatIfOnTheCsvCounty) {
    const Scenario s = load_scenario(kCounty / "whatif_township_reimbursement.yaml");
    EXPECT_DOUBLE_EQ(s.insurance.outpatient_ratio[idx(Level::Township)], 0.6);
    EXPECT_EQ(s.villages.size(), 12u);
}

struct TableCase {
    const char* name;
    const char* file;
    const char* from;
    const char* to;
    std::vector<std::string> expected;  ///< parts of the error text
};

class TableErrors : public ::testing::TestWithParam<TableCase> {};

TEST_P(TableErrors, AreLocatedByFileLineRowAndColumnName) {
    const TableCase& c = GetParam();
    CountyCopy county;
    county.edit(c.file, c.from, c.to);
    const std::string what = county.error();
    ASSERT_FALSE(what.empty());
    for (std::string part : c.expected) {
        if (part.rfind("@", 0) == 0) part = county.file(c.file).string() + part.substr(1);
        EXPECT_NE(what.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << what;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Tables, TableErrors,
    ::testing::Values(
        TableCase{"NotANumber",
                  "villages.csv",
                  "石桥村,1500",
                  "石桥村,一千五",
                  {"@:3:9: villages[石桥村].population (row 2, column '户籍人口'): "
                   "expected a whole number, got '一千五'"}},
        TableCase{"ShareInPercentPoints",
                  "villages.csv",
                  "0.22,0.3",
                  "22,0.3",
                  {"(row 6, column '65岁以上占比')", "must be <= 1, got 22", "write 0.22 or 22%"}},
        TableCase{"UnknownColumn",
                  "villages.csv",
                  "户籍人口",
                  "户籍人数",
                  {"@:1:8: header: unknown column '户籍人数' for villages"}},
        TableCase{"RowLongerThanHeader",
                  "roads.csv",
                  "东山村,东山镇驻地,2.5,村道,,",
                  "东山村,东山镇驻地,2.5,村道,,,9",
                  {"@:2:", "the row has 7 cells"}},
        TableCase{
            "UnclosedQuote", "roads.csv", "石桥村,", "\"石桥村,", {"@:3:1:", "no closing '\"'"}},
        TableCase{"UnknownRoadClass",
                  "roads.csv",
                  "5,乡道",
                  "5,乡路",
                  {"(row 2, column '道路等级')", "unknown road class '乡路'",
                   "did you mean '乡道'?"}},  // one character off: one edit, not three bytes
        TableCase{"KmWithoutSpeed",
                  "roads.csv",
                  "7.5,村道",
                  "7.5,",
                  {"@:4:", "a road in km needs a road_class or a speed_kmh"}},
        TableCase{"BothMinutesAndKm",
                  "roads.csv",
                  "8,村道,,",
                  "8,村道,,30",
                  {"the road gives both minutes and km"}},
        TableCase{"HeadcountWithoutShare",
                  "facilities.csv",
                  "5,40%",
                  "5,",
                  {"@:2:", "doctors_headcount needs on_duty_share"}},
        TableCase{"UnknownTownship",
                  "villages.csv",
                  "北坪乡,石门村",
                  "北平乡,石门村",
                  {"@:13:", "北平乡"}},
        TableCase{"TabSeparated",
                  "roads.csv",
                  "起点,终点,公里,道路等级,时速,分钟",
                  "起点\t终点\t公里\t道路等级\t时速\t分钟",
                  {"@:1:1:", "the header is one column: the columns are separated by tabs"}},
        TableCase{"MissingTable",
                  "county.yaml",
                  "{csv: roads.csv}",
                  "{csv: road.csv}",
                  {"cannot read the table", "road.csv"}}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(Tables, GbkFileIsRejectedNamingUtf8) {
    CountyCopy county;
    county.write("villages.csv", "\xcf\xe7\xd5\xf2,\xd0\xd0\xd5\xfe\xb4\xe5\n");  // GBK 乡镇,行政村
    const std::string what = county.error();
    EXPECT_NE(what.find(county.file("villages.csv").string() + ":1:1: the file is not UTF-8 text"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("GBK"), std::string::npos) << what;
    EXPECT_NE(what.find("save it as UTF-8"), std::string::npos) << what;
}

TEST(Tables, GbkScenarioFileIsRejected) {
    try {
        load_scenario_string("name: \xc7\xe0\xc9\xbd\n", "gbk.yaml");
        FAIL() << "a GBK file loaded";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("gbk.yaml:1:7: the file is not UTF-8 text"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Tables, MisspeltWhatIfIdIsReportedAsNotInTheBase) {
    CountyCopy county;
    county.write("whatif.yaml",
                 "extends: county.yaml\nname: w\nfacilities:\n"
                 "  - {id: 东山卫生院, doctors: 3}\n");
    const std::string what = county.error("whatif.yaml");
    EXPECT_NE(what.find(county.file("whatif.yaml").string() +
                        ":4:10: facilities[东山卫生院]: "
                        "facility '东山卫生院' is not in the base scenario (did you mean "
                        "'东山镇卫生院'? To add a new facility, give its level and place)"),
              std::string::npos)
        << what;
}

TEST(Tables, WhatIfChangesAnImpliedClinicById) {
    CountyCopy county;
    county.write("whatif.yaml",
                 "extends: county.yaml\nname: w\nfacilities:\n"
                 "  - {id: 东山村_clinic, doctors: 2}\n");
    EXPECT_EQ(county.error("whatif.yaml"), "");
    EXPECT_EQ(by_id(load_scenario(county.file("whatif.yaml")).facilities, "东山村_clinic").doctors,
              2);
}

}  // namespace
}  // namespace cmasim::scenario
