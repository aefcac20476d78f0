#include "cmasim/analysis/jackson.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace cmasim::analysis {

namespace {

/// Routes summing to within this of 1 send every customer on (nobody leaves from there);
/// rounding in hand-written probabilities ("0.7 + 0.2 + 0.1") must not count as an exit.
constexpr double kProbabilityTolerance = 1e-9;

/// A rate or a utilisation for a message: two decimals, or three significant digits when that
/// would print as 0.00.
std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, std::fabs(x) >= 0.1 || x == 0 ? "%.2f" : "%.3g", x);
    return buf;
}

std::invalid_argument station_error(const std::string& id, const std::string& what) {
    return std::invalid_argument("station " + id + ": " + what);
}

/// One station's inputs, checked: servers from its facility, rates per minute.
struct StationInput {
    std::string id;
    int servers = 1;
    double gamma = 0;
    double mu = 0;
};

StationInput station_input(const scenario::NetworkStation& st,
                           const std::vector<scenario::Facility>& facilities) {
    const scenario::Facility* fac = nullptr;
    for (const auto& f : facilities) {
        if (f.id == st.facility) fac = &f;
    }
    if (fac == nullptr) throw station_error(st.facility, "no facility has this id");
    if (fac->unlimited)
        throw station_error(st.facility, "an unlimited facility has no servers to queue for");
    if (fac->doctors < 1) throw station_error(st.facility, "needs at least 1 doctor (server)");
    if (!(st.arrivals_per_minute >= 0) || !std::isfinite(st.arrivals_per_minute)) {
        throw station_error(st.facility, "arrivals_per_minute must be a finite number >= 0");
    }
    if (!(st.service_minutes > 0) || !std::isfinite(st.service_minutes)) {
        throw station_error(st.facility, "service_minutes must be a finite number > 0");
    }
    return {st.facility, fac->doctors, st.arrivals_per_minute, 1.0 / st.service_minutes};
}

/// P(i, j): probability that a customer finishing at station i goes to station j next.
Eigen::MatrixXd routing_matrix(const scenario::QueueingNetwork& network,
                               const std::map<std::string, Eigen::Index>& index) {
    const auto n = static_cast<Eigen::Index>(network.stations.size());
    Eigen::MatrixXd p = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& st = network.stations[static_cast<std::size_t>(i)];
        for (const auto& [to, prob] : st.routes) {
            const auto it = index.find(to);
            if (it == index.end())
                throw station_error(st.facility, "routes to " + to + ", which is not a station");
            if (!(prob >= 0 && prob <= 1)) {
                throw station_error(st.facility, "route probability to " + to + " is " +
                                                     number(prob) + ", outside [0, 1]");
            }
            p(i, it->second) += prob;
        }
        if (p.row(i).sum() > 1 + kProbabilityTolerance) {
            throw station_error(st.facility,
                                "route probabilities sum to " + number(p.row(i).sum()) + " > 1");
        }
    }
    return p;
}

/// Every station must have a path to the exit, or customers reaching it circulate for ever
/// (I - P^T is then singular). Marks stations backwards from those with a positive exit
/// probability and names the first one that is never marked.
void check_every_station_can_leave(const Eigen::MatrixXd& p, const std::vector<StationInput>& in) {
    const auto n = p.rows();
    std::vector<bool> leaves(static_cast<std::size_t>(n), false);
    for (Eigen::Index i = 0; i < n; ++i)
        leaves[static_cast<std::size_t>(i)] = 1 - p.row(i).sum() > kProbabilityTolerance;
    for (bool changed = true; changed;) {
        changed = false;
        for (Eigen::Index i = 0; i < n; ++i) {
            if (leaves[static_cast<std::size_t>(i)]) continue;
            for (Eigen::Index j = 0; j < n; ++j) {
                if (p(i, j) > 0 && leaves[static_cast<std::size_t>(j)]) {
                    leaves[static_cast<std::size_t>(i)] = true;
                    changed = true;
                    break;
                }
            }
        }
    }
    for (Eigen::Index i = 0; i < n; ++i) {
        if (!leaves[static_cast<std::size_t>(i)]) {
            throw station_error(
                in[static_cast<std::size_t>(i)].id,
                "customers can never leave the network from here (the routes from it and "
                "from every station it leads to sum to 1); let some probability leave");
        }
    }
}

