#include "fast_episodes.h"

#include <array>
#include <cctype>
#include <cmath>
#include <string_view>

namespace cmasim::scenario::detail {

namespace {

using Lines = std::vector<std::string_view>;

Lines split_lines(std::string_view text) {
    Lines lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

/// Keys whose meaning the split would change: the list merged with a base's or a period's, or
/// a second document yaml-cpp would not read.
bool has_blocker(const Lines& lines) {
    for (const auto line : lines) {
        if (starts_with(line, "extends:") || starts_with(line, "timeline:") ||
            starts_with(line, "---") || starts_with(line, "...") || starts_with(line, "%"))
            return true;
    }
    return false;
}

bool is_id(std::string_view v) {
    if (v.empty() || !std::isalpha(static_cast<unsigned char>(v[0]))) return false;
    for (const char ch : v) {
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') return false;
    }
    // Words a YAML 1.1 reader takes for a boolean or null stay with yaml-cpp.
    std::string lower(v);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    static const std::array<std::string_view, 9> kWords{"y",     "n",  "yes", "no",  "true",
                                                        "false", "on", "off", "null"};
    for (const auto w : kWords) {
        if (lower == w) return false;
    }
    return true;
}

bool read_day(std::string_view v, double& day) {
    if (v.empty() || v.size() > 5 || (v.size() > 1 && v[0] == '0')) return false;
    int d = 0;
    for (const char ch : v) {
        if (ch < '0' || ch > '9') return false;
        d = d * 10 + (ch - '0');
    }
    if (d > 36500) return false;  // episode_schema's bound on `day`
    day = d;
    return true;
}

bool two_digits(std::string_view v, int& out) {
    if (v.size() != 2 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9') return false;
    out = (v[0] - '0') * 10 + (v[1] - '0');
    return true;
}

/// "HH:MM" in double quotes, 00:00 to 23:59.
bool read_time(std::string_view v, sim::SimTime& t) {
    int h = 0, m = 0;
    if (v.size() != 7 || v.front() != '"' || v.back() != '"' || v[3] != ':' ||
        !two_digits(v.substr(1, 2), h) || !two_digits(v.substr(4, 2), m) || h > 23 || m > 59)
        return false;
    t = h * sim::kHour + m * sim::kMinute;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

/// One `key: value` of an item into `e`; `seen` marks the keys read (day, time, village,
/// condition). False for anything else.
bool read_pair(std::string_view pair, ScriptedEpisode& e, unsigned& seen) {
    const std::size_t colon = pair.find(": ");
    if (colon == std::string_view::npos) return false;
    const std::string_view key = trim(pair.substr(0, colon));
    const std::string_view value = trim(pair.substr(colon + 2));
    static constexpr std::array<std::string_view, 4> kKeys{"day", "time", "village", "condition"};
    unsigned bit = 0;
    while (bit < kKeys.size() && kKeys[bit] != key) ++bit;
    if (bit == kKeys.size() || (seen & (1u << bit))) return false;
    seen |= 1u << bit;
    switch (bit) {
        case 0:
            return read_day(value, e.day);
        case 1:
            return read_time(value, e.time_of_day);
        case 2:
            e.village = value;
            return is_id(value);
        default:
            e.condition = value;
            return is_id(value);
    }
}

/// An item line after its indentation: `- {k: v, k: v, ...}` with trailing spaces only.
std::optional<ScriptedEpisode> read_item(std::string_view line) {
    line = trim(line);
    if (!starts_with(line, "- {") || line.back() != '}') return std::nullopt;
    std::string_view body = line.substr(3, line.size() - 4);
    ScriptedEpisode e;
    unsigned seen = 0;
    while (!body.empty()) {
        const std::size_t comma = body.find(',');
        if (!read_pair(body.substr(0, comma), e, seen)) return std::nullopt;
        body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    }
    if ((seen & 0b1101u) != 0b1101u) return std::nullopt;  // day, village, condition required
    e.at = static_cast<sim::SimTime>(std::llround(e.day * 86400.0)) + e.time_of_day;
    return e;
}

/// The episodes of lines[first, end) (each `indent` spaces, then an item), or nullopt.
std::optional<std::vector<ScriptedEpisode>> read_items(const Lines& lines, std::size_t first,
                                                       std::size_t end, std::size_t indent) {
    std::vector<ScriptedEpisode> out;
    out.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) {
        if (lines[i].size() <= indent || lines[i].find_first_not_of(' ') != indent)
            return std::nullopt;
        auto e = read_item(lines[i].substr(indent));
        if (!e) return std::nullopt;
        out.push_back(std::move(*e));
    }
    return out;
}

/// The line of the top-level `episodes:` key, or lines.size().
std::size_t episodes_key(const Lines& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (starts_with(lines[i], "episodes:") && trim(lines[i].substr(9)).empty()) return i;
    }
    return lines.size();
}

bool overrides_episodes(const LoadOptions& options) {
    for (const auto& o : options.overrides) {
        if (starts_with(o, "episodes")) return true;
    }
    return false;
}

}  // namespace

std::optional<SplitEpisodes> split_scripted_episodes(const std::string& text,
                                                     const LoadOptions& options) {
    const Lines lines = split_lines(text);
    const std::size_t key = episodes_key(lines);
    if (key + 1 >= lines.size() || overrides_episodes(options) || has_blocker(lines))
        return std::nullopt;
    const std::size_t first = key + 1;
    const std::size_t indent = lines[first].find_first_not_of(' ');
    std::size_t end = first;
    while (end < lines.size() && lines[end].size() > indent && lines[end][indent] == '-') ++end;
    // The list must end the file or give way to a top-level key.
    if (end < lines.size() &&
        !std::isalpha(static_cast<unsigned char>(lines[end].empty() ? ' ' : lines[end][0])))
        return std::nullopt;
    if (end - first < kFastEpisodesFrom || indent == std::string_view::npos) return std::nullopt;
    auto rest = read_items(lines, first + 1, end, indent);
    if (!rest) return std::nullopt;
    SplitEpisodes split;
    const auto offset = [&](std::size_t line) {
        return static_cast<std::size_t>(lines[line].data() - text.data());
    };
    const std::size_t cut = offset(first) + lines[first].size() + 1;
    const std::size_t resume = end < lines.size() ? offset(end) : text.size();
    split.text.reserve(text.size() - (resume - cut) + (end - first));
    split.text.append(text, 0, cut);
    split.text.append(end - first - 1, '\n');
    split.text.append(text, resume);
    split.first_line = static_cast<int>(first) + 1;
    split.rest = std::move(*rest);
    return split;
}

}  // namespace cmasim::scenario::detail
