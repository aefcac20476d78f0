// The human-readable county table (print_table).
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cmasim/indicators/table.h"
#include "cmasim/report/writers.h"

namespace cmasim::report {

namespace {

constexpr std::size_t kLabelWidth = 36;
constexpr std::size_t kMeanWidth = 14;
constexpr std::size_t kCiWidth = 30;
constexpr std::size_t kUnitWidth = 20;

std::string pad_right(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

std::string pad_left(const std::string& s, std::size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

/// `value` with `decimals` decimals and thousands separators ("1,234,567.89"); "n/a" for NaN.
std::string format_fixed(double value, int decimals) {
    if (!std::isfinite(value)) return "n/a";
    std::array<char, 400> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, std::fabs(value));
    std::string digits = buffer.data();
    const std::size_t point = digits.find('.');
    const std::size_t int_end = point == std::string::npos ? digits.size() : point;
    for (std::size_t pos = int_end; pos > 3; pos -= 3) digits.insert(pos - 3, ",");
    // No "-0.000": a negative value that rounds to zero prints as zero.
    const bool zero = digits.find_first_not_of("0.,") == std::string::npos;
    return (value < 0 && !zero ? "-" : "") + digits;
}

std::string ci_cell(const Estimate& e, int decimals) {
    if (e.n == 0) return "no values";
    if (!e.has_interval()) return "n/a (" + std::to_string(e.n) + " replication)";
    return "[" + format_fixed(e.ci_low, decimals) + ", " + format_fixed(e.ci_high, decimals) + "]";
}

std::string target_cell(const TargetResult& t) {
    std::string bound;
    if (t.target.min && t.target.max) {
        bound = round_trip_number(*t.target.min) + " to " + round_trip_number(*t.target.max);
    } else if (t.target.min) {
        bound = "\u2265 " + round_trip_number(*t.target.min);
    } else if (t.target.max) {
        bound = "\u2264 " + round_trip_number(*t.target.max);
    } else {
        bound = "no bound";
    }
    return bound + "  " + to_string(t.verdict);
}

void print_header(std::ostream& out, const Summary& s) {
    out << "cmasim " << s.run.version << "  scenario \"" << s.run.scenario_name << "\"";
    if (!s.run.scenario_file.empty()) out << " (" << s.run.scenario_file << ")";
    out << "\nseed " << s.run.seed << ", " << s.run.replications << " replications, horizon "
        << format_fixed(s.run.horizon_days, 0) << " days after "
        << format_fixed(s.run.warmup_days, 0) << " days of warm-up\n\n";
    const std::string ci = format_fixed(s.confidence * 100, 0) + "% CI";
    out << pad_right("Indicator", kLabelWidth + 2) << "  " << pad_left("Mean", kMeanWidth) << "  "
        << pad_right(ci, kCiWidth) << "  " << pad_right("Unit", kUnitWidth) << "  Target\n";
    out << std::string(kLabelWidth + kMeanWidth + kCiWidth + kUnitWidth + 8 + 20, '-') << "\n";
}

void print_row(std::ostream& out, const CountyEstimate& c, const Summary& s) {
    const int decimals = indicators::decimals(c.indicator);
    const indicators::IndicatorInfo* info = indicators::find(c.indicator);
    // Every column is followed by two spaces, so an overlong cell shifts the row, never merges.
    std::string line = "  " + pad_right(indicators::label(c.indicator), kLabelWidth) + "  " +
                       pad_left(format_fixed(c.estimate.mean, decimals), kMeanWidth) + "  " +
                       pad_right(ci_cell(c.estimate, decimals), kCiWidth) + "  " +
                       pad_right(info ? info->unit : "", kUnitWidth) + "  ";
    for (const auto& t : s.targets) {
        if (t.target.indicator == c.indicator) line += target_cell(t) + "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
}

/// "2 targets: 1 met, 1 undecided", then one line per note.
void print_targets(std::ostream& out, const Summary& s) {
    if (s.targets.empty()) return;
    std::map<TargetVerdict, int> counts;
    for (const auto& t : s.targets) ++counts[t.verdict];
    out << "\n" << s.targets.size() << (s.targets.size() == 1 ? " target:" : " targets:");
    const char* separator = " ";
    for (const auto verdict :
         {TargetVerdict::Met, TargetVerdict::Missed, TargetVerdict::Undecided}) {
        if (counts[verdict] == 0) continue;
        out << separator << counts[verdict] << " " << to_string(verdict);
        separator = ", ";
    }
    out << "\n";
    for (const auto& t : s.targets) {
        if (t.note.empty()) continue;
        out << "  " << t.target.indicator << " (" << target_cell(t) << "): " << t.note << "\n";
    }
}

}  // namespace

void print_table(std::ostream& out, const Summary& summary) {
    print_header(out, summary);
    for (const std::string& section : indicators::sections()) {
        bool heading_printed = false;
        for (const auto& c : summary.county) {
            if (indicators::section(c.indicator) != section) continue;
            if (!heading_printed) out << section << "\n";
            heading_printed = true;
            print_row(out, c, summary);
        }
    }
    print_targets(out, summary);
}

}  // namespace cmasim::report
