// Hints for a misspelt name: the one "did you mean" every reader (scenario, sweep) gives.
#pragma once

#include <string>
#include <vector>

namespace cmasim::util {

/// Optimal-string-alignment edit distance (a transposition counts as one edit).
int edit_distance(const std::string& a, const std::string& b);

/// "did you mean 'x'?" for the closest candidate within a few edits (at most 3, fewer for short
/// names), else "expected one of: ..." listing up to 12 candidates (or nothing, when
/// `list_otherwise` is false because the message lists them already).
/// Bounded work whatever `given` is: only candidates whose length is within the tolerance of
/// `given`'s are compared (no other can be close enough), so a megabyte-long unknown key costs
/// one length comparison per candidate.
std::string did_you_mean(const std::string& given, const std::vector<std::string>& candidates,
                         bool list_otherwise = true);

}  // namespace cmasim::util
