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
// The modes differ in the random streams, and with them in the random-number work: engine mode
// (engine_streams.cpp) does the engine's, sequential mode (sequential.cpp) what dropping
// per-entity streams would buy; each file says how.
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
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "tandem.h"

namespace {

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
        throw std::invalid_argument(std::string("invalid ") + what + " '" + s +
                                    "' (want a non-negative integer)");
    }
    return v;
}

double parse_days(const char* text) {
    const char* last = text + std::strlen(text);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text, last, v);
    if (ec != std::errc() || ptr != last || !(v > 0) || !(v < 3650)) {
        throw std::invalid_argument(std::string("invalid horizon '") + text +
                                    "' (want days, > 0 and < 3650)");
    }
    return v;
}

struct Options {
    bool engine_streams = true;
    double horizon_days = 694.44;
    bool horizon_given = false;
    std::uint64_t arrivals = 1000000;
    std::uint64_t seed = 20240604;
    std::vector<const char*> positional;
    bool help = false;
};

/// Reads the options and positional arguments up to the first -h/--help; throws
/// std::invalid_argument for a bad one.
Options read_arguments(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            o.help = true;
            return o;
        } else if (a == "--streams") {
            const std::string v = value();
            if (v == "engine") {
                o.engine_streams = true;
            } else if (v == "sequential") {
                o.engine_streams = false;
            } else {
                throw std::invalid_argument("--streams wants engine or sequential, got '" + v +
                                            "'");
            }
        } else if (a == "--horizon-days") {
            o.horizon_days = parse_days(value());
            o.horizon_given = true;
        } else if (a == "--seed") {
            o.seed = parse_count(value(), "seed");
        } else if (a.size() > 1 && a[0] == '-') {
            throw std::invalid_argument("unknown option '" + a + "'");
        } else {
            o.positional.push_back(argv[i]);
        }
    }
    return o;
}

/// Takes ARRIVALS and SEED from the positional arguments and checks that the options fit the
/// mode; throws std::invalid_argument when they do not.
void settle(Options& o) {
    if (o.positional.size() > 2) throw std::invalid_argument("too many arguments");
    if (!o.positional.empty()) o.arrivals = parse_count(o.positional[0], "number of arrivals");
    if (o.positional.size() > 1) o.seed = parse_count(o.positional[1], "seed");
    if (o.engine_streams && !o.positional.empty()) {
        throw std::invalid_argument(
            "--streams engine stops at the horizon like the engine: give --horizon-days "
            "and --seed, not ARRIVALS");
    }
    if (!o.engine_streams && o.horizon_given)
        throw std::invalid_argument("--horizon-days is for --streams engine");
    if (o.arrivals == 0) throw std::invalid_argument("number of arrivals must be at least 1");
}

}  // namespace

int main(int argc, char** argv) {
    const char* usage =
        "usage: %s [--streams engine|sequential] [--horizon-days D] [--seed S] [ARRIVALS] [SEED]\n"
        "  engine (default): the engine's streams; arrivals stop at D days (default 694.44)\n"
        "  sequential: three sequential streams; exactly ARRIVALS arrivals (default 1000000)\n";
    Options o;
    try {
        o = read_arguments(argc, argv);
        if (o.help) {
            std::fprintf(stderr, usage, argv[0]);
            return 2;
        }
        settle(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tandem_reference: %s\n", e.what());
        std::fprintf(stderr, usage, argv[0]);
        return 2;
    }
    return o.engine_streams ? tandem_reference::run_engine_streams(o.horizon_days, o.seed)
                            : tandem_reference::run_sequential(o.arrivals, o.seed);
}
