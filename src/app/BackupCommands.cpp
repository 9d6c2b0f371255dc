#include "captrack/app/BackupCommands.h"

#include "captrack/storage/BackupRestorer.h"
#include "captrack/storage/BackupWriter.h"

#include <ostream>

namespace captrack::app
{

BackupCommands::BackupCommands(storage::Database& database, const domain::Clock& clock, std::string sqlRoot)
    : _database(database), _clock(clock), _sqlRoot(std::move(sqlRoot))
{
}

void BackupCommands::backup(const std::string& path, std::ostream& out) const
{
    out << "backing up " << _database.url().display << " (one consistent snapshot; the server may go on serving)\n";
    const auto summary =
        storage::BackupWriter(_database, _clock).writeTo(path, [&out](const std::string& table, Poco::UInt64 rows) {
            out << "  " << table << ": " << rows << " rows\n";
        });
    out << "backup written to " << path << " (mode 0600): " << summary.rows() << " rows in " << summary.tables.size()
        << " tables, as of " << summary.takenAt << "\n";
}

void BackupCommands::restore(const std::string& path, std::ostream& out) const
{
    const auto summary = storage::BackupRestorer(_database, _sqlRoot).restoreFrom(path);
    for (const auto& table : summary.tables)
        out << "  " << table.name << ": " << table.rows << " rows\n";
    out << "restored " << summary.rows() << " rows in " << summary.tables.size() << " tables into "
        << _database.url().display << " from " << path << " (a backup of a " << summary.dialect << " database as of "
        << summary.takenAt << ")\n";
}

} // namespace captrack::app
