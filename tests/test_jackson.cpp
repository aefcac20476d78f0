// Exact tests of the Jackson-network solver (src/analysis/jackson.cpp): closed forms of M/M/1
// and M/M/2, Erlang C against independent computations, the tandem network's 7.270 minutes,
// traffic equations of feedback networks solved by hand, and every input error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cmasim/analysis/jackson.h"

namespace cmasim::analysis {
namespace {

using scenario::Facility;
using scenario::NetworkStation;
using scenario::QueueingNetwork;

/// A network built in code: stations in order, each with its servers (the facility's doctors).
struct Net {
    QueueingNetwork network;
    std::vector<Facility> facilities;

    Net& station(const std::string& id, int servers, double gamma, double service_minutes,
                 std::vector<std::pair<std::string, double>> routes = {}) {
        Facility f;
        f.id = id;
        f.level = scenario::Level::County;
        f.doctors = servers;
        facilities.push_back(f);
        NetworkStation st;
        st.facility = id;
        st.arrivals_per_minute = gamma;
        st.service_minutes = service_minutes;
        st.routes = std::move(routes);
        network.stations.push_back(st);
        return *this;
    }
    NetworkResult solve() const { return solve_jackson(network, facilities); }
};

/// The message of the std::invalid_argument `f` throws ("" when it throws nothing).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

/// Erlang C from its textbook definition, summed in log space (independent of the solver's
/// Erlang B recursion): C = t_c c/(c-a) / (sum_{k<c} t_k + t_c c/(c-a)), t_k = a^k / k!.
double erlang_c_by_definition(int c, double a) {
    auto log_term = [a](int k) { return k * std::log(a) - std::lgamma(k + 1.0); };
    const double log_tail = log_term(c) + std::log(c / (c - a));
    double top = log_tail;
    for (int k = 0; k < c; ++k) top = std::max(top, log_term(k));
    double sum = std::exp(log_tail - top);
    for (int k = 0; k < c; ++k) sum += std::exp(log_term(k) - top);
    return std::exp(log_tail - top) / sum;
}

/// Mean number waiting in M/M/c from the birth-death chain's stationary distribution,
/// truncated where the tail is negligible: independent of Erlang C.
double lq_by_birth_death(int c, double lambda, double mu) {
    double p = 1, total = 0, waiting = 0;
    for (int k = 0; k < 20000; ++k) {
        total += p;
        if (k > c) waiting += (k - c) * p;
        p *= lambda / (std::min(k + 1, c) * mu);
    }
    return waiting / total;
}

// ---------------------------------------------------------------- single stations

TEST(Jackson, MM1MatchesClosedForms) {
    const double lambda = 0.7, mu = 1.25;
    const auto r = Net{}.station("a", 1, lambda, 1 / mu).solve();
    ASSERT_EQ(r.stations.size(), 1u);
    const auto& s = r.stations[0];
    const double rho = lambda / mu;
    EXPECT_EQ(s.id, "a");
    EXPECT_EQ(s.servers, 1);
    EXPECT_DOUBLE_EQ(s.gamma, lambda);
    EXPECT_NEAR(s.lambda, lambda, 1e-14);
    EXPECT_DOUBLE_EQ(s.mu, mu);
    EXPECT_NEAR(s.rho, rho, 1e-14);
    EXPECT_NEAR(s.l, rho / (1 - rho), 1e-12);
    EXPECT_NEAR(s.lq, rho * rho / (1 - rho), 1e-12);
    EXPECT_NEAR(s.w, 1 / (mu - lambda), 1e-12);
    EXPECT_NEAR(s.wq, rho / (mu - lambda), 1e-12);
    EXPECT_NEAR(r.time_in_system, 1 / (mu - lambda), 1e-12);
    EXPECT_DOUBLE_EQ(r.total_external_rate, lambda);
}

TEST(Jackson, ErlangCOfOneServerIsUtilisation) {
    for (double rho : {0.0, 0.1, 0.5, 0.9, 0.999}) EXPECT_NEAR(erlang_c(1, rho), rho, 1e-14) << rho;
}

TEST(Jackson, ErlangCOfTwoServersMatchesClosedForm) {
    // M/M/2: P(wait) = 2 rho^2 / (1 + rho), rho = a / 2.
    for (double rho : {0.05, 0.3, 0.5, 0.8333333333333334, 0.99}) {
        EXPECT_NEAR(erlang_c(2, 2 * rho), 2 * rho * rho / (1 + rho), 1e-14) << rho;
    }
}

TEST(Jackson, ErlangCMatchesDefinitionUpToHundredsOfServers) {
    const std::vector<std::pair<int, double>> cases = {
        {3, 2.0}, {5, 4.0}, {10, 9.5}, {50, 40.0}, {200, 190.0}, {400, 396.0}, {600, 300.0}};
    for (const auto& [c, a] : cases) {
        const double expected = erlang_c_by_definition(c, a);
        EXPECT_NEAR(erlang_c(c, a), expected, 1e-11 * std::max(1.0, expected))
            << "c=" << c << " a=" << a;
    }
}

TEST(Jackson, MMcQueueLengthMatchesBirthDeathChain) {
    // c = 5 with offered load 4 (utilisation 0.8): the mmc5 validation scenario.
    const auto r = Net{}.station("a", 5, 0.8, 5.0).solve();
    const auto& s = r.stations[0];
    EXPECT_NEAR(s.rho, 0.8, 1e-14);
    EXPECT_NEAR(s.lq, lq_by_birth_death(5, 0.8, 0.2), 1e-9);
    EXPECT_NEAR(s.wq, s.lq / 0.8, 1e-12);  // Little
    EXPECT_NEAR(s.w, s.wq + 5.0, 1e-12);
    EXPECT_NEAR(s.l, s.lq + 4.0, 1e-12);  // + mean busy servers
}

TEST(Jackson, ErlangCRejectsBadArguments) {
    EXPECT_THROW(erlang_c(0, 0.5), std::invalid_argument);
    EXPECT_THROW(erlang_c(2, 2.0), std::invalid_argument);
    EXPECT_THROW(erlang_c(2, -0.1), std::invalid_argument);
}

// ---------------------------------------------------------------- networks

TEST(Jackson, TandemTimeInSystemIs7270Minutes) {
    // scenarios/validation/tandem.yaml: 1/min into an M/M/2 (mu 0.6); 30% on to an M/M/1
    // (mu 0.5); 20% of those on to an M/M/1 (mu 0.25).
    const auto r = Net{}
                       .station("s1", 2, 1.0, 1 / 0.6, {{"s2", 0.3}})
                       .station("s2", 1, 0.0, 2.0, {{"s3", 0.2}})
                       .station("s3", 1, 0.0, 4.0)
                       .solve();
    ASSERT_EQ(r.stations.size(), 3u);
    EXPECT_NEAR(r.stations[0].lambda, 1.0, 1e-12);
    EXPECT_NEAR(r.stations[1].lambda, 0.3, 1e-12);
    EXPECT_NEAR(r.stations[2].lambda, 0.06, 1e-12);
    // By hand: L1 = 2 rho^3 / (1 - rho^2) + 2 rho with rho = 5/6; L2 = 0.6 / 0.4; L3 = 0.24 / 0.76.
    const double rho1 = 1.0 / 1.2;
    const double l1 = 2 * rho1 * rho1 * rho1 / (1 - rho1 * rho1) + 2 * rho1;
    EXPECT_NEAR(r.stations[0].l, l1, 1e-12);
    EXPECT_NEAR(r.stations[1].l, 1.5, 1e-12);
    EXPECT_NEAR(r.stations[2].l, 0.24 / 0.76, 1e-12);
    EXPECT_NEAR(r.time_in_system, l1 + 1.5 + 0.24 / 0.76, 1e-12);
    EXPECT_NEAR(r.time_in_system, 7.270, 0.0005);
}

TEST(Jackson, FeedbackTrafficEquationsMatchHandSolution) {
    // a -> b always; b -> c 0.5, b -> a 0.25 (back to an earlier station), rest leaves; c leaves.
    // lambda_a = 1 + 0.25 lambda_b, lambda_b = lambda_a  =>  lambda_a = lambda_b = 4/3,
    // lambda_c = 2/3.
    const auto r = Net{}
                       .station("a", 2, 1.0, 0.5, {{"b", 1.0}})
                       .station("b", 2, 0.0, 0.5, {{"c", 0.5}, {"a", 0.25}})
                       .station("c", 1, 0.0, 1.0)
                       .solve();
    EXPECT_NEAR(r.stations[0].lambda, 4.0 / 3, 1e-12);
    EXPECT_NEAR(r.stations[1].lambda, 4.0 / 3, 1e-12);
    EXPECT_NEAR(r.stations[2].lambda, 2.0 / 3, 1e-12);
    double l = 0;
    for (const auto& s : r.stations) l += s.l;
    EXPECT_NEAR(r.time_in_system, l / 1.0, 1e-12);
}

TEST(Jackson, TwoEntriesAndASelfLoop) {
    // x (gamma 0.2) -> z 0.5; y (gamma 0.3) -> z 1.0; z returns to itself with 0.6.
    // lambda_z = 0.1 + 0.3 + 0.6 lambda_z  =>  lambda_z = 1.0.
    const auto r = Net{}
                       .station("x", 1, 0.2, 1.0, {{"z", 0.5}})
                       .station("y", 1, 0.3, 1.0, {{"z", 1.0}})
                       .station("z", 3, 0.0, 1.0, {{"z", 0.6}})
                       .solve();
    EXPECT_NEAR(r.stations[2].lambda, 1.0, 1e-12);
    EXPECT_NEAR(r.total_external_rate, 0.5, 1e-15);
    EXPECT_NEAR(r.stations[2].rho, 1.0 / 3, 1e-12);
}

TEST(Jackson, StationWithoutArrivalsIsIdle) {
    const auto r = Net{}.station("a", 1, 0.5, 1.0).station("b", 2, 0.0, 3.0).solve();
    const auto& b = r.stations[1];
    EXPECT_EQ(b.lambda, 0.0);
    EXPECT_EQ(b.rho, 0.0);
    EXPECT_EQ(b.lq, 0.0);
    EXPECT_EQ(b.wq, 0.0);
    EXPECT_EQ(b.l, 0.0);
    EXPECT_DOUBLE_EQ(b.w, 3.0);
}

// ---------------------------------------------------------------- errors

TEST(Jackson, UnstableStationIsNamedWithItsFigures) {
    const auto net = Net{}.station("s1", 1, 0.6, 1.0, {{"s2", 1.0}}).station("s2", 1, 0.0, 2.0);
    EXPECT_EQ(error_of([&] { net.solve(); }),
              "station s2 is unstable: utilisation 1.20 >= 1 (arrival rate 0.60/min, 1 server, "
              "service rate 0.50/min); add servers or reduce arrivals");
}

TEST(Jackson, UtilisationOfExactlyOneIsUnstable) {
    const auto msg = error_of([] { Net{}.station("s1", 2, 1.0, 2.0).solve(); });
    EXPECT_EQ(msg,
              "station s1 is unstable: utilisation 1.00 >= 1 (arrival rate 1.00/min, 2 servers, "
              "service rate 0.50/min); add servers or reduce arrivals");
}

TEST(Jackson, ClosedLoopWithoutExitIsAnError) {
    const auto msg = error_of([] {
        Net{}
            .station("in", 1, 0.1, 1.0, {{"a", 0.5}})
            .station("a", 1, 0.0, 1.0, {{"b", 1.0}})
            .station("b", 1, 0.0, 1.0, {{"a", 0.7}, {"b", 0.3}})
            .solve();
    });
    EXPECT_EQ(msg.rfind("station a: customers can never leave the network", 0), 0u) << msg;
}

TEST(Jackson, BadInputsAreNamed) {
    auto msg = [](const Net& n) { return error_of([&] { n.solve(); }); };
    EXPECT_EQ(msg(Net{}.station("a", 1, 0.1, 1.0, {{"nowhere", 0.5}})),
              "station a: routes to nowhere, which is not a station");
    EXPECT_EQ(
        msg(Net{}.station("a", 1, 0.1, 1.0, {{"b", 0.7}}).station("b", 1, 0.0, 1.0, {{"a", 1.5}})),
        "station b: route probability to a is 1.50, outside [0, 1]");
    EXPECT_EQ(
        msg(Net{}.station("a", 1, 0.1, 1.0, {{"b", 0.7}, {"a", 0.4}}).station("b", 1, 0.0, 1.0)),
        "station a: route probabilities sum to 1.10 > 1");
    EXPECT_EQ(msg(Net{}.station("a", 1, 0.1, 0.0)),
              "station a: service_minutes must be a finite number > 0");
    EXPECT_EQ(msg(Net{}.station("a", 1, -0.1, 1.0)),
              "station a: arrivals_per_minute must be a finite number >= 0");
    EXPECT_EQ(msg(Net{}.station("a", 1, 0.0, 1.0)),
              "no station has external arrivals (every arrivals_per_minute is 0)");
    EXPECT_EQ(msg(Net{}.station("a", 1, 0.1, 1.0).station("a", 1, 0.1, 1.0)),
              "station a: listed twice");
    EXPECT_EQ(msg(Net{}), "the queueing network has no stations");

    Net missing = Net{}.station("a", 1, 0.1, 1.0);
    missing.facilities.clear();
    EXPECT_EQ(msg(missing), "station a: no facility has this id");
    Net unlimited = Net{}.station("a", 1, 0.1, 1.0);
    unlimited.facilities[0].unlimited = true;
    EXPECT_EQ(msg(unlimited), "station a: an unlimited facility has no servers to queue for");
}

TEST(Jackson, RoundedProbabilitiesSummingToOneAreNotAnExit) {
    // 0.7 + 0.2 + 0.1 may sum to 0.9999999999999999 in doubles: still "everyone goes on", so
    // the closed loop among a, b, c must be reported rather than treated as leaking 1e-16.
    const auto msg = error_of([] {
        Net{}
            .station("in", 1, 0.1, 1.0, {{"a", 0.5}})
            .station("a", 1, 0.0, 0.1, {{"b", 0.7}, {"c", 0.2}, {"a", 0.1}})
            .station("b", 1, 0.0, 0.1, {{"a", 1.0}})
            .station("c", 1, 0.0, 0.1, {{"a", 1.0}})
            .solve();
    });
    EXPECT_NE(msg.find("can never leave"), std::string::npos) << msg;
}

}  // namespace
}  // namespace cmasim::analysis
