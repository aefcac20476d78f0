// Hand-written reference simulation of the tandem validation network, for tools/bench.sh: the
// engine's simulation time for the same network is compared with this loop's, run by run.
//
//   tandem_reference [--streams engine|sequential] [--horizon-days D] [--seed S] [ARRIVALS] [SEED]
//
//   --streams engine       (default) the engine's random streams and stopping rule: arrivals stop
//                          at the horizon, end = llround(D * 86400) s (--horizon-days, default
//                          694.44: the run tools/bench.sh asks of the engine, ~1,000,000
//                          arrivals), then the run drains. ARRIVALS is not accepted here.
//   --streams sequential   three sequential streams; stops after exactly ARRIVALS arrivals
//                          (default 1000000).
//   --seed S / SEED        default 20240604 (scenarios/validation/tandem.yaml's seed).
//
// The network (scenarios/validation/tandem.yaml, docs/validation.md): Poisson arrivals, 1 per
// minute, into station 1 (2 servers, exponential service with mean 1/0.6 min); after service 30%
// go on to station 2 (1 server, mean 2 min), the rest leave; after station 2, 20% go on to
// station 3 (1 server, mean 4 min), the rest leave. FIFO queues. Analytic mean time in system:
// 7.2703 minutes.
//
// Both modes are written as tightly as a careful engineer would write this one model by hand:
//   - an array 4-ary min-heap of events packed into one 128-bit key (time, priority, seq);
//   - integer-second times: arrival gaps accumulate as exact doubles and each arrival is
//     scheduled at the next whole second (ceil), service times are rounded to whole seconds,
//     at least 1 s, as in src/model/engine_network.cpp and engine_care.cpp;
//   - exponentials by inversion, -mean * log(u), from the project's Philox streams
//     (cmasim::sim::RandomStream);
//   - a customer pool with a free list, one FIFO ring buffer per station; no observer calls.
// The modes differ in the random streams, and with them in the random-number work:
//
// engine mode — the same random-number work as the engine, and the engine's numbers. It uses the
// project's common-random-numbers discipline exactly as the engine does: arrivals at station f
// from the sequential stream (purpose Demand = 1, entity 2^40 | f); each customer's service times
// from (Service = 5, entity = its episode id) and its routing draws from (Routing = 8, same
// entity), where the episode id is 2^63 | f << 32 | (earlier external arrivals at f); draw d of a
// stream is lane d % 4 of Philox block d / 4, so, as in the engine, every service or routing draw
// runs one Philox block. It also follows the engine's arithmetic and event order: durations
// max(1, round_half_away(minutes * 60)) (cmasim/sim/time.h, the engine's rounding), same-second
// events by (priority, insertion) with service ends (kRelease = 1) before arrivals (kMove = 2),
// the next external arrival scheduled after the current one has reached station 1, a served
// customer's successor started before the customer is routed, routed customers reaching the next
// station in the same event. Hence it follows the engine's trajectory exactly, and it computes
// the engine's statistics the engine's way (MetricsCollector, src/model/metrics.cpp, window
// [0, end)): episodes, mean time in system, and per station visits, mean wait, mean sojourn,
// mean queue length and utilisation, plus the engine's event count (its Arrival and ServiceEnd
// events, plus the YearStart events the engine also processes: one at time 0 and one each 365
// days before the end). tools/bench.sh checks them against the engine's output, digit for digit:
// the ratio engine / this mode is the cost of the engine's generality (observer calls, the
// county model's bookkeeping), with the random-number work held equal.
//
// sequential mode — what dropping per-entity streams would buy. One sequential stream each for
// arrivals, service and routing (purposes 1, 2, 3, entity 0): one Philox block serves four draws.
// Same-second events fire in the order they were scheduled (no priorities), durations use
// std::llround, and the run stops after exactly ARRIVALS arrivals. The numbers are statistically
// equivalent to the engine's, not equal: without per-entity streams a customer's service time
// depends on everything drawn before it, so two policies simulated with the same seed would no
// longer see the same patients (no common random numbers across policies). tools/bench.sh shows
// the ratio to this mode as context only. Measured on the 2-core bench machine at ~1,000,000
// arrivals: engine mode 0.13-0.14 s, sequential mode 0.10-0.115 s (engine / sequential 1.2-1.35x:
// per-customer streams run about 3.2 times as many Philox blocks, ~292,000 per 100,000 arrivals
// instead of ~92,000).
//
// Output: one line of key=value pairs on stdout, e.g.
//   reference streams=engine arrivals=1000410 events=2361002 engine_events=2361004
//     sim_seconds=0.133012 ... episodes=1000410 time_in_system_minutes=7.221358576316597
//     s1_visits=1000401 s1_wait_minutes_mean=3.741320647087133 ...
// sim_seconds is std::chrono::steady_clock around the simulation only (state set-up included,
// argument parsing and printing excluded). The engine-comparable values (engine mode: from
// `episodes=` on) are printed as the engine's writers print them (std::to_chars, shortest
// round-trip). In both modes the mean time in system is checked against the analytic 7.2703
// minutes (within 3% for 100,000 arrivals or more): a wrong reference is worse than none, so the
// program exits with status 1 when the check fails.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "cmasim/sim/random.h"
#include "cmasim/sim/time.h"

