// Internal to the calibration: NLopt's derivative-free local minimisers behind one function, so
// that only this module sees NLopt. The best point evaluated is returned whatever way NLopt
// stopped (a noisy objective often ends in "round-off limited"); an exception thrown by the
// objective stops the search and is rethrown.
#pragma once

#include <functional>
#include <vector>

namespace cmasim::calibrate::detail {

enum class Minimizer { Sbplx, Bobyqa };

struct Box {
    std::vector<double> lower;
    std::vector<double> upper;
    std::vector<double> step;  ///< initial step per coordinate
};

struct Minimum {
    std::vector<double> x;
    double value = 0;
    int evaluations = 0;
};

/// Minimises `f` inside `box` from `start`, with at most `max_evaluations` calls (0: none; the
/// start is then evaluated once) and a relative x tolerance `xtol`. Deterministic.
Minimum minimize(const std::function<double(const std::vector<double>&)>& f,
                 const std::vector<double>& start, const Box& box, Minimizer method,
                 int max_evaluations, double xtol);

}  // namespace cmasim::calibrate::detail
