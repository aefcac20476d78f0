// `cmasim analyze SCENARIO [--simulate]`: the analytic Jackson-network predictions of a
// queueing-network scenario (docs/model.md §9) and, on request, the simulation's estimates beside
// them. A disagreement is printed, not turned into an exit code: the validation tests judge.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cmasim/analysis/compare.h"
#include "cmasim/analysis/jackson.h"
#include "cmasim/model/county.h"
#include "cmasim/model/runner.h"
#include "cmasim/scenario/loader.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

namespace cmasim::cli {

namespace {

constexpr double kConfidence = 0.99;
constexpr int kExitBadInput = 2;

struct AnalyzeArgs {
    std::string scenario;
    bool simulate = false;
    int replications = 0;    // 0 = from the file
    std::int64_t seed = -1;  // -1 = from the file
    int threads = 0;         // 0 = all cores
};

/// `x` with `decimals` decimals, right-aligned in `width`.
std::string num(double x, int width, int decimals = 4) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%*.*f", width, decimals, x);
    return buf;
}

/// `s` left-aligned in `width`.
std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::size_t id_width(const analysis::NetworkResult& r) {
    std::size_t w = std::string("network").size() + 1;
    for (const auto& s : r.stations) w = std::max(w, s.id.size() + 2);
    return w;
}

/// The station's facility name, shown beside its id (the last column, where a name's width cannot
/// shift the numbers); "-" for a facility without one.
std::string station_name(const scenario::Scenario& s, const std::string& id) {
    for (const auto& f : s.facilities) {
        if (f.id == id) return f.name.empty() ? "-" : f.name;
    }
    return "-";
}

void print_analytic(std::ostream& out, const scenario::Scenario& s,
                    const analysis::NetworkResult& r) {
    const std::size_t w = id_width(r);
    out << s.name << ": analytic Jackson network, " << r.stations.size()
        << (r.stations.size() == 1 ? " station\n" : " stations\n")
        << "(each station an M/M/c queue; rates per minute, times in minutes, lengths in "
           "customers)\n\n";
    out << pad("station", w) << "servers  ext. arrivals  arrival rate  service rate  utilisation  "
        << "queue length  wait (min)  sojourn (min)  at station  name\n";
    for (const auto& st : r.stations) {
        out << pad(st.id, w) << num(st.servers, 7, 0) << num(st.gamma, 15) << num(st.lambda, 14)
            << num(st.mu, 14) << num(st.rho, 13) << num(st.lq, 14) << num(st.wq, 12)
            << num(st.w, 15) << num(st.l, 12) << "  " << station_name(s, st.id) << "\n";
    }
    double customers = 0;
    for (const auto& st : r.stations) customers += st.l;
    out << "\nnetwork: " << num(r.total_external_rate, 0)
        << " arrivals per minute from outside; mean time in system " << num(r.time_in_system, 0)
        << " min (Little: " << num(customers, 0) << " customers / " << num(r.total_external_rate, 0)
        << " per min)\n";
}

std::string interval(const report::Estimate& e) {
    if (!e.has_interval()) return "(no interval)";
    return "[" + num(e.ci_low, 0) + ", " + num(e.ci_high, 0) + "]";
}

/// One line per comparison; returns how many agree.
int print_comparisons(std::ostream& out, const scenario::Scenario& s,
                      const std::vector<analysis::Comparison>& rows, std::size_t w) {
    out << pad("station", w) << pad("figure", 22) << "  analytic   simulated   "
        << pad("99% CI", 22) << "agrees  name\n";
    int agreeing = 0;
    std::string last_station = "-";
    for (const auto& c : rows) {
        const std::string who = c.station.empty() ? "network" : c.station;
        const bool first = who != last_station;
        const std::string name = first && !c.station.empty() ? station_name(s, c.station) : "";
        out << pad(first ? who : "", w) << pad(c.label, 22) << num(c.analytic, 10);
        last_station = who;
        if (!c.simulated) {
            out << "   not reported" << (name.empty() ? "" : "  " + name) << "\n";
            continue;
        }
        out << num(c.simulated->mean, 12) << "   " << pad(interval(*c.simulated), 22)
            << (name.empty() ? (c.agrees() ? "yes" : "NO")
                             : pad(c.agrees() ? "yes" : "NO", 8) + name)
            << "\n";
        agreeing += c.agrees() ? 1 : 0;
    }
    return agreeing;
}

void simulate_and_compare(std::ostream& out, scenario::Scenario s, const AnalyzeArgs& a,
                          const analysis::NetworkResult& analytic) {
    if (a.replications > 0) s.replications = a.replications;
    if (a.seed >= 0) s.seed = static_cast<std::uint64_t>(a.seed);
    const model::County county = model::compile_county(s);
    model::RunOptions options;
    options.replications = s.replications;
    options.threads = util::worker_threads(a.threads);
    spdlog::info("simulating {} replications of {} on {} threads, seed {}", s.replications, s.name,
                 options.threads, s.seed);
    const auto results = model::run_replications(county, options);
    const auto rows = analysis::compare_with_simulation(analytic, results, kConfidence);

    out << "\nSimulated: " << s.replications << " replications, seed " << s.seed << ", "
        << s.horizon_days << " days each after " << s.warmup_days
        << " days of warm-up; 99% confidence intervals (Student t)\n\n";
    const int agreeing = print_comparisons(out, s, rows, id_width(analytic));
    const auto reported = std::count_if(rows.begin(), rows.end(),
                                        [](const auto& c) { return c.simulated.has_value(); });
    out << "\n"
        << agreeing << " of " << rows.size()
        << " analytic values lie inside the simulation's 99% CI";
    if (static_cast<std::size_t>(reported) < rows.size()) {
        out << "; " << rows.size() - static_cast<std::size_t>(reported)
            << " figures were not reported by the simulation (does this build have the "
               "queueing-network mode?)";
    }
    out << ".\n";
}

int run_analyze(const AnalyzeArgs& a) {
    const scenario::Scenario s = scenario::load_scenario(a.scenario);
    if (s.network.stations.empty()) {
        std::cerr << "error: " << a.scenario
                  << " has no queueing_network stations; `cmasim analyze` needs a "
                  << "queueing-network scenario (see scenarios/validation/)\n";
        return kExitBadInput;
    }
    analysis::NetworkResult analytic;
    try {
        analytic = analysis::solve_jackson(s.network, s.facilities);
    } catch (const std::invalid_argument& e) {
        std::cerr << "error: " << a.scenario << ": " << e.what() << "\n";
        return kExitBadInput;
    }
    print_analytic(std::cout, s, analytic);
    if (a.simulate) simulate_and_compare(std::cout, s, a, analytic);
    return 0;
}

}  // namespace

Command add_analyze(CLI::App& parent) {
    auto args = std::make_shared<AnalyzeArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "analyze", "Analytic queueing-network predictions of a queueing-network scenario");
    c.app
        ->add_option("scenario", args->scenario,
                     "Scenario YAML file with a queueing_network section")
        ->required();
    c.app->add_flag("--simulate", args->simulate,
                    "Also simulate and print the estimates with 99% CIs beside");
    c.app->add_option("--replications,-r", args->replications, "Replications (default: the file's)")
        ->check(CLI::Range(2, 100000));
    c.app->add_option("--seed", args->seed, "Seed (default: the file's)")
        ->check(CLI::Range(std::int64_t{0}, INT64_MAX));
    c.app->add_option("--threads,-t", args->threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.run = [args] { return run_analyze(*args); };
    return c;
}

}  // namespace cmasim::cli
