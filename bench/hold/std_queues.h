// The standard containers of bench/bench_calendar.cpp (hold/std_*): three separate fields,
// compared one after the other, what one would write without packing.
#pragma once

#include <cstdint>
#include <queue>
#include <set>
#include <vector>

#include "workload.h"

namespace hold {

/// Three separate fields, compared one after the other: what one would write without packing.
struct Entry {
    SimTime time;
    std::int32_t priority;
    std::uint64_t seq;
    Payload payload;
};
inline bool earlier(const Entry& a, const Entry& b) {
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

}  // namespace hold
