// Hold-model benchmark of the event calendar against reference priority queues.
//
// Hold model (Jones 1986): keep n events pending; each step pops the earliest event and pushes
// one at (popped time + exponential increment), so the queue size stays n. One item = one
// pop + one push. The increments are drawn before timing starts (a ring of 2^16 values), so the
// timed loop measures the queues, not the random number generator or log().
//
// Variants: (a) EventCalendar (4-ary heap); (b) a minimal hand-written binary heap over the
// same entries (the "best array heap" reference); (c) std::priority_queue; (d) std::multiset.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <set>
#include <vector>

#include "cmasim/sim/calendar.h"
#include "cmasim/sim/distributions.h"
#include "cmasim/sim/random.h"

namespace {

using cmasim::sim::SimTime;

struct Payload {
    std::uint32_t kind;
    std::uint32_t entity;
    std::uint64_t data;
};

using Calendar = cmasim::sim::EventCalendar<Payload>;
using Entry = Calendar::Entry;

/// Same order as EventCalendar: (time, priority, seq).
bool earlier(const Entry& a, const Entry& b) {
    if (a.time != b.time) {
        return a.time < b.time;
    }
    if (a.priority != b.priority) {
        return a.priority < b.priority;
    }
    return a.seq < b.seq;
}

struct Later {  // std::priority_queue is a max-heap: "less" must mean "fires later"
    bool operator()(const Entry& a, const Entry& b) const { return earlier(b, a); }
};
struct Earlier {
    bool operator()(const Entry& a, const Entry& b) const { return earlier(a, b); }
};

constexpr std::size_t kRing = 1 << 16;

/// Pre-drawn increments (seconds, mean 1 hour) and priorities (0..3, so ties on time and
/// priority occur and the seq tie-break is exercised).
struct Workload {
    std::vector<SimTime> increments;
    std::vector<std::int32_t> priorities;
    Workload() {
        cmasim::sim::RandomStream rng({42, 0}, 1, 0);
        const auto dist = cmasim::sim::Distribution::exponential(3600.0);
        for (std::size_t i = 0; i < kRing; ++i) {
            increments.push_back(static_cast<SimTime>(dist.sample(rng)));
            priorities.push_back(static_cast<std::int32_t>(rng.below(4)));
        }
    }
};

const Workload& workload() {
    static const Workload w;
    return w;
}

/// Minimal binary heap with hole-moving sifts: the reference an array heap should match.
class BinaryHeap {
public:
    void push(const Entry& e) {
        std::size_t hole = v_.size();
        v_.push_back(e);
        while (hole > 0 && earlier(e, v_[(hole - 1) / 2])) {
            v_[hole] = v_[(hole - 1) / 2];
            hole = (hole - 1) / 2;
        }
        v_[hole] = e;
    }
    Entry pop() {
        const Entry top = v_[0];
        const Entry last = v_.back();
        v_.pop_back();
        const std::size_t n = v_.size();
        std::size_t hole = 0;
        for (std::size_t c = 1; c < n; c = 2 * hole + 1) {
            if (c + 1 < n && earlier(v_[c + 1], v_[c])) {
                ++c;
            }
            if (!earlier(v_[c], last)) {
                break;
            }
            v_[hole] = v_[c];
            hole = c;
        }
        if (n > 0) {
            v_[hole] = last;
        }
        return top;
    }

private:
    std::vector<Entry> v_;
};

/// Adapters giving every variant the same two operations.
struct CalendarQ {
    Calendar q;
    void push(const Entry& e) { q.push(e.time, e.priority, e.payload); }
    Entry pop() { return q.pop(); }
};
struct BinaryQ {
    BinaryHeap q;
    void push(const Entry& e) { q.push(e); }
    Entry pop() { return q.pop(); }
};
struct PriorityQueueQ {
    std::priority_queue<Entry, std::vector<Entry>, Later> q;
    void push(const Entry& e) { q.push(e); }
    Entry pop() {
        Entry e = q.top();
        q.pop();
        return e;
    }
};
struct MultisetQ {
    std::multiset<Entry, Earlier> q;
    void push(const Entry& e) { q.insert(e); }
    Entry pop() {
        Entry e = *q.begin();
        q.erase(q.begin());
        return e;
    }
};

template <class Q>
void BM_Hold(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const Workload& w = workload();
    Q q;
    std::uint64_t seq = 0;
    std::size_t r = 0;
    for (std::size_t i = 0; i < n; ++i, r = (r + 1) % kRing) {  // fill (not timed): t = 0 + inc
        q.push(Entry{w.increments[r], w.priorities[r], seq++,
                     Payload{1, static_cast<std::uint32_t>(i), i}});
    }
    for (auto _ : state) {
        const Entry e = q.pop();
        q.push(Entry{e.time + w.increments[r], w.priorities[r], seq++, e.payload});
        r = (r + 1) & (kRing - 1);
        benchmark::DoNotOptimize(e.payload.data);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(BM_Hold<CalendarQ>)->Name("hold/EventCalendar4ary")->RangeMultiplier(10)->Range(10000, 1000000);
BENCHMARK(BM_Hold<BinaryQ>)->Name("hold/BinaryHeapReference")->RangeMultiplier(10)->Range(10000, 1000000);
BENCHMARK(BM_Hold<PriorityQueueQ>)->Name("hold/std_priority_queue")->RangeMultiplier(10)->Range(10000, 1000000);
BENCHMARK(BM_Hold<MultisetQ>)->Name("hold/std_multiset")->RangeMultiplier(10)->Range(10000, 1000000);

BENCHMARK_MAIN();
