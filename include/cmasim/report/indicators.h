// Metadata for every indicator the model reports (MODEL.md §7): labels, units and how many
// decimals a reader wants. Writers look keys up here; a key missing from the registry is still
// printed, under its own name, so a new indicator never breaks a report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cmasim::report {

/// Description of one indicator key.
struct IndicatorInfo {
    std::string key;          ///< as emitted by the model, e.g. "grassroots_rate"
    std::string label;        ///< short human label (ASCII, <= 34 characters, for fixed-width tables)
    std::string unit;         ///< e.g. "proportion", "count", "minutes", "yuan" (<= 20 characters)
    std::string description;  ///< one sentence: what exactly is counted or divided
    int decimals = 3;         ///< decimals to print in human-readable tables
    std::string section;      ///< table heading it belongs under, e.g. "Referrals"
};

/// The table sections, in the order the table prints them. Keys not in the registry go under a
/// final "Other" section.
const std::vector<std::string>& indicator_sections();

/// All known indicators, in a stable order (the order of MODEL.md §7). Never empty.
const std::vector<IndicatorInfo>& indicator_registry();

/// The registry's keys, in registry order (what a scenario's `targets:` and a sweep may name).
std::vector<std::string> indicator_keys();

/// The registry entry for `key`, or nullptr when the key is unknown.
const IndicatorInfo* find_indicator(std::string_view key);

/// The label of `key`, or `key` itself when unknown (never empty for a non-empty key).
std::string indicator_label(std::string_view key);

/// Decimals to print for `key`: the registry's value, or 3 when unknown.
int indicator_decimals(std::string_view key);

/// The table section of `key`: the registry's value, or "Other" when unknown.
std::string indicator_section(std::string_view key);

}  // namespace cmasim::report
