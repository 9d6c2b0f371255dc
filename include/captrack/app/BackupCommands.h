#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/Database.h"

#include <iosfwd>
#include <string>

namespace captrack::app
{

/// `captrack backup --to FILE` and `captrack restore --from FILE` over one database
/// (docs/OPERATING-backup.md). Each writes its progress, a line per table, and its outcome to `out`,
/// and throws what BackupWriter and BackupRestorer throw (ConflictError for a database that is not
/// empty, Poco::DataFormatException for a file that is not a whole backup).
/// Not shared between threads (a command runs it once).
class BackupCommands
{
public:
    BackupCommands(storage::Database& database, const domain::Clock& clock, std::string sqlRoot);

    void backup(const std::string& path, std::ostream& out) const;
    void restore(const std::string& path, std::ostream& out) const;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    std::string _sqlRoot;
};

} // namespace captrack::app
