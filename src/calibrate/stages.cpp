// One stage of a calibration (a wave's design, or one best-fit evaluation) is a sweep built in
// memory: the same plan, journal, directory and --resume as `cmasim sweep`, so a killed
// calibration loses at most the replications that were running.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>
#include <tuple>
#include <utility>

#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/driver.h"
#include "cmasim/sweep/spec_reader.h"
#include "cmasim/util/hash.h"
#include "state.h"

namespace cmasim::calibrate::detail {

namespace fs = std::filesystem;

namespace {

/// Significant digits of a parameter value (as sweeps write sampled values).
constexpr int kDigits = 6;

/// The text a stage's directory stores as its "sweep file": everything that fixes its tasks,
/// so that a resumed stage is checked to be the same stage.
std::string stage_text(const Context& c, const std::string& stage,
                       const std::vector<sweep::Point>& points) {
    std::string t = "# cmasim calibration stage (generated)\ncalibration: " + c.spec.name +
                    "\nstage: " + stage + "\nscenario: " + c.options.scenario.string() +
                    "\nseed: " + std::to_string(c.seed) +
                    "\nreplications: " + std::to_string(c.replications) + "\nset:\n";
    for (const auto& f : c.spec.fixed) t += "  - \"" + f + "\"\n";
    t += "points:\n";
    for (const auto& p : points) {
        t += "  -";
        for (const auto& v : p.values) t += " " + v;
        t += "\n";
    }
    return t;
}

sweep::SweepPlan stage_plan(const Context& c, const std::string& stage,
                            const std::vector<std::vector<double>>& unit_points) {
    sweep::SweepPlan plan;
    plan.spec.file = c.spec.file + " (" + stage + ")";
    plan.spec.name = c.spec.name + " " + stage;
    plan.spec.base = c.options.scenario;
    plan.spec.fixed = c.spec.fixed;
    plan.spec.indicators = c.indicators;
    for (const auto& p : c.spec.parameters) {
        sweep::Parameter column;
        column.path = p.path;
        column.column = p.column;
        column.low = p.low;
        column.high = p.high;
        column.integer = p.integer;
        plan.spec.parameters.push_back(column);
    }
    plan.basis = {c.seed, c.replications, c.scenario_sha256};
    for (const auto& u : unit_points) {
        sweep::Point point;
        point.overrides = c.spec.fixed;
        for (std::size_t d = 0; d < u.size(); ++d) {
            const FreeParameter& p = c.spec.parameters[d];
            point.values.push_back(value_text(p, u[d]));
            point.overrides.push_back(p.path + "=" + point.values.back());
        }
        point.seed = c.seed;
        plan.points.push_back(std::move(point));
    }
    plan.spec.text = stage_text(c, stage, plan.points);
    plan.sweep_sha256 = util::sha256_hex(plan.spec.text);
    return plan;
}

/// The runs of a finished stage: per point, each target's estimate over its replications.
std::vector<Run> runs_of(const Context& c, const sweep::SweepPlan& plan,
                         const std::vector<sweep::TaskRecord>& records) {
    std::vector<Run> runs(plan.points.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        runs[i].values = plan.points[i].values;
        for (std::size_t d = 0; d < runs[i].values.size(); ++d)
            runs[i].unit.push_back(unit_of(c.spec.parameters[d], runs[i].values[d]));
    }
    const auto estimates = sweep::point_estimates(records, 0.95);
    for (auto& run : runs) run.estimates.resize(c.spec.targets.size());
    for (const auto& e : estimates) {
        for (std::size_t t = 0; t < c.spec.targets.size(); ++t) {
            if (c.keys[t] == e.indicator)
                runs[static_cast<std::size_t>(e.point)].estimates[t] = e.estimate;
        }
    }
    return runs;
}

fs::path shard_directory(const fs::path& stage, int index) {
    return stage / ("shard-" + std::to_string(index));
}

/// Waits until every shard has finished its slice of the stage in `stage` (its sweep directory
/// holds a manifest, written once every task of the slice is journaled), then reads them all,
/// in the order one directory would give them.
std::vector<sweep::TaskRecord> every_shards_records(const fs::path& stage, int shards,
                                                    const std::string& name, bool progress) {
    const auto done = [&](int k) {
        return fs::exists(shard_directory(stage, k) / "manifest.json");
    };
    bool told = false;
    for (int k = 0; k < shards; ++k) {
        while (!done(k)) {
            if (progress && !std::exchange(told, true))
                std::cerr << name << ": waiting for the other shards (a stopped one continues "
                          << "with the same command and --resume)\n";
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    std::vector<sweep::TaskRecord> all;
    for (int k = 0; k < shards; ++k) {
        auto part = sweep::read_records(shard_directory(stage, k));
        all.insert(all.end(), part.begin(), part.end());
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
    });
    return all;
}

}  // namespace

std::string value_text(const FreeParameter& p, double unit) {
    const double x = p.low + std::clamp(unit, 0.0, 1.0) * (p.high - p.low);
    return p.integer ? sweep::detail::clean_number(std::round(x))
                     : sweep::detail::clean_number(x, kDigits);
}

double unit_of(const FreeParameter& p, const std::string& text) {
    double x = 0;
    std::from_chars(text.data(), text.data() + text.size(), x);
    return (x - p.low) / (p.high - p.low);
}

std::vector<Run> run_stage(const Context& c, const std::string& stage,
                           const std::vector<std::vector<double>>& points, int& stages,
                           std::uint64_t& tasks) {
    const sweep::SweepPlan plan = stage_plan(c, stage, points);
    sweep::check_points(plan);
    const sweep::Shard shard = c.options.shard;
    const fs::path dir = c.options.out / ".calibration" / stage;
    sweep::SweepRunOptions o;
    o.out = shard.whole() ? dir : shard_directory(dir, shard.index);
    o.threads = c.options.threads;
    o.resume = true;  // the calibration's own directory check came first
    o.shard = shard;
    o.progress = c.options.progress;
    o.provenance = c.options.provenance;
    sweep::run_plan(plan, o);
    const auto records = shard.whole()
                             ? sweep::read_records(o.out)
                             : every_shards_records(dir, shard.count, stage, c.options.progress);
    tasks += records.size();
    ++stages;
    std::vector<Run> runs = runs_of(c, plan, records);
    if (c.options.stop_after_stage > 0 && stages >= c.options.stop_after_stage)
        throw Stopped("stopped after stage " + std::to_string(stages) + " (" + stage +
                      ") as asked; --resume continues");
    return runs;
}

}  // namespace cmasim::calibrate::detail
