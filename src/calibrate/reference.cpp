// The keys of a calibration file: the reader accepts exactly these, and docs/calibration.md
// shows this table (`cmasim schema --calibration`; tests/test_calibrate.cpp checks the page).
#include <sstream>

#include "cmasim/calibrate/spec.h"

namespace cmasim::calibrate {

const std::vector<FileKey>& file_keys() {
    static const std::vector<FileKey> keys = {
        {"", "name", "text", "the calibration's name (default: the file name)"},
        {"", "description", "text", "free text"},
        {"", "set", "map of key path: value", "overrides applied before the parameters, as --set"},
        {"", "parameters", "list", "the free parameters (at least one, at most 21)"},
        {"", "targets", "list", "the observed indicators (at least one not held out)"},
        {"", "method", "map", "how the search runs (every key optional)"},
        {"", "reform", "timeline entry name",
         "the entry of the scenario's timeline that before/after targets stand against "
         "(default: the first)"},
        {"parameters", "path", "key path", "the scenario value, exactly as --set writes it"},
        {"parameters", "name", "text", "its column in the output files (default: the path)"},
        {"parameters", "bounds", "[low, high]", "the interval searched"},
        {"parameters", "prior", "{mean, sd}",
         "a normal prior: adds ((x - mean) / sd)^2 to the best fit's objective"},
        {"parameters", "integer", "true/false", "values rounded to whole numbers"},
        {"targets", "indicator", "indicator key", "a key of docs/indicators.md"},
        {"targets", "value", "number", "the observed value, in the indicator's unit"},
        {"targets", "se", "number > 0", "its standard error (or interval:)"},
        {"targets", "interval", "[low, high]", "a 95% interval: se = (high - low) / 3.92"},
        {"targets", "discrepancy", "number >= 0", "model discrepancy sd (default 0)"},
        {"targets", "period", "text",
         "what the observation covers; before: the period before the reform (fitted), after: "
         "the period from it on (predicted, never fitted)"},
        {"targets", "measure", "level, change",
         "level (default), or change: after minus before (period: after only)"},
        {"targets", "source", "text", "where the value comes from"},
        {"targets", "year", "1900..2200", "the year of the observation"},
        {"targets", "holdout", "true/false",
         "not fitted; predicted with an interval (default false)"},
        {"method", "waves", "1..20", "waves of history matching (default 3)"},
        {"method", "points_per_wave", "4..2000", "simulated points per wave (default 20)"},
        {"method", "replications", "2..10000", "per point (default: the scenario's)"},
        {"method", "cutoff", "number > 0", "implausibility cutoff (default 3)"},
        {"method", "seed", "whole number", "of the designs and the pool (default 1)"},
        {"method", "pool", "64..1048576",
         "Sobol points measuring the remaining space (default 4096)"},
        {"method", "fit_evaluations", "0..10000", "points the best fit may simulate (default 30)"},
        {"method", "optimizer", "sbplx, bobyqa", "NLopt's local search for the best fit"},
        {"method", "draws", "1..100000", "parameter draws written to draws.csv (default 50)"},
    };
    return keys;
}

std::vector<std::string> keys_of(const std::string& section) {
    std::vector<std::string> out;
    for (const auto& k : file_keys()) {
        if (k.section == section) out.push_back(k.key);
    }
    return out;
}

std::string reference_markdown() {
    std::ostringstream md;
    md << "| key | value | meaning |\n|---|---|---|\n";
    for (const auto& k : file_keys()) {
        const std::string prefix =
            k.section.empty() ? std::string() : k.section + (k.section == "method" ? "." : "[].");
        md << "| `" << prefix << k.key << "` | " << k.value << " | " << k.description << " |\n";
    }
    return md.str();
}

}  // namespace cmasim::calibrate
