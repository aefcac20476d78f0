// Loading a scenario file: parse YAML -> apply the schema (types, bounds, unknown and required
// keys, defaults) -> expand a synthetic county -> cross-reference checks -> a Scenario.
// Every problem of a stage is reported at once, in one ScenarioError.
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
};

/// Loads and validates a scenario file. Diagnostics name the file as `file` was given.
/// Throws ScenarioError (also when the file cannot be read).
Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options = {});

/// Same, from text; `file_label` names the text in diagnostics and in Scenario::source_file.
Scenario load_scenario_string(const std::string& yaml_text, const std::string& file_label,
                              const LoadOptions& options = {});

}  // namespace cmasim::scenario