/// The M/M/c means of one station fed at rate lambda.
StationResult mmc(const StationInput& in, double lambda) {
    StationResult r;
    r.id = in.id;
    r.servers = in.servers;
    r.gamma = in.gamma;
    r.lambda = lambda;
    r.mu = in.mu;
    const double c = static_cast<double>(in.servers);
    r.rho = lambda / (c * in.mu);
    if (!(r.rho < 1)) {
        throw std::invalid_argument("station " + in.id + " is unstable: utilisation " +
                                    number(r.rho) + " >= 1 (arrival rate " + number(lambda) +
                                    "/min, " + std::to_string(in.servers) +
                                    (in.servers == 1 ? " server" : " servers") + ", service rate " +
                                    number(in.mu) + "/min); add servers or reduce arrivals");
    }
    const double wait_probability = erlang_c(in.servers, lambda / in.mu);
    r.wq = wait_probability / (c * in.mu - lambda);  // defined (0) also when lambda == 0
    r.lq = lambda * r.wq;
    r.w = r.wq + 1 / in.mu;
    r.l = lambda * r.w;
    return r;
}

/// The stations' inputs in the file's order; index maps each station's facility to its row.
std::vector<StationInput> station_inputs(const scenario::QueueingNetwork& network,
                                         const std::vector<scenario::Facility>& facilities,
                                         std::map<std::string, Eigen::Index>& index) {
    std::vector<StationInput> in;
    for (const auto& st : network.stations) {
        if (!index.emplace(st.facility, static_cast<Eigen::Index>(in.size())).second) {
            throw station_error(st.facility, "listed twice");
        }
        in.push_back(station_input(st, facilities));
    }
    return in;
}

/// The stations' total arrival rates: the traffic equations (I - P^T) lambda = gamma. With an
/// exit reachable from every station, P's spectral radius is below 1 and the matrix is
/// invertible; the check here is a backstop for rounding.
Eigen::VectorXd traffic_rates(const Eigen::MatrixXd& p, const Eigen::VectorXd& gamma) {
    const auto n = p.rows();
    const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n) - p.transpose();
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    if (!lu.isInvertible()) {
        throw std::invalid_argument(
            "the traffic equations have no unique solution: customers can never leave the network");
    }
    return lu.solve(gamma);
}

}  // namespace

double erlang_c(int servers, double offered_load) {
    if (servers < 1) throw std::invalid_argument("erlang_c: servers must be >= 1");
    const double c = static_cast<double>(servers);
    if (!(offered_load >= 0 && offered_load < c)) {
        throw std::invalid_argument("erlang_c: offered load must be in [0, servers)");
    }
    // Erlang B by its recursion: every step stays in [0, 1], so nothing overflows.
    double blocking = 1;
    for (int k = 1; k <= servers; ++k) {
        blocking = offered_load * blocking / (static_cast<double>(k) + offered_load * blocking);
    }
    const double rho = offered_load / c;
    return blocking / (1 - rho * (1 - blocking));
}

NetworkResult solve_jackson(const scenario::QueueingNetwork& network,
                            const std::vector<scenario::Facility>& facilities) {
    if (network.stations.empty())
        throw std::invalid_argument("the queueing network has no stations");
    std::map<std::string, Eigen::Index> index;
    const std::vector<StationInput> in = station_inputs(network, facilities, index);
    const Eigen::MatrixXd p = routing_matrix(network, index);
    check_every_station_can_leave(p, in);

    const auto n = p.rows();
    Eigen::VectorXd gamma(n);
    for (Eigen::Index i = 0; i < n; ++i) gamma(i) = in[static_cast<std::size_t>(i)].gamma;
    const Eigen::VectorXd lambda = traffic_rates(p, gamma);

    NetworkResult out;
    out.total_external_rate = gamma.sum();
    if (!(out.total_external_rate > 0)) {
        throw std::invalid_argument(
            "no station has external arrivals (every arrivals_per_minute is 0)");
    }
    double customers = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        // (I - P^T)^-1 = sum of (P^T)^k >= 0, so a negative rate can only be rounding.
        out.stations.push_back(mmc(in[static_cast<std::size_t>(i)], std::max(0.0, lambda(i))));
        customers += out.stations.back().l;
    }
    out.time_in_system = customers / out.total_external_rate;  // Little's law for the network
    return out;
}

}  // namespace cmasim::analysis
