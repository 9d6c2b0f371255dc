#pragma once

// The layout of a captrack backup file (docs/OPERATING-backup.md): UTF-8 JSON lines, one line per
// row, so that it streams in both directions and restores into either dialect.
//   line 1     {"format":"captrack-backup","version":1,"dialect":"sqlite","taken_at":"...",
//               "migrations":["001_core.sql",...],
//               "tables":[{"name":"audit_events","columns":["id",...],"key":["id"],"next_id":42},...]}
//   per table, in the header's order:  {"table":"audit_events"}  then one JSON array per row
//   last line  {"end":{"rows":{"audit_events":12,...},"sha256":"<hex digest of every byte before it>"}}
// Values are JSON null, integers, reals (always with a '.' or an exponent) and strings.

#include "TableCatalog.h"
#include "captrack/storage/BackupSummary.h"

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <string>
#include <vector>

namespace captrack::storage
{

inline constexpr const char* BACKUP_FORMAT = "captrack-backup";
inline constexpr int BACKUP_FORMAT_VERSION = 1;
/// The longest line a backup may hold, its newline left out. A row of today's schema stays under
/// 300 KiB (texts are at most 10,000 characters); the limit bounds what a damaged or hostile file can
/// make a restore hold, and a backup refuses to write a row it could not read back.
inline constexpr std::size_t BACKUP_MAX_LINE_BYTES = 4u << 20;

/// One table of a backup: its shape, and the next id its database would have given (0 when the
/// database does not number its rows).
struct BackupTable
{
    TableShape shape;
    Poco::Int64 nextId = 0;
};

/// The first line of a backup.
struct BackupHeader
{
    std::string dialect; ///< "sqlite" or "mysql"
    std::string takenAt; ///< RFC 3339 UTC
    std::vector<std::string> migrations;
    std::vector<BackupTable> tables;
};

/// True for the Migrator's own tables, which a backup does not copy as rows: `schema_migrations` (the
/// header lists the applied migrations instead; a restore applies its own) and `schema_lock` (MySQL,
/// held while a server migrates).
[[nodiscard]] bool isMigratorTable(const std::string& table);

/// The name of a dialect in a backup.
[[nodiscard]] std::string dialectName(Dialect dialect);

[[nodiscard]] std::string headerLine(const BackupHeader& header);
/// Throws Poco::DataFormatException when the line is not the header of a backup of this format
/// version.
[[nodiscard]] BackupHeader parseHeaderLine(const std::string& line);

/// The line that starts the rows of a table.
[[nodiscard]] std::string tableLine(const std::string& table);
/// The table a table line names; empty when the line is not a table line.
[[nodiscard]] std::string parseTableLine(const std::string& line);

/// The last line: the rows of each table and the SHA-256 (hex) of every byte before it.
[[nodiscard]] std::string endLine(const BackupSummary& summary, const std::string& sha256);
/// The rows per table and the digest an end line states; false when the line is not an end line.
[[nodiscard]] bool parseEndLine(const std::string& line, std::vector<BackupSummary::Table>& rows, std::string& sha256);

/// Appends text as a JSON string, UTF-8 kept as it is and control characters escaped. Throws
/// Poco::DataFormatException when the text is not well-formed UTF-8 (JSON cannot carry it).
void appendJsonString(std::string& out, const std::string& text);
/// Appends a finite number as a JSON real that reads back as the same double ("2.0", not "2").
/// Throws Poco::DataFormatException for infinities and NaN.
void appendJsonReal(std::string& out, double value);

} // namespace captrack::storage
