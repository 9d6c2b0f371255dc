#pragma once

#include "captrack/storage/Database.h"

#include <memory>
#include <string>

namespace captrack::test
{

/// An empty database that no migration has touched, to restore into: a new SQLite file, or the
/// MariaDB database `captrack_restore` beside the test database (scripts/mariadb.sh creates it and
/// grants the test user on it), emptied of every table. Removes its SQLite files when it dies.
class ScratchDatabase
{
public:
    enum class Kind
    {
        SQLite,      ///< always a SQLite file
        SameAsTests, ///< MariaDB when the tests run on MariaDB (CAPTRACK_TEST_DB), else SQLite
    };

    explicit ScratchDatabase(Kind kind = Kind::SameAsTests);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    [[nodiscard]] storage::Database& database() { return *_pDatabase; }
    [[nodiscard]] const std::string& url() const { return _url; }

private:
    std::string _url;
    std::string _file;
    std::unique_ptr<storage::Database> _pDatabase;
};

} // namespace captrack::test
