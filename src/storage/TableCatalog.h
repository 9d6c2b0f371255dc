#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace captrack::storage
{

/// The shape of one table, as the database itself describes it.
struct TableShape
{
    std::string name;
    std::vector<std::string> columns;    ///< in the table's own order
    std::vector<std::string> keyColumns; ///< the primary key, in key order
    /// The database numbers the rows itself: the one key column is MySQL's AUTO_INCREMENT or SQLite's
    /// INTEGER PRIMARY KEY (a rowid alias).
    bool numbersRows = false;
};

/// Reads the schema of the database behind a session from the database itself (sqlite_master and
/// pragma_table_info; information_schema), so that a table a later migration adds is found without
/// being named here. Every query runs on the given session, and so in its transaction or snapshot.
/// Holds a reference to the session: use it on one thread, while the session lives.
class TableCatalog
{
public:
    TableCatalog(Poco::Data::Session& session, Dialect dialect);

    /// Every table of the schema (SQLite's own sqlite_* tables left out), sorted by name.
    [[nodiscard]] std::vector<std::string> tableNames() const;
    /// Columns and key of a table; Poco::NotFoundException when it does not exist.
    [[nodiscard]] TableShape shape(const std::string& table) const;
    /// True when the table holds at least one row.
    [[nodiscard]] bool hasRows(const std::string& table) const;
    /// The names recorded in schema_migrations, sorted; Poco::NotFoundException when the database has
    /// no schema_migrations (it is not a captrack database).
    [[nodiscard]] std::vector<std::string> appliedMigrations() const;

    /// The references some row breaks, as "table -> parent table" (each once); empty when every
    /// foreign key holds. Reads every table that has a foreign key: for checks after a bulk load.
    [[nodiscard]] std::vector<std::string> brokenReferences() const;

    /// The id the database will give the next row it numbers itself in a table whose shape numbersRows:
    /// past every id stored and past every id it ever gave (SQLite AUTOINCREMENT's sqlite_sequence,
    /// MySQL's AUTO_INCREMENT), so that the id of a deleted row is never given again.
    [[nodiscard]] Poco::Int64 nextId(const TableShape& table) const;
    /// Makes the database give ids from `next` on (never lowers its counter). On MySQL this is
    /// `ALTER TABLE`, which commits the session's transaction: call it after the rows are committed.
    /// On SQLite only AUTOINCREMENT tables keep a counter; for the others it does nothing.
    void raiseNextId(const std::string& table, Poco::Int64 next) const;

    /// The name quoted as an identifier of this dialect.
    [[nodiscard]] std::string quoted(const std::string& identifier) const;

private:
    [[nodiscard]] std::vector<std::string> brokenMySqlReferences() const;
    [[nodiscard]] Poco::Int64 highestId(const TableShape& table) const;
    [[nodiscard]] Poco::Int64 counterNextId(const std::string& table) const;
    [[nodiscard]] bool hasSqliteSequence() const;

    Poco::Data::Session& _session;
    Dialect _dialect;
};

} // namespace captrack::storage
