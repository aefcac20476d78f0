// Checking and printing the results of bench/tandem_reference (tandem.h).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "tandem.h"

namespace tandem_reference {

namespace {

constexpr double kAnalyticMinutes = 7.2703;   // docs/validation.md
constexpr double kTolerance = 0.03;           // relative; seeds 1-8 at 1M arrivals: within 2%
constexpr std::uint64_t kCheckFrom = 100000;  // fewer arrivals: too noisy to check

}  // namespace

std::string shortest(double x) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    if (ec != std::errc()) return "nan";
    return std::string(buf, end);
}

double ratio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}

Check check_mean(double mean_min, std::uint64_t arrivals) {
    const double rel_error = mean_min / kAnalyticMinutes - 1.0;
    const bool checked = arrivals >= kCheckFrom;
    return {mean_min, rel_error, checked, !checked || std::fabs(rel_error) <= kTolerance};
}

void print_common(const char* mode, std::uint64_t arrivals, std::uint64_t events, double seconds,
                  const Check& c, std::uint64_t peak, std::uint64_t seed) {
    std::printf(
        "reference streams=%s arrivals=%llu events=%llu sim_seconds=%.6f events_per_second=%.0f "
        "mean_time_in_system_min=%.4f analytic_min=%.4f rel_error=%+.4f check=%s "
        "peak_in_system=%llu seed=%llu",
        mode, static_cast<unsigned long long>(arrivals), static_cast<unsigned long long>(events),
        seconds, static_cast<double>(events) / seconds, c.mean_min, kAnalyticMinutes, c.rel_error,
        !c.checked ? "skipped"
        : c.ok     ? "ok"
                   : "FAILED",
        static_cast<unsigned long long>(peak), static_cast<unsigned long long>(seed));
}

int finish(std::uint64_t arrivals, std::uint64_t departures, const Check& c) {
    if (departures != arrivals) {
        std::fprintf(stderr, "tandem_reference: %llu arrivals but %llu departures\n",
                     static_cast<unsigned long long>(arrivals),
                     static_cast<unsigned long long>(departures));
        return 1;
    }
    if (!c.ok) {
        std::fprintf(
            stderr,
            "tandem_reference: mean time in system %.4f min is %.1f%% off the analytic %.4f min\n",
            c.mean_min, 100.0 * c.rel_error, kAnalyticMinutes);
        return 1;
    }
    return 0;
}

}  // namespace tandem_reference
