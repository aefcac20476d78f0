#include "cmasim/calibrate/calibrate.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/runner.h"
#include "cmasim/sweep/scenarios.h"
#include "cmasim/util/atomic_file.h"
#include "cmasim/util/did_you_mean.h"
#include "cmasim/util/hash.h"
#include "state.h"

namespace cmasim::calibrate {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

/// DIR/.calibration: the run's identity (run.json), a copy of the calibration file, a lock, and
/// one sweep directory per stage.
class RunDirectory {
  public:
    RunDirectory(const detail::Context& c, const std::string& identity) {
        const fs::path state = c.options.out / ".calibration";
        const sweep::Shard shard = c.options.shard;
        if (shard.whole()) {
            open_alone(c, identity);
            return;
        }
        // Shards start together: one at a time decides whether the run is new.
        fs::create_directories(state);
        const int setup = lock(state / "setup.lock", LOCK_EX);
        try {
            hold(c, "lock-" + std::to_string(shard.index));
            if (fs::exists(state / "run.json")) {
                join(c.options.out, identity);
            } else {
                if (!only_calibration_state(c.options.out)) refuse_foreign(c.options.out);
                start(state, c, identity);
            }
        } catch (...) {
            ::close(setup);
            throw;
        }
        ::close(setup);
    }
    RunDirectory(const RunDirectory&) = delete;
    RunDirectory& operator=(const RunDirectory&) = delete;
    ~RunDirectory() {
        if (lock_ >= 0) ::close(lock_);
    }
    const std::string& started_at() const { return started_at_; }
    double started_unix() const { return started_unix_; }

