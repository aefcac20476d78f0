// Sweep progress on stderr: a self-rewriting line on a terminal, a plain line every few seconds
// otherwise (logs, batch jobs).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace cmasim::sweep {

class Progress {
  public:
    /// `total` tasks, `done` of them finished before this session; `interval` between log lines
    /// when stderr is not a terminal; `enabled` false prints nothing.
    Progress(std::uint64_t total, std::uint64_t done, bool enabled, double interval_seconds);
    /// One more task finished. Thread-safe.
    void tick();
    /// Ends the terminal line.
    void finish();

  private:
    void print();
    std::mutex mutex_;
    std::uint64_t total_;
    std::uint64_t done_;
    std::uint64_t done_at_start_;
    bool enabled_;
    bool terminal_;
    double interval_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_print_;
};

}  // namespace cmasim::sweep
