// Lists from CSV files and implied village clinics, expanded into the YAML records a scenario
// file would write (compose.h, tables.h): the schema then reads them like any other record.
#include "tables.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "compose.h"
#include "csv.h"
#include "schemas.h"
#include "text.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

namespace fs = std::filesystem;
constexpr char kSep = '\x1f';
constexpr std::string_view kLocatedPrefix = "!cmasim-at";

Diagnostic at_node(const std::string& label, const YAML::Node& node, std::string path,
                   std::string message, std::string hint) {
    const YAML::Mark m = node.Mark();
    return Diagnostic{label,           m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1,
                      std::move(path), std::move(message),           std::move(hint)};
}

YAML::Node scalar_at(const std::string& text, const std::string& tag) {
    YAML::Node node(text);
    node.SetTag(tag);
    return node;
}

/// Strips spaces and a trailing unit in brackets: "距离(公里)" -> "距离".
std::string bare_header(std::string h) {
    for (const char* open : {"(", "（"}) {
        const auto at = h.find(open);
        if (at != std::string::npos && at > 0) h.erase(at);
    }
    while (!h.empty() && h.back() == ' ') h.pop_back();
    return h;
}

class TableReader {
  public:
    TableReader(std::string list, std::string file, std::vector<Diagnostic>& problems)
        : list_(std::move(list)), file_(std::move(file)), problems_(problems) {}

    YAML::Node records(const CsvTable& table) {
        YAML::Node out(YAML::NodeType::Sequence);
        if (!header_keys(table.header)) return out;
        const bool id_from_name = std::count(keys_.begin(), keys_.end(), "id") == 0 &&
                                  std::count(keys_.begin(), keys_.end(), "name") == 1 &&
                                  list_ != "roads";
        for (const CsvRow& row : table.rows) out.push_back(record(table, row, id_from_name));
        return out;
    }

  private:
    std::vector<std::string> known_keys() const {
        for (const SchemaKey& section : scenario_schema().docs()) {
            if (section.key != list_) continue;
            std::vector<std::string> keys;
            for (const SchemaKey& k : section.children) keys.push_back(k.key);
            return keys;
        }
        return {};
    }

    std::string key_of(const std::string& header, const std::vector<std::string>& keys) const {
        const std::string bare = bare_header(header);
        if (std::find(keys.begin(), keys.end(), bare) != keys.end()) return bare;
        for (const TableColumn& c : column_aliases(list_)) {
            if (std::find(c.aliases.begin(), c.aliases.end(), bare) != c.aliases.end())
                return c.key;
        }
        return {};
    }

    bool header_keys(const std::vector<CsvCell>& header) {
        const std::vector<std::string> keys = known_keys();
        std::vector<std::string> names = keys;
        for (const TableColumn& c : column_aliases(list_))
            names.insert(names.end(), c.aliases.begin(), c.aliases.end());
        bool ok = true;
        for (const CsvCell& h : header) {
            std::string key = key_of(h.text, keys);
            if (key.empty() && !h.text.empty()) {
                problems_.push_back(Diagnostic{file_, h.line, h.column, "header",
                                               "unknown column '" + h.text + "' for " + list_,
                                               util::did_you_mean(bare_header(h.text), names)});
                ok = false;
            } else if (!key.empty() && std::count(keys_.begin(), keys_.end(), key) > 0) {
                problems_.push_back(
                    Diagnostic{file_, h.line, h.column, "header",
                               "column '" + h.text + "' gives '" + key + "' a second time",
                               "keep one column for it"});
                ok = false;
            }
            keys_.push_back(key);
        }
        return ok;
    }