    static double now() {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

  private:
    /// A calibration run by one process: a new or empty DIR, or with --resume a stored run.
    void open_alone(const detail::Context& c, const std::string& identity) {
        const fs::path dir = c.options.out;
        const fs::path state = dir / ".calibration";
        const bool empty = !fs::exists(dir) || (fs::is_directory(dir) && fs::is_empty(dir));
        if (!empty && !fs::exists(state / "run.json")) refuse_foreign(dir);
        if (!empty && !c.options.resume) {
            throw sweep::InputError("output directory '" + dir.string() +
                                    "' already holds a calibration; add --resume to continue it, "
                                    "or choose a new --out directory");
        }
        fs::create_directories(state);
        hold(c, "lock");
        empty ? start(state, c, identity) : join(dir, identity);
    }
    /// Takes this process's lock `name` in DIR/.calibration (held until the destructor).
    void hold(const detail::Context& c, const std::string& name) {
        lock_ = lock(c.options.out / ".calibration" / name, LOCK_EX | LOCK_NB);
        if (lock_ < 0) {
            const sweep::Shard shard = c.options.shard;
            throw sweep::InputError("another cmasim calibrate" +
                                    (shard.whole() ? "" : " of shard " + shard.to_string()) +
                                    " is running in '" + c.options.out.string() + "'");
        }
    }
    [[noreturn]] static void refuse_foreign(const fs::path& dir) {
        throw sweep::InputError("output directory '" + dir.string() +
                                "' is not empty and holds no calibration; choose a new --out");
    }
    /// DIR holds nothing but the .calibration directory (shards arriving first create it).
    static bool only_calibration_state(const fs::path& dir) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().filename() != ".calibration") return false;
        }
        for (const auto& e : fs::directory_iterator(dir / ".calibration")) {
            const auto name = e.path().filename().string();
            if (name != "setup.lock" && name.rfind("lock", 0) != 0) return false;
        }
        return true;
    }
    /// An open file descriptor holding `mode`'s flock on `file`, or -1.
    static int lock(const fs::path& file, int mode) {
        const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd >= 0 && ::flock(fd, mode) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    /// Continues the stored run in `dir` (its identity must be `identity`).
    void join(const fs::path& dir, const std::string& identity) {
        const Json stored = Json::parse(read(dir / ".calibration" / "run.json"));
        if (stored.value("identity", "") != identity) {
            throw sweep::InputError("cannot resume '" + dir.string() +
                                    "': it holds a calibration of another file, scenario, "
                                    "--holdout or shard count; choose a new --out directory");
        }
        started_at_ = stored.value("started_at", "");
        started_unix_ = stored.value("started_unix", 0.0);
    }
    static std::string read(const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    void start(const fs::path& state, const detail::Context& c, const std::string& identity) {
        started_at_ = report::utc_timestamp();
        started_unix_ = now();
        util::write_file_atomically(state / "calibration.yaml", c.spec.text);
        const Json j = {{"format", "cmasim calibration run"},
                        {"identity", identity},
                        {"started_at", started_at_},
                        {"started_unix", started_unix_}};
        util::write_file_atomically(state / "run.json", j.dump(2) + "\n");
    }
    int lock_ = -1;
    std::string started_at_;
    double started_unix_ = 0;
};

/// What a resumed run must share with the stored one: the file, the scenario, the holdouts.
std::string identity_of(const detail::Context& c) {
    std::string s = "calibration " + util::sha256_hex(c.spec.text) + "\nscenario " +
                    c.scenario_sha256 + "\nholdout";
    for (const auto& t : c.spec.targets) s += t.holdout ? " " + t.indicator : "";
    // Shards share the directory; a run of another shard count would mix their slices.
    if (!c.options.shard.whole()) s += "\nshards " + std::to_string(c.options.shard.count);
    return util::sha256_hex(s);
}

/// Loads the scenario with every parameter at its low bound, then at its high bound, so that a
/// path the scenario does not have or a bound outside the key's range is reported against the
/// calibration file before anything runs.
void check_bounds(const detail::Context& c) {
    std::vector<scenario::Diagnostic> problems;
    for (const bool high : {false, true}) {
        for (std::size_t d = 0; d < c.spec.parameters.size(); ++d) {
            const FreeParameter& p = c.spec.parameters[d];
            auto overrides = c.spec.fixed;
            overrides.push_back(p.path + "=" + detail::value_text(p, high ? 1.0 : 0.0));
            try {
                sweep::load_scenario_source(c.options.scenario, {}, sweep::load_options(overrides));
            } catch (const scenario::ScenarioError& e) {
                problems.push_back({c.spec.file, p.at_line, p.at_column,
                                    "parameters[" + std::to_string(d) + "]",
                                    std::string("at its ") + (high ? "high" : "low") +
                                        " bound the scenario refuses it: " +
                                        scenario::format_diagnostic(e.diagnostics().front()),
                                    "check the path and the bounds against the scenario"});
            }
        }
    }
    if (!problems.empty()) throw scenario::ScenarioError(problems);
}

/// The index of the reform's entry in the scenario's timeline: the entry `reform:` names, else
/// the first. Before-targets measure period k (up to the reform), after-targets period k + 1.
std::size_t reform_entry(const CalibrationSpec& spec, const scenario::Scenario& base) {
    const auto first = std::find_if(spec.targets.begin(), spec.targets.end(),
                                    [](const Target& t) { return t.reform != ReformPeriod::None; });
    if (base.timeline.empty()) {
        const auto i = std::to_string(first - spec.targets.begin());
        throw scenario::ScenarioError({scenario::Diagnostic{
            spec.file, first->at_line, first->at_column, "targets[" + i + "].period",
            "period: " + first->period + " needs a scenario with a timeline: (after set:)",
            "add the reform as a timeline entry of the scenario (docs/model.md: the policy "
            "timeline)"}});
    }
    if (spec.reform.empty()) return 0;
    std::vector<std::string> names;
    for (std::size_t e = 0; e < base.timeline.size(); ++e) {
        if (base.timeline[e].name == spec.reform) return e;
        names.push_back(base.timeline[e].name);
    }
    throw scenario::ScenarioError(
        {scenario::Diagnostic{spec.file, spec.reform_line, spec.reform_column, "reform",
                              "the scenario's timeline has no entry '" + spec.reform + "'",
                              util::did_you_mean(spec.reform, names)}});
}

/// What each target's sweeps keep (Context::keys); `reform` gets the reform entry's name.
std::vector<std::string> target_keys(const CalibrationSpec& spec, const scenario::Scenario& base,
                                     std::string& reform) {
    std::vector<std::string> keys;
    const bool periods = spec.has_reform_targets();
    const std::size_t e = periods ? reform_entry(spec, base) : 0;
    if (periods) reform = base.timeline[e].name;
    for (const auto& t : spec.targets) {
        if (t.reform == ReformPeriod::None)
            keys.push_back(t.indicator);
        else if (t.measure == Measure::Change)
            keys.push_back(sweep::change_key(t.indicator, e, e + 1));
        else
            keys.push_back(
                sweep::period_key(t.indicator, t.reform == ReformPeriod::Before ? e : e + 1));
    }
    return keys;
}

detail::Context make_context(const CalibrationOptions& options) {
    detail::Context c;
    c.options = options;
    c.spec = load_calibration_file(options.calibration_file);
    if (!options.holdout.empty()) hold_out(c.spec, options.holdout);
    const auto load = sweep::load_options(c.spec.fixed);
    const scenario::Scenario base = sweep::load_scenario_source(options.scenario, {}, load);
    c.seed = base.seed;
    c.replications = c.spec.method.replications.value_or(base.replications);
    c.years_per_task = (base.warmup_days + base.horizon_days) / 365.0;
    c.scenario_sha256 = sweep::scenario_source_sha256(options.scenario, {}, load);
    c.keys = target_keys(c.spec, base, c.reform);
    for (const auto& key : c.keys) {
        if (std::find(c.indicators.begin(), c.indicators.end(), key) == c.indicators.end())
            c.indicators.push_back(key);
    }
    check_bounds(c);
    return c;
}

void write_timing(const detail::Context& c, const RunDirectory& dir, double session_seconds,
                  const CalibrationReport& r) {
    const Json j = {{"started_at", dir.started_at()},
                    {"finished_at", report::utc_timestamp()},
                    {"elapsed_seconds", std::max(0.0, RunDirectory::now() - dir.started_unix())},
                    {"this_session_seconds", session_seconds},
                    {"replications_simulated", r.tasks},
                    {"county_years_simulated", r.county_years},
                    {"threads", c.options.threads},
                    {"command_line", c.options.provenance.command_line},
                    {"commit", c.options.provenance.build.commit}};
    util::write_file_atomically(c.options.out / "timing.json", j.dump(2) + "\n");
}

}  // namespace

