#pragma once

#include "captrack/storage/Database.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace captrack::storage
{

/// Applies the schema files `NNN_name.sql` of one dialect's folder in order, each at most once,
/// recording each in `schema_migrations`. Statements in a file are separated by `;` at the end of a
/// line. Several servers may start on one empty database at once: each file is applied exactly once
/// (SQLite: one immediate transaction; MySQL and Galera: the row of `schema_lock`, see Migrator.cpp).
/// Holds no state between calls; run from one thread at a time per instance (servers and processes may run at once: see
/// above).
class Migrator
{
public:
    /// sqlRoot is the folder holding `sqlite/` and `mysql/`.
    Migrator(Database& database, std::string sqlRoot);

    /// Applies what is missing; returns the names applied now (empty when up to date).
    /// Throws Poco::Exception when a file is missing or a statement fails.
    std::vector<std::string> migrate();

    /// The migration files of this dialect, sorted.
    [[nodiscard]] std::vector<std::string> available() const;

private:
    std::vector<std::string> applyMissing(Poco::Data::Session& session, const std::set<std::string>& done,
                                          const std::function<void()>& afterEachFile);

    Database& _database;
    std::string _sqlRoot;
};

/// Splits a schema file into statements, dropping `--` comment lines.
[[nodiscard]] std::vector<std::string> splitSqlStatements(const std::string& script);

} // namespace captrack::storage
