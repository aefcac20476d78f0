// Internal to the sweep-file parser: collects every problem with file, line, column and key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/util/did_you_mean.h"

namespace cmasim::sweep::detail {

class SpecReader {
  public:
    explicit SpecReader(std::string file) : file_(std::move(file)) {}

    /// Reports a problem at `at` (its line and column) under `key`.
    void error(const YAML::Node& at, const std::string& key, std::string message,
               std::string hint = {});
    /// Reports unknown keys of `map` (with a did-you-mean hint); `path` prefixes the key.
    void check_keys(const YAML::Node& map, const std::string& path,
                    const std::vector<std::string>& known);

    std::optional<double> number(const YAML::Node& node, const std::string& key);
    std::optional<long long> integer(const YAML::Node& node, const std::string& key, long long min,
                                     long long max);
    std::optional<bool> flag(const YAML::Node& node, const std::string& key);
    std::optional<std::string> text(const YAML::Node& node, const std::string& key);

    const std::string& file() const { return file_; }
    const std::vector<scenario::Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::string file_;
    std::vector<scenario::Diagnostic> diagnostics_;
};

/// The YAML text of a value as an override takes it: a number in its shortest round-trip form
/// ("0.5", "600"), any other scalar as written, a list or map in flow style.
std::string value_text(const YAML::Node& node);

/// The shortest text of `value` after rounding to `digits` significant digits: a range step of
/// 0.1 gives "0.7" rather than "0.7000000000000001" (12 digits), a sampled value reads "-0.0118224"
/// (6 digits; finer than any coefficient is known).
std::string clean_number(double value, int digits = 12);

}  // namespace cmasim::sweep::detail
