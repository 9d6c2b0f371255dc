#pragma once

// Private to src/storage: bulk reads on the session's own connection (the report roll-ups).

#include <Poco/Data/Session.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/Types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace captrack::storage
{

/// One SELECT run through the database's own C API on the connection behind a Poco::Data::Session
/// (an sqlite3_stmt stepped row by row; a MYSQL_STMT whose rows stream in, never buffered whole), for
/// reads of many rows: a value costs one C call, where Poco::Data's extraction costs allocations and
/// virtual calls per value. It runs in the session's transaction or snapshot like any statement.
/// `values` are bound to the `?` in order, as storage::bindValue binds them.
///
/// Forward-only: next() moves to the next row (false after the last); the column readers take a
/// column index from 0 and read the current row. Text views stay valid until the next call of next().
/// Used by one thread, while its session lives and runs nothing else; read every row before the session
/// runs another statement (MySQL: the rows are still arriving). Errors throw the Poco::Data exception the
/// connector would have thrown (a SQLite exception class for the result code; a MySQL StatementException
/// with "[mysql_stmt_errno]: N"), so storage faults are classified as for any statement.
class NativeQuery
{
public:
    virtual ~NativeQuery() = default;

    [[nodiscard]] virtual bool next() = 0;
    [[nodiscard]] virtual bool isNull(int column) const = 0;
    [[nodiscard]] virtual Poco::Int64 integer(int column) const = 0;
    [[nodiscard]] virtual double real(int column) const = 0;
    [[nodiscard]] virtual std::string_view text(int column) const = 0;

    /// Prepares and runs `sql` on the session's connection (SQLite or MySQL, told by its connector).
    [[nodiscard]] static std::unique_ptr<NativeQuery> run(Poco::Data::Session& session, const std::string& sql,
                                                          const std::vector<Poco::Dynamic::Var>& values = {});
};

/// The SQLite and MySQL implementations behind NativeQuery::run.
[[nodiscard]] std::unique_ptr<NativeQuery> runSqliteQuery(Poco::Data::Session& session, const std::string& sql,
                                                          const std::vector<Poco::Dynamic::Var>& values);
[[nodiscard]] std::unique_ptr<NativeQuery> runMysqlQuery(Poco::Data::Session& session, const std::string& sql,
                                                         const std::vector<Poco::Dynamic::Var>& values);

} // namespace captrack::storage
