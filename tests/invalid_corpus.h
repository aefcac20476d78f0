// The adversarial corpus of tests/data/invalid/: each file starts with "# expect: <text>" lines
// (parts of the message it must produce) and "# expect-line: <n>" lines (lines a message must
// point at). Files ending in .sweep.yaml are sweep files, the others scenario files.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cmasim::testing {

namespace fs = std::filesystem;

struct Expectations {
    std::vector<std::string> messages;
    std::vector<int> lines;
};

inline Expectations expectations_of(const fs::path& file) {
    Expectations out;
    std::ifstream text(file);
    std::string line;
    while (std::getline(text, line) && line.rfind("# expect", 0) == 0) {
        if (line.rfind("# expect: ", 0) == 0) out.messages.push_back(line.substr(10));
        if (line.rfind("# expect-line: ", 0) == 0) out.lines.push_back(std::stoi(line.substr(15)));
    }
    return out;
}

inline bool is_sweep_file(const fs::path& file) {
    const std::string name = file.filename().string();
    const std::string suffix = ".sweep.yaml";
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The corpus, sorted by name.
inline std::vector<fs::path> invalid_files() {
    std::vector<fs::path> files;
    for (const auto& entry :
         fs::directory_iterator(fs::path(CMASIM_SOURCE_DIR) / "tests/data/invalid")) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Checks an error text against the file's expectations: every expected part, every expected
/// line as "file:line:", and the text starts with the file's own path (located in it).
inline void expect_located(const std::string& what, const fs::path& file) {
    const Expectations expected = expectations_of(file);
    ASSERT_FALSE(expected.messages.empty()) << "the file names no '# expect:' message";
    for (const auto& m : expected.messages) {
        EXPECT_NE(what.find(m), std::string::npos) << "missing: " << m << "\nin:\n" << what;
    }
    for (int n : expected.lines) {
        const std::string at = file.string() + ":" + std::to_string(n) + ":";
        EXPECT_NE(what.find(at), std::string::npos) << "missing: " << at << "\nin:\n" << what;
    }
    EXPECT_EQ(what.rfind(file.string() + ":", 0), 0u) << what;
}

}  // namespace cmasim::testing
