#include "captrack/storage/BackupWriter.h"

#include "AtomicFile.h"
#include "BackupFormat.h"
#include "TableCatalog.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/RecordStore.h"
#include "captrack/storage/RollupStore.h"

#include <Poco/Data/MetaColumn.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>

namespace captrack::storage
{

using Poco::Data::MetaColumn;
using Poco::Dynamic::Var;

namespace
{
/// Rows read per query: bounds the memory a table of any size takes.
constexpr std::size_t ROWS_PER_PAGE = 1000;

/// The lines of the file, with the SHA-256 of every byte written so far.
class DigestedLines
{
public:
    explicit DigestedLines(AtomicFile& file) : _file(file), _sha(Poco::SHA2Engine::SHA_256) {}

    void write(std::string line)
    {
        line += '\n';
        _sha.update(line);
        _file.write(line);
    }
    [[nodiscard]] std::string digestHex() { return Poco::DigestEngine::digestToHex(_sha.digest()); }

private:
    AtomicFile& _file;
    Poco::SHA2Engine _sha;
};

bool isWholeNumber(MetaColumn::ColumnDataType type)
{
    switch (type)
    {
    case MetaColumn::FDT_BOOL:
    case MetaColumn::FDT_INT8:
    case MetaColumn::FDT_UINT8:
    case MetaColumn::FDT_INT16:
    case MetaColumn::FDT_UINT16:
    case MetaColumn::FDT_INT32:
    case MetaColumn::FDT_UINT32:
    case MetaColumn::FDT_INT64:
    case MetaColumn::FDT_UINT64:
        return true;
    default:
        return false;
    }
}

bool isReal(MetaColumn::ColumnDataType type)
{
    return type == MetaColumn::FDT_FLOAT || type == MetaColumn::FDT_DOUBLE;
}

void appendCell(std::string& line, const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row)
{
    if (rows.isNull(column, row))
    {
        line += "null";
        return;
    }
    const Var value = rows.value(column, row);
    const auto type = rows.columnType(column);
    if (isWholeNumber(type))
        line += std::to_string(value.convert<Poco::Int64>());
    else if (isReal(type))
        appendJsonReal(line, value.convert<double>());
    else
        appendJsonString(line, columnText(value));
}

std::string rowLine(const Poco::Data::RecordSet& rows, std::size_t row)
{
    std::string line = "[";
    for (std::size_t column = 0; column < rows.columnCount(); ++column)
    {
        if (column > 0)
            line += ',';
        appendCell(line, rows, column, row);
    }
    return line + "]";
}

std::string joined(const TableCatalog& catalog, const std::vector<std::string>& names)
{
    std::string list;
    for (const auto& name : names)
        list += (list.empty() ? "" : ", ") + catalog.quoted(name);
    return list;
}

/// A row's line; Poco::DataFormatException naming the table and the row's key when the row cannot be
/// written (text that is not UTF-8) or read back (a restore refuses lines over BACKUP_MAX_LINE_BYTES).
std::string checkedRowLine(const Poco::Data::RecordSet& rows, std::size_t row, const TableShape& table,
                           const std::vector<std::size_t>& keyIndexes)
{
    const auto where = [&] {
        std::string key;
        for (const auto index : keyIndexes)
            key += (key.empty() ? "" : ", ") + rows.columnName(index) + " = " + columnText(rows.value(index, row));
        return "the row of " + table.name + " with " + key;
    };
    std::string line;
    try
    {
        line = rowLine(rows, row);
    }
    catch (const Poco::DataFormatException& e)
    {
        throw Poco::DataFormatException(where() + ": " + e.message());
    }
    if (line.size() > BACKUP_MAX_LINE_BYTES)
        throw Poco::DataFormatException(where() + " is longer than a backup line may be (" +
                                        std::to_string(BACKUP_MAX_LINE_BYTES >> 20) + " MiB)");
    return line;
}

/// `(k1 > ?) OR (k1 = ? AND k2 > ?) ...`: the rows after a key, for keys of any width; both dialects
/// walk the primary key's index for it.
std::string afterKeyCondition(const TableCatalog& catalog, const std::vector<std::string>& keys)
{
    std::string condition;
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        std::string term;
        for (std::size_t j = 0; j < i; ++j)
            term += catalog.quoted(keys[j]) + " = ? AND ";
        condition += (condition.empty() ? "(" : " OR (") + term + catalog.quoted(keys[i]) + " > ?)";
    }
    return condition;
}

/// Copies one table in key order, a page at a time (keyset paging: each page starts after the last
/// key of the one before, so no page costs more than the first). Returns the rows written.
Poco::UInt64 copyRows(Poco::Data::Session& session, const TableCatalog& catalog, const TableShape& table,
                      DigestedLines& lines)
{
    const std::string select = "SELECT " + joined(catalog, table.columns) + " FROM " + catalog.quoted(table.name);
    const std::string order =
        " ORDER BY " + joined(catalog, table.keyColumns) + " LIMIT " + std::to_string(ROWS_PER_PAGE);
    const std::string after = " WHERE " + afterKeyCondition(catalog, table.keyColumns);
    std::vector<std::size_t> keyIndexes;
    for (const auto& key : table.keyColumns)
        keyIndexes.push_back(static_cast<std::size_t>(std::find(table.columns.begin(), table.columns.end(), key) -
                                                      table.columns.begin()));

    Poco::UInt64 written = 0;
    std::vector<Var> lastKey;
    for (;;)
    {
        Poco::Data::Statement statement(session);
        statement << select + (lastKey.empty() ? "" : after) + order;
        for (std::size_t i = 0; i < lastKey.size(); ++i)
            for (std::size_t j = 0; j <= i; ++j)
                bindValue(statement, lastKey[j]);
        statement.execute();
        const Poco::Data::RecordSet rows(statement);
        for (std::size_t row = 0; row < rows.rowCount(); ++row)
            lines.write(checkedRowLine(rows, row, table, keyIndexes));
        written += rows.rowCount();
        if (rows.rowCount() < ROWS_PER_PAGE)
            return written;
        lastKey.clear();
        for (const auto index : keyIndexes)
        {
            const Var value = rows.value(index, rows.rowCount() - 1);
            lastKey.push_back(isWholeNumber(rows.columnType(index)) ? Var(value.convert<Poco::Int64>())
                                                                    : Var(columnText(value)));
        }
    }
}

BackupHeader describe(const TableCatalog& catalog, Dialect dialect, const std::string& takenAt)
{
    BackupHeader header;
    header.dialect = dialectName(dialect);
    header.takenAt = takenAt;
    header.migrations = catalog.appliedMigrations();
    for (const auto& name : catalog.tableNames())
    {
        // The report roll-ups are derived from the other tables: a restore computes them again.
        if (isMigratorTable(name) || RollupStore::isDerivedTable(name))
            continue;
        BackupTable table{catalog.shape(name), 0};
        if (table.shape.keyColumns.empty())
            throw Poco::IllegalStateException("table " + name + " has no primary key; a backup reads in key order");
        if (table.shape.numbersRows)
            table.nextId = catalog.nextId(table.shape);
        header.tables.push_back(std::move(table));
    }
    return header;
}
} // namespace

BackupWriter::BackupWriter(Database& database, const domain::Clock& clock) : _database(database), _clock(clock) {}

BackupSummary BackupWriter::writeTo(const std::string& path, const TableWritten& onTableWritten) const
{
    AtomicFile file(path);
    DigestedLines lines(file);
    BackupSummary summary;
    {
        ReadSnapshot snapshot(_database);
        const TableCatalog catalog(snapshot.session(), snapshot.dialect());
        const BackupHeader header = describe(catalog, snapshot.dialect(), _clock.nowText());
        summary.dialect = header.dialect;
        summary.takenAt = header.takenAt;
        lines.write(headerLine(header));
        for (const auto& table : header.tables)
        {
            lines.write(tableLine(table.shape.name));
            const Poco::UInt64 rows = copyRows(snapshot.session(), catalog, table.shape, lines);
            summary.tables.push_back({table.shape.name, rows});
            if (onTableWritten)
                onTableWritten(table.shape.name, rows);
        }
    }
    // The snapshot has ended before the file is synced: the disk's pace does not hold old row versions.
    lines.write(endLine(summary, lines.digestHex()));
    file.commit();
    return summary;
}

} // namespace captrack::storage
