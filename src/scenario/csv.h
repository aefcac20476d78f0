// Internal to the loader: a CSV file as planners export it from Excel or WPS (RFC 4180: commas,
// double quotes, CRLF or LF line ends, a UTF-8 byte-order mark or none). The cells keep where
// they stood so that every message about a value names its file, line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cmasim/scenario/diagnostics.h"

namespace cmasim::scenario::detail {

struct CsvCell {
    std::string text;  ///< unquoted, surrounding spaces trimmed
    int line = 0;      ///< 1-based line of the file where the cell starts
    int column = 0;    ///< 1-based byte column (the loader converts to characters)
};

struct CsvRow {
    int number = 0;  ///< 1 for the first row under the header
    int line = 0;    ///< 1-based line where the row starts
    std::vector<CsvCell> cells;
};

struct CsvTable {
    std::vector<CsvCell> header;
    std::vector<CsvRow> rows;  ///< rows with every cell empty are left out
};

/// Parses `text` (valid UTF-8, checked before); problems (an unclosed quote, a row longer than
/// the header, no header) are added to `problems`, located in `label`.
CsvTable parse_csv(std::string_view text, const std::string& label,
                   std::vector<Diagnostic>& problems);

}  // namespace cmasim::scenario::detail
