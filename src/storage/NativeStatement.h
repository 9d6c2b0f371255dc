#pragma once

// Private to src/storage: the prepared statements of the hot paths, on the session's own handle.

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <memory>
#include <string>
#include <string_view>

namespace captrack::storage
{

/// One SQL statement prepared once on one connection and executed again and again, through the
/// database's own C API (sqlite3_stmt, MYSQL_STMT) rather than a Poco::Data::Statement, which
/// compiles its SQL and allocates binders and extractors on every execution. Parameters are bound
/// in order (the first `?` first); columns are read by their index from 0. Every value travels as
/// the database's own integer, double or text, without Poco::Dynamic::Var.
///
/// Used by one thread at a time, like its connection. A failure throws the Poco::Data exception the
/// connector would have thrown (a SQLite exception class for the result code; a MySQL
/// StatementException carrying "[mysql_stmt_errno]: N"), so storage faults are classified as before.
class NativeStatement
{
public:
    virtual ~NativeStatement() = default;

    virtual void bindNull() = 0;
    virtual void bindInteger(Poco::Int64 value) = 0;
    virtual void bindReal(double value) = 0;
    virtual void bindText(std::string_view value) = 0;

    /// Runs the statement with the parameters bound so far. For a query, the rows are then read with
    /// next(); for anything else, changes() says how many rows it changed. `streamed` (MySQL only: SQLite
    /// always steps) lets the rows arrive as they are read instead of fetching them whole first: for reads
    /// of many rows, which must then be read to the end before the connection runs anything else.
    virtual void execute(bool streamed) = 0;
    /// Moves to the next row of the result; false when there is none.
    [[nodiscard]] virtual bool next() = 0;
    [[nodiscard]] virtual Poco::UInt64 changes() const = 0;

    [[nodiscard]] virtual bool isNull(int column) const = 0;
    [[nodiscard]] virtual Poco::Int64 integer(int column) const = 0;
    [[nodiscard]] virtual double real(int column) const = 0;
    [[nodiscard]] virtual std::string text(int column) const = 0;
    /// The text of a column without a copy: valid until the next call of next().
    [[nodiscard]] virtual std::string_view textView(int column) const = 0;

    /// Forgets the parameters and the result, ready for the next execution.
    virtual void reset() noexcept = 0;
    /// Whether reset() makes the statement fit for use again after it failed (SQLite: sqlite3_reset
    /// clears the error; MySQL: no, see StatementCache::Keep).
    [[nodiscard]] virtual bool reusableAfterFailure() const noexcept = 0;
};

/// Prepares `sql` on the connection behind `session` (SQLite or MySQL, told by its connector).
[[nodiscard]] std::unique_ptr<NativeStatement> prepareNative(Poco::Data::Session& session, std::string_view sql);

/// Sets SQLite up once for captrack, before any connection opens: multi-thread mode (each connection
/// is used by one thread at a time, so SQLite's per-connection mutexes are pure cost) and no memory
/// statistics (a process-wide mutex on every allocation). Called by the Database constructor; later
/// calls change nothing. False when SQLite was already initialised by someone else (then its defaults stay).
bool configureSqliteLibrary();

} // namespace captrack::storage
