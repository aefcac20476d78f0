// The scenario hash every manifest records (docs/reproducibility.md, "Scenario hash").
#include <sstream>

#include "cmasim/scenario/loader.h"
#include "cmasim/util/hash.h"

namespace cmasim::scenario {

namespace {

/// The leading comment lines name files by the path given; dropping them makes the hash the
/// same whichever directory the command ran from.
std::string without_header_sha256(const std::string& resolved) {
    std::istringstream in(resolved);
    std::string line, text;
    bool header = true;
    while (std::getline(in, line)) {
        if (header && line.rfind('#', 0) == 0) continue;
        header = false;
        text += line + '\n';
    }
    return util::sha256_hex(text);
}

}  // namespace

std::string scenario_sha256(const std::filesystem::path& file, const LoadOptions& options) {
    return without_header_sha256(resolve_scenario_yaml(file, options));
}

std::string scenario_string_sha256(const std::string& yaml_text, const std::string& file_label,
                                   const LoadOptions& options) {
    return without_header_sha256(resolve_scenario_string(yaml_text, file_label, options));
}

}  // namespace cmasim::scenario
