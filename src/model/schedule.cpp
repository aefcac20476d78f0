// Weekly schedules. Time 0 of a run is Monday 00:00, so the position in the week is t mod 7 days.
#include <algorithm>

#include "cmasim/model/schedule_build.h"

namespace cmasim::model {
namespace {

using sim::kDay;
using sim::kWeek;
using sim::SimTime;

SimTime week_start(SimTime t) {
    return t - ((t % kWeek) + kWeek) % kWeek;
}

}  // namespace

WeeklySchedule build_schedule(const scenario::Opening& opening) {
    WeeklySchedule s;
    s.always = opening.always;
    if (s.always) return s;
    for (const auto& w : opening.windows) {
        for (int d = 0; d < 7; ++d) {
            if (w.days[static_cast<std::size_t>(d)])
                s.intervals.emplace_back(d * kDay + w.from, d * kDay + w.to);
        }
    }
    std::sort(s.intervals.begin(), s.intervals.end());
    std::vector<std::pair<SimTime, SimTime>> merged;
    for (const auto& iv : s.intervals) {
        if (!merged.empty() && iv.first <= merged.back().second) {
            merged.back().second = std::max(merged.back().second, iv.second);
        } else {
            merged.push_back(iv);
        }
    }
    s.intervals = std::move(merged);
    if (s.intervals.size() == 1 && s.intervals[0].first == 0 && s.intervals[0].second == kWeek) {
        s.always = true;
        s.intervals.clear();
    }
    return s;
}

bool WeeklySchedule::is_open(SimTime t) const {
    if (always) return true;
    const SimTime w = t - week_start(t);
    auto it = std::upper_bound(intervals.begin(), intervals.end(), w,
                               [](SimTime x, const auto& iv) { return x < iv.first; });
    if (it == intervals.begin()) return false;
    --it;
    return w < it->second;
}

SimTime WeeklySchedule::next_transition(SimTime t) const {
    if (always || intervals.empty()) return kNever;
    const SimTime base = week_start(t);
    const SimTime w = t - base;
    for (const auto& iv : intervals) {
        if (iv.first > w) return base + iv.first;
        if (iv.second > w) return base + iv.second;
    }
    return base + kWeek + intervals.front().first;
}

SimTime WeeklySchedule::open_seconds(SimTime from, SimTime to) const {
    if (to <= from) return 0;
    if (always) return to - from;
    auto cumulative = [this](SimTime t) {
        SimTime weekly = 0;
        for (const auto& iv : intervals) weekly += iv.second - iv.first;
        const SimTime base = week_start(t);
        SimTime total = (base / kWeek) * weekly;
        const SimTime w = t - base;
        for (const auto& iv : intervals)
            total += std::clamp<SimTime>(w - iv.first, 0, iv.second - iv.first);
        return total;
    };
    return cumulative(to) - cumulative(from);
}

}  // namespace cmasim::model
