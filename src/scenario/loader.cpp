// The loading stages: parse YAML -> apply the schema -> expand a synthetic county ->
// cross-reference checks -> Scenario. Each stage reports all of its problems at once; a later
// stage runs only on a clean earlier one, so one mistake does not cascade into many messages.
#include "cmasim/scenario/loader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "checks.h"
#include "cmasim/scenario/synthetic.h"
#include "schemas.h"

namespace cmasim::scenario {

namespace {

[[noreturn]] void fail(std::vector<Diagnostic> diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         auto key = [](const Diagnostic& d) {
                             return std::pair(d.line == 0 ? 1 << 30 : d.line, d.column);
                         };
                         return key(a) < key(b);
                     });
    throw ScenarioError(std::move(diagnostics));
}

YAML::Node parse_yaml(const std::string& text, const std::string& label) {
    try {
        YAML::Node root = YAML::Load(text);
        if (root.IsNull()) {
            fail({Diagnostic{label, 1, 1, "", "the scenario file is empty",
                             "start from scenarios/tiny.yaml"}});
        }
        return root;
    } catch (const YAML::Exception& e) {
        fail({Diagnostic{label, e.mark.is_null() ? 0 : e.mark.line + 1,
                         e.mark.is_null() ? 0 : e.mark.column + 1, "",
                         "YAML syntax error: " + e.msg,
                         "check indentation, colons, quotes and brackets near here"}});
    }
}

void expand(Scenario& s, detail::Reader& r) {
    if (!s.synthetic) return;
    try {
        expand_synthetic(s);
    } catch (const std::exception& e) {
        r.report(r.locate("synthetic_county", SourceRef{r.file(), 0, 0}), "synthetic_county",
                 std::string("cannot generate the county: ") + e.what(),
                 "check the synthetic_county settings");
    }
}

}  // namespace

Scenario load_scenario_string(const std::string& yaml_text, const std::string& file_label,
                              const LoadOptions& options) {
    const YAML::Node root = parse_yaml(yaml_text, file_label);
    detail::Reader reader(file_label, options);
    Scenario scenario;
    detail::apply_record(detail::scenario_schema(), root, scenario, reader);
    scenario.source_file = file_label;
    if (reader.has_errors()) fail(reader.diagnostics());
    expand(scenario, reader);
    if (reader.has_errors()) fail(reader.diagnostics());
    detail::check_cross_references(scenario, reader);
    if (reader.has_errors()) fail(reader.diagnostics());
    return scenario;
}

Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
    const std::string label = file.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        const bool exists = std::filesystem::exists(file, ec);
        fail({Diagnostic{label, 0, 0, "",
                         exists ? "not a regular file" : "no such scenario file",
                         "check the path; scenarios/tiny.yaml is an example"}});
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) fail({Diagnostic{label, 0, 0, "", "cannot read the scenario file", "check its permissions"}});
    return load_scenario_string(text.str(), label, options);
}

}  // namespace cmasim::scenario
