#include "NativeQuery.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

namespace captrack::storage
{

namespace
{
using Poco::Data::SQLite::Utility;

/// Holds a connection's mutex (none in SQLite's multi-thread mode) while a query reads. In serialized mode
/// (Debian's default) every sqlite3_step and sqlite3_column_* call takes and releases it: a quarter of a
/// large report's time, measured. Held already, each call re-enters it, which costs no atomic operation.
/// The connection is one thread's at a time (storage::Database's pool), so nobody waits for it meanwhile.
class ConnectionHeld
{
public:
    explicit ConnectionHeld(sqlite3* pDb) : _pMutex(sqlite3_db_mutex(pDb)) { sqlite3_mutex_enter(_pMutex); }
    ~ConnectionHeld() { sqlite3_mutex_leave(_pMutex); }
    ConnectionHeld(const ConnectionHeld&) = delete;
    ConnectionHeld& operator=(const ConnectionHeld&) = delete;

private:
    sqlite3_mutex* _pMutex;
};

class SqliteQuery final : public NativeQuery
{
public:
    SqliteQuery(sqlite3* pDb, const std::string& sql) : _pDb(pDb), _held(pDb)
    {
        const int rc = sqlite3_prepare_v2(pDb, sql.c_str(), static_cast<int>(sql.size() + 1), &_pStmt, nullptr);
        if (rc != SQLITE_OK)
        {
            sqlite3_finalize(_pStmt);
            Utility::throwException(pDb, rc, sql);
        }
    }
    ~SqliteQuery() override { sqlite3_finalize(_pStmt); }
    SqliteQuery(const SqliteQuery&) = delete;
    SqliteQuery& operator=(const SqliteQuery&) = delete;

    void bind(const std::vector<Poco::Dynamic::Var>& values)
    {
        int at = 0;
        for (const auto& value : values)
        {
            ++at;
            int rc = SQLITE_OK;
            if (value.isEmpty())
                rc = sqlite3_bind_null(_pStmt, at);
            else if (value.isBoolean())
                rc = sqlite3_bind_int64(_pStmt, at, value.convert<bool>() ? 1 : 0);
            else if (value.isString())
                rc = bindText(at, value.extract<std::string>());
            else if (value.isInteger())
                rc = sqlite3_bind_int64(_pStmt, at, value.convert<Poco::Int64>());
            else if (value.isNumeric())
                rc = sqlite3_bind_double(_pStmt, at, value.convert<double>());
            else
                rc = bindText(at, value.convert<std::string>());
            if (rc != SQLITE_OK)
                Utility::throwException(_pDb, rc);
        }
    }

    bool next() override
    {
        if (_finished)
            return false;
        const int rc = sqlite3_step(_pStmt);
        if (rc == SQLITE_ROW)
            return true;
        _finished = true;
        if (rc != SQLITE_DONE)
            Utility::throwException(_pDb, rc);
        return false;
    }

    bool isNull(int column) const override { return sqlite3_column_type(_pStmt, column) == SQLITE_NULL; }
    Poco::Int64 integer(int column) const override { return sqlite3_column_int64(_pStmt, column); }
    double real(int column) const override { return sqlite3_column_double(_pStmt, column); }
    std::string_view text(int column) const override
    {
        const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(_pStmt, column));
        return bytes ? std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(_pStmt, column)))
                     : std::string_view();
    }

private:
    int bindText(int at, const std::string& text)
    {
        return sqlite3_bind_text64(_pStmt, at, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }

    sqlite3* _pDb;
    ConnectionHeld _held; ///< from before the statement is prepared until after it is finalized
    sqlite3_stmt* _pStmt = nullptr;
    bool _finished = false;
};
} // namespace

std::unique_ptr<NativeQuery> runSqliteQuery(Poco::Data::Session& session, const std::string& sql,
                                            const std::vector<Poco::Dynamic::Var>& values)
{
    auto pQuery = std::make_unique<SqliteQuery>(Utility::dbHandle(session), sql);
    pQuery->bind(values);
    return pQuery;
}

} // namespace captrack::storage
