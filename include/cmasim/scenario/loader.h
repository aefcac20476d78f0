// Loading a scenario file: parse YAML -> resolve `extends:` and apply `--set` overrides -> apply
// the schema (types, bounds, unknown and required keys, defaults) -> expand a synthetic county ->
// cross-reference checks -> a Scenario. Every problem of a stage is reported at once, in one
// ScenarioError.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::scenario {

struct LoadOptions {
    /// Indicator names a `targets:` entry may use; empty = names are not checked.
    std::vector<std::string> known_indicators;
    /// `key.path=value` overrides (the CLI's --set), applied in order after `extends:` and
    /// before the schema pass. The value is YAML (`0.9`, `[a, b]`, `{dist: fixed, value: 3}`,
    /// `~` removes the key); the path is keys separated by '.', list items selected by id or
    /// index: `facilities[county_hospital].doctors`, `conditions[0].stay_days.county`.
    /// Diagnostics about an override name it as the file "--set <path>=<value>".
    std::vector<std::string> overrides;
};

/// Loads and validates a scenario file. Diagnostics name the file as `file` was given (and a
/// base file of `extends:` by its path relative to the extending file's label).
/// Throws ScenarioError (also when the file cannot be read).
Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options = {});

/// Same, from text; `file_label` names the text in diagnostics and in Scenario::source_file;
/// an `extends:` path is relative to the directory part of `file_label`.
Scenario load_scenario_string(const std::string& yaml_text, const std::string& file_label,
                              const LoadOptions& options = {});

/// The fully merged document of a scenario file (its `extends:` chain and options.overrides
/// applied) as YAML text, starting with comment lines naming the files merged (`cmasim
/// resolve`). Loading the text gives the same Scenario as loading the file (except for
/// source locations). The schema is not applied; throws ScenarioError when the file, a base
/// file or an override cannot be read or applied.
std::string resolve_scenario_yaml(const std::filesystem::path& file,
                                  const LoadOptions& options = {});

/// Same, from text labelled `file_label` (as load_scenario_string).
std::string resolve_scenario_string(const std::string& yaml_text, const std::string& file_label,
                                    const LoadOptions& options = {});

/// The scenario hash recorded in manifests, summary.json and compare.json: SHA-256 (lowercase
/// hex) of resolve_scenario_yaml() without its leading comment lines, so neither the working
/// directory nor the path given changes it, and two files that resolve to the same document
/// share it (docs/reproducibility.md). Throws ScenarioError.
std::string scenario_sha256(const std::filesystem::path& file, const LoadOptions& options = {});

/// Same, from text labelled `file_label`: equal to the file's hash when the text is the file's.
std::string scenario_string_sha256(const std::string& yaml_text, const std::string& file_label,
                                   const LoadOptions& options = {});

}  // namespace cmasim::scenario
