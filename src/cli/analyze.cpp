// Placeholder until the analyze command lands: registers the subcommand and says so.
#include <iostream>

#include "commands.h"

namespace cmasim::cli {

Command add_analyze(CLI::App& parent) {
    Command c;
    c.app = parent.add_subcommand("analyze", "Analytic queueing-network predictions (not yet implemented)");
    c.run = [] {
        std::cerr << "error: cmasim analyze is not implemented yet\n";
        return 2;
    };
    return c;
}

}  // namespace cmasim::cli
