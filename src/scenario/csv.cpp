// Reading a CSV file into cells that know where they stood (csv.h).
#include "csv.h"

#include "text.h"

namespace cmasim::scenario::detail {

namespace {

class CsvReader {
  public:
    CsvReader(std::string_view text, const std::string& label, std::vector<Diagnostic>& problems)
        : text_(text), label_(label), problems_(problems) {
        if (without_bom(text).size() != text.size()) pos_ = kUtf8Bom.size();
    }

    bool done() const { return pos_ >= text_.size(); }

    /// The cells of the next record; consumes its end of line.
    std::vector<CsvCell> record() {
        std::vector<CsvCell> cells;
        while (true) {
            cells.push_back(cell());
            if (done()) return cells;
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            end_of_line();
            return cells;
        }
    }

    int line() const { return line_; }

  private:
    void skip_spaces() {
        while (!done() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    }

    bool at_end_of_line() const {
        return done() || text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n";
    }

    void end_of_line() {
        if (text_[pos_] == '\r') ++pos_;
        if (!done() && text_[pos_] == '\n') ++pos_;
        ++line_;
        line_start_ = pos_;
    }

    CsvCell cell() {
        skip_spaces();
        CsvCell out{"", line_, static_cast<int>(pos_ - line_start_) + 1};
        if (!done() && text_[pos_] == '"') return quoted(out);
        const std::size_t start = pos_;
        while (!at_end_of_line() && text_[pos_] != ',') ++pos_;
        out.text = std::string(text_.substr(start, pos_ - start));
        while (!out.text.empty() && (out.text.back() == ' ' || out.text.back() == '\t'))
            out.text.pop_back();
        return out;
    }

    CsvCell quoted(CsvCell out) {
        ++pos_;
        while (true) {
            if (done()) {
                problems_.push_back(Diagnostic{
                    label_, out.line, out.column, "", "this quoted value has no closing '\"'",
                    "close the quote, or write \"\" for a quote inside"});
                return out;
            }
            const char c = text_[pos_++];
            if (c == '"' && !done() && text_[pos_] == '"') {
                out.text += '"';
                ++pos_;
            } else if (c == '"') {
                break;
            } else {
                out.text += c;
                if (c == '\n') ++line_, line_start_ = pos_;
            }
        }
        skip_spaces();
        if (!at_end_of_line() && text_[pos_] != ',') {
            problems_.push_back(Diagnostic{label_, line_, static_cast<int>(pos_ - line_start_) + 1,
                                           "", "text after the closing '\"' of a quoted value",
                                           "put the whole value inside the quotes"});
            while (!at_end_of_line() && text_[pos_] != ',') ++pos_;
        }
        return out;
    }

    std::string_view text_;
    const std::string& label_;
    std::vector<Diagnostic>& problems_;
    std::size_t pos_ = 0;
    std::size_t line_start_ = 0;
    int line_ = 1;
};

bool all_empty(const std::vector<CsvCell>& cells) {
    for (const auto& c : cells) {
        if (!c.text.empty()) return false;
    }
    return true;
}

/// A header of one cell that holds tabs, semicolons or full-width commas was not saved with
/// commas between its columns.
void check_separator(const CsvCell& only, const std::string& label,
                     std::vector<Diagnostic>& problems) {
    for (const char* sep : {"\t", ";", "，"}) {
        if (only.text.find(sep) == std::string::npos) continue;
        const std::string shown = sep[0] == '\t' ? "tabs" : std::string("'") + sep + "'";
        problems.push_back(Diagnostic{
            label, only.line, only.column, "",
            "the header is one column: the columns are separated by " + shown + ", not commas",
            "save the sheet as 'CSV UTF-8 (Comma delimited)'"});
        return;
    }
}

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& label,
                   std::vector<Diagnostic>& problems) {
    CsvReader reader(text, label, problems);
    CsvTable table;
    bool have_header = false;
    int number = 0;
    while (!reader.done()) {
        const int line = reader.line();
        std::vector<CsvCell> cells = reader.record();
        if (all_empty(cells)) continue;
        if (!have_header) {
            table.header = std::move(cells);
            have_header = true;
            if (table.header.size() == 1) check_separator(table.header[0], label, problems);
            continue;
        }
        ++number;
        for (std::size_t i = table.header.size(); i < cells.size(); ++i) {
            if (cells[i].text.empty()) continue;
            problems.push_back(Diagnostic{
                label, cells[i].line, cells[i].column, "row " + std::to_string(number),
                "the row has " + std::to_string(cells.size()) + " cells, the header names " +
                    std::to_string(table.header.size()) + " columns",
                "a value with a comma must be in double quotes; or name the column in the header"});
            break;
        }
        table.rows.push_back(CsvRow{number, line, std::move(cells)});
    }
    if (!have_header) {
        problems.push_back(
            Diagnostic{label, 1, 1, "", "the table is empty",
                       "the first line names the columns, one row follows per item"});
    }
    return table;
}

}  // namespace cmasim::scenario::detail
