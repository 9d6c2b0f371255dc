#pragma once

#include "captrack/storage/Database.h"

#include <memory>
#include <string>

namespace captrack::test
{

/// A fresh, migrated database for one test: a SQLite `:memory:` database (or a temporary file
/// when several sessions are needed), or, when CAPTRACK_TEST_DB holds a mysql:// URL, that MariaDB
/// database emptied of every table and migrated again.
class TestDatabase
{
public:
    /// `migrated` false leaves the database empty (no table at all), for tests of the migrations.
    explicit TestDatabase(bool needsManySessions = false, bool migrated = true);
    ~TestDatabase();

    [[nodiscard]] storage::Database& database() { return *_pDatabase; }
    [[nodiscard]] bool isMySql() const;
    /// The db.url the database was opened with.
    [[nodiscard]] const std::string& url() const { return _url; }

    /// The repository's sql/ folder.
    [[nodiscard]] static std::string sqlRoot();
    /// The repository's root folder.
    [[nodiscard]] static std::string sourceRoot();
    /// The URL named by CAPTRACK_TEST_DB ("sqlite" or unset means SQLite).
    [[nodiscard]] static std::string configuredUrl();

    /// Drops every table of a MySQL/MariaDB database.
    static void dropAllTables(storage::Database& database);
    /// Removes a SQLite database file and its -wal and -shm files, those that exist.
    static void removeSqliteFiles(const std::string& path);

private:
    std::string _url;
    std::string _file;
    std::unique_ptr<storage::Database> _pDatabase;
};

} // namespace captrack::test
