#include "ScratchDatabase.h"

#include "TestDatabase.h"

#include <Poco/TemporaryFile.h>

namespace captrack::test
{

ScratchDatabase::ScratchDatabase(Kind kind)
{
    const std::string testUrl = TestDatabase::configuredUrl();
    if (kind == Kind::SameAsTests && !testUrl.empty())
        _url = testUrl.substr(0, testUrl.rfind('/') + 1) + "captrack_restore";
    else
    {
        _file = Poco::TemporaryFile::tempName() + ".db";
        TestDatabase::removeSqliteFiles(_file); // left by an earlier process of the same id (TestDatabase)
        _url = "sqlite:" + _file;
    }
    _pDatabase = std::make_unique<storage::Database>(storage::DatabaseUrl::parse(_url), 8);
    if (_pDatabase->dialect() == storage::Dialect::MySQL)
        TestDatabase::dropAllTables(*_pDatabase);
}

ScratchDatabase::~ScratchDatabase()
{
    _pDatabase.reset();
    if (!_file.empty())
        TestDatabase::removeSqliteFiles(_file);
}

} // namespace captrack::test
