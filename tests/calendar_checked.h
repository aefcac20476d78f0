// Shared by the event calendar's tests: a small payload, and a calendar driven together with a
// sorted reference, so that every pop is checked against the exact (time, priority, seq) order.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <tuple>
#include <vector>

#include "cmasim/sim/calendar.h"
#include "cmasim/sim/time.h"

namespace calendar_test {

using cmasim::sim::EventCalendar;
using cmasim::sim::SimTime;

struct Ev {
    std::uint32_t kind;
    std::uint32_t entity;
    std::uint64_t data;
};

using Cal = EventCalendar<Ev>;

/// (time, priority, seq, data) as a sortable reference record.
using Ref = std::tuple<SimTime, std::int32_t, std::uint64_t, std::uint64_t>;

/// What the reference records of a popped or top entry.
inline Ref as_ref(const Cal::Entry& e) {
    return Ref(e.time(), e.priority(), e.seq(), e.payload.data);
}

/// A calendar and a sorted reference (descending, earliest at the back) driven together.
struct Checked {
    Cal cal;
    std::vector<Ref> ref;
    std::uint64_t next_data = 0;

    Checked() = default;
    explicit Checked(SimTime window) : cal(window) {}

    /// Pushes onto both; the reference records the push only once the calendar took it.
    void push(SimTime t, std::int32_t pr) {
        const std::uint64_t seq = cal.push(t, pr, Ev{0, 0, next_data});
        const Ref r{t, pr, seq, next_data++};
        ref.insert(std::upper_bound(ref.begin(), ref.end(), r, std::greater<>{}), r);
    }
    /// Pops from both; false (with a gtest failure) when they disagree.
    bool pop() {
        const Ref expected = ref.back();
        ref.pop_back();
        EXPECT_EQ(as_ref(cal.top()), expected);
        const auto e = cal.pop();
        EXPECT_EQ(as_ref(e), expected);
        return as_ref(e) == expected;
    }
    void clear() {
        cal.clear();
        ref.clear();
    }
};

/// Pops everything from both, each pop checked; false at the first disagreement.
inline bool drain(Checked& c) {
    while (!c.ref.empty()) {
        if (!c.pop()) return false;
    }
    return true;
}

}  // namespace calendar_test
