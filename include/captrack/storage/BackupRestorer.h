#pragma once

#include "captrack/storage/BackupSummary.h"
#include "captrack/storage/Database.h"

#include <string>

namespace captrack::storage
{

/// Loads a backup (BackupWriter) into an empty database of either dialect: checks the file's header,
/// refuses a database that holds data, applies this build's migrations, then loads every row in one
/// transaction with the ids kept (foreign keys checked at commit on SQLite, off during the load on
/// MySQL), and finally moves each table's id counter past the backup's, so that a record created
/// afterwards gets an id no row of the backup ever had. The whole file is read and its checksum
/// checked before the database is touched (unless the file is a pipe, which can be read once only),
/// and again as it loads, before the transaction commits: a damaged or truncated file changes nothing.
/// Run it while no server uses the database. Stateless: safe for concurrent use, though one restore
/// at a time is what makes sense.
class BackupRestorer
{
public:
    /// sqlRoot is the folder holding the dialects' migration folders (Migrator).
    BackupRestorer(Database& database, std::string sqlRoot);

    /// Restores the backup at path. Throws, leaving the database without any row of the backup:
    ///  - ConflictError when the database is not empty (then nothing at all changed), or when the backup
    ///    lists a migration this build does not have (it was made by a newer captrack);
    ///  - Poco::FileNotFoundException, Poco::DataFormatException for a file that is not a whole backup
    ///    in this format, or a table or column the schema lacks;
    ///  - Poco::Data::DataException when the database refuses the rows.
    /// A file that is not whole leaves the database as it was (a pipe's, without any row). After a later failure (a
    /// table or column the schema lacks, rows the database refuses) the migrations stay applied (DDL commits on MySQL);
    /// the database is still empty, so the restore can be run again.
    BackupSummary restoreFrom(const std::string& path) const;

private:
    Database& _database;
    std::string _sqlRoot;
};

} // namespace captrack::storage
