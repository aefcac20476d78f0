// Pieces shared by the report page's sections (src/report/html_*.cpp); not a public header.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmasim/report/html_report.h"

namespace cmasim::report::html {

using Json = nlohmann::ordered_json;

/// The indicators the headline tables show (a run adds its targeted ones before them).
inline constexpr const char* kHeadlineIndicators[] = {
    "in_county_rate",        "in_county_inpatient_rate",  "grassroots_share",
    "grassroots_rate",       "visits_per_capita",         "admissions_per_100",
    "up_referrals_per_10k",  "down_referrals_per_10k",    "out_of_county_referral_rate",
    "bypass_rate",           "out_of_pocket_per_episode", "fund_spending_per_resident",
    "time_in_system_minutes"};

/// A UI string in `language` (the table in html_text.cpp; an unknown key is returned as is).
std::string text(std::string_view key, Language language);

/// An indicator's name in `language`: in Chinese the official name, else the plain translation,
/// else the English label; in English the table's label.
std::string indicator_name(std::string_view key, Language language);

/// The indicator's unit in `language`.
std::string unit_name(std::string_view key, Language language);

/// A target verdict ("met", "missed", "undecided") in `language`.
std::string verdict_name(const std::string& verdict, Language language);

/// `value` with `decimals` decimals and thousands separators; "–" when not finite.
std::string number(double value, int decimals);

/// `value` for indicator `key` (the indicator table's decimals).
std::string indicator_number(std::string_view key, double value);

/// j[key] when j is an object holding key, else null: reading a file of another version never
/// reaches a missing key (undefined behaviour for a const nlohmann::json).
const Json& field(const Json& j, std::string_view key);

/// A JSON number or NaN (null, missing, not a number).
double num(const Json& j, const char* key);

/// "[low, high]" for indicator `key`, or "–" without an interval.
std::string interval(std::string_view key, double low, double high);

/// The parsed JSON file `dir/name`; throws ReportInputError naming the file.
Json read_json(const std::filesystem::path& dir, const std::string& name);

/// dir/manifest.json, or an empty object when the directory has none (written before manifests).
Json read_manifest(const std::filesystem::path& dir);

/// The rows of the CSV file `dir/name` (a UTF-8 BOM is skipped), header first.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& dir,
                                               const std::string& name);

/// A table cell holding a number (right-aligned by table()).
inline std::string numeric(const std::string& formatted) {
    return "\x01" + formatted;
}

/// An HTML table: a header row and body rows, each cell already escaped HTML (or numeric()).
std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::string& caption = "");

/// A section: <section><h2>title</h2>body</section>.
std::string section(const std::string& id, const std::string& title, const std::string& body);

/// A paragraph of escaped text.
std::string paragraph(const std::string& text);

/// The methods appendix (STRESS-DES items) from the manifest and the run's own records.
struct Methods {
    std::string scenario_name;
    std::vector<std::pair<std::string, std::string>> scenarios;  ///< file, SHA-256
    std::string seed;
    std::string replications;
    std::string warmup_days;
    std::string horizon_days;
    std::string confidence;
    std::string common_random_numbers;
};
std::string methods_section(const Methods& m, const Json& manifest, Language language);

/// The flows section: encounters by level (visits[l], admissions[l] for village, township,
/// county, external; NaN admissions are left out) as a Sankey diagram and a table.
std::string flows_section(const std::string& title, const std::vector<double>& visits,
                          const std::vector<double>& admissions, Language language);

/// A target's bounds in words ("≥ 0.65", "0.6 – 0.9"); empty when it has none.
std::string bounds(const std::string& key, const Json& target);

/// One line of a monthly chart: its label and its months ({"01": {indicator: estimate}}).
struct MonthSeries {
    std::string label;
    const Json* months;
};
/// The indicators the monthly sections chart, in their order.
inline constexpr const char* kMonthlyIndicators[] = {"grassroots_share", "in_county_rate", "visits",
                                                     "admissions"};
/// A line chart of `key` by month with a line (and confidence band) per series, the months of
/// series[0] on the axis; a dashed line at the target ({min, max}) when given. Empty when
/// series[0] has no month with `key`.
std::string month_chart(const std::vector<MonthSeries>& series, const std::string& key,
                        const Json* target, Language language);

/// Townships side by side (a table and bar charts) from summary.json's township groups.
std::string townships_section(const Json& summary, Language language);

/// What the report takes from a scenario file named in the records (a sweep's base, a compared
/// scenario): its targets ({indicator: {min, max}}), warm-up and horizon. Read only when the file
/// still exists and its SHA-256 is the recorded one, so the page describes the run that was made;
/// otherwise empty (no target line, the days left blank).
struct BaseScenario {
    Json targets = Json::object();
    std::string warmup_days;
    std::string horizon_days;
};
BaseScenario base_scenario(const std::string& file, const std::string& sha256);

/// The page around the sections.
std::string page(const std::string& title, const std::string& subtitle, const std::string& body,
                 Language language);

/// The sections of each kind of report (html_run.cpp, html_compare.cpp, html_sweep.cpp).
std::string run_report(const std::filesystem::path& dir, Language language);
std::string compare_report(const std::filesystem::path& dir, Language language);
std::string sweep_report(const std::filesystem::path& dir, Language language);

}  // namespace cmasim::report::html
