// bench/tandem_reference --streams sequential (main.cpp describes the program).
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
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "cmasim/sim/random.h"
#include "tandem.h"

namespace tandem_reference {

namespace {

struct Station {
    Station(int servers_, double service_minutes_, double route_probability_, std::uint32_t next_)
        : servers(servers_),
          service_minutes(service_minutes_),
          route_probability(route_probability_),
          next(next_) {}
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

}  // namespace

int run_sequential(std::uint64_t arrivals, std::uint64_t seed) {
    const auto t0 = std::chrono::steady_clock::now();
    Tandem model(seed, arrivals);
    Result r = model.run();
    const auto t1 = std::chrono::steady_clock::now();
    r.seconds = std::chrono::duration<double>(t1 - t0).count();

    const Check c = check_mean(
        static_cast<double>(r.total_time_in_system) / static_cast<double>(r.departures) / 60.0,
        r.arrivals);
    print_common("sequential", r.arrivals, r.events, r.seconds, c, r.peak_in_system, seed);
    for (std::size_t s = 0; s < r.stations.size(); ++s) {
        const Station& st = r.stations[s];
        std::printf(" s%zu_consultations=%llu s%zu_mean_wait_min=%.4f", s + 1,
                    static_cast<unsigned long long>(st.consultations), s + 1,
                    st.consultations > 0 ? static_cast<double>(st.total_wait) /
                                               static_cast<double>(st.consultations) / 60.0
                                         : 0.0);
    }
    std::printf("\n");
    return finish(r.arrivals, r.departures, c);
}

}  // namespace tandem_reference
