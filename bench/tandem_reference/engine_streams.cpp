// bench/tandem_reference --streams engine (main.cpp describes the program).
//
// engine mode — the same random-number work as the engine, and the engine's numbers. It uses the
// project's common-random-numbers discipline exactly as the engine does: arrivals at station f
// from the sequential stream (purpose Demand = 1, entity 2^40 | f); each customer's service times
// from (Service = 5, entity = its episode id) and its routing draws from (Routing = 8, same
// entity), where the episode id is 2^63 | f << 32 | (earlier external arrivals at f); draw d of a
// stream is lane d % 4 of Philox block d / 4, except that the first service draw is lane 2 of
// the customer's shared block (EpisodeShared = 24, same entity), computed once per
// customer and kept, as the engine's EpisodeDraws does; every other service or routing draw runs
// one Philox block, as in the engine. It also follows the engine's arithmetic and event order:
// durations max(1, round_half_away(minutes * 60)) (cmasim/sim/time.h, the engine's rounding),
// same-second events by (priority, insertion) with service ends (kRelease = 1) before arrivals
// (kMove = 2), the next external arrival scheduled after the current one has reached station 1, a
// served customer's successor started before the customer is routed, routed customers reaching the
// next station in the same event. Hence it follows the engine's trajectory exactly, and it computes
// the engine's statistics the engine's way (MetricsCollector, src/model/metrics.cpp, window
// [0, end)): episodes, mean time in system, and per station visits, mean wait, mean sojourn,
// mean queue length and utilisation, plus the engine's event count (its Arrival and ServiceEnd
// events, plus the YearStart events the engine also processes: one at time 0 and one each 365
// days before the end). tools/bench.sh checks them against the engine's output, digit for digit:
// the ratio engine / this mode is the cost of the engine's generality (observer calls, the
// county model's bookkeeping), with the random-number work held equal.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "cmasim/sim/random.h"
#include "cmasim/sim/time.h"
#include "tandem.h"

namespace tandem_reference {

namespace {

// The engine's names for what this mode mirrors (src/model/engine_impl.h, include/cmasim/model/
// engine.h): stream purposes and same-second priorities.
constexpr std::uint64_t kPurposeDemand = 1;
constexpr std::uint64_t kPurposeService = 5;
constexpr std::uint64_t kPurposeRouting = 8;
constexpr std::uint64_t kPurposeEpisodeShared = 24;
constexpr std::uint32_t kSharedServiceLane = 2;  // the service stream's lane
constexpr std::uint32_t kSharedServiceDraws = 1;
constexpr std::uint32_t kRelease = 1;   // service ends
constexpr std::uint32_t kMove = 2;      // arrivals
constexpr Time kYear = 365 * 86400;     // the engine's YearStart period
constexpr std::uint64_t kStation1 = 0;  // facility index of s1 (tandem.yaml lists s1, s2, s3)

struct NetStation {
    NetStation(int servers_, double service_minutes_, double route_cumulative_, std::uint32_t next_)
        : servers(servers_),
          service_minutes(service_minutes_),
          route_cumulative(route_cumulative_),
          next(next_) {}
    int servers;
    double service_minutes;   // exponential mean, as the scenario gives it
    double route_cumulative;  // the engine's Route::cumulative for `next`; 0: no routes (no draw)
    std::uint32_t next;
    int busy = 0;
    Fifo queue;
    // MetricsCollector's per-facility figures, accumulated the same way (window [0, end)).
    std::uint64_t visits = 0;  // consultations started in the window
    double wait_sum = 0;       // minutes, summed as doubles in consultation order
    double sojourn_sum = 0;    // minutes (wait + duration)
    Time busy_seconds = 0;     // service time inside the window
    Time queue_area = 0;       // waiting customer-seconds inside the window
};

struct NetCustomer {
    Time arrived;    // the episode's start
    Time queued_at;  // at the current station, when it had to queue
    std::uint64_t episode;
    std::uint32_t station;
    std::uint32_t service_draws;  // draws taken so far from its Service stream
    std::uint32_t routing_draws;  // and from its Routing stream
    bool shared_ready;            // shared holds the customer's shared block
    std::array<std::uint64_t, 4> shared;
};

struct NetResult {
    std::uint64_t arrivals = 0;
    std::uint64_t departures = 0;
    std::uint64_t events = 0;       // Arrival + ServiceEnd
    std::uint64_t year_starts = 0;  // YearStart events the engine processes for the same horizon
    std::uint64_t peak_in_system = 0;
    double time_in_system_sum = 0;  // minutes, summed as doubles in departure order
    Time end = 0;
    double seconds = 0;
    std::vector<NetStation> stations;
};

class EngineStreamsTandem {
  public:
    EngineStreamsTandem(std::uint64_t seed, Time end)
        : key_{seed, 0},  // replication 0: what `cmasim run -r 1` simulates
          end_(end),
          arrival_rng_(key_, kPurposeDemand, (std::uint64_t{1} << 40) | kStation1) {
        // One route each, so the county's cumulative sums (0 + p) are exactly 0.3 and 0.2.
        stations_.emplace_back(2, 1.6666666666666667, 0.3, 1);
        stations_.emplace_back(1, 2.0, 0.2, 2);
        stations_.emplace_back(1, 4.0, 0.0, 0);
        customers_.reserve(1024);
        free_.reserve(1024);
    }

