// Doctors sent down (stationed physicians, circuit clinics) come from a source facility, whose
// capacity falls by what it sends (docs/levers.md §6). The arithmetic the loader checks and the
// model applies, as small pure functions (tests/test_sent_down.cpp).
#pragma once

#include <string>

#include "cmasim/scenario/spec.h"

namespace cmasim::scenario {

/// The `source` that names each circuit clinic's own township center.
inline const std::string kHomeTownship = "home_township";

/// The default source of the doctors sent to township `township`: the lead of the alliance whose
/// townships list it, or without `alliances:` the lead: true facility; empty when none.
std::string default_source(const Scenario& s, const std::string& township);

/// Open hours a week of an opening (168 when always open).
double weekly_open_hours(const Opening& opening);

/// Doctor-hours a week of one circuit clinic (its extra doctors times its window's hours).
double circuit_hours_per_week(const CircuitClinics& circuit);

/// Doctors a source gives up: the stationed doctors (whole, full time) plus the circuit clinics'
/// doctor-hours spread over the source's own open hours, rounded up to whole doctors (the
/// circuits rotate over the week, so the source is short of doctor-hours, not of the same
/// doctors at the same hour; its doctors are counted whole). 0 open hours: none to give.
int doctors_sent_down(int stationed, double circuit_hours, double source_open_hours);

}  // namespace cmasim::scenario
