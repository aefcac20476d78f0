// Messages about a scenario file: where (file, line, column, key path), what, and what to do.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace cmasim::scenario {

/// One problem found in a scenario file.
struct Diagnostic {
    std::string file;      ///< the file label given to the loader (usually its path)
    int line = 0;          ///< 1-based; 0 when unknown (e.g. a generated record)
    int column = 0;        ///< 1-based; 0 when unknown
    std::string key_path;  ///< e.g. "facilities[e1_clinic].doctors"; empty for the whole file
    std::string message;   ///< what is wrong, e.g. "must be >= 0, got -2"
    std::string hint;      ///< what to do about it; may be empty
};

/// "file:line:col: key.path: message (hint)"; parts that are unknown or empty are left out.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Raised by the loader with every problem it found, not only the first.
class ScenarioError : public std::runtime_error {
  public:
    explicit ScenarioError(std::vector<Diagnostic> diagnostics);
    /// All problems, in file order within each loading stage.
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::vector<Diagnostic> diagnostics_;
};

}  // namespace cmasim::scenario
