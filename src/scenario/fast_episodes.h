// Internal to the loader: a reader for the one list that can make a scenario file tens of
// megabytes, `episodes:` written one flow map a line. yaml-cpp builds a heap node per key and
// value (about 80 bytes of memory per byte of file); this reads such lines straight into
// ScriptedEpisode. It only speeds up a file the general path would accept: anything outside its
// narrow shape leaves the file to yaml-cpp, and the loader reloads the whole file through the
// general path on any error, so every message is the general path's (docs/performance.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cmasim/scenario/loader.h"
#include "cmasim/scenario/spec.h"

namespace cmasim::scenario::detail {

/// Fewer scripted episodes than this go through yaml-cpp like the rest of the file.
inline constexpr std::size_t kFastEpisodesFrom = 1000;

/// A scenario text with its `episodes:` list split off.
struct SplitEpisodes {
    /// The text with every episode line after the first made empty (line numbers kept): yaml-cpp
    /// still reads the `episodes:` key and its first item.
    std::string text;
    int first_line = 0;                 ///< 1-based line of that first item
    std::vector<ScriptedEpisode> rest;  ///< the emptied lines' episodes, in file order
};

/// The split when `text` has a top-level `episodes:` list of at least kFastEpisodesFrom items,
/// each a line `- {day: D, time: "HH:MM", village: ID, condition: ID}` (keys in any order,
/// `time` optional; D an integer from 0 to 36500; ids letters, digits, '_' and '-' starting with
/// a letter), followed by the end of the file or a top-level key; and when nothing else could
/// change what the list means (`extends:`, `timeline:`, several documents, an override of
/// `episodes`). Otherwise nullopt: the file takes the general path.
std::optional<SplitEpisodes> split_scripted_episodes(const std::string& text,
                                                     const LoadOptions& options);

}  // namespace cmasim::scenario::detail
