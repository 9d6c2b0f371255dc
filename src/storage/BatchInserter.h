#pragma once

#include "TableCatalog.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

namespace captrack::storage
{

/// Inserts rows into one table with multi-row INSERT statements (about a thousand values each), so
/// that a large table loads in few round trips. Values are bound, never spliced into the SQL. Runs on
/// the caller's session, so in its transaction. Memory: one batch, of at most 999 values and about
/// 4 MiB of text. Not shared between threads.
class BatchInserter
{
public:
    BatchInserter(Poco::Data::Session& session, const TableCatalog& catalog, const TableShape& table);

    /// Adds a row, one value per column of the table (JSON null, integer, real or string).
    void add(const Poco::JSON::Array& row);
    /// Inserts the rows still waiting; call it after the last add().
    void finish();

private:
    void insertWaiting();
    [[nodiscard]] std::string insertSql(std::size_t rows) const;

    Poco::Data::Session& _session;
    std::string _insertInto; ///< `INSERT INTO t (a, b) VALUES `
    std::string _rowPlaceholders;
    std::size_t _columns;
    std::size_t _rowsPerStatement;
    std::string _fullStatementSql;
    std::vector<Poco::Dynamic::Var> _waiting;
    std::size_t _waitingTextBytes = 0;
};

} // namespace captrack::storage