    YAML::Node record(const CsvTable& table, const CsvRow& row, bool id_from_name) const {
        const std::string row_name = "row " + std::to_string(row.number);
        YAML::Node map(YAML::NodeType::Map);
        map.SetTag(located_tag(file_, row.line, 1, row_name));
        for (std::size_t i = 0; i < row.cells.size() && i < keys_.size(); ++i) {
            const CsvCell& cell = row.cells[i];
            if (cell.text.empty() || keys_[i].empty()) continue;
            const std::string column = "column '" + table.header[i].text + "'";
            const std::string tag =
                located_tag(file_, cell.line, cell.column, row_name + ", " + column);
            map.force_insert(scalar_at(keys_[i], tag), scalar_at(cell.text, tag));
            if (id_from_name && keys_[i] == "name")
                map.force_insert(scalar_at("id", tag), scalar_at(cell.text, tag));
        }
        return map;
    }

    std::string list_;
    std::string file_;
    std::vector<Diagnostic>& problems_;
    std::vector<std::string> keys_;  ///< per header cell, "" when unknown
};

/// The file a {csv: file} value names, relative to the directory of `label`; "" when the value
/// is malformed (reported).
std::string table_file(const YAML::Node& spec, const std::string& list, const std::string& label,
                       std::vector<Diagnostic>& problems) {
    const YAML::Node csv = value_of(spec, "csv");
    if (spec.size() != 1 || !csv.IsScalar() || csv.Scalar().empty()) {
        problems.push_back(at_node(label, spec, list, "a table from a file is written {csv: file}",
                                   "e.g. " + list + ": {csv: " + list + ".csv}"));
        return {};
    }
    const fs::path given = csv.Scalar();
    return (given.is_absolute() ? given : fs::path(label).parent_path() / given)
        .lexically_normal()
        .string();
}

YAML::Node read_table(const YAML::Node& spec, const std::string& list, const std::string& label,
                      std::vector<Diagnostic>& problems, std::vector<std::string>& files) {
    const std::string file = table_file(spec, list, label, problems);
    if (file.empty()) return {};
    bool ok = false;
    std::error_code ec;
    const std::string text = read_file_text(file, ok);
    ok = ok && fs::is_regular_file(file, ec);
    if (!ok) {
        problems.push_back(at_node(label, value_of(spec, "csv"), list + ".csv",
                                   "cannot read the table '" + file + "'",
                                   "the path is relative to the directory of " + label));
        return {};
    }
    files.push_back(file);
    if (auto bad = encoding_problem(text, file)) {
        problems.push_back(*bad);
        return {};
    }
    const CsvTable table = parse_csv(text, file, problems);
    YAML::Node out = TableReader(list, file, problems).records(table);
    const YAML::Mark m = spec.Mark();
    out.SetTag(
        located_tag(label, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, ""));
    return out;
}

}  // namespace

std::string located_tag(const std::string& file, int line, int column, const std::string& note) {
    return std::string(kLocatedPrefix) + kSep + file + kSep + std::to_string(line) + kSep +
           std::to_string(column) + kSep + note;
}

std::optional<Located> read_located_tag(const std::string& tag) {
    if (tag.compare(0, kLocatedPrefix.size(), kLocatedPrefix) != 0) return std::nullopt;
    std::vector<std::string> parts;
    std::stringstream in(tag.substr(kLocatedPrefix.size() + 1));
    for (std::string part; std::getline(in, part, kSep);) parts.push_back(part);
    while (parts.size() < 4) parts.emplace_back();
    return Located{parts[0], std::atoi(parts[1].c_str()), std::atoi(parts[2].c_str()), parts[3]};
}

void add_implied_clinics(YAML::Node root, const std::string& label);

std::vector<std::string> expand_tables(YAML::Node root, const std::string& label) {
    std::vector<std::string> files;
    if (!root.IsMap()) return files;
    std::vector<Diagnostic> problems;
    for (const std::string& list : table_lists()) {
        const YAML::Node spec = value_of(root, list);
        if (!spec.IsMap() || !value_of(spec, "csv").IsDefined()) continue;
        YAML::Node records = read_table(spec, list, label, problems, files);
        if (records.IsDefined()) set_entry(root, list, records);
    }
    if (!problems.empty()) fail(std::move(problems), files);
    add_implied_clinics(root, label);
    return files;
}

}  // namespace cmasim::scenario::detail
