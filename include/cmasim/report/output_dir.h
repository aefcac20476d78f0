// Output directories written whole. A command writes into a fresh temporary directory beside
// its --out and swaps it in with one rename when every file is complete, so a directory always
// holds entirely one run, even when the process is killed midway (docs/reproducibility.md).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cmasim::report {

/// The --out directory cannot be used (it holds something else, or cannot be created): bad
/// input, exit 2.
struct OutputDirError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class StagedDirectory {
  public:
    /// Checks that `target` may receive `command`'s output: absent, empty, or holding this
    /// command's own previous output (its manifest.json names `command`). Anything else is
    /// refused unless `force`; a sweep's directory is refused even then. Creates the temporary
    /// directory (and removes ones left by killed processes). Throws OutputDirError.
    StagedDirectory(std::filesystem::path target, std::string command, bool force);
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;
    /// Removes the temporary directory unless commit() swapped it in.
    ~StagedDirectory();

    /// Where to write the files.
    const std::filesystem::path& path() const { return staging_; }
    /// The --out directory.
    const std::filesystem::path& target() const { return target_; }

    /// Swaps the temporary directory in as `target` (an atomic exchange where the file system
    /// supports it); the previous directory is removed only afterwards. Throws
    /// std::runtime_error naming the paths.
    void commit();

  private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    bool committed_ = false;
};

/// Prefix of the temporary directories of `target` (".NAME.tmp-"), for tests and cleanup.
std::string staging_prefix(const std::filesystem::path& target);

}  // namespace cmasim::report