namespace {

using Time = std::int64_t;  // seconds since the start of the run, as cmasim::sim::SimTime

constexpr double kAnalyticMinutes = 7.2703;  // docs/validation.md
constexpr double kTolerance = 0.03;          // relative; seeds 1-8 at 1M arrivals: within 2%
constexpr std::uint64_t kCheckFrom = 100000;  // fewer arrivals: too noisy to check

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
        const Event e{(Key{static_cast<std::uint64_t>(time)} << 64) | (std::uint64_t{priority} << 56) | seq_++, kind,
                      customer};
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
                    const std::size_t b = first + 2 + (v_[first + 3].key < v_[first + 2].key ? 1 : 0);
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
        return Popped{static_cast<Time>(static_cast<std::uint64_t>(top.key >> 64)), top.kind, top.customer};
    }

private:
    __extension__ using Key = unsigned __int128;
    struct Event {
        Key key;                 // time << 64 | priority << 56 | seq
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
        for (std::size_t i = 0; i < buf_.size(); ++i) bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        tail_ = buf_.size();
        head_ = 0;
        buf_ = std::move(bigger);
    }
    std::vector<std::uint32_t> buf_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
};

// --- sequential mode ----------------------------------------------------------------------------

struct Station {
    Station(int servers_, double service_minutes_, double route_probability_, std::uint32_t next_)
        : servers(servers_), service_minutes(service_minutes_), route_probability(route_probability_), next(next_) {}
    int servers;
    double service_minutes;    // exponential mean
    double route_probability;  // to `next`; 0 = everyone leaves
    std::uint32_t next;
    int busy = 0;
    Fifo queue;
    std::uint64_t consultations = 0;
    Time total_wait = 0;  // seconds
};

struct Customer {
    Time arrived;    // at the network (entry to station 1)
    Time queued_at;  // at the current station
    std::uint32_t station;
};

struct Result {
    std::uint64_t arrivals = 0;
    std::uint64_t departures = 0;
    std::uint64_t events = 0;
    std::uint64_t peak_in_system = 0;
    Time total_time_in_system = 0;  // seconds
    double seconds = 0;
    std::vector<Station> stations;
};

class Tandem {
public:
    Tandem(std::uint64_t seed, std::uint64_t arrivals)
        : limit_(arrivals),
          arrival_rng_({seed, 0}, 1, 0),
          service_rng_({seed, 0}, 2, 0),
          routing_rng_({seed, 0}, 3, 0) {
        // Station 1: M/M/2, mean service 1/0.6 min; 30% on to station 2, 20% of those to 3.
        stations_.emplace_back(2, 1.6666666666666667, 0.3, 1);
        stations_.emplace_back(1, 2.0, 0.2, 2);
        stations_.emplace_back(1, 4.0, 0.0, 0);
        customers_.reserve(1024);
        free_.reserve(1024);
    }

    Result run() {
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
        Result r;
        r.arrivals = arrivals_;
        r.departures = departures_;
        r.events = events_;
        r.peak_in_system = peak_;
        r.total_time_in_system = total_time_in_system_;
        r.stations = std::move(stations_);
        return r;
    }

private:
    static constexpr double kArrivalsPerSecond = 1.0 / 60.0;

    void schedule_arrival() {
        next_arrival_ += -std::log(arrival_rng_.uniform()) / kArrivalsPerSecond;
        heap_.push(static_cast<Time>(std::ceil(next_arrival_)), 0, Kind::Arrival, 0);
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
        customers_[c].arrived = now_;
        if (++in_system_ > peak_) peak_ = in_system_;
        reach(c, 0);
        if (++arrivals_ < limit_) schedule_arrival();
    }

    void reach(std::uint32_t c, std::uint32_t s) {
        Customer& cu = customers_[c];
        Station& st = stations_[s];
        cu.station = s;
        cu.queued_at = now_;
        if (st.busy < st.servers) {  // a free server means nobody is waiting (FIFO, no priorities)
            start(c, st);
        } else {
            st.queue.push(c);
        }
    }

    void start(std::uint32_t c, Station& st) {
        ++st.busy;
        ++st.consultations;
        st.total_wait += now_ - customers_[c].queued_at;
        const double minutes = -st.service_minutes * std::log(service_rng_.uniform());
        const Time duration = std::max<Time>(1, std::llround(minutes * 60.0));
        heap_.push(now_ + duration, 0, Kind::ServiceEnd, c);
    }

