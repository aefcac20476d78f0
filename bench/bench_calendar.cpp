// Hold-model benchmark of the event calendar against hand-written reference heaps.
//
// Hold model (Jones 1986): keep n events pending; each step pops the earliest event and pushes
// one at (popped time + exponential increment), so the queue size stays n. One item = one
// pop + one push. The increments are drawn before timing starts (a ring of 2^16 values), so the
// timed loop measures the queues, not the random number generator or log().
//
// Variants, all with the same strict (time, priority, seq) order and the same 16-byte payload:
//   hold/EventCalendar             the engine's calendar (cmasim/sim/calendar.h), as the engine
//                                  uses it: two tiers, window chosen by the calendar
//   hold/CalendarFixedWindow64s    context: the same calendar with its window fixed at 64 s
//                                  (~180 events per bucket at 10^4 pending, ~18,000 at 10^6)
//   hold/NearFarHeaps              context: the two-tier design the calendar did not adopt, a near
//                                  and a far 4-ary heap split at a moving boundary (window 1024 s)
//   hold/*Reference                the best array heaps we could write, independently of
//                                  EventCalendar's code: packed 128-bit keys (one branch-free
//                                  compare), hole-moving sifts, branch-free child selection,
//                                  families aligned to cache lines. Binary, 4-ary and 8-ary;
//                                  with and without prefetching the grandchildren; and a split
//                                  layout (keys and payloads in parallel arrays).
//   hold/std_priority_queue        context: the textbook choice, three-field comparison
//   hold/std_multiset              context: a balanced tree, one allocation per event
// tools/bench.sh (T4) compares EventCalendar with the fastest *Reference at each size (target:
// within 1.3x); keep "Reference" in every hand-written reference's name, and only there.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>

#include "cmasim/sim/calendar.h"
#include "hold/near_far_heaps.h"
#include "hold/reference_heaps.h"
#include "hold/std_queues.h"
#include "hold/workload.h"

namespace {

using cmasim::sim::SimTime;
using hold::HeapReference;
using hold::kRing;
using hold::MultisetQ;
using hold::NearFarHeaps;
using hold::Payload;
using hold::Popped;
using hold::PriorityQueueQ;
using hold::SplitHeapReference;
using hold::Workload;
using hold::workload;

template <cmasim::sim::SimTime Window>
struct CalendarQ {
    cmasim::sim::EventCalendar<Payload> q{Window};
    void push(SimTime time, std::int32_t priority, const Payload& p) { q.push(time, priority, p); }
    Popped pop() {
        const auto e = q.pop();
        return {e.time(), e.payload};
    }
};
using EngineCalendar = CalendarQ<cmasim::sim::EventCalendar<Payload>::kAutoWindow>;

template <class Q>
void BM_Hold(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const Workload& w = workload();
    Q q;
    std::size_t r = 0;
    for (std::size_t i = 0; i < n; ++i, r = (r + 1) % kRing) {  // fill (not timed): t = 0 + inc
        q.push(w.increments[r], w.priorities[r], Payload{1, static_cast<std::uint32_t>(i), i});
    }
    for (auto _ : state) {
        const Popped e = q.pop();
        q.push(e.time + w.increments[r], w.priorities[r], e.payload);
        r = (r + 1) & (kRing - 1);
        benchmark::DoNotOptimize(e.payload.data);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

using Binary = HeapReference<2, false>;
using Quaternary = HeapReference<4, false>;
using Octonary = HeapReference<8, false>;
using BinaryPrefetch = HeapReference<2, true>;
using QuaternaryPrefetch = HeapReference<4, true>;
using OctonaryPrefetch = HeapReference<8, true, 4096>;  // a 2 KiB block: only deep levels
using QuaternarySplit = SplitHeapReference<4>;

}  // namespace

#define CMASIM_HOLD(Q, name) \
    BENCHMARK_TEMPLATE(BM_Hold, Q)->Name(name)->RangeMultiplier(10)->Range(10000, 1000000)

CMASIM_HOLD(EngineCalendar, "hold/EventCalendar");
CMASIM_HOLD(CalendarQ<64>, "hold/CalendarFixedWindow64s");
CMASIM_HOLD(NearFarHeaps<10>, "hold/NearFarHeaps");
CMASIM_HOLD(Binary, "hold/BinaryHeapReference");
CMASIM_HOLD(Quaternary, "hold/QuaternaryHeapReference");
CMASIM_HOLD(Octonary, "hold/OctonaryHeapReference");
CMASIM_HOLD(BinaryPrefetch, "hold/BinaryHeapPrefetchReference");
CMASIM_HOLD(QuaternaryPrefetch, "hold/QuaternaryHeapPrefetchReference");
CMASIM_HOLD(OctonaryPrefetch, "hold/OctonaryHeapPrefetchReference");
CMASIM_HOLD(QuaternarySplit, "hold/QuaternarySplitHeapReference");
CMASIM_HOLD(PriorityQueueQ, "hold/std_priority_queue");
CMASIM_HOLD(MultisetQ, "hold/std_multiset");

BENCHMARK_MAIN();
