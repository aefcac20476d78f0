// Reading a calibration's draws.csv and running replications with its draws (draws.h).
#include "cmasim/calibrate/draws.h"

#include <spdlog/spdlog.h>

#include <map>

#include "../scenario/csv.h"
#include "../scenario/text.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/sweep/scenarios.h"
#include "cmasim/util/parallel.h"

namespace cmasim::calibrate {

namespace fs = std::filesystem;
namespace sd = scenario::detail;

namespace {

[[noreturn]] void fail(const std::string& file, int line, int column, const std::string& key,
                       const std::string& message, const std::string& hint) {
    throw scenario::ScenarioError({{file, line, column, key, message, hint}});
}

/// The CSV table of `file`; problems (unreadable, not UTF-8, malformed) are thrown located.
sd::CsvTable read_table(const fs::path& file) {
    bool ok = false;
    const std::string text = sd::read_file_text(file.string(), ok);
    if (!ok) fail(file.string(), 0, 0, "", "cannot read the draws file", "check the path");
    std::vector<scenario::Diagnostic> problems;
    if (auto p = sd::encoding_problem(text, file.string())) problems.push_back(*p);
    sd::CsvTable table;
    if (problems.empty()) table = sd::parse_csv(text, file.string(), problems);
    if (!problems.empty()) throw scenario::ScenarioError(problems);
    return table;
}

/// Parameter name -> key path, from parameters.csv beside the draws (empty when there is none).
std::map<std::string, std::string> parameter_paths(const fs::path& draws) {
    const fs::path file = draws.parent_path() / "parameters.csv";
    std::map<std::string, std::string> paths;
    if (!fs::exists(file)) return paths;
    const sd::CsvTable t = read_table(file);
    if (t.header.size() < 2 || t.header[0].text != "parameter" || t.header[1].text != "path")
        fail(file.string(), 1, 1, "", "is not a calibration's parameters.csv",
             "its header must start with parameter,path");
    for (const auto& row : t.rows) {
        if (row.cells.size() >= 2) paths[row.cells[0].text] = row.cells[1].text;
    }
    return paths;
}

/// The header's columns as key paths (a name parameters.csv lists becomes its path).
void read_header(const sd::CsvTable& t, const fs::path& file, Draws& d) {
    if (t.header.size() < 2 || t.header[0].text != "draw")
        fail(d.file, 1, 1, "", "the header must be draw,<parameter columns>",
             "use the draws.csv a calibration wrote, or write key paths as the columns");
    const auto names = parameter_paths(file);
    for (std::size_t i = 1; i < t.header.size(); ++i) {
        const auto& cell = t.header[i];
        if (cell.text.empty())
            fail(d.file, cell.line, cell.column, "", "a column has no name", "name its key path");
        const auto it = names.find(cell.text);
        d.paths.push_back(it == names.end() ? cell.text : it->second);
        d.header_columns.push_back(cell.column);
    }
}

}  // namespace

std::vector<std::string> Draws::overrides_for(std::uint64_t replication) const {
    const auto& row = values[static_cast<std::size_t>(replication % values.size())];
    std::vector<std::string> out;
    for (std::size_t i = 0; i < paths.size(); ++i) out.push_back(paths[i] + "=" + row[i]);
    return out;
}

Draws load_draws(const fs::path& file) {
    Draws d;
    d.file = file.string();
    const sd::CsvTable t = read_table(file);
    read_header(t, file, d);
    for (const auto& row : t.rows) {
        if (row.cells.size() != t.header.size())
            fail(d.file, row.line, 1, "",
                 "the row has " + std::to_string(row.cells.size()) + " cells, the header " +
                     std::to_string(t.header.size()),
                 "give every column a value");
        d.lines.push_back(row.line);
        d.values.emplace_back();
        d.value_columns.emplace_back();
        for (std::size_t i = 1; i < row.cells.size(); ++i) {
            d.values.back().push_back(row.cells[i].text);
            d.value_columns.back().push_back(row.cells[i].column);
        }
    }
    if (d.values.empty())
        fail(d.file, 0, 0, "", "holds no draw", "give at least one row under the header");
    return d;
}

namespace {

/// The scenario with draw k; an error the loader finds in one of the draw's values is located
/// at that value (its --set label names the column), an unknown column at the header.
scenario::Scenario load_draw(const Draws& d, std::size_t k, const fs::path& file,
                             const std::vector<std::string>& overrides) {
    auto all = overrides;
    const auto own = d.overrides_for(k);
    all.insert(all.end(), own.begin(), own.end());
    try {
        return sweep::load_scenario_source(file, {}, sweep::load_options(all));
    } catch (const scenario::ScenarioError& e) {
        const scenario::Diagnostic& first = e.diagnostics().front();
        for (std::size_t i = 0; i < own.size(); ++i) {
            if (first.file != "--set " + own[i]) continue;
            const bool unknown = first.message.find("unknown") != std::string::npos;
            fail(d.file, unknown ? 1 : d.lines[k],
                 unknown ? d.header_columns[i] : d.value_columns[k][i], d.paths[i],
                 (unknown ? "the scenario " + file.string() + " refuses this column: "
                          : "the scenario " + file.string() + " refuses draw " + std::to_string(k) +
                                "'s value: ") +
                     scenario::format_diagnostic(first),
                 unknown ? "name a parameter of parameters.csv or a key path as --set writes it"
                         : "check the value against the key's range");
        }
        throw;
    }
}

}  // namespace

std::vector<scenario::Scenario> draw_scenarios(const Draws& draws, const fs::path& file,
                                               const std::vector<std::string>& overrides,
                                               int replications) {
    const std::size_t used = std::min(draws.count(), static_cast<std::size_t>(replications));
    std::vector<scenario::Scenario> out;
    for (std::size_t k = 0; k < used; ++k) out.push_back(load_draw(draws, k, file, overrides));
    return out;
}

void warn_if_uneven(const Draws& draws, int replications) {
    if (static_cast<std::size_t>(replications) % draws.count() == 0) return;
    spdlog::warn(
        "{} replications over the {} draws of {}: the draws are not used equally often; "
        "give a multiple of {} replications",
        replications, draws.count(), draws.file, draws.count());
}

std::vector<indicators::ReplicationResult> run_with_draws(
    const std::vector<scenario::Scenario>& scenarios, int replications, std::uint64_t seed,
    int threads) {
    std::vector<indicators::ReplicationResult> results(static_cast<std::size_t>(replications));
    util::parallel_for(replications, threads, [&](int i) {
        // One county per replication keeps memory at `threads` counties, whatever the draws.
        scenario::Scenario s = scenarios[static_cast<std::size_t>(i) % scenarios.size()];
        s.seed = seed;
        const model::County county = model::compile_county(s);
        results[static_cast<std::size_t>(i)] =
            model::run_replication(county, static_cast<std::uint64_t>(i));
    });
    return results;
}

sweep::ComparisonRun compare_with_draws(const std::vector<sweep::LabelledScenario>& scenarios,
                                        const sweep::ComparisonOptions& options,
                                        const Draws& draws) {
    sweep::ComparisonRun run;
    run.replications = options.replications.value_or(scenarios.at(0).scenario.replications);
    run.seed = options.seed.value_or(scenarios[0].scenario.seed);
    warn_if_uneven(draws, run.replications);
    // Every arm's draws load before anything runs, so a bad draw fails in seconds.
    std::vector<std::vector<scenario::Scenario>> arms;
    for (const auto& s : scenarios)
        arms.push_back(draw_scenarios(draws, s.file, {}, run.replications));
    std::vector<report::ScenarioRun> runs;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        const std::uint64_t seed =
            options.independent ? run.seed + sweep::kIndependentSeedStride * k : run.seed;
        spdlog::info("running {} ({} replications over {} draws, seed {})", scenarios[k].file,
                     run.replications, draws.count(), seed);
        runs.push_back({scenarios[k].label, scenarios[k].file, seed,
                        run_with_draws(arms[k], run.replications, seed, options.threads),
                        scenarios[k].scenario.targets, scenarios[k].sha256});
    }
    run.comparison = report::compare_runs(runs, !options.independent);
    for (const auto& s : scenarios) run.comparison.names.push_back(s.scenario.name);
    return run;
}

}  // namespace cmasim::calibrate
