// The generated scenario reference: every key of the schema, grouped by section.
#include <cctype>
#include <sstream>

#include "schemas.h"

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
        case KeyShape::Value: return;
        case KeyShape::Record: child_prefix += "."; break;
        case KeyShape::List: child_prefix += "[]."; break;
        case KeyShape::Map: child_prefix += ".<name>."; break;
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
           << (k.required ? "**required**" : cell(k.default_value)) << " | "
           << cell(bounds_text(k)) << " | " << cell(k.description) << " |\n";
    }
    md << "\n";
}

constexpr const char* kIntroduction = R"(# Scenario file reference

Generated from the loader's schema (`cmasim schema`); do not edit by hand. A test fails when this
page and the schema disagree.

A scenario file is YAML. Unknown keys are errors (with a "did you mean" hint), and every error
in a file is reported at once as `file:line:col: key.path: message (hint)`.

## Value types

- **integer**, **number**: plain YAML numbers; bounds are shown as `[min, max]` (inclusive) or
  `(min, max)` (exclusive).
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

}  // namespace

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
    std::string text = md.str();
    text.pop_back();  // one newline at the end of the file
    return text;
}

}  // namespace cmasim::scenario
