#include "TableCatalog.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

#include <algorithm>
#include <map>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
std::string doubled(const std::string& text, char quote)
{
    std::string out;
    for (char c : text)
    {
        out += c;
        if (c == quote)
            out += c;
    }
    return out;
}
} // namespace

TableCatalog::TableCatalog(Poco::Data::Session& session, Dialect dialect) : _session(session), _dialect(dialect) {}

std::string TableCatalog::quoted(const std::string& identifier) const
{
    const char quote = _dialect == Dialect::MySQL ? '`' : '"';
    return quote + doubled(identifier, quote) + quote;
}

std::vector<std::string> TableCatalog::tableNames() const
{
    std::vector<std::string> names;
    if (_dialect == Dialect::MySQL)
        _session << "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
            into(names), now;
    else
        _session << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            into(names), now;
    std::sort(names.begin(), names.end());
    return names;
}

TableShape TableCatalog::shape(const std::string& table) const
{
    TableShape shape;
    shape.name = table;
    std::string name = table;
    if (_dialect == Dialect::MySQL)
    {
        std::vector<std::string> extras;
        _session << "SELECT column_name, extra FROM information_schema.columns "
                    "WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
            into(shape.columns), into(extras), use(name), now;
        _session << "SELECT column_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                    "AND table_name = ? AND index_name = 'PRIMARY' ORDER BY seq_in_index",
            into(shape.keyColumns), use(name), now;
        for (std::size_t i = 0; i < shape.columns.size(); ++i)
            if (Poco::icompare(extras[i], "auto_increment") == 0 && shape.keyColumns.size() == 1 &&
                shape.keyColumns.front() == shape.columns[i])
                shape.numbersRows = true;
    }
    else
    {
        std::vector<std::string> types;
        std::vector<int> keyPositions;
        _session << "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", into(shape.columns), into(types),
            into(keyPositions), use(name), now;
        std::map<int, std::string> keyByPosition;
        for (std::size_t i = 0; i < shape.columns.size(); ++i)
            if (keyPositions[i] > 0)
                keyByPosition[keyPositions[i]] = shape.columns[i];
        for (const auto& [position, column] : keyByPosition)
            shape.keyColumns.push_back(column);
        // Only a single INTEGER PRIMARY KEY column is SQLite's rowid, numbered by the database.
        for (std::size_t i = 0; i < shape.columns.size(); ++i)
            if (keyPositions[i] > 0 && keyByPosition.size() == 1 && Poco::icompare(types[i], "INTEGER") == 0)
                shape.numbersRows = true;
    }
    if (shape.columns.empty())
        throw Poco::NotFoundException("no table named " + table);
    return shape;
}

bool TableCatalog::hasRows(const std::string& table) const
{
    std::vector<int> rows;
    _session << "SELECT 1 FROM " + quoted(table) + " LIMIT 1", into(rows), now;
    return !rows.empty();
}

std::vector<std::string> TableCatalog::appliedMigrations() const
{
    const auto tables = tableNames();
    if (!std::binary_search(tables.begin(), tables.end(), std::string("schema_migrations")))
        throw Poco::NotFoundException("schema_migrations: this is not a captrack database (run captrack migrate)");
    std::vector<std::string> names;
    _session << "SELECT name FROM schema_migrations", into(names), now;
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> TableCatalog::brokenReferences() const
{
    if (_dialect == Dialect::MySQL)
        return brokenMySqlReferences();
    std::vector<std::string> tables, parents;
    _session << "SELECT DISTINCT \"table\", parent FROM pragma_foreign_key_check", into(tables), into(parents), now;
    std::vector<std::string> broken;
    for (std::size_t i = 0; i < tables.size(); ++i)
        broken.push_back(tables[i] + " -> " + parents[i]);
    return broken;
}

std::vector<std::string> TableCatalog::brokenMySqlReferences() const
{
    std::vector<std::string> constraints, tables, columns, parents, parentColumns;
    _session << "SELECT constraint_name, table_name, column_name, referenced_table_name, referenced_column_name "
                "FROM information_schema.key_column_usage "
                "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL "
                "ORDER BY table_name, constraint_name, ordinal_position",
        into(constraints), into(tables), into(columns), into(parents), into(parentColumns), now;
    std::vector<std::string> broken;
    for (std::size_t first = 0; first < constraints.size();)
    {
        // One foreign key: its columns are the rows with the same table and constraint. Like MySQL
        // itself, a row with a NULL in them references nothing.
        std::string present, matches;
        std::size_t next = first;
        for (; next < constraints.size() && constraints[next] == constraints[first] && tables[next] == tables[first];
             ++next)
        {
            present += (present.empty() ? "" : " AND ") + quoted("c") + "." + quoted(columns[next]) + " IS NOT NULL";
            matches += (matches.empty() ? "" : " AND ") + quoted("p") + "." + quoted(parentColumns[next]) + " = " +
                       quoted("c") + "." + quoted(columns[next]);
        }
        std::vector<int> found;
        _session << "SELECT 1 FROM " + quoted(tables[first]) + " " + quoted("c") + " WHERE " + present +
                        " AND NOT EXISTS (SELECT 1 FROM " + quoted(parents[first]) + " " + quoted("p") + " WHERE " +
                        matches + ") LIMIT 1",
            into(found), now;
        if (!found.empty())
            broken.push_back(tables[first] + " -> " + parents[first]);
        first = next;
    }
    return broken;
}

Poco::Int64 TableCatalog::highestId(const TableShape& table) const
{
    Poco::Int64 highest = 0;
    _session << "SELECT COALESCE(MAX(" + quoted(table.keyColumns.front()) + "), 0) FROM " + quoted(table.name),
        into(highest), now;
    return highest;
}

bool TableCatalog::hasSqliteSequence() const
{
    Poco::Int64 count = 0;
    _session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", into(count),
        now;
    return count > 0;
}

Poco::Int64 TableCatalog::counterNextId(const std::string& table) const
{
    std::string name = table;
    std::vector<Poco::Int64> next;
    if (_dialect == Dialect::MySQL)
        _session << "SELECT COALESCE(AUTO_INCREMENT, 1) FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() AND table_name = ?",
            into(next), use(name), now;
    else if (hasSqliteSequence())
        _session << "SELECT seq + 1 FROM sqlite_sequence WHERE name = ?", into(next), use(name), now;
    return next.empty() ? 1 : next.front();
}

Poco::Int64 TableCatalog::nextId(const TableShape& table) const
{
    return std::max(highestId(table) + 1, counterNextId(table.name));
}

void TableCatalog::raiseNextId(const std::string& table, Poco::Int64 next) const
{
    if (counterNextId(table) >= next)
        return;
    if (_dialect == Dialect::MySQL)
    {
        _session << "ALTER TABLE " + quoted(table) + " AUTO_INCREMENT = " + std::to_string(next), now;
        return;
    }
    std::string name = table;
    std::vector<std::string> definition;
    _session << "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", into(definition), use(name), now;
    if (definition.empty() || Poco::toUpper(definition.front()).find("AUTOINCREMENT") == std::string::npos)
        return;
    Poco::Int64 last = next - 1;
    _session << "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", use(last), use(name), now;
    _session << "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
        use(name), use(last), use(name), now;
}

} // namespace captrack::storage
