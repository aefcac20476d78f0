// Writing a file so that readers see it whole or not at all.
#pragma once

#include <filesystem>
#include <string_view>

namespace cmasim::util {

/// Write `content` to `path` atomically: the bytes go to a new temporary file in the same
/// directory (".<name>.tmp.<pid>.<random>"), which is flushed to disk (fsync) and then renamed
/// over `path`; the directory is fsynced afterwards so the rename itself survives a crash.
/// An existing file at `path` is replaced. The directory must exist. On any failure the
/// temporary file is removed and std::runtime_error is thrown, naming the path and the OS error.
/// POSIX only.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace cmasim::util
