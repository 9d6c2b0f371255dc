#include "NativeStatement.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

namespace captrack::storage
{

namespace
{
class SqliteStatement final : public NativeStatement
{
public:
    SqliteStatement(sqlite3* db, std::string_view sql) : _db(db)
    {
        const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                          &_stmt, nullptr);
        if (rc != SQLITE_OK)
        {
            sqlite3_finalize(_stmt);
            Poco::Data::SQLite::Utility::throwException(db, rc, std::string(sql));
        }
    }
    ~SqliteStatement() override { sqlite3_finalize(_stmt); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bindNull() override { check(sqlite3_bind_null(_stmt, ++_bound)); }
    void bindInteger(Poco::Int64 value) override { check(sqlite3_bind_int64(_stmt, ++_bound, value)); }
    void bindReal(double value) override { check(sqlite3_bind_double(_stmt, ++_bound, value)); }
    void bindText(std::string_view value) override
    {
        check(sqlite3_bind_text64(_stmt, ++_bound, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }

    void execute(bool) override
    {
        _started = false;
        _pending = step();
        _started = true;
        _changes = _pending ? 0 : static_cast<Poco::UInt64>(sqlite3_changes64(_db));
    }

    bool next() override
    {
        if (_pending)
        {
            _pending = false;
            return true;
        }
        return _started && _more && step();
    }

    Poco::UInt64 changes() const override { return _changes; }

    bool isNull(int column) const override { return sqlite3_column_type(_stmt, column) == SQLITE_NULL; }
    Poco::Int64 integer(int column) const override { return sqlite3_column_int64(_stmt, column); }
    double real(int column) const override { return sqlite3_column_double(_stmt, column); }
    std::string text(int column) const override { return std::string(textView(column)); }
    std::string_view textView(int column) const override
    {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(_stmt, column));
        const int size = sqlite3_column_bytes(_stmt, column);
        return bytes ? std::string_view(bytes, static_cast<std::size_t>(size)) : std::string_view();
    }

    bool reusableAfterFailure() const noexcept override { return true; }

    void reset() noexcept override
    {
        sqlite3_reset(_stmt);
        sqlite3_clear_bindings(_stmt);
        _bound = 0;
        _started = _pending = false;
        _more = true;
        _changes = 0;
    }

private:
    void check(int rc) const
    {
        if (rc != SQLITE_OK)
            Poco::Data::SQLite::Utility::throwException(_db, rc);
    }

    /// One step: true on a row, false when done; throws on an error (the statement is reset by its owner).
    bool step()
    {
        const int rc = sqlite3_step(_stmt);
        if (rc == SQLITE_ROW)
            return true;
        _more = false;
        if (rc == SQLITE_DONE)
            return false;
        Poco::Data::SQLite::Utility::throwException(_db, rc, sqlite3_sql(_stmt));
        return false;
    }

    sqlite3* _db;
    sqlite3_stmt* _stmt = nullptr;
    int _bound = 0;
    bool _started = false; ///< execute() ran
    bool _pending = false; ///< execute() stepped onto a row that next() has not handed out yet
    bool _more = true;     ///< sqlite3_step may still yield rows
    Poco::UInt64 _changes = 0;
};
} // namespace

std::unique_ptr<NativeStatement> prepareSqlite(Poco::Data::Session& session, std::string_view sql)
{
    return std::make_unique<SqliteStatement>(Poco::Data::SQLite::Utility::dbHandle(session), sql);
}

bool configureSqliteLibrary()
{
    static const bool configured = [] {
        // Both must precede sqlite3_initialize(); they fail with SQLITE_MISUSE once it has run.
        return sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK &&
               sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    }();
    return configured;
}

namespace
{
/// Before main(), so before any connection can be open.
const bool sqliteConfiguredAtStart = configureSqliteLibrary();
} // namespace

} // namespace captrack::storage