    void service_end(std::uint32_t c) {
        Customer& cu = customers_[c];
        Station& st = stations_[cu.station];
        --st.busy;
        if (!st.queue.empty()) start(st.queue.pop(), st);
        if (st.route_probability > 0 && routing_rng_.uniform() < st.route_probability) {
            reach(c, st.next);
            return;
        }
        total_time_in_system_ += now_ - cu.arrived;
        ++departures_;
        --in_system_;
        free_.push_back(c);
    }

    const std::uint64_t limit_;
    cmasim::sim::RandomStream arrival_rng_;
    cmasim::sim::RandomStream service_rng_;
    cmasim::sim::RandomStream routing_rng_;
    EventHeap heap_;
    std::vector<Station> stations_;
    std::vector<Customer> customers_;
    std::vector<std::uint32_t> free_;
    Time now_ = 0;
    double next_arrival_ = 0;  // exact arrival time, seconds
    std::uint64_t arrivals_ = 0;
    std::uint64_t departures_ = 0;
    std::uint64_t events_ = 0;
    std::uint64_t in_system_ = 0;
    std::uint64_t peak_ = 0;
    Time total_time_in_system_ = 0;
};

// --- engine mode --------------------------------------------------------------------------------

// The engine's names for what this mode mirrors (src/model/engine_impl.h, include/cmasim/model/
// engine.h): stream purposes and same-second priorities.
constexpr std::uint64_t kPurposeDemand = 1;
constexpr std::uint64_t kPurposeService = 5;
constexpr std::uint64_t kPurposeRouting = 8;
constexpr std::uint32_t kRelease = 1;  // service ends
constexpr std::uint32_t kMove = 2;     // arrivals
constexpr Time kYear = 365 * 86400;    // the engine's YearStart period
constexpr std::uint64_t kStation1 = 0;  // facility index of s1 (tandem.yaml lists s1, s2, s3)

struct NetStation {
    NetStation(int servers_, double service_minutes_, double route_cumulative_, std::uint32_t next_)
        : servers(servers_), service_minutes(service_minutes_), route_cumulative(route_cumulative_), next(next_) {}
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

// --- main ---------------------------------------------------------------------------------------

std::uint64_t parse_count(const char* text, const char* what) {
    const std::string s(text);
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != s.size() || s[0] == '-') {
        throw std::invalid_argument(std::string("invalid ") + what + " '" + s + "' (want a non-negative integer)");
    }
    return v;
}

double parse_days(const char* text) {
    const char* last = text + std::strlen(text);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text, last, v);
    if (ec != std::errc() || ptr != last || !(v > 0) || !(v < 3650)) {
        throw std::invalid_argument(std::string("invalid horizon '") + text + "' (want days, > 0 and < 3650)");
    }
    return v;
}

/// Shortest round-trip text of a double, as the engine's CSV writer prints it.
std::string shortest(double x) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    if (ec != std::errc()) return "nan";
    return std::string(buf, end);
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

struct Check {
    double mean_min;
    double rel_error;
    bool checked;
    bool ok;
};

Check check_mean(double mean_min, std::uint64_t arrivals) {
    const double rel_error = mean_min / kAnalyticMinutes - 1.0;
    const bool checked = arrivals >= kCheckFrom;
    return {mean_min, rel_error, checked, !checked || std::fabs(rel_error) <= kTolerance};
}

void print_common(const char* mode, std::uint64_t arrivals, std::uint64_t events, double seconds, const Check& c,
                  std::uint64_t peak, std::uint64_t seed) {
    std::printf("reference streams=%s arrivals=%llu events=%llu sim_seconds=%.6f events_per_second=%.0f "
                "mean_time_in_system_min=%.4f analytic_min=%.4f rel_error=%+.4f check=%s "
                "peak_in_system=%llu seed=%llu",
                mode, static_cast<unsigned long long>(arrivals), static_cast<unsigned long long>(events), seconds,
                static_cast<double>(events) / seconds, c.mean_min, kAnalyticMinutes, c.rel_error,
                !c.checked ? "skipped" : c.ok ? "ok" : "FAILED", static_cast<unsigned long long>(peak),
                static_cast<unsigned long long>(seed));
}

int finish(std::uint64_t arrivals, std::uint64_t departures, const Check& c) {
    if (departures != arrivals) {
        std::fprintf(stderr, "tandem_reference: %llu arrivals but %llu departures\n",
                     static_cast<unsigned long long>(arrivals), static_cast<unsigned long long>(departures));
        return 1;
    }
    if (!c.ok) {
        std::fprintf(stderr, "tandem_reference: mean time in system %.4f min is %.1f%% off the analytic %.4f min\n",
                     c.mean_min, 100.0 * c.rel_error, kAnalyticMinutes);
        return 1;
    }
    return 0;
}

