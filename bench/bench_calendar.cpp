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
#include <new>
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

/// What every variant's pop() hands back to the hold loop.
struct Popped {
    SimTime time;
    Payload payload;
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

// ---- the reference heaps -----------------------------------------------------------------

/// (time, priority, seq) packed so that unsigned < is the event order: time with its sign bit
/// flipped in the high word, (priority + 128) << 56 | seq in the low word.
__extension__ using Key = unsigned __int128;
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

Key pack(SimTime time, std::int32_t priority, std::uint64_t seq) {
    const std::uint64_t lo = (static_cast<std::uint64_t>(priority + 128) << 56) | seq;
    return (Key{static_cast<std::uint64_t>(time) ^ kSignBit} << 64) | lo;
}
SimTime time_of(Key k) {
    return static_cast<SimTime>(static_cast<std::uint64_t>(k >> 64) ^ kSignBit);
}

constexpr std::size_t kLine = 64;

/// Cache-line-aligned storage for the references (they put the root at index D - 1 so that
/// every family of D children starts on a line).
template <class T>
struct LineAllocator {
    using value_type = T;
    LineAllocator() = default;
    template <class U>
    LineAllocator(const LineAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kLine}));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{kLine}); }
    friend bool operator==(const LineAllocator&, const LineAllocator&) { return true; }
};

/// Index of the smallest of the N keys starting at `first` (a branch-free knockout tournament).
template <std::size_t N, class KeyAt>
std::size_t smallest(KeyAt key, std::size_t first) {
    if constexpr (N == 2) {
        return first + static_cast<std::size_t>(key(first + 1) < key(first));
    } else {
        const std::size_t a = smallest<N / 2>(key, first);
        const std::size_t b = smallest<N / 2>(key, first + N / 2);
        return key(b) < key(a) ? b : a;
    }
}

/// D-ary heap of 32-byte (key, payload) nodes. Node i lives in slot i + D - 1, so the children
/// of slot s are the D slots from D * (s - D + 2), a multiple of D: families are line-aligned.
/// Prefetch: while choosing among a hole's children, start loading all their children (D * D
/// contiguous nodes) once the heap is deeper than PrefetchFrom slots.
template <std::size_t D, bool Prefetch, std::size_t PrefetchFrom = 1024>
class HeapReference {
public:
    HeapReference() { v_.resize(D - 1); }

    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Node node{pack(time, priority, seq_++), p};
        std::size_t hole = v_.size();
        v_.push_back(node);
        Node* v = v_.data();
        while (hole > kRoot) {
            const std::size_t up = parent(hole);
            if (!(node.key < v[up].key)) {
                break;
            }
            v[hole] = v[up];
            hole = up;
        }
        v[hole] = node;
    }

    Popped pop() {
        Node* v = v_.data();
        const Popped top{time_of(v[kRoot].key), v[kRoot].payload};
        const Node last = v_.back();
        v_.pop_back();
        const std::size_t n = v_.size();
        const auto key = [v](std::size_t i) { return v[i].key; };
        std::size_t hole = kRoot;
        for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
            if (c + D <= n) {
                if constexpr (Prefetch) {
                    const std::size_t g = first_child(c);
                    if (g >= PrefetchFrom && g + D * D <= n) {
                        const auto* bytes = reinterpret_cast<const char*>(v + g);
                        for (std::size_t b = 0; b < D * D * sizeof(Node); b += kLine) {
                            __builtin_prefetch(bytes + b);
                        }
                    }
                }
                c = smallest<D>(key, c);
            } else {
                for (std::size_t j = c + 1; j < n; ++j) {
                    c = v[j].key < v[c].key ? j : c;
                }
            }
            if (!(v[c].key < last.key)) {
                break;
            }
            v[hole] = v[c];
            hole = c;
        }
        if (n > kRoot) {
            v[hole] = last;
        }
        return top;
    }

private:
    struct Node {
        Key key;
        Payload payload;
    };
    static constexpr std::size_t kRoot = D - 1;
    static std::size_t parent(std::size_t s) { return s / D + D - 2; }
    static std::size_t first_child(std::size_t s) { return D * (s - D + 2); }
    std::vector<Node, LineAllocator<Node>> v_;
    std::uint64_t seq_ = 0;
};

/// The same D-ary heap with keys and payloads in parallel arrays: the comparisons touch only
/// 16-byte keys (a 4-ary family is one cache line), and payload copies are off the critical path.
template <std::size_t D, std::size_t PrefetchFrom = 1024>
class SplitHeapReference {
public:
    SplitHeapReference() {
        k_.resize(D - 1);
        p_.resize(D - 1);
    }

    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Key key = pack(time, priority, seq_++);
        std::size_t hole = k_.size();
        k_.push_back(key);
        p_.push_back(p);
        Key* k = k_.data();
        Payload* pl = p_.data();
        while (hole > kRoot) {
            const std::size_t up = parent(hole);
            if (!(key < k[up])) {
                break;
            }
            k[hole] = k[up];
            pl[hole] = pl[up];
            hole = up;
        }
        k[hole] = key;
        pl[hole] = p;
    }

    Popped pop() {
        Key* k = k_.data();
        Payload* pl = p_.data();
        const Popped top{time_of(k[kRoot]), pl[kRoot]};
        const Key last_key = k_.back();
        const Payload last_payload = p_.back();
        k_.pop_back();
        p_.pop_back();
        const std::size_t n = k_.size();
        const auto key = [k](std::size_t i) { return k[i]; };
        std::size_t hole = kRoot;
        for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
            if (c + D <= n) {
                const std::size_t g = first_child(c);
                if (g >= PrefetchFrom && g + D * D <= n) {
                    const auto* bytes = reinterpret_cast<const char*>(k + g);
                    for (std::size_t b = 0; b < D * D * sizeof(Key); b += kLine) {
                        __builtin_prefetch(bytes + b);
                    }
                }
                c = smallest<D>(key, c);
            } else {
                for (std::size_t j = c + 1; j < n; ++j) {
                    c = k[j] < k[c] ? j : c;
                }
            }
            if (!(k[c] < last_key)) {
                break;
            }
            k[hole] = k[c];
            pl[hole] = pl[c];
            hole = c;
        }
        if (n > kRoot) {
            k[hole] = last_key;
            pl[hole] = last_payload;
        }
        return top;
    }

