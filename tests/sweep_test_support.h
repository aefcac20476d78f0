// Shared by the sweep tests (test_sweep.cpp, test_sweep_run.cpp): the test sweeps, reading a
// file whole, and a journal record.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cmasim/sweep/journal.h"

namespace cmasim::sweep::test {

inline const std::filesystem::path kData =
    std::filesystem::path(CMASIM_SOURCE_DIR) / "tests/data/sweeps";

inline std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A record with an ordinary, an undefined and an extreme value.
inline TaskRecord sample_record(std::uint64_t point) {
    return TaskRecord{
        point, 3, {{"grassroots_rate", 0.5}, {"wait", std::nan("")}, {"visits", 1e300}}};
}

}  // namespace cmasim::sweep::test
