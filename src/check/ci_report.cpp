#include "cmasim/check/ci_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cmasim/report/svg.h"

namespace cmasim::check {
namespace {

/// Six significant digits: enough to see a drift, short enough to read.
std::string num(double v) {
    if (std::isnan(v)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string signed_percent(double rel) {
    if (!std::isfinite(rel)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f%%", 100 * rel);
    return buf;
}

std::string p_text(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g", p);
    return buf;
}

std::string bounds_text(const TargetCheck& t) {
    std::string s;
    if (t.min) s += ">= " + num(*t.min);
    if (t.max) s += (s.empty() ? "<= " : " and <= ") + num(*t.max);
    return s;
}

/// Markup text for the JUnit file: the report module's one escaping (&, <, >, " and ').
std::string xml_escape(const std::string& s) {
    return report::svg::escape(s);
}

/// One line describing an indicator's comparison.
std::string indicator_line(const IndicatorCheck& c) {
    if (c.status == IndicatorStatus::Missing)
        return c.indicator + ": in the baseline, not reported by this run";
    if (c.status == IndicatorStatus::New)
        return c.indicator + ": new indicator (mean " + num(c.mean_new) + "), not in the baseline";
    std::string s = c.indicator + ": " + num(c.mean_base) + " -> " + num(c.mean_new) + " (" +
                    (c.difference() >= 0 ? "+" : "") + num(c.difference()) + ", " +
                    signed_percent(c.relative_difference()) + ")";
    if (c.status == IndicatorStatus::Untested)
        return s + ", fewer than 2 finite values: not tested";
    if (c.sd_base == 0 && c.sd_new == 0) return s + ", constant on both sides";
    return s + ", p = " + p_text(c.p_value) + (c.p_value <= c.threshold ? " <= " : " > ") +
           p_text(c.threshold);
}

std::string target_line(const TargetCheck& t, TargetPolicy policy) {
    std::string s = "target " + t.indicator + " " + bounds_text(t) + ": " +
                    report::to_string(t.verdict) + " (mean " + num(t.mean) + ", 95% CI [" +
                    num(t.ci_low) + ", " + num(t.ci_high) + "])";
    if (t.verdict == report::TargetVerdict::Missed && policy == TargetPolicy::Report)
        s += ", reported only";
    return s;
}

}  // namespace

std::string describe_settings(const CheckSettings& s) {
    return "t-test per indicator (paired when the seed is the baseline's, Welch otherwise), "
           "Holm-corrected to a family level of " +
           num(s.drift.alpha) + " per scenario; relative tolerance floor " +
           num(s.drift.tolerance) + "; " + std::to_string(s.replications) + " replications x " +
           num(s.horizon_days) + " days";
}

namespace {

/// Bit-identical indicators are not worth a line; every change is, even within tolerance.
bool shows(const IndicatorCheck& c) {
    return change_of(c) != Change::Identical;
}

/// The word before an indicator's line: its status, or "changed" for a passing change.
std::string status_word(const IndicatorCheck& c) {
    return c.status == IndicatorStatus::Pass ? std::string("changed")
                                             : std::string(to_string(c.status));
}

/// "41 indicators: 30 bit-identical, 10 changed within tolerance, 1 drifted".
std::string change_counts(const ScenarioCheck& c) {
    return std::to_string(c.indicators.size()) +
           " indicators: " + std::to_string(c.count(Change::Identical)) + " bit-identical, " +
           std::to_string(c.count(Change::WithinTolerance)) + " changed within tolerance, " +
           std::to_string(c.count(Change::Drifted)) + " drifted";
}

/// What differs in exact mode: the outputs (when the baseline names them) and the indicators.
void print_exact(std::ostream& out, const ScenarioCheck& c) {
    out << (c.identical() ? "fingerprint identical" : "fingerprint differs") << "\n";
    if (c.identical()) return;
    out << "  baseline " << c.fingerprint_base << "\n  this run " << c.fingerprint_new << "\n";
    std::string outputs;
    for (const auto& o : c.outputs_differ) outputs += (outputs.empty() ? "" : ", ") + o;
    if (c.outputs_known)
        out << "  outputs that differ: " << outputs << "\n";
    else
        out << "  (this baseline has no per-output fingerprints: regenerate it to name the outputs "
               "that differ)\n";
    std::string names;
    for (const auto& i : c.indicators)
        if (!i.identical) names += (names.empty() ? "" : ", ") + i.indicator;
    out << "  county indicators that differ: " << (names.empty() ? std::string("none") : names)
        << "\n";
}

}  // namespace

std::size_t ScenarioCheck::count(Change change) const {
    return static_cast<std::size_t>(
        std::count_if(indicators.begin(), indicators.end(),
                      [&](const IndicatorCheck& i) { return change_of(i) == change; }));
}

std::size_t ScenarioCheck::drifted() const {
    if (exact) return identical() ? 0 : 1;
    std::size_t n = 0;
    for (const auto& c : indicators)
        n += c.status == IndicatorStatus::Drift || c.status == IndicatorStatus::Missing;
    return n;
}

std::size_t ScenarioCheck::targets_missed() const {
    std::size_t n = 0;
    for (const auto& t : targets) n += t.verdict == report::TargetVerdict::Missed;
    return n;
}

bool ScenarioCheck::failed() const {
    return drifted() > 0 || (target_policy == TargetPolicy::Enforce && targets_missed() > 0);
}

void print_check(std::ostream& out, const ScenarioCheck& c, const CheckSettings& settings) {
    out << (c.failed() ? "FAIL " : "PASS ") << c.scenario_file << " (" << c.name << "): ";
    if (c.exact) {
        print_exact(out, c);
    } else {
        out << change_counts(c)
            << (c.identical() ? " (all outputs bit-identical to the baseline)"
                : c.count(Change::Identical) == c.indicators.size() ? " (group outputs differ)"
                                                                    : "")
            << "\n";
        for (const auto& i : c.indicators)
            if (shows(i)) out << "  " << status_word(i) << "  " << indicator_line(i) << "\n";
    }
    for (const auto& t : c.targets) out << "  " << target_line(t, c.target_policy) << "\n";
    (void)settings;
}

namespace {

/// The <testcase> elements of one scenario's <testsuite>, counted.
class JUnitCases {
  public:
    explicit JUnitCases(std::string classname) : classname_(std::move(classname)) {}

    /// A test case; it failed when `failure` is not empty, and `detail` says more.
    void add(const std::string& name, const std::string& failure, const std::string& detail) {
        ++tests;
        xml_ << "    <testcase classname=\"" << xml_escape(classname_) << "\" name=\""
             << xml_escape(name) << "\"";
        if (failure.empty() && detail.empty()) {
            xml_ << "/>\n";
            return;
        }
        xml_ << ">\n";
        if (!failure.empty()) {
            ++failures;
            xml_ << "      <failure message=\"" << xml_escape(failure) << "\">"
                 << xml_escape(detail) << "</failure>\n";
        } else {
            xml_ << "      <system-out>" << xml_escape(detail) << "</system-out>\n";
        }
        xml_ << "    </testcase>\n";
    }
    std::string xml() const { return xml_.str(); }

    std::size_t tests = 0;
    std::size_t failures = 0;

  private:
    std::string classname_;
    std::ostringstream xml_;
};

/// One scenario's cases: the fingerprint (with --exact), each indicator, each target.
JUnitCases junit_cases(const ScenarioCheck& c) {
    JUnitCases cases(c.scenario_file);
    if (c.exact) {
        cases.add("fingerprint", c.identical() ? "" : "fingerprint differs",
                  "baseline " + c.fingerprint_base + ", this run " + c.fingerprint_new);
    }
    for (const auto& i : c.indicators) {
        const bool bad = !c.exact && change_of(i) == Change::Drifted;
        cases.add(i.indicator, bad ? std::string(to_string(i.status)) : "",
                  change_of(i) == Change::Identical
                      ? ""
                      : std::string(to_string(change_of(i))) + ": " + indicator_line(i));
    }
    for (const auto& tg : c.targets) {
        const bool bad =
            tg.verdict == report::TargetVerdict::Missed && c.target_policy == TargetPolicy::Enforce;
        cases.add("target " + tg.indicator, bad ? "target missed" : "",
                  target_line(tg, c.target_policy));
    }
    return cases;
}

}  // namespace

std::string junit_xml(const std::vector<ScenarioCheck>& checks, const CheckSettings& settings) {
    std::size_t tests = 0, failures = 0;
    std::ostringstream suites;
    for (const auto& c : checks) {
        const JUnitCases cases = junit_cases(c);
        tests += cases.tests;
        failures += cases.failures;
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.3f", c.seconds);
        suites << "  <testsuite name=\"" << xml_escape(c.scenario_file) << "\" tests=\""
               << cases.tests << "\" failures=\"" << cases.failures
               << "\" errors=\"0\" skipped=\"0\" time=\"" << secs << "\">\n"
               << "    <properties>\n      <property name=\"test\" value=\""
               << xml_escape(describe_settings(settings))
               << "\"/>\n      <property name=\"baseline\" value=\"" << xml_escape(c.baseline_file)
               << "\"/>\n"
               << "    </properties>\n"
               << cases.xml() << "  </testsuite>\n";
    }
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cmasim check\" tests=\""
        << tests << "\" failures=\"" << failures << "\" errors=\"0\">\n"
        << suites.str() << "</testsuites>\n";
    return out.str();
}

namespace {

/// A scenario's section of the Markdown summary: what changed, drifted or missed (nothing when
/// all is bit-identical and every target met).
void markdown_details(std::ostream& out, const ScenarioCheck& c) {
    if (c.drifted() == 0 && c.targets_missed() == 0 && c.count(Change::WithinTolerance) == 0)
        return;
    out << "\n### `" << c.scenario_file << "`\n\n";
    if (c.exact && !c.identical())
        out << "- fingerprint differs: baseline `" << c.fingerprint_base << "`, this run `"
            << c.fingerprint_new << "`\n";
    for (const auto& i : c.indicators)
        if (change_of(i) == Change::Drifted)
            out << "- **" << to_string(i.status) << "** " << indicator_line(i) << "\n";
        else if (!c.exact && change_of(i) == Change::WithinTolerance)
            out << "- changed within tolerance: " << indicator_line(i) << "\n";
    for (const auto& t : c.targets)
        if (t.verdict == report::TargetVerdict::Missed)
            out << "- " << target_line(t, c.target_policy) << "\n";
}

}  // namespace

std::string markdown_summary(const std::vector<ScenarioCheck>& checks,
                             const CheckSettings& settings) {
    std::size_t failed = 0;
    for (const auto& c : checks) failed += c.failed();
    std::ostringstream out;
    out << "## cmasim check: " << (failed == 0 ? "passed" : "FAILED") << " ("
        << checks.size() - failed << " of " << checks.size() << " scenarios pass)\n\n";
    out << "Test: " << describe_settings(settings) << ". Missed targets "
        << (checks.empty() || checks[0].target_policy == TargetPolicy::Enforce
                ? "fail the check."
                : "are reported, not enforced.")
        << "\n\n| Scenario | Result | Indicators | Bit-identical | Changed within tolerance | "
           "Drifted | Targets met / missed / undecided |\n|---|---|---|---|---|---|---|\n";
    for (const auto& c : checks) {
        std::size_t met = 0, undecided = 0;
        for (const auto& t : c.targets) {
            met += t.verdict == report::TargetVerdict::Met;
            undecided += t.verdict == report::TargetVerdict::Undecided;
        }
        out << "| `" << c.scenario_file << "` | " << (c.failed() ? "**FAIL**" : "pass") << " | "
            << (c.exact ? std::string("fingerprint") : std::to_string(c.indicators.size())) << " | "
            << c.count(Change::Identical) << " | " << c.count(Change::WithinTolerance) << " | "
            << c.drifted() << " | " << met << " / " << c.targets_missed() << " / " << undecided
            << " |\n";
    }
    for (const auto& c : checks) markdown_details(out, c);
    return out.str();
}

}  // namespace cmasim::check
