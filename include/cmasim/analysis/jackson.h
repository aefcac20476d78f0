// Exact steady-state means of an open Jackson network (docs/model.md §9): the queueing-network
// validation mode's analytic side. Stations are M/M/c queues (Poisson external arrivals,
// exponential service, c identical servers, first come first served, unlimited waiting room);
// customers move between them by fixed probabilities. By Jackson's theorem each station behaves
// in steady state as an isolated M/M/c queue fed at its total arrival rate, so the means follow
// from the traffic equations and Erlang C.
//
// Units: rates per minute, times in minutes, lengths in customers. Eigen stays inside
// src/analysis/jackson.cpp.
#pragma once

#include <string>
#include <vector>

#include "cmasim/scenario/spec.h"

namespace cmasim::analysis {

/// Steady-state figures of one station, in the order of QueueingNetwork::stations.
struct StationResult {
    std::string id;     ///< facility id
    int servers = 1;    ///< c: the facility's doctors
    double gamma = 0;   ///< external arrival rate, per minute
    double lambda = 0;  ///< total arrival rate (external + routed), per minute: the throughput
    double mu = 0;      ///< service rate of one server, per minute (1 / service_minutes)
    double rho = 0;     ///< utilisation lambda / (c mu), in [0, 1)
    double lq = 0;      ///< mean number waiting (not in service), time average
    double wq = 0;      ///< mean wait before service per visit, minutes (0 when lambda == 0)
    double w = 0;       ///< mean sojourn per visit (wait + service), minutes
    double l = 0;       ///< mean number at the station (waiting + in service), time average
};

/// The whole network.
struct NetworkResult {
    std::vector<StationResult> stations;
    double time_in_system =
        0;  ///< mean minutes from entering to leaving (Little: sum L / sum gamma)
    double total_external_rate = 0;  ///< sum of gamma, per minute
};

/// Erlang C: the probability that an arrival to an M/M/c queue with offered load
/// `offered_load` = lambda / mu (in erlangs) must wait. Computed through the Erlang B recursion
/// B(k) = a B(k-1) / (k + a B(k-1)), which has no factorials or powers and is accurate for c in
/// the thousands. Requires servers >= 1 and 0 <= offered_load < servers (else
/// std::invalid_argument).
double erlang_c(int servers, double offered_load);

/// Solves the traffic equations lambda = gamma + P^T lambda (P[i][j]: probability of going from
/// station i to station j next) and the M/M/c means of every station. The servers of a station
/// are its facility's doctors. Throws std::invalid_argument, naming the station, for: a station
/// whose facility is not in `facilities` or is unlimited, a duplicate station, a route to a
/// facility that is not a station, a probability outside [0, 1] or routes summing above 1, a
/// negative arrival rate, a non-positive service time, a station from which customers can never
/// leave the network, no external arrivals at all, and an unstable station (utilisation >= 1),
/// e.g. "station s2 is unstable: utilisation 1.20 >= 1 (arrival rate 0.60/min, 1 server,
/// service rate 0.50/min); add servers or reduce arrivals".
NetworkResult solve_jackson(const scenario::QueueingNetwork& network,
                            const std::vector<scenario::Facility>& facilities);

}  // namespace cmasim::analysis