int run_sequential(std::uint64_t arrivals, std::uint64_t seed) {
    const auto t0 = std::chrono::steady_clock::now();
    Tandem model(seed, arrivals);
    Result r = model.run();
    const auto t1 = std::chrono::steady_clock::now();
    r.seconds = std::chrono::duration<double>(t1 - t0).count();

    const Check c = check_mean(
        static_cast<double>(r.total_time_in_system) / static_cast<double>(r.departures) / 60.0, r.arrivals);
    print_common("sequential", r.arrivals, r.events, r.seconds, c, r.peak_in_system, seed);
    for (std::size_t s = 0; s < r.stations.size(); ++s) {
        const Station& st = r.stations[s];
        std::printf(" s%zu_consultations=%llu s%zu_mean_wait_min=%.4f", s + 1,
                    static_cast<unsigned long long>(st.consultations), s + 1,
                    st.consultations > 0 ? static_cast<double>(st.total_wait) / static_cast<double>(st.consultations) / 60.0 : 0.0);
    }
    std::printf("\n");
    return finish(r.arrivals, r.departures, c);
}

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
    std::printf(" horizon_days=%s end_s=%lld engine_events=%llu episodes=%llu time_in_system_minutes=%s",
                shortest(horizon_days).c_str(), static_cast<long long>(r.end),
                static_cast<unsigned long long>(r.events + r.year_starts), static_cast<unsigned long long>(r.arrivals),
                shortest(tis).c_str());
    const auto window = static_cast<double>(r.end);
    for (std::size_t s = 0; s < r.stations.size(); ++s) {
        const NetStation& st = r.stations[s];
        const auto visits = static_cast<double>(st.visits);
        std::printf(" s%zu_visits=%s s%zu_wait_minutes_mean=%s s%zu_sojourn_minutes_mean=%s"
                    " s%zu_queue_length_mean=%s s%zu_utilisation=%s",
                    s + 1, shortest(visits).c_str(), s + 1, shortest(ratio(st.wait_sum, visits)).c_str(), s + 1,
                    shortest(ratio(st.sojourn_sum, visits)).c_str(), s + 1,
                    shortest(ratio(static_cast<double>(st.queue_area), window)).c_str(), s + 1,
                    shortest(ratio(static_cast<double>(st.busy_seconds),
                                   static_cast<double>(st.servers) * window)).c_str());
    }
    std::printf("\n");
    return finish(r.arrivals, r.departures, c);
}

}  // namespace

int main(int argc, char** argv) {
    bool engine_streams = true;
    double horizon_days = 694.44;
    bool horizon_given = false;
    std::uint64_t arrivals = 1000000;
    std::uint64_t seed = 20240604;
    const char* usage =
        "usage: %s [--streams engine|sequential] [--horizon-days D] [--seed S] [ARRIVALS] [SEED]\n"
        "  engine (default): the engine's streams; arrivals stop at D days (default 694.44)\n"
        "  sequential: three sequential streams; exactly ARRIVALS arrivals (default 1000000)\n";
    try {
        std::vector<const char*> positional;
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            auto value = [&]() -> const char* {
                if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
                return argv[++i];
            };
            if (a == "-h" || a == "--help") {
                std::fprintf(stderr, usage, argv[0]);
                return 2;
            } else if (a == "--streams") {
                const std::string v = value();
                if (v == "engine") {
                    engine_streams = true;
                } else if (v == "sequential") {
                    engine_streams = false;
                } else {
                    throw std::invalid_argument("--streams wants engine or sequential, got '" + v + "'");
                }
            } else if (a == "--horizon-days") {
                horizon_days = parse_days(value());
                horizon_given = true;
            } else if (a == "--seed") {
                seed = parse_count(value(), "seed");
            } else if (a.size() > 1 && a[0] == '-') {
                throw std::invalid_argument("unknown option '" + a + "'");
            } else {
                positional.push_back(argv[i]);
            }
        }
        if (positional.size() > 2) throw std::invalid_argument("too many arguments");
        if (!positional.empty()) arrivals = parse_count(positional[0], "number of arrivals");
        if (positional.size() > 1) seed = parse_count(positional[1], "seed");
        if (engine_streams && !positional.empty()) {
            throw std::invalid_argument("--streams engine stops at the horizon like the engine: give --horizon-days "
                                        "and --seed, not ARRIVALS");
        }
        if (!engine_streams && horizon_given) throw std::invalid_argument("--horizon-days is for --streams engine");
        if (arrivals == 0) throw std::invalid_argument("number of arrivals must be at least 1");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tandem_reference: %s\n", e.what());
        std::fprintf(stderr, usage, argv[0]);
        return 2;
    }
    return engine_streams ? run_engine_streams(horizon_days, seed) : run_sequential(arrivals, seed);
}
