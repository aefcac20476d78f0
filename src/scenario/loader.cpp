// The loading stages: parse YAML -> compose (extends, --set) -> apply the schema -> expand a
// synthetic county -> totals -> cross-reference checks -> queueing-network load -> Scenario.
// Each stage reports all of its problems at once; a later stage runs only on a clean earlier
// one, so one mistake does not cascade into many messages.
#include "cmasim/scenario/loader.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "checks.h"
#include "cmasim/scenario/synthetic.h"
#include "compose.h"
#include "fast_episodes.h"
#include "schemas.h"
#include "text.h"

namespace cmasim::scenario {

namespace {

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

detail::Document compose(const std::string& yaml_text, const std::string& label,
                         const LoadOptions& options) {
    return detail::compose_document(detail::parse_yaml(yaml_text, label), label, options);
}

std::string read_scenario_file(const std::filesystem::path& file) {
    const std::string label = file.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        const bool exists = std::filesystem::exists(file, ec);
        detail::fail(
            {Diagnostic{label, 0, 0, "", exists ? "not a regular file" : "no such scenario file",
                        "check the path; scenarios/tiny.yaml is an example"}});
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        detail::fail({Diagnostic{label, 0, 0, "", "cannot read the scenario file",
                                 "check its permissions"}});
    }
    return text.str();
}

/// Emits a node keeping the layout of the files (flow or block) and the quotes of quoted text
/// ("08:00" stays quoted, so that no YAML 1.1 reader takes it for a number).
void emit(YAML::Emitter& out, const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            out << YAML::Null;
            return;
        case YAML::NodeType::Scalar:
            if (node.Tag() == "!") out << YAML::DoubleQuoted;
            out << node.Scalar();
            return;
        case YAML::NodeType::Sequence:
            if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
            out << YAML::BeginSeq;
            for (const auto& item : node) emit(out, item);
            out << YAML::EndSeq;
            return;
        case YAML::NodeType::Map:
            if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
            out << YAML::BeginMap;
            for (auto it = node.begin(); it != node.end(); ++it) {
                out << YAML::Key;
                emit(out, it->first);
                out << YAML::Value;
                emit(out, it->second);
            }
            out << YAML::EndMap;
            return;
    }
}

}  // namespace

Scenario detail::build_scenario(const Document& doc, const std::string& file_label,
                                const LoadOptions& options,
                                const std::vector<ScriptedEpisode>* more_episodes) {
    detail::Reader reader(file_label, options, &doc.sources);
    Scenario scenario;
    scenario.policy.circuit.window = detail::default_circuit_window();
    detail::apply_record(detail::scenario_schema(), doc.root, scenario, reader);
    if (more_episodes) {
        scenario.episodes.insert(scenario.episodes.end(), more_episodes->begin(),
                                 more_episodes->end());
    }
    scenario.source_file = file_label;
    if (reader.has_errors()) detail::fail(reader.diagnostics(), doc.labels);
    expand(scenario, reader);
    if (reader.has_errors()) detail::fail(reader.diagnostics(), doc.labels);
    detail::check_totals(scenario, reader);
    if (reader.has_errors()) detail::fail(reader.diagnostics(), doc.labels);
    detail::check_alliances(scenario, reader);
    detail::check_response_modes(scenario, reader);
    detail::check_cross_references(scenario, reader);
    if (reader.has_errors()) detail::fail(reader.diagnostics(), doc.labels);
    detail::check_network_load(scenario, reader);
    if (reader.has_errors()) detail::fail(reader.diagnostics(), doc.labels);
    return scenario;
}

namespace {

/// The file with its long `episodes:` list read by fast_episodes.h; nullopt (the caller then
/// takes the general path) when the list is not there or anything about the file is wrong.
std::optional<Scenario> load_split(const std::string& yaml_text, const std::string& file_label,
                                   const LoadOptions& options) {
    auto split = detail::split_scripted_episodes(yaml_text, options);
    if (!split) return std::nullopt;
    try {
        const YAML::Node root = detail::parse_yaml(split->text, file_label);
        // The key split off must be the document's own list, its first item where it stood.
        const YAML::Node list = root.IsMap() ? root["episodes"] : YAML::Node();
        if (!list.IsSequence() || list.size() != 1 || list[0].Mark().line + 1 != split->first_line)
            return std::nullopt;
        const detail::Document doc = detail::compose_document(root, file_label, options);
        Scenario scenario = detail::build_scenario(doc, file_label, options, &split->rest);
        detail::add_periods(scenario, doc, file_label, options);
        return scenario;
    } catch (const ScenarioError&) {
        return std::nullopt;  // the general path gives the messages, located in the whole file
    }
}

}  // namespace

Scenario load_scenario_string(const std::string& yaml_text, const std::string& file_label,
                              const LoadOptions& options) {
    if (auto fast = load_split(yaml_text, file_label, options)) return std::move(*fast);
    try {
        const detail::Document doc = compose(yaml_text, file_label, options);
        Scenario scenario = detail::build_scenario(doc, file_label, options);
        detail::add_periods(scenario, doc, file_label, options);
        return scenario;
    } catch (const ScenarioError& e) {
        throw detail::character_columns(e, file_label, yaml_text);
    }
}

Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
    return load_scenario_string(read_scenario_file(file), file.string(), options);
}

std::string resolve_scenario_yaml(const std::filesystem::path& file, const LoadOptions& options) {
    return resolve_scenario_string(read_scenario_file(file), file.string(), options);
}

std::string resolve_scenario_string(const std::string& yaml_text, const std::string& label,
                                    const LoadOptions& options) {
    const detail::Document doc = [&] {
        try {
            return compose(yaml_text, label, options);
        } catch (const ScenarioError& e) {
            throw detail::character_columns(e, label, yaml_text);
        }
    }();
    std::string out = "# " + label +
                      " resolved by cmasim: its extends: chain and --set overrides\n"
                      "# merged, in this order (later entries win):\n";
    auto is_table = [](const std::string& l) {
        return l.size() > 4 && l.compare(l.size() - 4, 4, ".csv") == 0;
    };
    for (auto it = doc.labels.rbegin(); it != doc.labels.rend(); ++it) {
        if (it->rfind("--set ", 0) == 0 || is_table(*it)) continue;
        out += "#   " + *it + "\n";
    }
    for (const auto& l : doc.labels) {
        if (is_table(l)) out += "# with the table " + l + "\n";
    }
    for (const auto& l : doc.labels) {
        if (l.rfind("--set ", 0) == 0) out += "#   " + l + "\n";
    }
    if (!doc.removed.empty()) out += "# keys removed (~), not in the text below:\n";
    for (const auto& r : doc.removed) out += "#   " + r + "\n";
    YAML::Emitter emitter;
    emitter.SetIndent(2);
    emit(emitter, doc.root);
    out += emitter.c_str();
    out += "\n";
    return out;
}

}  // namespace cmasim::scenario
