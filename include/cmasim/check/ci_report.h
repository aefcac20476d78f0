// What `cmasim check` found for each scenario, and its reports for people and CI systems:
// a plain-text listing, JUnit XML (one test case per scenario x indicator) and a Markdown
// summary fit for a pull-request comment.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cmasim/check/drift.h"
#include "cmasim/report/stats.h"

namespace cmasim::check {

/// How missed targets count: Enforce fails the check, Report only lists them.
enum class TargetPolicy { Enforce, Report };

/// One target of the scenario judged on the new run.
struct TargetCheck {
    std::string indicator;
    std::optional<double> min, max;
    double mean = 0, ci_low = 0, ci_high = 0;
    report::TargetVerdict verdict = report::TargetVerdict::Undecided;
};

/// Everything found for one scenario.
struct ScenarioCheck {
    std::string scenario_file;  ///< as given
    std::string baseline_file;  ///< path of its baseline
    std::string name;           ///< scenario's name:
    bool exact = false;         ///< --exact: only the fingerprint was compared
    std::string fingerprint_base, fingerprint_new;
    std::vector<IndicatorCheck>
        indicators;  ///< county indicators (in exact mode only `identical` counts)
    /// Outputs ("county", "township", ...) whose fingerprint differs from the baseline's; known
    /// only when the baseline records per-output fingerprints (outputs_known).
    std::vector<std::string> outputs_differ;
    bool outputs_known = false;
    std::vector<TargetCheck> targets;
    TargetPolicy target_policy = TargetPolicy::Enforce;
    double seconds = 0;  ///< wall time of the run (reports only; never in baselines)

    bool identical() const { return fingerprint_base == fingerprint_new; }
    std::size_t count(Change change) const;  ///< indicators with this change
    std::size_t drifted() const;  ///< Drift + Missing indicators (or 1 for an exact mismatch)
    std::size_t targets_missed() const;
    bool failed() const;  ///< drift, or a missed target under Enforce
};

/// Settings printed with every report, so a reader knows what "drift" meant.
struct CheckSettings {
    DriftOptions drift;
    int replications = 0;
    double horizon_days = 0;
};

/// "Welch t-test per indicator, Holm-corrected to a family level of 0.01 per scenario; ...".
std::string describe_settings(const CheckSettings& settings);

/// Plain-text lines for the terminal: a PASS/FAIL line per scenario counting bit-identical,
/// changed-within-tolerance and drifted indicators, then every indicator that is not
/// bit-identical (with its relative change) and each target verdict. In exact mode: the
/// outputs and the indicators that differ.
void print_check(std::ostream& out, const ScenarioCheck& check, const CheckSettings& settings);

/// JUnit XML: one <testsuite> per scenario, one <testcase> per indicator (or one "fingerprint"
/// case in exact mode) plus one per target; drift and enforced missed targets are <failure>s.
std::string junit_xml(const std::vector<ScenarioCheck>& checks, const CheckSettings& settings);

/// Markdown summary: overall verdict, the test and its level, a table of scenarios, and the
/// drifted indicators and targets of each.
std::string markdown_summary(const std::vector<ScenarioCheck>& checks,
                             const CheckSettings& settings);

}  // namespace cmasim::check
