#include "cmasim/util/level.h"

namespace cmasim::util {

const char* to_string(Level level) {
    switch (level) {
        case Level::Village:
            return "village";
        case Level::Township:
            return "township";
        case Level::County:
            return "county";
        case Level::External:
            return "external";
    }
    return "unknown";
}

std::optional<Level> level_from_string(const std::string& s) {
    for (Level l : {Level::Village, Level::Township, Level::County, Level::External}) {
        if (s == to_string(l)) return l;
    }
    return std::nullopt;
}

}  // namespace cmasim::util
