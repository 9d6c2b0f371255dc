#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/BackupSummary.h"
#include "captrack/storage/Database.h"

#include <functional>
#include <string>

namespace captrack::storage
{

/// Writes a consistent copy of the whole database to a file while the server goes on serving: every
/// table (as the database lists them, audit and history tables and users included) is read in one
/// ReadSnapshot, so the copy holds each write that committed before the snapshot began, entire, and
/// nothing of any later one. The format (src/storage/BackupFormat.h, docs/OPERATING-backup.md) is
/// portable JSON lines, streamed: a page of rows at a time in memory, whatever the table's size.
/// The Migrator's tables are not copied as rows: the header lists the applied migrations instead.
/// Stateless: safe to use from several threads (each backup leases its own session).
class BackupWriter
{
public:
    /// Called after each table is written, with its name and row count (progress output).
    using TableWritten = std::function<void(const std::string& table, Poco::UInt64 rows)>;

    BackupWriter(Database& database, const domain::Clock& clock);

    /// Writes the backup to path, replacing any file there: the new file appears complete or not at all
    /// (temporary file, fsync, rename), with mode 0600 (it holds password hashes). Throws
    /// Poco::NotFoundException for a database without the captrack schema, Poco::FileException when the
    /// file cannot be written, Poco::DataFormatException for stored text that is not UTF-8 or a row
    /// longer than a backup line may be (BACKUP_MAX_LINE_BYTES, 4 MiB), and
    /// Poco::Data::DataException when the database fails; the old file at path is then left as it was.
    BackupSummary writeTo(const std::string& path, const TableWritten& onTableWritten = {}) const;

private:
    Database& _database;
    const domain::Clock& _clock;
};

} // namespace captrack::storage
