#pragma once

// Private to src/storage.

#include "NativeStatement.h"

#include <Poco/Data/Session.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/Nullable.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace captrack::storage
{

class StatementCache;

/// One execution of a SQL statement on a session, through the session's cached prepared statement
/// (StatementCache; a session outside the pool gets a statement of its own, finalized at the end):
///
///     Query query(session, "SELECT id, name FROM partners WHERE code = ?");
///     query.bind(code);
///     while (query.next()) ...query.integer(0), query.text(1)...
///
/// Bind every `?` in order, then read rows with next() (which runs the statement the first time) or
/// run a statement without rows with run(). The statement is reset when the Query ends. Errors are the
/// connector's exceptions (see NativeStatement). Used by one thread, on one session, like a Statement.
class Query
{
public:
    /// No for SQL that carries literal values (a list of ids): prepared for this one execution, never
    /// cached, so that it does not push the reused statements out of the cache.
    enum class Reuse
    {
        Yes,
        No,
    };

    /// Streamed for reads of many rows (reports): on MySQL the rows arrive as next() reads them instead
    /// of all at once first, and the session must run nothing else until the last is read.
    enum class Rows
    {
        Stored,
        Streamed,
    };

    Query(Poco::Data::Session& session, std::string_view sql, Reuse reuse = Reuse::Yes, Rows rows = Rows::Stored);
    ~Query();
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(Poco::Int64 value);
    Query& bind(int value) { return bind(static_cast<Poco::Int64>(value)); }
    Query& bind(double value);
    Query& bind(std::string_view value);
    Query& bind(const std::string& value) { return bind(std::string_view(value)); }
    Query& bind(const char* value) { return bind(std::string_view(value)); }
    Query& bindNull();
    /// A Var as the database takes it: empty → NULL, bool → 0/1, integers, numbers, else its text.
    Query& bind(const Poco::Dynamic::Var& value);
    template <typename T> Query& bind(const std::optional<T>& value) { return value ? bind(*value) : bindNull(); }
    template <typename T> Query& bind(const Poco::Nullable<T>& value)
    {
        return value.isNull() ? bindNull() : bind(value.value());
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    Poco::UInt64 run();
    /// The next row (the first call runs the statement); false when there are no more.
    [[nodiscard]] bool next();

    [[nodiscard]] bool isNull(int column) const { return _pStatement->isNull(column); }
    [[nodiscard]] Poco::Int64 integer(int column) const { return _pStatement->integer(column); }
    [[nodiscard]] double real(int column) const { return _pStatement->real(column); }
    [[nodiscard]] std::string text(int column) const { return _pStatement->text(column); }
    /// The text of a column without a copy, valid until the next call of next().
    [[nodiscard]] std::string_view textView(int column) const { return _pStatement->textView(column); }
    [[nodiscard]] std::optional<Poco::Int64> optionalInteger(int column) const;
    [[nodiscard]] std::optional<std::string> optionalText(int column) const;

    /// The single integer of a query such as SELECT COUNT(*); `otherwise` when it returns no row.
    [[nodiscard]] Poco::Int64 single(Poco::Int64 otherwise = 0);

private:
    StatementCache* _pCache;
    NativeStatement* _pStatement;
    std::unique_ptr<NativeStatement> _pOwned; ///< when the session has no cache
    Rows _rows;
    bool _executed = false;
    bool _failed = false; ///< the statement threw: the cache drops it rather than hand it out again

    /// Marks the Query failed when the scope it guards is left by an exception.
    class Failure
    {
    public:
        explicit Failure(Query& query) : _query(query), _exceptions(std::uncaught_exceptions()) {}
        ~Failure()
        {
            if (std::uncaught_exceptions() > _exceptions)
                _query._failed = true;
        }
        Failure(const Failure&) = delete;
        Failure& operator=(const Failure&) = delete;

    private:
        Query& _query;
        int _exceptions;
    };
};

} // namespace captrack::storage
