// What this build is, for `cmasim --version`, every manifest, summary.json and compare.json.
// The commit and build type come from CMake at configure time, defined for this file only
// (src/CMakeLists.txt), so a new commit recompiles nothing else.
#include "cmasim/report/manifest.h"

#ifndef CMASIM_GIT_COMMIT
#define CMASIM_GIT_COMMIT "unknown"
#endif
#ifndef CMASIM_BUILD_TYPE
#define CMASIM_BUILD_TYPE "unknown"
#endif

namespace cmasim::report {

namespace {

std::string compiler() {
#if defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return "unknown";
#endif
}

}  // namespace

BuildInfo build_info() {
    return {CMASIM_VERSION, CMASIM_GIT_COMMIT, compiler(), CMASIM_BUILD_TYPE};
}

}  // namespace cmasim::report
