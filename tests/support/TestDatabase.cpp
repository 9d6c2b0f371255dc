#include "TestDatabase.h"

#include "captrack/storage/Migrator.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <vector>

namespace captrack::test
{

using namespace Poco::Data::Keywords;

std::string TestDatabase::sourceRoot()
{
    return Poco::Environment::get("CAPTRACK_SOURCE_DIR", CAPTRACK_SOURCE_DIR);
}

std::string TestDatabase::sqlRoot()
{
    return sourceRoot() + "/sql";
}

std::string TestDatabase::configuredUrl()
{
    const std::string value = Poco::Environment::get("CAPTRACK_TEST_DB", "sqlite");
    return value == "sqlite" ? std::string() : value;
}

void TestDatabase::dropAllTables(storage::Database& database)
{
    auto pLease = database.lease();
    auto& session = pLease->session();
    std::vector<std::string> tables;
    session << "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()", into(tables), now;
    session << "SET FOREIGN_KEY_CHECKS = 0", now;
    for (const auto& table : tables)
        session << "DROP TABLE IF EXISTS `" + table + "`", now;
    session << "SET FOREIGN_KEY_CHECKS = 1", now;
}

void TestDatabase::removeSqliteFiles(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        Poco::File file(path + suffix);
        if (file.exists())
            file.remove();
    }
}

TestDatabase::TestDatabase(bool needsManySessions, bool migrated)
{
    _url = configuredUrl();
    if (_url.empty())
    {
        if (needsManySessions)
        {
            _file = Poco::TemporaryFile::tempName() + ".db";
            // The name is made of this process's id and a counter: a file of that name was left by an
            // earlier process with the same id that did not end cleanly (seen in CI: a test whose setUp
            // found the admin user already there). It is not ours to keep.
            removeSqliteFiles(_file);
            _url = "sqlite:" + _file;
        }
        else
        {
            _url = "sqlite::memory:";
        }
    }
    _pDatabase = std::make_unique<storage::Database>(storage::DatabaseUrl::parse(_url), 8);
    if (isMySql())
        dropAllTables(*_pDatabase);
    if (migrated)
        storage::Migrator(*_pDatabase, sqlRoot()).migrate();
}

TestDatabase::~TestDatabase()
{
    _pDatabase.reset();
    if (!_file.empty())
        removeSqliteFiles(_file);
}

bool TestDatabase::isMySql() const
{
    return _pDatabase->dialect() == storage::Dialect::MySQL;
}

} // namespace captrack::test
