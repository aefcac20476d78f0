// The parts of bench/tandem_reference that both modes share: the event heap, the FIFO queue,
// and the check and printing of the results (report.cpp). See main.cpp for the program.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tandem_reference {

using Time = std::int64_t;  // seconds since the start of the run, as cmasim::sim::SimTime

enum class Kind : std::uint32_t { Arrival, ServiceEnd };

/// 4-ary min-heap of events ordered by (time, priority, seq), seq = push number (ties on time
/// and priority: first scheduled, first fired). The triple is packed into one 128-bit key, time
/// (never negative here) in the high word, priority (0-255) in the top 8 bits of the low word,
/// seq in the low 56 bits, so an order test is one 128-bit compare. Sifts move a hole rather
/// than swapping; the earliest of four children is picked by a two-round tournament
/// (conditional moves, no unpredictable branches). Pending events are few here (one arrival plus
/// one per busy server), so the heap stays in L1. (A binary heap and a 4-ary heap comparing time
/// then seq were measured too: within 5% of this, slower.)
class EventHeap {
  public:
    struct Popped {
        Time time;
        Kind kind;
        std::uint32_t customer;
    };

    bool empty() const { return v_.empty(); }

    void push(Time time, std::uint32_t priority, Kind kind, std::uint32_t customer) {
        const Event e{(Key{static_cast<std::uint64_t>(time)} << 64) |
                          (std::uint64_t{priority} << 56) | seq_++,
                      kind, customer};
        std::size_t hole = v_.size();
        v_.push_back(e);
        while (hole > 0) {
            const std::size_t up = (hole - 1) / 4;
            if (!(e.key < v_[up].key)) break;
            v_[hole] = v_[up];
            hole = up;
        }
        v_[hole] = e;
    }

    Popped pop() {
        const Event top = v_.front();
        const Event last = v_.back();
        v_.pop_back();
        const std::size_t n = v_.size();
        if (n > 0) {
            std::size_t hole = 0;
            for (std::size_t first = 1; first < n; first = 4 * hole + 1) {
                std::size_t best = first;
                if (first + 4 <= n) {
                    const std::size_t a = first + (v_[first + 1].key < v_[first].key ? 1 : 0);
                    const std::size_t b =
                        first + 2 + (v_[first + 3].key < v_[first + 2].key ? 1 : 0);
                    best = v_[b].key < v_[a].key ? b : a;
                } else {
                    for (std::size_t c = first + 1; c < n; ++c) {
                        if (v_[c].key < v_[best].key) best = c;
                    }
                }
                if (!(v_[best].key < last.key)) break;
                v_[hole] = v_[best];
                hole = best;
            }
            v_[hole] = last;
        }
        return Popped{static_cast<Time>(static_cast<std::uint64_t>(top.key >> 64)), top.kind,
                      top.customer};
    }

  private:
    __extension__ using Key = unsigned __int128;
    struct Event {
        Key key;  // time << 64 | priority << 56 | seq
        Kind kind;
        std::uint32_t customer;  // ServiceEnd: customer slot
    };
    std::vector<Event> v_;
    std::uint64_t seq_ = 0;
};

/// FIFO of customer slots: a power-of-two ring buffer that doubles when full.
class Fifo {
  public:
    Fifo() : buf_(16) {}
    bool empty() const { return head_ == tail_; }
    void push(std::uint32_t x) {
        if (tail_ - head_ == buf_.size()) grow();
        buf_[tail_++ & (buf_.size() - 1)] = x;
    }
    std::uint32_t pop() { return buf_[head_++ & (buf_.size() - 1)]; }

  private:
    void grow() {
        std::vector<std::uint32_t> bigger(buf_.size() * 2);
        for (std::size_t i = 0; i < buf_.size(); ++i)
            bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        tail_ = buf_.size();
        head_ = 0;
        buf_ = std::move(bigger);
    }
    std::vector<std::uint32_t> buf_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
};

/// Shortest round-trip text of a double, as the engine's CSV writer prints it.
std::string shortest(double x);

double ratio(double num, double den);

/// The mean time in system against the analytic value (checked from 100,000 arrivals on).
struct Check {
    double mean_min;
    double rel_error;
    bool checked;
    bool ok;
};

Check check_mean(double mean_min, std::uint64_t arrivals);

/// Prints the key=value pairs both modes share (no newline).
void print_common(const char* mode, std::uint64_t arrivals, std::uint64_t events, double seconds,
                  const Check& c, std::uint64_t peak, std::uint64_t seed);

/// The exit status: 1 (with a message) when customers were lost or the check failed.
int finish(std::uint64_t arrivals, std::uint64_t departures, const Check& c);

/// The two modes: simulate, print one line, return the exit status.
int run_sequential(std::uint64_t arrivals, std::uint64_t seed);
int run_engine_streams(double horizon_days, std::uint64_t seed);

}  // namespace tandem_reference
