// The generated scenario reference: every key of the schema, grouped by section.
#include <cctype>
#include <sstream>

#include "limits.h"
#include "schemas.h"
#include "tables.h"

namespace cmasim::scenario {

const std::vector<SchemaKey>& schema_sections() {
    static const std::vector<SchemaKey> sections = detail::scenario_schema().docs();
    return sections;
}

namespace {

void collect(const SchemaKey& key, const std::string& prefix, std::vector<SchemaKey>& out) {
    SchemaKey k = key;
    k.path = prefix + key.key;
    k.children.clear();
    out.push_back(k);
    std::string child_prefix = k.path;
    switch (key.shape) {
        case KeyShape::Value:
            return;
        case KeyShape::Record:
            child_prefix += ".";
            break;
        case KeyShape::List:
            child_prefix += "[].";
            break;
        case KeyShape::Map:
            child_prefix += ".<name>.";
            break;
    }
    for (const auto& child : key.children) collect(child, child_prefix, out);
}

std::string bounds_text(const SchemaKey& k) {
    if (!k.unbounded_reason.empty()) return "any: " + k.unbounded_reason;
    auto num = [](double v) { return detail::format_number(v); };
    if (k.min && k.max) {
        return std::string(k.min->inclusive ? "[" : "(") + num(k.min->value) + ", " +
               num(k.max->value) + (k.max->inclusive ? "]" : ")");
    }
    if (k.min) return std::string(k.min->inclusive ? ">= " : "> ") + num(k.min->value);
    if (k.max) return std::string(k.max->inclusive ? "<= " : "< ") + num(k.max->value);
    return "";
}

std::string cell(std::string text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

void table(std::ostringstream& md, const std::vector<SchemaKey>& keys) {
    md << "| key | type | unit | default | bounds | description |\n";
    md << "|---|---|---|---|---|---|\n";
    for (const auto& k : keys) {
        md << "| `" << k.path << "` | " << cell(k.type) << " | " << cell(k.unit) << " | "
           << (k.required ? "**required**" : cell(k.default_value)) << " | " << cell(bounds_text(k))
           << " | " << cell(k.description) << " |\n";
    }
    md << "\n";
}

constexpr const char* kIntroduction = R"(# Scenario file reference

Generated from the loader's schema (`cmasim schema`); do not edit by hand. A test fails when this
page and the schema disagree.

A scenario file is YAML. Unknown keys are errors (with a "did you mean" hint), and every error
in a file is reported at once as `file:line:col: key.path: message (hint)`. A what-if scenario
can extend a base file and change only what differs (`extends:`, see the last section).

## Value types

- **integer**, **number**: plain YAML numbers; bounds are shown as `[min, max]` (inclusive) or
  `(min, max)` (exclusive).
- **share**: a number bounded `[0, 1]` (a share, a ratio, a probability) may also be written in
  percent: `13.6%` reads as 0.136, in a scenario file and in a CSV table alike. A share written in
  percent points without `%` (`13.6`) is out of bounds, and the message says "write 0.136 or
  13.6%". No other number takes `%`.
- **money**: yuan in the file (e.g. `85` or `12.5`), held as whole fen (0.01 yuan).
- **per-level table**: a map with keys among `village`, `township`, `county`, `external` and
  `default`. A level that is not given takes `default` if present, else the key's default. A single
  value instead of a map means the same value at every level:
  `outpatient_fee: {village: 40, default: 200}`.
- **distribution**: `{dist: fixed, value: x}`, `{dist: exponential, mean: m}`,
  `{dist: lognormal, mean: m, sd: s}`, `{dist: gamma, mean: m, sd: s}`,
  `{dist: triangular, min: a, mode: c, max: b}`, `{dist: uniform, min: a, max: b}`,
  `{dist: empirical, values: [...], weights: [...]}` (weights default to equal); a bare number
  means fixed. Durations must not be able to go negative. Lognormal and gamma take the mean and
  standard deviation of the variable itself.
- **opening hours**: `always`, one window `{days: [mon, tue], from: "08:00", to: "17:30"}`, or a
  list of windows. `days` may also be `daily` or `weekdays`. Times are `"HH:MM"` from `00:00` to
  `24:00` (quote them), `from` before `to`; windows on the same day must not overlap.
- **ids**: places and villages share one id namespace; townships, facilities and conditions each
  have their own. References to ids are checked after the whole file is read.

)";

constexpr const char* kWhatIf = R"(## What-if files: `extends` and `--set`

A scenario may start from another one and change only what differs:

```yaml
extends: baseline.yaml        # relative to this file's directory
name: Baseline with a global budget
facilities:
  - {id: county_hospital, doctors: 90}    # merged into the base facility with this id
policy:
  payment: {mode: global_budget, budget_per_resident: 1100}
```

The base file is merged at the YAML level before any key is checked, with these rules:

- **maps** merge key by key, recursively: a key the extending file gives replaces or merges into
  the base's, and every other base key is kept;
- **lists of records with an `id`** (`places`, `townships`, `villages`, `facilities`,
  `conditions`) merge by id: an item whose id is in the base merges into that item (recursively,
  by the map rules), and an item with a new id is appended, in order;
- `targets` is a map, so it merges by indicator (and each indicator's `min`/`max` by key);
- **any other list** (`roads`, `referral.rules`, `episodes`, `also_treats`, opening windows, ...)
  and **any scalar** replace the base value;
- a **distribution** (a map with `dist`) replaces the base value whole, and so does a single
  value given where the base has a per-level map (or the other way round);
- an item with a **new id that lacks a key a new item needs** (a facility's `level` and `place`,
  a village's `township` and `population`, ...) is an error: the id matches nothing in the base,
  which is most often a misspelling, and the message names the closest id of the base;
- **`~` (null) removes** the key from the merged document, so that its default applies: e.g.
  `behaviour: {patience_minutes: ~}`, or `- {id: east_center, opening: ~}` inside a list.

A base may itself extend another file; a cycle is an error. `extends` must be a top-level key and
is not part of the scenario itself. Messages about a value name the file (and line) the value
came from, so a mistake inherited from a base file points into the base file.

`--set key.path=value` (repeatable; `LoadOptions::overrides`) changes one value after `extends`
is resolved and before the file is checked. The value is YAML (`0.9`, `true`, `[a, b]`,
`{dist: fixed, value: 3}`; `~` removes the key, or the list item); the path is keys separated by
`.`, with list items selected by id or by index from 0:

```sh
cmasim run baseline.yaml --set insurance.outpatient_ratio.township=0.9 \
    --set 'facilities[county_hospital].doctors=90' --set 'conditions[0].follow_ups=2'
```

Missing map keys along the path are created; a per-level key given as a single number becomes
that number's `default` when a level below it is set. An unknown list id or an index out of
range is an error; an unknown key is reported by the usual checks. Messages about an override
name it as `--set path=value`. `cmasim resolve FILE` prints the merged document.
)";

}  // namespace

/// The limits on the scenario as a whole (src/scenario/limits.h), generated so that the page and
/// the checks cannot disagree.
void limits_section(std::ostringstream& md) {
    auto n = [](double v) { return detail::format_number(v); };
    auto z = [](std::size_t v) { return detail::format_number(static_cast<double>(v)); };
    using namespace detail;
    md << "## Limits\n\n"
       << "Every number has an upper bound (the tables below), chosen so that no sum, product or "
          "conversion to seconds or fen can overflow, and far above any real county. Durations "
          "are at most "
       << n(kMaxMinutes) << " minutes (a week) or " << n(kMaxStayDays)
       << " days (a stay); for a distribution the bound applies to each of its parameters "
          "(mean, sd, min, mode, max, value, values). A single charge (fee, deductible, case "
          "rate, yearly cap) is at most "
       << n(kMaxChargeYuan) << " yuan. The scenario as a whole is limited to:\n\n"
       << "| total | limit | why |\n|---|---|---|\n"
       << "| residents of the county | " << n(static_cast<double>(kMaxPopulation))
       << " | per-resident tables; every sum of populations |\n"
       << "| villages | " << z(kMaxVillages) << " | travel times for every pair of places |\n"
       << "| places, villages included | " << z(kMaxPlaces) << " | the same |\n"
       << "| townships | " << z(kMaxTownships) << " | |\n"
       << "| facilities | " << z(kMaxFacilities) << " | choice sets of every village |\n"
       << "| conditions | " << z(kMaxConditions) << " | |\n"
       << "| roads | " << z(kMaxRoads) << " | |\n"
       << "| scripted episodes | " << z(kMaxEpisodes) << " | |\n"
       << "| facility changes | " << z(kMaxFacilityChanges)
       << " | doctors and beds stay "
          "within 32 bits |\n"
       << "| referral rules | " << z(kMaxFacilities + 3) << " | |\n"
       << "| queueing-network stations | " << z(kMaxStations)
       << " | traffic equations solved at load |\n"
       << "| expected episodes a year in the county | " << n(kMaxEpisodesPerYear)
       << " | a replication would run for days |\n"
       << "| expected episodes of one village over the run | " << n(kMaxVillageEpisodes)
       << " | episodes are numbered in 32 bits per village |\n\n"
       << "A queueing-network station whose load (its total arrival rate, from the traffic "
          "equations, times service_minutes over its doctors) is 1 or more is an error, and so is "
          "a station from which customers can never leave the network.\n\n";
}

/// The lists a CSV file may give, with the column names each accepts (tables.h).
void tables_section(std::ostringstream& md) {
    md << "## Tables from CSV files\n\n"
       << "The lists `places`, `townships`, `villages`, `facilities` and `roads` may each come "
          "from a CSV file instead: `villages: {csv: villages.csv}`, the path relative to the "
          "scenario file's directory. The file is UTF-8, with or without the byte-order mark "
          "Excel writes ('CSV UTF-8'); another encoding (GBK) is an error that says so. The first "
          "line names the columns, each later line is one item, as if written `- {key: value, "
          "...}`: the same keys, defaults, bounds and messages, located by file, line, row and "
          "column name. An empty cell leaves the key out. A column is named by its key or by a "
          "name below; a unit in brackets after the name is ignored (`距离(公里)`). Without an "
          "`id` column, an item's id is its name. A what-if extends a CSV county like any other "
          "and changes items by id ([planners.md](planners.md)).\n\n"
       << "| list | key | other column names |\n|---|---|---|\n";
    for (const auto& list : detail::table_lists()) {
        for (const auto& column : detail::column_aliases(list)) {
            std::string names;
            for (const auto& a : column.aliases) names += (names.empty() ? "" : ", ") + a;
            md << "| `" << list << "` | `" << column.key << "` | " << names << " |\n";
        }
    }
    md << "\n";
}

std::vector<SchemaKey> schema_keys() {
    std::vector<SchemaKey> out;
    for (const auto& section : schema_sections()) collect(section, "", out);
    return out;
}

std::string schema_reference_markdown() {
    std::ostringstream md;
    md << kIntroduction << "## General\n\n";
    std::vector<SchemaKey> general;
    for (const auto& s : schema_sections()) {
        if (s.shape == KeyShape::Value) collect(s, "", general);
    }
    table(md, general);
    for (const auto& s : schema_sections()) {
        if (s.shape == KeyShape::Value) continue;
        std::vector<SchemaKey> keys;
        collect(s, "", keys);
        keys.erase(keys.begin());  // the section itself is the heading
        std::string about = s.description;
        if (!about.empty()) about[0] = static_cast<char>(std::toupper(about[0]));
        md << "## `" << s.key << "`\n\n" << about << ".\n\n";
        table(md, keys);
        if (!s.example.empty()) md << "```yaml\n" << s.example << "\n```\n\n";
    }
    limits_section(md);
    tables_section(md);
    md << kWhatIf;
    std::string text = md.str();
    return text;
}

}  // namespace cmasim::scenario