    NetResult run() {
        schedule_arrival();
        while (!heap_.empty()) {
            const EventHeap::Popped e = heap_.pop();
            now_ = e.time;
            ++events_;
            if (e.kind == Kind::Arrival) {
                arrival();
            } else {
                service_end(e.customer);
            }
        }
        NetResult r;
        r.arrivals = arrivals_;
        r.departures = departures_;
        r.events = events_;
        // Engine::start_run schedules a YearStart at the warm-up's end (0 here); each schedules
        // the next 365 days on while that is before the end.
        r.year_starts = 1 + (end_ > 0 ? static_cast<std::uint64_t>((end_ - 1) / kYear) : 0);
        r.peak_in_system = peak_;
        r.time_in_system_sum = time_in_system_sum_;
        r.end = end_;
        r.stations = std::move(stations_);
        return r;
    }

  private:
    /// Engine::station_arrival_schedule: arrivals_per_minute / 60.0 per second.
    static constexpr double kRatePerSecond = 1.0 / 60.0;

    /// MetricsCollector::clipped: the part of [start, start + length) inside [0, end).
    Time clipped(Time start, Time length) const {
        return std::max<Time>(0, std::min(start + length, end_) - std::max<Time>(start, 0));
    }

    void schedule_arrival() {
        next_arrival_ += -std::log(arrival_rng_.uniform()) / kRatePerSecond;
        const auto t = static_cast<Time>(std::ceil(next_arrival_));
        if (t < end_) heap_.push(t, kMove, Kind::Arrival, 0);
    }

    void arrival() {
        std::uint32_t c;
        if (!free_.empty()) {
            c = free_.back();
            free_.pop_back();
        } else {
            c = static_cast<std::uint32_t>(customers_.size());
            customers_.emplace_back();
        }
        NetCustomer& cu = customers_[c];
        cu.arrived = now_;
        cu.episode = (std::uint64_t{1} << 63) | (kStation1 << 32) | arrivals_++;
        cu.service_draws = 0;
        cu.routing_draws = 0;
        cu.shared_ready = false;
        if (++in_system_ > peak_) peak_ = in_system_;
        reach(c, 0);
        schedule_arrival();  // after reaching the station, as Engine::station_arrival
    }

    void reach(std::uint32_t c, std::uint32_t s) {
        NetCustomer& cu = customers_[c];
        NetStation& st = stations_[s];
        cu.station = s;
        if (st.queue.empty() && st.busy < st.servers) {
            start(c, st, 0);
        } else {
            cu.queued_at = now_;
            st.queue.push(c);
        }
    }

    void start(std::uint32_t c, NetStation& st, Time wait) {
        NetCustomer& cu = customers_[c];
        ++st.busy;
        // Engine::sample(pat, Service, exponential): a fresh stream at the customer's counter.
        cmasim::sim::RandomStream rng(key_, kPurposeService, cu.episode, cu.service_draws);
        if (cu.service_draws < kSharedServiceDraws) {
            if (!cu.shared_ready) {
                cu.shared = cmasim::sim::philox_block(key_, kPurposeEpisodeShared, cu.episode, 0);
                cu.shared_ready = true;
            }
            rng.share_first(cu.shared.data() + kSharedServiceLane, kSharedServiceDraws);
        }
        const double minutes = -st.service_minutes * std::log(rng.uniform());
        cu.service_draws = static_cast<std::uint32_t>(rng.draws());
        const Time duration = std::max<Time>(1, cmasim::sim::round_half_away(minutes * 60.0));
        // MetricsCollector::consultation.
        st.busy_seconds += clipped(now_, duration);
        st.queue_area += clipped(now_ - wait, wait);
        if (now_ < end_) {
            st.sojourn_sum += static_cast<double>(wait + duration) / 60.0;
            ++st.visits;
            st.wait_sum += static_cast<double>(wait) / 60.0;
        }
        heap_.push(now_ + duration, kRelease, Kind::ServiceEnd, c);
    }

