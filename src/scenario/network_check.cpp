// The queueing network checked at load: a station that customers can never leave, or one whose
// load is 1 or more, would run until the drain limit or for ever. The traffic equations
// lambda = gamma + P^T lambda are solved here by plain Gaussian elimination (the scenario layer
// does not use Eigen; src/analysis/jackson.cpp solves the same equations for the analytic
// means). Checking here rather than when the county is compiled reports the problem with every
// other one, located in the file, from `validate` and before a sweep starts.
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "checks.h"

namespace cmasim::scenario::detail {

namespace {

/// Routes summing to within this of 1 leave nobody out (rounding of hand-written shares).
constexpr double kExitTolerance = 1e-9;

using Matrix = std::vector<std::vector<double>>;

/// Solves a x = b in place by Gaussian elimination with partial pivoting; nullopt when singular.
std::optional<std::vector<double>> solve(Matrix a, std::vector<double> b) {
    const std::size_t n = b.size();
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t row = col + 1; row < n; ++row) {
            if (std::fabs(a[row][col]) > std::fabs(a[pivot][col])) pivot = row;
        }
        if (std::fabs(a[pivot][col]) < 1e-300) return std::nullopt;
        std::swap(a[pivot], a[col]);
        std::swap(b[pivot], b[col]);
        for (std::size_t row = col + 1; row < n; ++row) {
            const double f = a[row][col] / a[col][col];
            if (f == 0) continue;
            for (std::size_t k = col; k < n; ++k) a[row][k] -= f * a[col][k];
            b[row] -= f * b[col];
        }
    }
    std::vector<double> x(n);
    for (std::size_t i = n; i-- > 0;) {
        double sum = b[i];
        for (std::size_t k = i + 1; k < n; ++k) sum -= a[i][k] * x[k];
        x[i] = sum / a[i][i];
    }
    return x;
}

std::string short_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", x);
    return buf;
}

class NetworkChecker {
  public:
    NetworkChecker(const Scenario& s, Reader& r)
        : s_(s),
          r_(r),
          at_(r, s.synthetic.has_value()),
          n_(s.network.stations.size()),
          p_(n_, std::vector<double>(n_, 0.0)) {
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < n_; ++i) index.emplace(s.network.stations[i].facility, i);
        for (std::size_t i = 0; i < n_; ++i) {
            for (const auto& [to, prob] : s.network.stations[i].routes) p_[i][index.at(to)] += prob;
        }
    }

    void run() {
        if (n_ == 0 || !every_station_can_leave()) return;
        Matrix a(n_, std::vector<double>(n_, 0.0));
        std::vector<double> gamma(n_);
        for (std::size_t i = 0; i < n_; ++i) {
            gamma[i] = s_.network.stations[i].arrivals_per_minute;
            for (std::size_t j = 0; j < n_; ++j) a[i][j] = (i == j ? 1.0 : 0.0) - p_[j][i];
        }
        const auto lambda = solve(std::move(a), std::move(gamma));
        if (!lambda) return;  // every station can leave, so only rounding could get here
        for (std::size_t i = 0; i < n_; ++i) check_load(i, std::max(0.0, (*lambda)[i]));
    }

  private:
    void error(std::size_t i, const std::string& key, std::string message, std::string hint) {
        const std::string& id = s_.network.stations[i].facility;
        r_.report(at_.where("queueing_network.stations", i, key),
                  RecordLocator::path("queueing_network.stations", id, key), std::move(message),
                  std::move(hint));
    }

    /// Marks stations backwards from those with an exit; reports the first never marked.
    bool every_station_can_leave() {
        std::vector<bool> leaves(n_, false);
        std::vector<std::size_t> todo;
        for (std::size_t i = 0; i < n_; ++i) {
            double routed = 0;
            for (double prob : p_[i]) routed += prob;
            if (1 - routed > kExitTolerance) {
                leaves[i] = true;
                todo.push_back(i);
            }
        }
        while (!todo.empty()) {
            const std::size_t j = todo.back();
            todo.pop_back();
            for (std::size_t i = 0; i < n_; ++i) {
                if (leaves[i] || p_[i][j] <= 0) continue;
                leaves[i] = true;
                todo.push_back(i);
            }
        }
        for (std::size_t i = 0; i < n_; ++i) {
            if (leaves[i]) continue;
            error(i, "routes",
                  "customers can never leave the network from station '" +
                      s_.network.stations[i].facility +
                      "': its routes, and those of every station they lead to, add up to 1",
                  "let some probability leave: routes that add up to less than 1 send the rest "
                  "out of the network");
            return false;
        }
        return true;
    }

    void check_load(std::size_t i, double lambda) {
        const NetworkStation& st = s_.network.stations[i];
        const Facility* f = nullptr;
        for (const auto& fac : s_.facilities) {
            if (fac.id == st.facility) f = &fac;
        }
        if (f == nullptr || f->unlimited || lambda <= 0) return;
        const double load = lambda * st.service_minutes / static_cast<double>(f->doctors);
        if (load < 1) return;
        error(i, "",
              "station '" + st.facility + "' is overloaded: load " + short_number(load) +
                  " >= 1 (" + short_number(lambda) + " arrivals per minute in all, " +
                  std::to_string(f->doctors) + (f->doctors == 1 ? " doctor" : " doctors") + ", " +
                  short_number(st.service_minutes) + " minutes per service)",
              "its queue would grow without end: add doctors to '" + st.facility +
                  "', shorten service_minutes or lower the arrivals");
    }

    const Scenario& s_;
    Reader& r_;
    RecordLocator at_;
    std::size_t n_;
    Matrix p_;  ///< p_[i][j]: probability of going from station i to station j next
};

}  // namespace

void check_network_load(const Scenario& s, Reader& r) {
    NetworkChecker(s, r).run();
}

}  // namespace cmasim::scenario::detail
