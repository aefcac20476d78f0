// Records of where an output directory came from: the build (`cmasim --version`), the command
// line, the scenarios by hash, the seed and the random-number scheme. Every output directory
// holds one as manifest.json (docs/reproducibility.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cmasim::report {

/// The build that produced an output.
struct BuildInfo {
    std::string version;     ///< CMASIM_VERSION
    std::string commit;      ///< git commit at configure time ("-dirty" with local changes)
    std::string compiler;    ///< e.g. "GCC 12.2.0"
    std::string build_type;  ///< CMake build type, e.g. "Release"
};

/// This build: the commit and build type as CMake saw them at configure time (only
/// src/report/build_info.cpp is compiled with them).
BuildInfo build_info();

/// `cmasim --version`: one "name: value" line per field of `build`.
std::string version_text(const BuildInfo& build);

/// Who ran what: the build, the command line as typed, the worker threads.
struct Provenance {
    BuildInfo build;
    std::vector<std::string> command_line;
    int threads = 0;
};

/// The random-number scheme every command uses (docs/reproducibility.md).
extern const char* const kRandomScheme;

/// How a scenario hash is computed; manifests carry this text next to the hash.
extern const char* const kScenarioHashRecipe;

/// One scenario of a run: the file as given and its hash (scenario::scenario_sha256).
struct ScenarioRecord {
    std::string file;
    std::string sha256;
};

/// manifest.json of a `run`, `compare` or `check` output directory.
struct RunRecord {
    std::string command;  ///< "run", "compare" or "check": the command that owns the directory
    Provenance provenance;
    std::vector<ScenarioRecord> scenarios;
    std::uint64_t seed = 0;
    int replications = 0;
    std::string started_at;   ///< UTC, ISO 8601
    double wall_seconds = 0;  ///< from the start of the command to the manifest
};

/// The manifest's text (JSON, ending in a newline).
std::string manifest_json(const RunRecord& record);

/// The command recorded in `dir`/manifest.json ("run", "compare", "check", "sweep"), or ""
/// when the directory holds no readable manifest.
std::string manifest_command(const std::filesystem::path& dir);

/// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_timestamp();

}  // namespace cmasim::report