private:
    static constexpr std::size_t kRoot = D - 1;
    static std::size_t parent(std::size_t s) { return s / D + D - 2; }
    static std::size_t first_child(std::size_t s) { return D * (s - D + 2); }
    std::vector<Key, LineAllocator<Key>> k_;
    std::vector<Payload, LineAllocator<Payload>> p_;
    std::uint64_t seq_ = 0;
};

/// Two 4-ary heaps (the QuaternaryHeapPrefetchReference code, on ready-made nodes): events
/// before a boundary T in the near heap, the rest in the far heap. When the near heap runs dry,
/// T = (earliest far time rounded down to the window) + window, and every far event before T
/// moves over (in order, so appending keeps the near heap a heap). Every far event pays a pop
/// from the large far heap: what the calendar's ring of unsorted buckets avoids.
template <unsigned WindowShift>
class NearFarHeaps {
public:
    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Node node{pack(time, priority, seq_++), p};
        if (static_cast<std::uint64_t>(node.key >> 64) < boundary_) {
            near_.push(node);
        } else {
            far_.push(node);
        }
    }
    Popped pop() {
        if (near_.empty()) {
            boundary_ = ((static_cast<std::uint64_t>(far_.top().key >> 64) >> WindowShift) + 1)
                        << WindowShift;
            while (!far_.empty() && static_cast<std::uint64_t>(far_.top().key >> 64) < boundary_) {
                near_.append(far_.pop());
            }
        }
        const Node n = near_.pop();
        return {time_of(n.key), n.payload};
    }

private:
    struct Node {
        Key key;
        Payload payload;
    };
    class Heap {
    public:
        Heap() { v_.resize(kRoot); }
        bool empty() const { return v_.size() == kRoot; }
        const Node& top() const { return v_[kRoot]; }
        void append(const Node& node) { v_.push_back(node); }  // no later than any entry
        void push(const Node& node) {
            std::size_t hole = v_.size();
            v_.push_back(node);
            Node* v = v_.data();
            while (hole > kRoot && node.key < v[parent(hole)].key) {
                v[hole] = v[parent(hole)];
                hole = parent(hole);
            }
            v[hole] = node;
        }
        Node pop() {
            Node* v = v_.data();
            const Node top = v[kRoot];
            const Node last = v_.back();
            v_.pop_back();
            const std::size_t n = v_.size();
            const auto key = [v](std::size_t i) { return v[i].key; };
            std::size_t hole = kRoot;
            for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
                if (c + 4 <= n) {
                    const std::size_t g = first_child(c);
                    if (g >= 1024 && g + 16 <= n) {
                        const auto* bytes = reinterpret_cast<const char*>(v + g);
                        for (std::size_t b = 0; b < 16 * sizeof(Node); b += kLine) {
                            __builtin_prefetch(bytes + b);
                        }
                    }
                    c = smallest<4>(key, c);
                } else {
                    for (std::size_t j = c + 1; j < n; ++j) {
                        c = v[j].key < v[c].key ? j : c;
                    }
                }
                if (!(v[c].key < last.key)) {
                    break;
                }
                v[hole] = v[c];
                hole = c;
            }
            if (n > kRoot) {
                v[hole] = last;
            }
            return top;
        }

    private:
        static constexpr std::size_t kRoot = 3;
        static std::size_t parent(std::size_t s) { return s / 4 + 2; }
        static std::size_t first_child(std::size_t s) { return 4 * (s - 2); }
        std::vector<Node, LineAllocator<Node>> v_;
    };
    Heap near_;
    Heap far_;
    std::uint64_t boundary_ = 0;  // time bits (sign flipped); 0: everything starts far
    std::uint64_t seq_ = 0;
};

// ---- the engine's calendar and the standard containers -------------------------------------

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

/// Three separate fields, compared one after the other: what one would write without packing.
struct Entry {
    SimTime time;
    std::int32_t priority;
    std::uint64_t seq;
    Payload payload;
};
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

struct PriorityQueueQ {
    std::priority_queue<Entry, std::vector<Entry>, Later> q;
    std::uint64_t seq = 0;
    void push(SimTime time, std::int32_t priority, const Payload& p) {
        q.push(Entry{time, priority, seq++, p});
    }
    Popped pop() {
        const Entry e = q.top();
        q.pop();
        return {e.time, e.payload};
    }
};
struct MultisetQ {
    std::multiset<Entry, Earlier> q;
    std::uint64_t seq = 0;
    void push(SimTime time, std::int32_t priority, const Payload& p) {
        q.insert(Entry{time, priority, seq++, p});
    }
    Popped pop() {
        const Entry e = *q.begin();
        q.erase(q.begin());
        return {e.time, e.payload};
    }
};

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
