#include "cmasim/util/did_you_mean.h"

#include <algorithm>

namespace cmasim::util {
namespace {

/// The string's characters: UTF-8 decoded into code points, so that a Chinese id misspelt by one
/// character is one edit (not three bytes). A byte that does not start a valid sequence counts as
/// one character of its own.
std::u32string characters(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80         ? 1
                                : (b >> 5) == 6  ? 2
                                : (b >> 4) == 14 ? 3
                                : (b >> 3) == 30 ? 4
                                                 : 0;
        bool valid = len > 0 && i + len <= s.size();
        char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; valid && k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            valid = (c >> 6) == 2;
            cp = (cp << 6) | (c & 0x3F);
        }
        out.push_back(valid ? cp : b);
        i += valid ? len : 1;
    }
    return out;
}

int distance(const std::u32string& a, const std::u32string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

/// "expected one of: ..." with up to 12 candidates, or nothing.
std::string listing(const std::vector<std::string>& candidates, bool list_otherwise) {
    if (candidates.empty() || !list_otherwise) return {};
    std::string out = "expected one of: ";
    const std::size_t shown = std::min<std::size_t>(candidates.size(), 12);
    for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + candidates[i];
    if (shown < candidates.size()) out += ", ...";
    return out;
}

}  // namespace

int edit_distance(const std::string& a, const std::string& b) {
    return distance(characters(a), characters(b));
}

std::string did_you_mean(const std::string& given, const std::vector<std::string>& candidates,
                         bool list_otherwise) {
    // The distance is at least the difference in length, so a candidate further off in length
    // than the tolerance can never be suggested and is not compared; nor is anything for a name
    // longer than any real key (the comparison's cost grows with the square of the length).
    // Lengths and distances count characters (code points), not bytes.
    constexpr std::size_t kLongestCompared = 256;
    if (given.size() > 4 * kLongestCompared) return listing(candidates, list_otherwise);
    const std::u32string g = characters(given);
    const std::size_t tolerance =
        std::min<std::size_t>(1 + std::min(g.size(), kLongestCompared) / 4, 3);
    const std::string* best = nullptr;
    int best_distance = 0;
    for (const auto& c : candidates) {
        if (g.size() > kLongestCompared) break;
        const std::u32string cc = characters(c);
        const std::size_t gap = cc.size() > g.size() ? cc.size() - g.size() : g.size() - cc.size();
        if (gap > tolerance) continue;
        const int dist = distance(g, cc);
        if (!best || dist < best_distance) {
            best = &c;
            best_distance = dist;
        }
    }
    if (best && static_cast<std::size_t>(best_distance) <= tolerance)
        return "did you mean '" + *best + "'?";
    return listing(candidates, list_otherwise);
}

}  // namespace cmasim::util
