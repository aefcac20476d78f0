// Is a scenario's output still what its baseline says, up to simulation noise? Each county
// indicator's new replication values are compared with the baseline's by a two-sided Welch
// t-test (paired t-test when the seeds match); Holm's step-down correction across the tested
// indicators of one scenario keeps the chance that noise alone flags any indicator of the scenario
// at most the family level `alpha`.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cmasim/check/baseline.h"

namespace cmasim::check {

struct DriftOptions {
    double alpha = 0.01;  ///< family (per-scenario) false-alarm level, in (0, 1)
    /// Relative tolerance floor: |new mean - baseline mean| <= tolerance * |baseline mean|
    /// never counts as drift, whatever the test says (near-constant indicators).
    double tolerance = 0.001;
    /// The run used the baseline's seed and replication numbers, so replication r of both saw
    /// the same random streams (common random numbers): a paired t-test on the per-replication
    /// differences replaces Welch's test. Still valid when a change reshuffles the streams (the
    /// pairs stay independent across replications), and far more sensitive when it does not.
    bool paired = false;
};

enum class IndicatorStatus {
    Pass,      ///< no evidence of a change
    Drift,     ///< changed beyond noise and beyond the tolerance floor
    Untested,  ///< fewer than 2 finite values on a side and means within tolerance
    Missing,   ///< in the baseline, not in the new run (counts as drift)
    New,       ///< in the new run, not in the baseline (reported, not a failure)
};

/// "pass", "drift", "untested", "missing" or "new".
const char* to_string(IndicatorStatus status);

/// The comparison of one indicator. Means, sds and counts are over finite values only.
struct IndicatorCheck {
    std::string indicator;
    std::size_t n_base = 0, n_new = 0;
    double mean_base = 0, mean_new = 0;
    double sd_base = 0, sd_new = 0;
    double p_value =
        1;  ///< Welch (or paired) two-sided p; 1 within tolerance; 0 for unequal constants
    double threshold = 0;  ///< Holm threshold the p-value was compared with (0 = not tested)
    IndicatorStatus status = IndicatorStatus::Pass;
    bool identical = false;  ///< every replication's value bit-identical to the baseline's

    double difference() const { return mean_new - mean_base; }
    /// difference / |mean_base| (NaN when the baseline mean is 0).
    double relative_difference() const;
};

/// What happened to an indicator, as `check` reports it: bit-identical to the baseline,
/// changed but within noise and tolerance (also a new or untested indicator that differs), or
/// drifted (Drift or Missing).
enum class Change { Identical, WithinTolerance, Drifted };
Change change_of(const IndicatorCheck& check);

/// "bit-identical", "changed within tolerance" or "drifted".
const char* to_string(Change change);

/// Two-sided p-value of Welch's t-test of equal means. Non-finite values are skipped. With zero
/// variance on both sides: 1 when the means are equal, 0 otherwise. NaN when a side has fewer
/// than 2 finite values.
double welch_p_value(std::span<const double> a, std::span<const double> b);

/// Two-sided p-value of the paired t-test of mean(b - a) = 0 over the replications where both
/// are finite. Differences all equal: 1 when they are 0, 0 otherwise. NaN with fewer than 2
/// pairs. Throws std::invalid_argument when the lengths differ.
double paired_p_value(std::span<const double> a, std::span<const double> b);

/// Compare every indicator of `current` with `baseline` (baseline order, then new indicators).
/// Throws std::invalid_argument for an alpha outside (0, 1) or a negative tolerance.
std::vector<IndicatorCheck> compare_series(const std::vector<IndicatorSeries>& baseline,
                                           const std::vector<IndicatorSeries>& current,
                                           const DriftOptions& options);

}  // namespace cmasim::check
