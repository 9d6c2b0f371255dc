#include "BatchInserter.h"

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Statement.h>

#include <algorithm>

namespace captrack::storage
{

namespace
{
/// Bound values per statement: well below SQLite's and MySQL's limits on placeholders.
constexpr std::size_t VALUES_PER_STATEMENT = 999;
/// Bytes of text per statement: rows may be long (BACKUP_MAX_LINE_BYTES), and a batch of long rows
/// must not hold hundreds of them.
constexpr std::size_t TEXT_BYTES_PER_STATEMENT = 4u << 20;
} // namespace

BatchInserter::BatchInserter(Poco::Data::Session& session, const TableCatalog& catalog, const TableShape& table)
    : _session(session), _columns(table.columns.size()),
      _rowsPerStatement(std::max<std::size_t>(1, VALUES_PER_STATEMENT / std::max<std::size_t>(1, _columns)))
{
    std::string columns;
    for (const auto& column : table.columns)
    {
        columns += (columns.empty() ? "" : ", ") + catalog.quoted(column);
        _rowPlaceholders += _rowPlaceholders.empty() ? "(?" : ", ?";
    }
    _rowPlaceholders += ")";
    _insertInto = "INSERT INTO " + catalog.quoted(table.name) + " (" + columns + ") VALUES ";
    _fullStatementSql = insertSql(_rowsPerStatement);
    _waiting.reserve(_rowsPerStatement * _columns);
}

std::string BatchInserter::insertSql(std::size_t rows) const
{
    std::string sql = _insertInto;
    for (std::size_t row = 0; row < rows; ++row)
        sql += (row == 0 ? "" : ", ") + _rowPlaceholders;
    return sql;
}

void BatchInserter::add(const Poco::JSON::Array& row)
{
    for (std::size_t column = 0; column < _columns; ++column)
    {
        _waiting.push_back(row.get(static_cast<unsigned>(column)));
        if (_waiting.back().isString())
            _waitingTextBytes += _waiting.back().extract<std::string>().size();
    }
    if (_waiting.size() >= _rowsPerStatement * _columns || _waitingTextBytes >= TEXT_BYTES_PER_STATEMENT)
        insertWaiting();
}

void BatchInserter::finish()
{
    if (!_waiting.empty())
        insertWaiting();
}

void BatchInserter::insertWaiting()
{
    const std::size_t rows = _waiting.size() / _columns;
    Poco::Data::Statement statement(_session);
    statement << (rows == _rowsPerStatement ? _fullStatementSql : insertSql(rows));
    for (const auto& value : _waiting)
        bindValue(statement, value);
    statement.execute();
    _waiting.clear();
    _waitingTextBytes = 0;
}

} // namespace captrack::storage
