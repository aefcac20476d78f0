// summary.json and the tidy CSV files.
#include "cmasim/report/writers.h"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "cmasim/indicators/table.h"
#include "cmasim/report/tables.h"
#include "cmasim/util/atomic_file.h"

namespace cmasim::report {

namespace {

using Json = nlohmann::ordered_json;

/// A double as JSON; NaN and infinities become null (JSON has no NaN).
Json number(double value) {
    return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json optional_number(const std::optional<double>& value) {
    return value ? number(*value) : Json(nullptr);
}

Json estimate_json(const Estimate& e) {
    Json j;
    j["n"] = e.n;
    j["mean"] = number(e.mean);
    j["sd"] = number(e.sd);
    // With one replication there is no interval: null rather than the degenerate [mean, mean].
    j["ci_low"] = e.n >= 2 ? number(e.ci_low) : Json(nullptr);
    j["ci_high"] = e.n >= 2 ? number(e.ci_high) : Json(nullptr);
    j["half_width"] = number(e.half_width);
    return j;
}

Json run_json(const Summary& s) {
    Json j;
    j["scenario_name"] = s.run.scenario_name;
    j["scenario_file"] = s.run.scenario_file;
    j["seed"] = s.run.seed;
    j["replications"] = s.run.replications;
    j["horizon_days"] = number(s.run.horizon_days);
    j["warmup_days"] = number(s.run.warmup_days);
    j["version"] = s.run.version;
    j["git_commit"] = s.run.git_commit;
    j["scenario_sha256"] = s.run.scenario_sha256;
    j["confidence"] = number(s.confidence);
    return j;
}

Json county_json(const Summary& s) {
    Json j = Json::object();
    for (const auto& c : s.county) {
        Json entry;
        entry["label"] = indicators::label(c.indicator);
        const indicators::IndicatorInfo* info = indicators::find(c.indicator);
        entry["unit"] = info ? info->unit : std::string();
        entry.update(estimate_json(c.estimate));
        j[c.indicator] = std::move(entry);
    }
    return j;
}

Json targets_json(const Summary& s) {
    Json j = Json::array();
    for (const auto& t : s.targets) {
        Json entry;
        entry["indicator"] = t.target.indicator;
        entry["min"] = optional_number(t.target.min);
        entry["max"] = optional_number(t.target.max);
        entry["verdict"] = to_string(t.verdict);
        entry["estimate"] = t.estimate ? estimate_json(*t.estimate) : Json(nullptr);
        entry["note"] = t.note;
        j.push_back(std::move(entry));
    }
    return j;
}

/// groups -> dimension -> group -> indicator -> estimate, each level in first-seen order.
Json groups_json(const Summary& s) {
    Json j = Json::object();
    for (const auto& g : s.groups) {
        j[g.dimension][g.group][g.indicator] = estimate_json(g.estimate);
    }
    return j;
}

/// group_names -> dimension -> group -> name: the names printed next to the ids of "groups".
Json group_names_json(const Summary& s) {
    Json j = Json::object();
    for (const auto& g : s.group_names) j[g.dimension][g.group] = g.name;
    return j;
}

}  // namespace

std::string round_trip_number(double value) {
    if (!std::isfinite(value)) return {};
    std::array<char, 32> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (ec != std::errc()) throw std::logic_error("to_chars failed on a finite double");
    return std::string(buffer.data(), end);
}

std::string summary_json(const Summary& summary) {
    Json j;
    j["format"] = "cmasim-summary";
    j["format_version"] = 1;
    j["run"] = run_json(summary);
    j["county"] = county_json(summary);
    j["targets"] = targets_json(summary);
    j["groups"] = groups_json(summary);
    j["group_names"] = group_names_json(summary);
    // ensure_ascii off: Chinese names stay readable; invalid UTF-8 is replaced, not fatal.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void write_outputs(const std::filesystem::path& out_dir, const Summary& summary,
                   const std::vector<indicators::ReplicationResult>& results, bool csv_bom) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
        throw std::runtime_error("cannot create output directory " + out_dir.string() + ": " +
                                 ec.message());
    }
    const auto tables = tidy_tables(results);  // checks the replication numbers before any write
    util::write_file_atomically(out_dir / "summary.json", summary_json(summary));
    bool others = false;
    for (const auto& table : tables) {
        util::write_file_atomically(out_dir / (table.name + ".csv"),
                                    (csv_bom ? kUtf8Bom : "") + tidy_csv(table));
        others = others || table.name == "other_groups";
    }
    if (!others)
        std::filesystem::remove(out_dir / "other_groups.csv", ec);  // stale from an earlier run
}

}  // namespace cmasim::report
