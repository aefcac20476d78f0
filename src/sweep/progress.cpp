#include "cmasim/sweep/progress.h"

#include <unistd.h>

#include <cstdio>

namespace cmasim::sweep {

Progress::Progress(std::uint64_t total, std::uint64_t done, bool enabled, double interval_seconds)
    : total_(total),
      done_(done),
      done_at_start_(done),
      enabled_(enabled && total > done),
      terminal_(isatty(STDERR_FILENO) != 0),
      interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {
    if (enabled_ && done > 0)
        std::fprintf(stderr, "sweep: resuming, %llu of %llu tasks already done\n",
                     static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
}

void Progress::tick() {
    std::lock_guard<std::mutex> g(mutex_);
    if (!enabled_) return;
    ++done_;
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_print_).count();
    // A terminal line is cheap to rewrite but not for free: at most ten times a second.
    if ((terminal_ && since >= 0.1) || (!terminal_ && since >= interval_) || done_ == total_) {
        last_print_ = now;
        print();
    }
}

void Progress::finish() {
    std::lock_guard<std::mutex> g(mutex_);
    if (!enabled_) return;
    if (terminal_) std::fprintf(stderr, "\n");
    enabled_ = false;
}

void Progress::print() {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const auto ran = static_cast<double>(done_ - done_at_start_);
    const double rate = secs > 0 ? ran / secs : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    const double percent =
        total_ > 0 ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100;
    std::fprintf(stderr,
                 "%ssweep: %llu/%llu tasks (%.0f%%)  %.2f tasks/s  elapsed %.0f s  ETA %.0f s%s",
                 terminal_ ? "\r" : "", static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), percent, rate, secs, eta,
                 terminal_ ? "   " : "\n");
    std::fflush(stderr);
}

}  // namespace cmasim::sweep
