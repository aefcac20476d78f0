#include "cmasim/sweep/spec_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "cmasim/report/writers.h"
#include "cmasim/scenario/key_path.h"

namespace cmasim::sweep::detail {

namespace {

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
                  util::did_you_mean(key, known));
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

void SpecReader::error_at_mark(const YAML::Mark& mark, std::string message, std::string hint) {
    diagnostics_.push_back({file_, mark.is_null() ? 0 : mark.line + 1,
                            mark.is_null() ? 0 : mark.column + 1, "", std::move(message),
                            std::move(hint)});
}

bool SpecReader::key_path(const YAML::Node& at, const std::string& key, const std::string& path) {
    std::string problem;
    if (scenario::parse_key_path(path, problem)) return true;
    error(at, key, "malformed key path '" + path + "': " + problem, scenario::key_path_hint());
    return false;
}

std::vector<std::string> SpecReader::overrides(const YAML::Node& node, const std::string& key) {
    std::vector<std::string> out;
    if (!node.IsMap()) {
        error(node, key, "must be a map of key path: value", "e.g. set: {horizon_days: 90}");
        return out;
    }
    for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
            error(kv.first, key, "a key must be a key path", "e.g. set: {horizon_days: 90}");
            continue;
        }
        const std::string path = kv.first.Scalar();
        if (key_path(kv.first, key + "." + path, path))
            out.push_back(path + "=" + value_text(kv.second));
    }
    return out;
}

YAML::Node parse_yaml(const std::string& text, const std::string& file_label) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        scenario::Diagnostic d{file_label,
                               e.mark.line + 1,
                               e.mark.column + 1,
                               "",
                               "YAML syntax error: " + e.msg,
                               "check indentation, colons, quotes and brackets near here"};
        throw scenario::ScenarioError({d});
    }
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
