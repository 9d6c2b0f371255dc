#include "captrack/storage/Migrator.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <algorithm>
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

std::vector<std::string> Migrator::migrate()
{
    auto pLease = _database.lease();
    auto& session = pLease->session();
    session << "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(200) NOT NULL PRIMARY KEY, "
               "applied_at CHAR(20) NOT NULL)",
        now;
    std::vector<std::string> doneList;
    session << "SELECT name FROM schema_migrations", into(doneList), now;
    const std::set<std::string> done(doneList.begin(), doneList.end());

    std::vector<std::string> applied;
    for (const auto& file : available())
    {
        const std::string name = Poco::Path(file).getFileName();
        if (done.count(name))
            continue;
        Poco::FileInputStream in(file);
        const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // DDL commits implicitly on MySQL, so a failed file there may be half applied; on SQLite the
        // whole file and its record are one transaction.
        session.begin();
        try
        {
            for (const auto& statement : splitSqlStatements(script))
                session << statement, now;
            std::string at = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ");
            std::string recorded = name;
            session << "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", use(recorded), use(at), now;
            session.commit();
        }
        catch (...)
        {
            session.rollback();
            throw;
        }
        applied.push_back(name);
    }
    return applied;
}

} // namespace captrack::storage
