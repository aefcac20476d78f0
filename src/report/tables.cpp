#include "cmasim/report/tables.h"

#include <array>

#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"

namespace cmasim::report {

namespace {

/// A breakdown with a table of its own: the dimension it holds, the table's name, the name of
/// its group column, and whether a "name" column follows it (groups with an id and a name).
struct GroupTable {
    const char* dimension;
    const char* name;
    const char* column;
    bool named;
};

constexpr std::array<GroupTable, 5> kGroupTables = {{{"township", "townships", "township", true},
                                                     {"month", "months", "month", false},
                                                     {"facility", "facilities", "facility", true},
                                                     {"condition", "conditions", "condition", true},
                                                     {"level", "levels", "level", false}}};

bool has_own_table(const std::string& dimension) {
    for (const auto& t : kGroupTables) {
        if (dimension == t.dimension) return true;
    }
    return false;
}

TidyTable empty_table(std::string name, std::vector<std::string> key_columns) {
    TidyTable t;
    t.name = std::move(name);
    t.keys.resize(key_columns.size());
    t.key_columns = std::move(key_columns);
    return t;
}

void add_row(TidyTable& t, std::uint64_t replication,
             std::initializer_list<const std::string*> keys, double value) {
    t.replication.push_back(replication);
    std::size_t column = 0;
    for (const std::string* key : keys) t.keys[column++].push_back(*key);
    t.value.push_back(value);
}

TidyTable county_table(const std::vector<const indicators::ReplicationResult*>& order) {
    TidyTable t = empty_table("replications", {"indicator"});
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->county) add_row(t, r->replication, {&row.indicator}, row.value);
    }
    return t;
}

/// A run with a policy timeline marks each month with the period in force on its first day
/// (the rows' name): the months table then has a "period" column.
bool marked_months(const std::vector<const indicators::ReplicationResult*>& order) {
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->groups) {
            if (row.dimension == "month" && !row.name.empty()) return true;
        }
    }
    return false;
}

TidyTable group_table(const std::vector<const indicators::ReplicationResult*>& order,
                      const GroupTable& g) {
    const bool marked = g.dimension == std::string("month") && marked_months(order);
    if (!g.named && !marked) {
        TidyTable t = empty_table(g.name, {g.column, "indicator"});
        for (const indicators::ReplicationResult* r : order) {
            for (const auto& row : r->groups) {
                if (row.dimension == g.dimension)
                    add_row(t, r->replication, {&row.group, &row.indicator}, row.value);
            }
        }
        return t;
    }
    TidyTable t = empty_table(g.name, {g.column, marked ? "period" : "name", "indicator"});
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->groups) {
            if (row.dimension == g.dimension)
                add_row(t, r->replication, {&row.group, &row.name, &row.indicator}, row.value);
        }
    }
    return t;
}

/// Breakdowns without a table of their own (years, periods: groups that are their own names);
/// a "name" column follows the group when any of their groups has a name beside its id.
TidyTable other_groups_table(const std::vector<const indicators::ReplicationResult*>& order) {
    bool named = false;
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->groups)
            named = named || (!has_own_table(row.dimension) && !row.name.empty());
    }
    TidyTable t = empty_table(
        "other_groups", named ? std::vector<std::string>{"dimension", "group", "name", "indicator"}
                              : std::vector<std::string>{"dimension", "group", "indicator"});
    for (const indicators::ReplicationResult* r : order) {
        for (const auto& row : r->groups) {
            if (has_own_table(row.dimension)) continue;
            if (named) {
                add_row(t, r->replication, {&row.dimension, &row.group, &row.name, &row.indicator},
                        row.value);
            } else {
                add_row(t, r->replication, {&row.dimension, &row.group, &row.indicator}, row.value);
            }
        }
    }
    return t;
}

}  // namespace

std::vector<TidyTable> tidy_tables(const std::vector<indicators::ReplicationResult>& results) {
    const auto order = in_replication_order(results);
    std::vector<TidyTable> tables;
    tables.push_back(county_table(order));
    for (const auto& g : kGroupTables) tables.push_back(group_table(order, g));
    TidyTable others = other_groups_table(order);
    if (others.rows() > 0) tables.push_back(std::move(others));
    return tables;
}

void append_csv_field(std::string& out, const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out += field;
        return;
    }
    out += '"';
    for (const char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string tidy_csv(const TidyTable& table) {
    std::string out = "replication";
    for (const auto& column : table.key_columns) out += "," + column;
    out += ",value\n";
    for (std::size_t row = 0; row < table.rows(); ++row) {
        out += std::to_string(table.replication[row]);
        for (const auto& column : table.keys) {
            out += ',';
            append_csv_field(out, column[row]);
        }
        out += ',';
        out += round_trip_number(table.value[row]);
        out += '\n';
    }
    return out;
}

}  // namespace cmasim::report
