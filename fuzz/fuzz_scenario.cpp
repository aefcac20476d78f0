// libFuzzer target: the scenario loader on arbitrary bytes. Bad input must end in a
// ScenarioError (exit 2 with a located message); any other exception, a crash, a sanitizer
// report or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cmasim/indicators/table.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const cmasim::scenario::LoadOptions options = [] {
        cmasim::scenario::LoadOptions o;
        o.known_indicators = cmasim::indicators::keys();
        return o;
    }();
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        cmasim::scenario::load_scenario_string(text, "fuzz/input.yaml", options);
    } catch (const cmasim::scenario::ScenarioError&) {
        // Rejected with a diagnostic: what bad input should get.
    }
    return 0;
}
