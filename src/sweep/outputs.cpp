#include "cmasim/sweep/outputs.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cmasim/report/stats.h"
#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"
#include "cmasim/util/atomic_file.h"

namespace cmasim::sweep {

namespace {

using Json = nlohmann::ordered_json;

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

/// "point,<parameter columns>," for the header, and the same for a point's rows.
std::string columns_header(const SweepPlan& plan) {
    std::string out = "point";
    for (const auto& p : plan.spec.parameters) out += "," + csv_field(p.column);
    return out;
}

std::string point_prefix(const SweepPlan& plan, std::uint64_t point) {
    std::string out = std::to_string(point);
    for (const auto& v : plan.points.at(static_cast<std::size_t>(point)).values)
        out += "," + csv_field(v);
    return out;
}

}  // namespace

std::string results_csv(const SweepPlan& plan, const std::vector<TaskRecord>& sorted_records) {
    std::string out = columns_header(plan) + ",replication,indicator,value\n";
    for (const auto& r : sorted_records) {
        const std::string prefix =
            point_prefix(plan, r.point) + "," + std::to_string(r.replication) + ",";
        for (const auto& v : r.values)
            out +=
                prefix + csv_field(v.indicator) + "," + report::round_trip_number(v.value) + "\n";
    }
    return out;
}

std::vector<PointEstimate> point_estimates(const std::vector<TaskRecord>& sorted_records,
                                           double confidence) {
    std::vector<PointEstimate> out;
    for (std::size_t first = 0; first < sorted_records.size();) {
        const std::uint64_t point = sorted_records[first].point;
        std::size_t end = first;
        // Indicators in order of first appearance; finite values in replication order.
        std::vector<std::string> order;
        std::map<std::string, std::vector<double>> values;
        for (; end < sorted_records.size() && sorted_records[end].point == point; ++end) {
            for (const auto& v : sorted_records[end].values) {
                auto [it, inserted] = values.try_emplace(v.indicator);
                if (inserted) order.push_back(v.indicator);
                if (std::isfinite(v.value)) it->second.push_back(v.value);
            }
        }
        for (const auto& name : order)
            out.push_back(
                {point, name, report::indicator_estimate(name, values[name], confidence)});
        first = end;
    }
    return out;
}

std::string summary_csv(const SweepPlan& plan, const std::vector<TaskRecord>& sorted_records) {
    std::string out = columns_header(plan) + ",indicator,n,mean,sd,ci_low,ci_high\n";
    for (const auto& row : point_estimates(sorted_records, plan.spec.confidence)) {
        const report::Estimate& e = row.estimate;
        out += point_prefix(plan, row.point) + "," + csv_field(row.indicator) + "," +
               std::to_string(e.n);
        if (e.n == 0) {
            out += ",,,,\n";
            continue;
        }
        for (const double x : {e.mean, e.sd, e.ci_low, e.ci_high})
            out += "," + report::round_trip_number(x);
        out += "\n";
    }
    return out;
}

report::Comparison compare_points(const SweepPlan& plan,
                                  const std::vector<TaskRecord>& sorted_records,
                                  std::size_t reference) {
    if (reference >= plan.points.size())
        throw std::out_of_range("no sweep point " + std::to_string(reference));
    std::vector<report::ScenarioRun> runs(plan.points.size());
    for (std::size_t p = 0; p < runs.size(); ++p) {
        runs[p].label = std::to_string(p);
        runs[p].seed = plan.points[p].seed;
    }
    for (const auto& r : sorted_records) {
        runs.at(static_cast<std::size_t>(r.point))
            .results.push_back({r.replication, r.values, {}, 0, 0});
    }
    std::rotate(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(reference),
                runs.begin() + static_cast<std::ptrdiff_t>(reference) + 1);
    return report::compare_runs(runs, plan.spec.common_random_numbers, plan.spec.confidence);
}

namespace {

/// The manifest's "design": the sampling method, and for a sampled design its size and seed.
Json design_json(const SweepSpec& s) {
    Json design;
    design["method"] = to_string(s.method);
    if (s.method != SampleMethod::None) {
        design["samples"] = s.samples;
        design["seed"] = s.design_seed;
    }
    return design;
}

/// The manifest's "parameters": each one's column, key path, and values or sampled range.
Json parameters_json(const SweepSpec& s) {
    Json params = Json::array();
    for (const auto& p : s.parameters) {
        Json q;
        q["column"] = p.column;
        q["path"] = p.path;
        if (p.sampled()) {
            q["between"] = {p.low, p.high};
            q["integer"] = p.integer;
        } else {
            q["values"] = p.values;
        }
        params.push_back(q);
    }
    return params;
}

Json shard_json(const ManifestInfo& info) {
    if (info.shard.whole()) return nullptr;
    return {
        {"index", info.shard.index}, {"count", info.shard.count}, {"tasks", info.tasks_in_files}};
}

}  // namespace

std::string manifest_json(const SweepPlan& plan, const ManifestInfo& info) {
    const SweepSpec& s = plan.spec;
    Json j;
    j["format"] = "cmasim sweep manifest";
    j["manifest_version"] = 1;
    j["cmasim_version"] = info.provenance.build.version;
    j["git_commit"] = info.provenance.build.commit;
    j["compiler"] = info.provenance.build.compiler;
    j["build_type"] = info.provenance.build.build_type;
    j["sweep_name"] = s.name;
    j["sweep_file"] = s.file;
    j["sweep_sha256"] = plan.sweep_sha256;
    j["base_scenario"] = s.base.string();
    j["base_sha256"] = plan.basis.base_sha256;
    j["base_sha256_recipe"] = report::kScenarioHashRecipe;
    j["fixed_overrides"] = s.fixed;
    j["seed"] = plan.basis.seed;
    j["common_random_numbers"] = s.common_random_numbers;
    j["rng_scheme"] = rng_scheme(plan);
    j["design"] = design_json(s);
    j["parameters"] = parameters_json(s);
    j["indicators"] = s.indicators.empty() ? Json("all") : Json(s.indicators);
    j["confidence"] = s.confidence;
    j["points"] = plan.points.size();
    j["replications"] = plan.basis.replications;
    j["tasks"] = plan.task_count();
    j["shard"] = shard_json(info);
    j["files"] = {{"results", "results.csv"}, {"summary", "summary.csv"}};
    // How this session was started: like the timing, it may differ between runs of one sweep.
    j["invocation"] = {{"command_line", info.provenance.command_line},
                       {"threads", info.provenance.threads}};
    j["timing"] = {{"started_at", info.started_at},
                   {"finished_at", info.finished_at},
                   {"elapsed_seconds", std::round(info.elapsed_seconds * 1000) / 1000},
                   {"sessions", info.sessions}};
    return j.dump(2) + "\n";
}

void write_sweep_outputs(const std::filesystem::path& dir, const SweepPlan& plan,
                         const std::vector<TaskRecord>& sorted_records, const ManifestInfo& info,
                         bool csv_bom) {
    const std::string bom = csv_bom ? report::kUtf8Bom : "";
    util::write_file_atomically(dir / "results.csv", bom + results_csv(plan, sorted_records));
    util::write_file_atomically(dir / "summary.csv", bom + summary_csv(plan, sorted_records));
    util::write_file_atomically(dir / "manifest.json", manifest_json(plan, info));
}

}  // namespace cmasim::sweep
