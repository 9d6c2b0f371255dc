#include "captrack/storage/Database.h"

#include "SqliteFiles.h"
#include "captrack/Errors.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>
#include <Poco/UTF8String.h>
#include <sqlite3.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// SQLite's own lower() folds ASCII letters only; this one folds all of Unicode like MariaDB's, so
/// searches (`q=`) find the same rows on both databases.
void utf8Lower(sqlite3_context* context, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
    {
        sqlite3_result_null(context);
        return;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const std::string lowered = Poco::UTF8::toLower(std::string(text ? text : ""));
    sqlite3_result_text(context, lowered.c_str(), static_cast<int>(lowered.size()), SQLITE_TRANSIENT);
}

/// A pool whose new SQLite sessions get the pragmas captrack relies on: they are per connection.
class CaptrackSessionPool : public Poco::Data::SessionPool
{
public:
    CaptrackSessionPool(const DatabaseUrl& url, int maxSessions)
        : Poco::Data::SessionPool(url.connector, url.connectionString, 1, maxSessions, 300), _dialect(url.dialect)
    {
    }

protected:
    void customizeSession(Poco::Data::Session& session) override
    {
        if (_dialect != Dialect::SQLite)
            return;
        std::string mode;
        session << "PRAGMA journal_mode=WAL", into(mode), now;
        session << "PRAGMA synchronous=FULL", now;
        session << "PRAGMA foreign_keys=ON", now;
        sqlite3_create_function_v2(Poco::Data::SQLite::Utility::dbHandle(session), "lower", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, utf8Lower, nullptr, nullptr, nullptr);
    }

private:
    Dialect _dialect;
};

void registerConnectors()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}
} // namespace

DatabaseUrl DatabaseUrl::parse(const std::string& url)
{
    DatabaseUrl out;
    if (url.rfind("sqlite:", 0) == 0)
    {
        out.dialect = Dialect::SQLite;
        out.connector = "SQLite";
        out.sqlitePath = url.substr(7);
        if (out.sqlitePath.empty())
            throw Poco::InvalidArgumentException("db.url", "sqlite: needs a file path or :memory:");
        out.connectionString = out.sqlitePath;
        out.display = url;
        return out;
    }
    if (url.rfind("mysql://", 0) == 0 || url.rfind("mariadb://", 0) == 0)
    {
        const Poco::URI uri(url);
        std::string user = uri.getUserInfo(), password;
        const auto colon = user.find(':');
        if (colon != std::string::npos)
        {
            password = user.substr(colon + 1);
            user = user.substr(0, colon);
        }
        std::string name = uri.getPath();
        if (!name.empty() && name[0] == '/')
            name.erase(0, 1);
        if (uri.getHost().empty() || name.empty())
            throw Poco::InvalidArgumentException("db.url", "mysql:// URL needs a host and a database name");
        out.dialect = Dialect::MySQL;
        out.connector = "MySQL";
        out.connectionString =
            "host=" + uri.getHost() + ";port=" + std::to_string(uri.getPort() ? uri.getPort() : 3306) + ";db=" + name +
            ";user=" + user + ";password=" + password + ";character-set=utf8mb4;compress=false;auto-reconnect=true";
        out.display = "mysql://" + user + (password.empty() ? "" : ":***") + "@" + uri.getHost() + ":" +
                      std::to_string(uri.getPort() ? uri.getPort() : 3306) + "/" + name;
        return out;
    }
    throw Poco::InvalidArgumentException("db.url", "expected sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/NAME");
}

SessionLease::SessionLease(Poco::Data::Session session, Poco::Semaphore& slots)
    : _session(std::move(session)), _slots(slots)
{
}

SessionLease::~SessionLease()
{
    // Give the session back to the pool before freeing the slot, so the next lease finds it there.
    _session.reset();
    _slots.set();
}

Database::Database(const DatabaseUrl& url, std::size_t maxSessions)
    : _url(url), _maxSessions(url.sqlitePath == ":memory:" ? 1 : maxSessions),
      _slots(static_cast<int>(_maxSessions), static_cast<int>(_maxSessions))
{
    registerConnectors();
    if (_url.dialect == Dialect::SQLite && _url.sqlitePath != ":memory:")
        makeSqliteFilesPrivate(_url.sqlitePath);
    _pPool = std::make_unique<CaptrackSessionPool>(_url, static_cast<int>(_maxSessions));
}

Database::~Database()
{
    _pPool->shutdown();
}

std::unique_ptr<SessionLease> Database::lease()
{
    if (!_slots.tryWait(10000))
        throw UnavailableError("no database session became free within 10 s");
    try
    {
        return std::make_unique<SessionLease>(_pPool->get(), _slots);
    }
    catch (const Poco::Exception& e)
    {
        _slots.set();
        Poco::Logger::get("captrack.storage").error("cannot open a database session: " + e.displayText());
        throw UnavailableError("the database cannot be reached");
    }
}

std::unique_lock<std::mutex> Database::writeLock()
{
    if (_url.dialect == Dialect::SQLite)
        return std::unique_lock<std::mutex>(_writeMutex);
    return std::unique_lock<std::mutex>();
}

const char* Database::lastInsertIdSql() const noexcept
{
    return _url.dialect == Dialect::SQLite ? "SELECT last_insert_rowid()" : "SELECT LAST_INSERT_ID()";
}

const char* Database::lockRowsSuffix() const noexcept
{
    return _url.dialect == Dialect::SQLite ? "" : " FOR UPDATE";
}

bool Database::ping()
{
    try
    {
        auto pLease = lease();
        int one = 0;
        pLease->session() << "SELECT 1", into(one), now;
        return one == 1;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

} // namespace captrack::storage
