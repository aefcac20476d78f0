#include "spec_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "cmasim/report/writers.h"

namespace cmasim::sweep::detail {

namespace {

int edit_distance(const std::string& a, const std::string& b) {
    std::vector<int> prev(b.size() + 1);
    std::vector<int> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const int substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<double> parse_double(const std::string& s) {
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

}  // namespace

void SpecReader::error(const YAML::Node& at, const std::string& key, std::string message,
                       std::string hint) {
    scenario::Diagnostic d;
    d.file = file_;
    if (at.IsDefined() && at.Mark().line >= 0) {
        d.line = at.Mark().line + 1;
        d.column = at.Mark().column + 1;
    }
    d.key_path = key;
    d.message = std::move(message);
    d.hint = std::move(hint);
    diagnostics_.push_back(std::move(d));
}

void SpecReader::check_keys(const YAML::Node& map, const std::string& path,
                            const std::vector<std::string>& known) {
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) {
            error(kv.first, path, "a key must be a plain name", "write key: value");
            continue;
        }
        const std::string key = kv.first.Scalar();
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            error(kv.first, path.empty() ? key : path + "." + key, "unknown key",
                  did_you_mean(key, known));
        }
    }
}

std::optional<double> SpecReader::number(const YAML::Node& node, const std::string& key) {
    if (node.IsScalar()) {
        if (auto v = parse_double(node.Scalar()); v && std::isfinite(*v)) return v;
    }
    error(node, key,
          "must be a number" + (node.IsScalar() ? ", got '" + node.Scalar() + "'" : std::string()));
    return std::nullopt;
}

std::optional<long long> SpecReader::integer(const YAML::Node& node, const std::string& key,
                                             long long min, long long max) {
    long long value = 0;
    const std::string s = node.IsScalar() ? node.Scalar() : std::string();
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        error(node, key,
              "must be a whole number" + (s.empty() ? std::string() : ", got '" + s + "'"));
        return std::nullopt;
    }
    if (value < min || value > max) {
        error(node, key,
              "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                  s);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> SpecReader::flag(const YAML::Node& node, const std::string& key) {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false"))
        return node.Scalar() == "true";
    error(node, key, "must be true or false");
    return std::nullopt;
}

std::optional<std::string> SpecReader::text(const YAML::Node& node, const std::string& key) {
    if (node.IsScalar() && !node.Scalar().empty()) return node.Scalar();
    error(node, key, "must be a non-empty text");
    return std::nullopt;
}

std::string did_you_mean(const std::string& given, const std::vector<std::string>& candidates) {
    const std::string* best = nullptr;
    int best_distance = std::numeric_limits<int>::max();
    for (const auto& c : candidates) {
        const int d = edit_distance(given, c);
        if (d < best_distance) {
            best_distance = d;
            best = &c;
        }
    }
    if (best != nullptr && best_distance <= std::max<int>(2, static_cast<int>(given.size()) / 3)) {
        return "did you mean '" + *best + "'?";
    }
    std::string list;
    for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
    return "expected one of: " + list;
}

std::string value_text(const YAML::Node& node) {
    if (node.IsScalar()) {
        if (auto v = parse_double(node.Scalar()); v && std::isfinite(*v))
            return report::round_trip_number(*v);
        return node.Scalar();
    }
    YAML::Emitter out;
    out << YAML::Flow << node;
    return out.c_str();
}

std::string clean_number(double value, int digits) {
    std::array<char, 40> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*g", digits, value);
    return report::round_trip_number(parse_double(buffer.data()).value_or(value));
}

}  // namespace cmasim::sweep::detail
