#include "minimize.h"

#include <nlopt.h>

#include <cmath>
#include <exception>
#include <limits>
#include <memory>

namespace cmasim::calibrate::detail {

namespace {

struct Search {
    const std::function<double(const std::vector<double>&)>* f = nullptr;
    nlopt_opt opt = nullptr;
    Minimum best;
    std::exception_ptr failure;
};

double objective(unsigned n, const double* x, double* /*gradient*/, void* data) {
    auto& s = *static_cast<Search*>(data);
    const std::vector<double> point(x, x + n);
    try {
        const double value = (*s.f)(point);
        ++s.best.evaluations;
        if (s.best.x.empty() || value < s.best.value) {
            s.best.x = point;
            s.best.value = value;
        }
        return std::isfinite(value) ? value : std::numeric_limits<double>::max();
    } catch (...) {
        s.failure = std::current_exception();
        nlopt_force_stop(s.opt);
        return std::numeric_limits<double>::max();
    }
}

}  // namespace

Minimum minimize(const std::function<double(const std::vector<double>&)>& f,
                 const std::vector<double>& start, const Box& box, Minimizer method,
                 int max_evaluations, double xtol) {
    Search s;
    s.f = &f;
    if (max_evaluations <= 0) {
        s.best = Minimum{start, f(start), 1};
        return s.best;
    }
    const auto n = static_cast<unsigned>(start.size());
    // BOBYQA needs at least two dimensions; one parameter falls back to Sbplx.
    const nlopt_algorithm algorithm =
        method == Minimizer::Bobyqa && n >= 2 ? NLOPT_LN_BOBYQA : NLOPT_LN_SBPLX;
    std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> opt(nlopt_create(algorithm, n),
                                                               &nlopt_destroy);
    s.opt = opt.get();
    nlopt_set_lower_bounds(s.opt, box.lower.data());
    nlopt_set_upper_bounds(s.opt, box.upper.data());
    nlopt_set_initial_step(s.opt, box.step.data());
    nlopt_set_min_objective(s.opt, &objective, &s);
    nlopt_set_maxeval(s.opt, max_evaluations);
    nlopt_set_xtol_rel(s.opt, xtol);
    std::vector<double> x = start;
    double value = 0;
    nlopt_optimize(s.opt, x.data(), &value);
    if (s.failure) std::rethrow_exception(s.failure);
    if (s.best.x.empty()) s.best = Minimum{start, f(start), 1};
    return s.best;
}

}  // namespace cmasim::calibrate::detail
