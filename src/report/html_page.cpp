// The report page's frame: numbers, tables, sections, the style sheet, and reading the output
// directory's files (src/report/html_parts.h).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cmasim/indicators/table.h"
#include "cmasim/report/svg.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

/// Fonts the reader's machine has (nothing is downloaded): Noto CJK on Linux, the system's
/// Chinese fonts on Windows and macOS, then any sans-serif.
constexpr const char* kStyle = R"(<style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC","Source Han Sans SC",sans-serif;margin:24px auto;max-width:980px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:1px solid #999;margin-top:2em}
p.sub{color:#555;margin-top:4px}
table{border-collapse:collapse;margin:0.6em 0 1.2em;font-size:0.92em}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
caption{text-align:left;font-weight:bold;padding:4px 0}
.met{color:#006d2c;font-weight:bold}.missed{color:#b30000;font-weight:bold}.undecided{color:#8a6d00}
svg.chart{display:block;margin:0.8em 0;font-family:inherit;font-size:11px;max-width:100%;height:auto}
svg .ct{font-size:13px;font-weight:bold}svg .at{font-size:11px;fill:#444}
svg .grid{stroke:#e3e3e3;stroke-width:1}svg .axis{stroke:#333;stroke-width:1}
svg .target{stroke:#b30000;stroke-width:1.5;stroke-dasharray:6 4}svg .tl{fill:#b30000}
svg .zero{stroke:#333;stroke-width:1.2}svg .ci{stroke:#0072B2;stroke-width:2}
svg .whisker{stroke:#222;stroke-width:1.2}
code{font-size:0.9em;word-break:break-all}
</style>
)";

}  // namespace

std::string number(double value, int decimals) {
    if (!std::isfinite(value)) return "–";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string s = buffer;
    if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos)
        s = s[0] == '-' ? s.substr(1) : s;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    std::size_t point = s.find('.');
    if (point == std::string::npos) point = s.size();
    for (std::size_t i = point; i > start + 3; i -= 3) s.insert(i - 3, ",");
    return s;
}

std::string indicator_number(std::string_view key, double value) {
    return number(value, indicators::decimals(key));
}

const Json& field(const Json& j, std::string_view key) {
    static const Json kNull;
    if (!j.is_object()) return kNull;
    const auto it = j.find(key);
    return it != j.end() ? *it : kNull;
}

double num(const Json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : std::nan("");
}

std::string interval(std::string_view key, double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high)) return "–";
    return "[" + indicator_number(key, low) + ", " + indicator_number(key, high) + "]";
}

namespace {

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ReportInputError("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

}  // namespace

Json read_json(const std::filesystem::path& dir, const std::string& name) {
    const std::filesystem::path path = dir / name;
    Json j = Json::parse(file_text(path), nullptr, false);
    if (!j.is_object()) throw ReportInputError(path.string() + ": not a JSON object");
    return j;
}

Json read_manifest(const std::filesystem::path& dir) {
    return std::filesystem::exists(dir / "manifest.json") ? read_json(dir, "manifest.json")
                                                          : Json::object();
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& dir,
                                               const std::string& name) {
    std::string content = file_text(dir / name);
    if (content.rfind("\xEF\xBB\xBF", 0) == 0) content.erase(0, 3);
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(content);
    std::string line;
    // The project's CSV files never hold a line break inside a field (names are one line).
    while (std::getline(in, line)) {
        if (!line.empty()) rows.push_back(csv_fields(line));
    }
    if (rows.empty()) throw ReportInputError((dir / name).string() + ": empty file");
    return rows;
}

std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, const std::string& caption) {
    std::string out = "<table>\n";
    if (!caption.empty()) out += "<caption>" + caption + "</caption>\n";
    out += "<thead><tr>";
    for (const auto& h : header) out += "<th>" + h + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : rows) {
        out += "<tr>";
        // A cell starting with '\x01' is a number: right-aligned.
        for (const auto& cell : row) {
            const bool numeric = !cell.empty() && cell[0] == '\x01';
            out +=
                numeric ? "<td class=\"n\">" + cell.substr(1) + "</td>" : "<td>" + cell + "</td>";
        }
        out += "</tr>\n";
    }
    return out + "</tbody>\n</table>\n";
}

std::string section(const std::string& id, const std::string& title, const std::string& body) {
    return "<section id=\"" + id + "\">\n<h2>" + svg::escape(title) + "</h2>\n" + body +
           "</section>\n";
}

std::string paragraph(const std::string& text) {
    return "<p>" + svg::escape(text) + "</p>\n";
}

std::string page(const std::string& title, const std::string& subtitle, const std::string& body,
                 Language language) {
    return std::string("<!DOCTYPE html>\n<html lang=\"") +
           (language == Language::Chinese ? "zh-CN" : "en") +
           "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
           "content=\"width=device-width, initial-scale=1\">\n<title>" +
           svg::escape(title) + "</title>\n" + kStyle + "</head>\n<body>\n<h1>" +
           svg::escape(title) + "</h1>\n<p class=\"sub\">" + svg::escape(subtitle) + "</p>\n" +
           body + "</body>\n</html>\n";
}

}  // namespace cmasim::report::html