CalibrationReport run_calibration(const CalibrationOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    const detail::Context c = make_context(options);
    RunDirectory dir(c, identity_of(c));
    int stages = 0;
    std::uint64_t tasks = 0;
    const auto pool = detail::candidate_pool(c);
    std::vector<std::vector<double>> pool_plausible;
    auto waves = detail::history_match(c, pool, pool_plausible, stages, tasks);
    std::vector<detail::Run> so_far;
    for (const auto& w : waves) so_far.insert(so_far.end(), w.runs.begin(), w.runs.end());
    auto fit_runs = detail::best_fit(c, so_far, pool_plausible, stages, tasks);
    detail::Outcome o =
        detail::summarise(c, std::move(waves), std::move(fit_runs), pool_plausible, pool.size());
    o.tasks = tasks;
    o.county_years = static_cast<double>(tasks) * c.years_per_task;
    CalibrationReport r;
    r.waves = static_cast<int>(o.waves.size());
    r.fit_evaluations = static_cast<int>(o.fit_runs.size());
    r.tasks = tasks;
    r.county_years = o.county_years;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (c.options.shard.index != 0) return r;  // every shard computed the files; shard 0 writes
    r.files = detail::write_files(c, o);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_timing(c, dir, r.seconds, r);
    r.files.push_back("timing.json");
    return r;
}

}  // namespace cmasim::calibrate
