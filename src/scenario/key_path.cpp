#include "cmasim/scenario/key_path.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace cmasim::scenario {

namespace {

/// A byte of a key: ASCII letters, digits, '_' and '-', or any byte of a multi-byte UTF-8
/// character (ids may be Chinese, and a scenario file accepts them).
bool is_key_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_' || c == '-';
}

bool all_digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// The selector starting at `pos` ('['); advances `pos` past its ']'.
std::optional<KeyPathSegment> selector(const std::string& path, std::size_t& pos,
                                       std::string& error) {
    const auto close = path.find(']', pos);
    if (close == std::string::npos) {
        error = "'[' without a closing ']'";
        return std::nullopt;
    }
    KeyPathSegment s;
    s.is_key = false;
    s.key = path.substr(pos + 1, close - pos - 1);
    s.text = path.substr(pos, close - pos + 1);
    pos = close + 1;
    if (s.key.empty() || s.key.find('[') != std::string::npos) {
        error = "'" + s.text + "' is not a list selector";
        return std::nullopt;
    }
    if (all_digits(s.key)) {
        std::size_t index = 0;
        const auto res = std::from_chars(s.key.data(), s.key.data() + s.key.size(), index);
        if (res.ec != std::errc{}) {
            error = "list index " + s.text + " is too large";
            return std::nullopt;
        }
        s.index = index;
    }
    return s;
}

}  // namespace

std::optional<std::vector<KeyPathSegment>> parse_key_path(const std::string& path,
                                                          std::string& error) {
    std::vector<KeyPathSegment> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '[') {
            if (out.empty()) {
                error = "a key path starts with a key, not a list selector";
                return std::nullopt;
            }
            auto s = selector(path, pos, error);
            if (!s) return std::nullopt;
            out.push_back(std::move(*s));
            continue;
        }
        if (!out.empty()) {
            if (path[pos] != '.') {
                error = "expected '.' or '[' after '" + out.back().text + "'";
                return std::nullopt;
            }
            ++pos;
        }
        const std::size_t start = pos;
        while (pos < path.size() && is_key_byte(path[pos])) ++pos;
        if (pos == start) {
            error = "empty or invalid key at position " + std::to_string(start + 1);
            return std::nullopt;
        }
        KeyPathSegment s;
        s.key = s.text = path.substr(start, pos - start);
        out.push_back(std::move(s));
    }
    if (out.empty()) error = "the key path is empty";
    if (out.empty()) return std::nullopt;
    return out;
}

const char* key_path_hint() {
    return "write keys separated by '.', list items as [id] or [index], e.g. "
           "conditions[0].episodes_per_person_year";
}

}  // namespace cmasim::scenario
