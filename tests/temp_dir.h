// A fresh directory for one test, removed at its end.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace cmasim::testing_support {

/// <system temp dir>/cmasim_<tag>_<pid>, empty at the start of the test and removed at its end.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() /
               ("cmasim_" + tag + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace cmasim::testing_support
