#include "cmasim/util/did_you_mean.h"

#include <algorithm>

namespace cmasim::util {

int edit_distance(const std::string& a, const std::string& b) {
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

std::string did_you_mean(const std::string& given, const std::vector<std::string>& candidates,
                         bool list_otherwise) {
    // The distance is at least the difference in length, so a candidate further off in length
    // than the tolerance can never be suggested and is not compared; nor is anything for a name
    // longer than any real key (the comparison's cost grows with the square of the length).
    constexpr std::size_t kLongestCompared = 256;
    const std::size_t tolerance =
        std::min<std::size_t>(1 + std::min(given.size(), kLongestCompared) / 4, 3);
    const std::string* best = nullptr;
    int best_distance = 0;
    for (const auto& c : candidates) {
        if (given.size() > kLongestCompared) break;
        const std::size_t gap =
            c.size() > given.size() ? c.size() - given.size() : given.size() - c.size();
        if (gap > tolerance) continue;
        const int dist = edit_distance(given, c);
        if (!best || dist < best_distance) {
            best = &c;
            best_distance = dist;
        }
    }
    if (best && static_cast<std::size_t>(best_distance) <= tolerance)
        return "did you mean '" + *best + "'?";
    if (candidates.empty() || !list_otherwise) return {};
    std::string out = "expected one of: ";
    const std::size_t shown = std::min<std::size_t>(candidates.size(), 12);
    for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + candidates[i];
    if (shown < candidates.size()) out += ", ...";
    return out;
}

}  // namespace cmasim::util
