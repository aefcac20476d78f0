// The reader behind the sweep file and the calibration file (src/calibrate): collects every
// problem with file, line, column and key, as scenario files report them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
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

    /// True when `path` is a key path as `--set` takes it (UTF-8 ids included); reports a
    /// malformed one at `at` under `key`.
    bool key_path(const YAML::Node& at, const std::string& key, const std::string& path);
    /// A map of key path: value (a `set:` block) as "path=value" overrides, in file order.
    std::vector<std::string> overrides(const YAML::Node& node, const std::string& key);

    /// Runs `read` (which reports through this reader); a yaml-cpp exception it throws on a
    /// shape nobody foresaw becomes one more located message. Throws scenario::ScenarioError
    /// with every message when there is any. `layout_doc` names the page that shows the layout.
    template <class Spec>
    Spec read_located(const std::function<Spec()>& read, const std::string& layout_doc);

    const std::string& file() const { return file_; }
    const std::vector<scenario::Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    void error_at_mark(const YAML::Mark& mark, std::string message, std::string hint);
    std::string file_;
    std::vector<scenario::Diagnostic> diagnostics_;
};

template <class Spec>
Spec SpecReader::read_located(const std::function<Spec()>& read, const std::string& layout_doc) {
    Spec spec;
    try {
        spec = read();
    } catch (const YAML::Exception& e) {
        error_at_mark(e.mark, "cannot read this value: " + e.msg,
                      "see " + layout_doc + " for the layout");
    }
    if (!diagnostics_.empty()) throw scenario::ScenarioError(diagnostics_);
    return spec;
}

/// The YAML document in `text`; a syntax error is thrown as a located scenario::ScenarioError.
YAML::Node parse_yaml(const std::string& text, const std::string& file_label);

/// The YAML text of a value as an override takes it: a number in its shortest round-trip form
/// ("0.5", "600"), any other scalar as written, a list or map in flow style.
std::string value_text(const YAML::Node& node);

/// The shortest text of `value` after rounding to `digits` significant digits: a range step of
/// 0.1 gives "0.7" rather than "0.7000000000000001" (12 digits), a sampled value reads "-0.0118224"
/// (6 digits; finer than any coefficient is known).
std::string clean_number(double value, int digits = 12);

}  // namespace cmasim::sweep::detail
