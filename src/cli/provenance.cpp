// Who ran what, for every manifest: the build (report::build_info()), the command line as typed
// and the worker threads.
#include "commands.h"

namespace cmasim::cli {

namespace {

std::vector<std::string>& command_line() {
    static std::vector<std::string> words;
    return words;
}

}  // namespace

void record_command_line(int argc, char** argv) {
    command_line().assign(argv, argv + argc);
}

report::Provenance provenance(int threads) {
    return {report::build_info(), command_line(), threads};
}

}  // namespace cmasim::cli
