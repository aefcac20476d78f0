#include "cmasim/scenario/sent_down.h"

#include <algorithm>
#include <cmath>

namespace cmasim::scenario {

double weekly_open_hours(const Opening& opening) {
    if (opening.always) return 168.0;
    double seconds = 0;
    for (const auto& w : opening.windows) {
        int days = 0;
        for (bool d : w.days) days += d ? 1 : 0;
        seconds += static_cast<double>(days) * static_cast<double>(w.to - w.from);
    }
    return seconds / static_cast<double>(sim::kHour);
}

double circuit_hours_per_week(const CircuitClinics& circuit) {
    Opening window;
    window.always = false;
    window.windows.push_back(circuit.window);
    return circuit.doctors * weekly_open_hours(window);
}

int doctors_sent_down(int stationed, double circuit_hours, double source_open_hours) {
    if (circuit_hours <= 0 || source_open_hours <= 0) return stationed;
    // A tolerance so that hours that add up to whole doctors do not round one doctor up.
    return stationed + static_cast<int>(std::ceil(circuit_hours / source_open_hours - 1e-9));
}

std::string default_source(const Scenario& s, const std::string& township) {
    if (s.alliances.empty()) {
        for (const auto& f : s.facilities)
            if (f.lead) return f.id;
        return {};
    }
    for (const auto& a : s.alliances) {
        if (std::find(a.townships.begin(), a.townships.end(), township) != a.townships.end())
            return a.lead;
    }
    return {};
}

}  // namespace cmasim::scenario
