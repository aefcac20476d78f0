// libFuzzer target: the sweep-file reader on arbitrary bytes. Bad input must end in a
// ScenarioError or sweep::InputError (exit 2); anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        cmasim::sweep::load_sweep_string(text, "fuzz/input.sweep.yaml");
    } catch (const cmasim::scenario::ScenarioError&) {
    } catch (const cmasim::sweep::InputError&) {
    }
    return 0;
}
