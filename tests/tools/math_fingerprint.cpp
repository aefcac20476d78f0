// Prints one hash of the bits of many elementary-function results: `own` for the project's
// (sim/detmath.h), `libm` for glibc's. tools/cross_cpu_check.sh runs it with glibc's FMA/AVX2 code
// paths on and off: the own hash must not change, and the libm hash must (the control that shows
// the switch took effect on this CPU).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "cmasim/sim/detmath.h"
#include "cmasim/sim/random.h"

namespace {

struct Fns {
    double (*exp)(double);
    double (*log)(double);
    double (*cos)(double);
    double (*log1p)(double);
};

std::uint64_t fingerprint(const Fns& f) {
    cmasim::sim::RandomStream rng({1, 0}, 0, 0);
    std::uint64_t h = 14695981039346656037ULL;
    const auto mix = [&h](double v) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        h = (h ^ bits) * 1099511628211ULL;
    };
    for (int i = 0; i < 1000000; ++i) {
        const double u = rng.uniform();
        mix(f.log(u));
        mix(f.exp(20.0 * u - 10.0));
        mix(f.cos(6.283185307179586 * u));
        mix(f.log1p(3.0 * u));
    }
    return h;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view which = argc > 1 ? argv[1] : "";
    Fns fns{};
    if (which == "own") {
        fns = {[](double x) { return cmasim::sim::det::exp(x); },
               [](double x) { return cmasim::sim::det::log(x); },
               [](double x) { return cmasim::sim::det::cos(x); },
               [](double x) { return cmasim::sim::det::log1p(x); }};
    } else if (which == "libm") {
        fns = {[](double x) { return std::exp(x); }, [](double x) { return std::log(x); },
               [](double x) { return std::cos(x); }, [](double x) { return std::log1p(x); }};
    } else {
        std::fprintf(stderr, "usage: math_fingerprint own|libm\n");
        return 2;
    }
    std::printf("%016llx\n", static_cast<unsigned long long>(fingerprint(fns)));
    return 0;
}
