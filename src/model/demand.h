// Who falls ill, when and with what: the non-homogeneous Poisson demand of each village, and
// which residents hold a family-doctor contract. Not a public header.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/sim/random.h"

namespace cmasim::model::detail {

/// Spends the remaining cumulative hazard over [t, seg_end) at a constant rate: true, with t the
/// arrival time, when it runs out inside; else false with t = seg_end.
inline bool spend_hazard(double& hazard, double& t, double rate, double seg_end) {
    if (rate > 0 && hazard < rate * (seg_end - t)) {
        t += hazard / rate;
        return true;
    }
    hazard -= rate * (seg_end - t);
    t = seg_end;
    return false;
}

/// A stretch [from, end) of one day's care-seeking window inside one month, and the rate per
/// second over it: what next_in_window() last worked out for a process. Arrivals of a process only
/// move on in time, and most fall in the stretch of the one before; reusing it skips the day,
/// month and rate lookups and gives the very same numbers (the same doubles, computed once).
struct WindowStretch {
    double from = INFINITY;
    double end = -INFINITY;
    double rate = 0;
};

/// The next arrival after `from` of a process with `hazard` (an Exp(1) amount) to spend, whose
/// rate per second is rate(month) spread over the daily care-seeking window only: zero outside
/// it and scaled up inside, so a day's total is unchanged. Segments end at month starts and at
/// the window's edges; returns `end` or later when the hazard lasts past it. `last` carries the
/// process's stretch from one call to the next (see WindowStretch).
template <class Rate>
double next_in_window(const County& c, double hazard, double from, double end, Rate rate,
                      WindowStretch& last) {
    const auto& b = c.scenario.behaviour;
    const double day = static_cast<double>(sim::kDay);
    const double open_from = static_cast<double>(b.care_seeking_from);
    const double open_to = static_cast<double>(b.care_seeking_to);
    const double scale = day / (open_to - open_from);
    double t = from;
    while (t < end) {
        if (t >= last.from && t < last.end) {  // within the last stretch: the same rate and end
            if (spend_hazard(hazard, t, last.rate, last.end)) break;
            continue;
        }
        const double day_start = std::floor(t / day) * day;
        if (t < day_start + open_from) {
            t = day_start + open_from;
            continue;
        }
        if (t >= day_start + open_to) {
            t = day_start + day + open_from;
            continue;
        }
        const auto now = static_cast<sim::SimTime>(std::floor(t));
        // Valid for all of [t, seg_end): the same day's window and (seg_end is a whole second
        // no later than the next month's start) the same month.
        last.rate = scale * rate(static_cast<std::size_t>(c.month_of(now)));
        last.end = std::min(day_start + open_to, static_cast<double>(c.next_month_start(now)));
        last.from = t;
        if (spend_hazard(hazard, t, last.rate, last.end)) break;
    }
    return t;
}

/// The same without a stretch kept between calls.
template <class Rate>
double next_in_window(const County& c, double hazard, double from, double end, Rate rate) {
    WindowStretch fresh;
    return next_in_window(c, hazard, from, end, rate, fresh);
}

/// One new episode of illness: the condition, the age group and the resident (global index).
struct Onset {
    std::uint32_t condition = 0;
    bool aged = false;
    std::uint64_t person = 0;
};

/// The demand streams of the villages (one per village, keyed by its index), and apart from them
/// the emergency streams (their own purpose, so that adding emergencies leaves the daytime
/// demand's draws as they were).
class Demand {
  public:
    Demand(const County& county, const sim::StreamKey& key, sim::SimTime end);
    /// The first arrival time of village v at or after the run's start; end or later if none.
    sim::SimTime first_arrival(std::uint32_t v) { return next_arrival_time(v, 0.0); }
    /// At an arrival of village v (now): draws what it is, then the village's next arrival time.
    Onset arrival(std::uint32_t v, sim::SimTime now, sim::SimTime& next);
    /// A scripted episode: only the resident is drawn (from the village's stream).
    Onset scripted(std::uint32_t v, std::uint32_t condition, bool aged) {
        return resident(streams_[v], v, condition, aged);
    }
    /// Whether the county has emergency episodes at all.
    bool emergencies() const { return !emergency_streams_.empty(); }
    /// The first emergency arrival time of village v; end or later if none.
    sim::SimTime first_emergency(std::uint32_t v) { return next_emergency_time(v, 0.0); }
    /// At an emergency arrival of village v (now): what it is, then the next emergency's time.
    Onset emergency(std::uint32_t v, sim::SimTime now, sim::SimTime& next);

  private:
    sim::SimTime next_arrival_time(std::uint32_t v, double from);
    sim::SimTime next_emergency_time(std::uint32_t v, double from);
    Onset draw_onset(sim::RandomStream& rng, std::uint32_t v, const std::vector<double>& cum);
    Onset resident(sim::RandomStream& rng, std::uint32_t v, std::uint32_t condition, bool aged);

    const County& c_;
    sim::SimTime end_;
    std::vector<sim::RandomStream> streams_;
    std::vector<double> next_arrival_;    ///< exact (fractional-second) arrival times per village
    std::vector<WindowStretch> stretch_;  ///< per village: see next_in_window()
    std::vector<sim::RandomStream> emergency_streams_;  ///< empty when there are no emergencies
    std::vector<double> next_emergency_;
};

/// A yes/no attribute of every resident (a family-doctor contract; low income), drawn once from
/// the resident's own stream of `purpose`. Per resident, 2 bits (four residents a byte): 0 = not
/// drawn yet, 1 = no, 2 = yes. The status is one draw of the resident's own stream;
/// caching it saves a Philox block at every later episode of the same resident, and packing
/// keeps the table in cache even for millions of residents.
class ContractBook {
  public:
    ContractBook(std::int64_t population, const sim::StreamKey& key,
                 StreamPurpose purpose = StreamPurpose::Person)
        : key_(key), purpose_(purpose), bits_((static_cast<std::size_t>(population) + 3) / 4, 0) {}
    bool member(std::uint64_t person, double share);

  private:
    sim::StreamKey key_;
    StreamPurpose purpose_;
    std::vector<std::uint8_t> bits_;
};

}  // namespace cmasim::model::detail
