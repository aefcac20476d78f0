// A calibration file: the free parameters (key paths as --set writes them, bounds, an optional
// prior), the observed targets (indicator, value, uncertainty, period, source, discrepancy,
// held out or not) and the method's settings. Read with the same file:line:column: key messages
// as scenario and sweep files (docs/calibration.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cmasim::calibrate {

/// One free parameter, searched inside [low, high].
struct FreeParameter {
    std::string path;    ///< scenario key path, as for --set
    std::string column;  ///< its name in the output files (default: the path)
    double low = 0;
    double high = 0;
    bool integer = false;  ///< values rounded to whole numbers
    /// A normal prior (mean, sd), truncated to the bounds: it adds ((x - mean) / sd)^2 to the
    /// best fit's objective. None: uniform on the bounds.
    std::optional<double> prior_mean;
    std::optional<double> prior_sd;
    int at_line = 0;  ///< where the file lists it (1-based), for messages about its values
    int at_column = 0;
};

/// Where a target stands against a reform switched on by the scenario's policy timeline
/// (docs/calibration.md, "Before and after a reform"): the whole horizon, the period before the
/// reform (fitted) or the period from it on (never fitted: predicted).
enum class ReformPeriod { None, Before, After };

/// What of the indicator is observed: its value over the period, or (after-targets only) its
/// change from the before period to the after period, paired replication by replication.
enum class Measure { Level, Change };

/// One observed indicator value.
struct Target {
    std::string indicator;  ///< a key of the indicator table (docs/indicators.md)
    double value = 0;
    double se = 0;           ///< standard error of the observation (from se:, or interval:/3.92)
    double discrepancy = 0;  ///< model discrepancy sd (0: none)
    /// What the observation covers, as the source states it (e.g. "2023"); such a target is
    /// compared with the whole simulated horizon. "before"/"after" set `reform`.
    std::string period;
    ReformPeriod reform = ReformPeriod::None;
    Measure measure = Measure::Level;
    int at_line = 0;  ///< where the file lists it (1-based), for messages needing the scenario
    int at_column = 0;
    std::string source;
    std::optional<int> year;
    bool holdout = false;  ///< not fitted; reported with its predicted interval and coverage

    /// The observation's variance plus the discrepancy's: what the simulated mean is judged by.
    double variance() const { return se * se + discrepancy * discrepancy; }
};

enum class Optimizer { Sbplx, Bobyqa };

/// How the search runs.
struct Method {
    int waves = 3;
    int points_per_wave = 20;
    std::optional<int> replications;  ///< none: the scenario's
    double cutoff = 3;                ///< implausibility above it rules a point out
    std::uint64_t seed = 1;           ///< of the designs (the runs use the scenario's seed: CRN)
    int pool = 4096;                  ///< candidate points that measure the remaining space
    int fit_evaluations = 30;         ///< simulated points the best fit may run
    Optimizer optimizer = Optimizer::Sbplx;
    int draws = 50;  ///< parameter draws written for uncertainty (draws.csv)
};

struct CalibrationSpec {
    std::string file;                ///< the path as given
    std::string text;                ///< the file's bytes (hashed; copied into the run's directory)
    std::string name;                ///< `name:`, default the file name without extension
    std::vector<std::string> fixed;  ///< `set:` as "path=value", applied before the parameters
    std::vector<FreeParameter> parameters;
    std::vector<Target> targets;
    Method method;
    /// `reform:` the name of the timeline entry that is the reform (empty: the first entry).
    std::string reform;
    int reform_line = 0;
    int reform_column = 0;

    /// Any target with period: before or after.
    bool has_reform_targets() const;
};

/// Loads and checks a calibration file. Throws scenario::ScenarioError listing every problem.
CalibrationSpec load_calibration_file(const std::filesystem::path& file);

/// Same from text; `file_label` names it in messages.
CalibrationSpec load_calibration_string(const std::string& text, const std::string& file_label);

/// Marks the targets of `indicators` as held out (the command line's --holdout). Throws
/// scenario::ScenarioError naming an indicator no target has.
void hold_out(CalibrationSpec& spec, const std::vector<std::string>& indicators);

const char* to_string(Optimizer optimizer);

/// One key a calibration file may hold: section "" (top level), "parameters", "targets" (keys of
/// each list item) or "method".
struct FileKey {
    std::string section;
    std::string key;
    std::string value;  ///< what it takes
    std::string description;
};

/// Every key, in the order the reference lists them.
const std::vector<FileKey>& file_keys();

/// The keys of one section, for the reader's unknown-key check.
std::vector<std::string> keys_of(const std::string& section);

/// The keys as a Markdown table (docs/calibration.md; `cmasim schema --calibration`).
std::string reference_markdown();

}  // namespace cmasim::calibrate