    void service_end(std::uint32_t c) {
        NetCustomer& cu = customers_[c];
        NetStation& st = stations_[cu.station];
        --st.busy;
        if (!st.queue.empty()) {
            const std::uint32_t n = st.queue.pop();
            start(n, st, now_ - customers_[n].queued_at);
        }
        if (st.route_cumulative > 0) {
            // Engine::uniform(pat, Routing), then the first route whose cumulative exceeds u.
            cmasim::sim::RandomStream rng(key_, kPurposeRouting, cu.episode, cu.routing_draws);
            const double u = rng.uniform();
            cu.routing_draws = static_cast<std::uint32_t>(rng.draws());
            if (u < st.route_cumulative) {
                reach(c, st.next);
                return;
            }
        }
        time_in_system_sum_ += static_cast<double>(now_ - cu.arrived) / 60.0;
        ++departures_;
        --in_system_;
        free_.push_back(c);
    }

    const cmasim::sim::StreamKey key_;
    const Time end_;
    cmasim::sim::RandomStream arrival_rng_;
    EventHeap heap_;
    std::vector<NetStation> stations_;
    std::vector<NetCustomer> customers_;
    std::vector<std::uint32_t> free_;
    Time now_ = 0;
    double next_arrival_ = 0;  // exact arrival time, seconds
    std::uint64_t arrivals_ = 0;
    std::uint64_t departures_ = 0;
    std::uint64_t events_ = 0;
    std::uint64_t in_system_ = 0;
    std::uint64_t peak_ = 0;
    double time_in_system_sum_ = 0;
};

}  // namespace

int run_engine_streams(double horizon_days, std::uint64_t seed) {
    // County: horizon = llround(horizon_days * kDay); warm-up 0, so end = horizon.
    const auto end = static_cast<Time>(std::llround(horizon_days * 86400));
    const auto t0 = std::chrono::steady_clock::now();
    EngineStreamsTandem model(seed, end);
    NetResult r = model.run();
    const auto t1 = std::chrono::steady_clock::now();
    r.seconds = std::chrono::duration<double>(t1 - t0).count();

    // MetricsCollector: every episode starts inside the window, so all count.
    const double tis = ratio(r.time_in_system_sum, static_cast<double>(r.departures));
    const Check c = check_mean(tis, r.arrivals);
    print_common("engine", r.arrivals, r.events, r.seconds, c, r.peak_in_system, seed);
    std::printf(
        " horizon_days=%s end_s=%lld engine_events=%llu episodes=%llu time_in_system_minutes=%s",
        shortest(horizon_days).c_str(), static_cast<long long>(r.end),
        static_cast<unsigned long long>(r.events + r.year_starts),
        static_cast<unsigned long long>(r.arrivals), shortest(tis).c_str());
    const auto window = static_cast<double>(r.end);
    for (std::size_t s = 0; s < r.stations.size(); ++s) {
        const NetStation& st = r.stations[s];
        const auto visits = static_cast<double>(st.visits);
        std::printf(
            " s%zu_visits=%s s%zu_wait_minutes_mean=%s s%zu_sojourn_minutes_mean=%s"
            " s%zu_queue_length_mean=%s s%zu_utilisation=%s",
            s + 1, shortest(visits).c_str(), s + 1, shortest(ratio(st.wait_sum, visits)).c_str(),
            s + 1, shortest(ratio(st.sojourn_sum, visits)).c_str(), s + 1,
            shortest(ratio(static_cast<double>(st.queue_area), window)).c_str(), s + 1,
            shortest(ratio(static_cast<double>(st.busy_seconds),
                           static_cast<double>(st.servers) * window))
                .c_str());
    }
    std::printf("\n");
    return finish(r.arrivals, r.departures, c);
}

}  // namespace tandem_reference
