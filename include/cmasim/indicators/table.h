// The one table of every indicator the model reports (docs/model.md §7): key, labels, unit,
// decimals, table section and definition. The model emits rows by these keys; report, check,
// compare, the scenario loader (`targets:`) and sweeps read this table. A test runs shipped
// scenarios and proves every emitted key has a row and every row is emitted somewhere.
// Writers still print a key missing from the table, under its own name, so a report never breaks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cmasim::indicators {

/// Description of one indicator key.
struct IndicatorInfo {
    std::string key;    ///< as emitted by the model, e.g. "grassroots_rate"
    std::string label;  ///< short human label (ASCII, <= 34 characters, for fixed-width tables)
    std::string unit;   ///< e.g. "proportion", "count", "minutes", "yuan" (<= 20 characters)
    std::string description;  ///< one sentence: what exactly is counted or divided
    int decimals = 3;         ///< decimals to print in human-readable tables
    std::string section;      ///< table heading it belongs under, e.g. "Referrals"
    /// The official Chinese name the policy documents use (县域就诊率, 基层就诊率, ...); empty when
    /// the documents name no such indicator (none is made up).
    std::string chinese;
};

/// The table sections, in the order the table prints them. Keys not in the table go under a
/// final "Other" section.
const std::vector<std::string>& sections();

/// All known indicators, in a stable order (the order of docs/model.md §7). Never empty.
const std::vector<IndicatorInfo>& all();

/// The table's keys, in table order (what a scenario's `targets:` and a sweep may name).
std::vector<std::string> keys();

/// The row for `key`, or nullptr when the key is unknown.
const IndicatorInfo* find(std::string_view key);

/// The label of `key`, or `key` itself when unknown (never empty for a non-empty key).
std::string label(std::string_view key);

/// Decimals to print for `key`: the table's value, or 3 when unknown.
int decimals(std::string_view key);

/// The values an indicator can take: [0, 1] for a proportion, [0, inf) for a count, the whole
/// line otherwise (and for an unknown key). Confidence intervals are clipped to it.
struct Range {
    double low;
    double high;
};
Range range(std::string_view key);

/// The table section of `key`: the table's value, or "Other" when unknown.
std::string section(std::string_view key);

/// docs/indicators.md: every row of the table as Markdown, by section (`cmasim indicators`).
std::string reference_markdown();

}  // namespace cmasim::indicators
