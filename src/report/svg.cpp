// Escaping, numbers and axes for the report's SVG charts (include/cmasim/report/svg.h).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "cmasim/report/svg.h"

namespace cmasim::report::svg {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string coord(double value) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string s = buffer;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

namespace {

/// The smallest 1, 2 or 5 times a power of ten at least `raw`.
double nice_step(double raw) {
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw * (1 - 1e-9)) return m * power;
    }
    return 10 * power;
}

}  // namespace

Axis nice_axis(double low, double high, bool from_zero, int target_ticks) {
    if (!std::isfinite(low) || !std::isfinite(high)) low = high = 0;
    if (low > high) std::swap(low, high);
    if (from_zero) {
        low = std::min(low, 0.0);
        high = std::max(high, 0.0);
    }
    if (high - low <= 0) {
        const double pad = low == 0 ? 1.0 : std::abs(low) * 0.1;
        low = from_zero && low >= 0 ? low : low - pad;
        high += pad;
    }
    const double step = nice_step((high - low) / std::max(1, target_ticks));
    Axis axis;
    axis.low = std::floor(low / step + 1e-9) * step;
    axis.high = std::ceil(high / step - 1e-9) * step;
    for (double t = axis.low; t <= axis.high + step * 1e-6; t += step)
        axis.ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return axis;
}

std::string tick_label(double value, double step) {
    if (std::abs(value) <= std::abs(step) * 1e-9) value = 0;  // no "-0"
    int decimals = 0;
    if (step > 0 && step < 1) decimals = static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 9), value);
    return buffer;
}

std::string colour(std::size_t i) {
    // Okabe-Ito, without yellow (too light on white).
    static constexpr std::array<const char*, 7> kColours = {
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"};
    return kColours[i % kColours.size()];
}

}  // namespace cmasim::report::svg
