#include "captrack/storage/Migrator.h"

#include "captrack/domain/Clock.h"
#include "captrack/storage/InstanceName.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/DataException.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <sstream>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

std::vector<std::string> splitSqlStatements(const std::string& script)
{
    std::vector<std::string> statements;
    std::istringstream lines(script);
    std::string line, current;
    while (std::getline(lines, line))
    {
        const std::string trimmed = Poco::trim(line);
        if (trimmed.empty() || trimmed.rfind("--", 0) == 0)
            continue;
        current += line + "\n";
        if (trimmed.back() == ';')
        {
            current = Poco::trim(current);
            current.pop_back();
            statements.push_back(current);
            current.clear();
        }
    }
    if (!Poco::trim(current).empty())
        statements.push_back(Poco::trim(current));
    return statements;
}

Migrator::Migrator(Database& database, std::string sqlRoot) : _database(database), _sqlRoot(std::move(sqlRoot)) {}

std::vector<std::string> Migrator::available() const
{
    const std::string folder = _sqlRoot + (_database.dialect() == Dialect::SQLite ? "/sqlite" : "/mysql");
    std::vector<std::string> names;
    Poco::File(folder).list(names);
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) { return n.size() < 5 || n.substr(n.size() - 4) != ".sql"; }),
                names.end());
    std::sort(names.begin(), names.end());
    for (auto& name : names)
        name = folder + "/" + name;
    return names;
}

namespace
{
/// How long a MySQL migration lock is held at most without a sign of life from its holder (renewed after
/// each file); a server that died holding it is taken over after that.
constexpr int LOCK_LEASE_SECONDS = 600;
/// How long a starting server waits for another one's migrations before it gives up.
constexpr int LOCK_WAIT_SECONDS = 300;

/// Takes the one row of `schema_lock` (MySQL: DDL commits on its own, so no transaction can hold the
/// migrations together; an INSERT of the same primary key succeeds on one server only, on a single
/// MariaDB and across a Galera cluster alike). A lock left by a server that died expires.
void takeMigrationLock(Poco::Data::Session& session, const std::string& holder)
{
    session << "CREATE TABLE IF NOT EXISTS schema_lock (id INT NOT NULL PRIMARY KEY, holder VARCHAR(200) NOT NULL, "
               "expires_at BIGINT NOT NULL)",
        now;
    const Poco::Timestamp start;
    for (;;)
    {
        try
        {
            session << "INSERT INTO schema_lock (id, holder, expires_at) VALUES (1, ?, UNIX_TIMESTAMP() + ?)",
                bind(holder), bind(LOCK_LEASE_SECONDS), now;
            return;
        }
        catch (const Poco::Data::DataException& e)
        {
            const int code = mysqlErrorNumber(e);
            if (code != 1062 && classifyStorageError(e) != StorageFault::Conflict)
                throw;
        }
        session << "DELETE FROM schema_lock WHERE id = 1 AND expires_at < UNIX_TIMESTAMP()", now;
        if (start.isElapsed(Poco::Timestamp::TimeDiff(LOCK_WAIT_SECONDS) * 1000000))
            throw Poco::TimeoutException("another server has been migrating the database for " +
                                         std::to_string(LOCK_WAIT_SECONDS) + " s (table schema_lock)");
        Poco::Thread::sleep(200);
    }
}

std::set<std::string> appliedNames(Poco::Data::Session& session)
{
    std::vector<std::string> doneList;
    session << "SELECT name FROM schema_migrations", into(doneList), now;
    return {doneList.begin(), doneList.end()};
}
} // namespace

std::vector<std::string> Migrator::migrate()
{
    auto pLease = _database.lease();
    auto& session = pLease->session();
    session << "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(200) NOT NULL PRIMARY KEY, "
               "applied_at CHAR(20) NOT NULL)",
        now;
    if (_database.dialect() == Dialect::SQLite)
    {
        // SQLite's DDL is transactional: every file and its record in one immediate transaction, which
        // another process starting at the same time waits for, and then finds nothing left to do.
        pLease->begin(TransactionKind::Write);
        auto applied = applyMissing(session, appliedNames(session), [] {});
        pLease->commit();
        return applied;
    }
    // Unique per run, so that two migrations in one process (tests) are told apart too.
    static std::atomic<int> runs{0};
    const std::string holder = instanceName() + "#" + std::to_string(++runs);
    takeMigrationLock(session, holder);
    try
    {
        auto applied = applyMissing(session, appliedNames(session), [&] {
            session << "UPDATE schema_lock SET expires_at = UNIX_TIMESTAMP() + ? WHERE id = 1 AND holder = ?",
                bind(LOCK_LEASE_SECONDS), bind(holder), now;
        });
        session << "DELETE FROM schema_lock WHERE id = 1 AND holder = ?", bind(holder), now;
        return applied;
    }
    catch (...)
    {
        session << "DELETE FROM schema_lock WHERE id = 1 AND holder = ?", bind(holder), now;
        throw;
    }
}

std::vector<std::string> Migrator::applyMissing(Poco::Data::Session& session, const std::set<std::string>& done,
                                                const std::function<void()>& afterEachFile)
{
    std::vector<std::string> applied;
    for (const auto& file : available())
    {
        const std::string name = Poco::Path(file).getFileName();
        if (done.count(name))
            continue;
        Poco::FileInputStream in(file);
        const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // DDL commits implicitly on MySQL, so a failed file there may be half applied; on SQLite the
        // whole run is one transaction.
        for (const auto& statement : splitSqlStatements(script))
            session << statement, now;
        std::string at = domain::rfc3339(Poco::Timestamp());
        std::string recorded = name;
        session << "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", use(recorded), use(at), now;
        afterEachFile();
        applied.push_back(name);
    }
    return applied;
}

} // namespace captrack::storage
