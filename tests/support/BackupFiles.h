#pragma once

#include <string>

/// Reading, writing and editing backup files in tests (the format: src/storage/BackupFormat.h). The
/// edits keep the end line's checksum right, so that what a restore refuses is the edit itself.
namespace captrack::test::backupfiles
{

[[nodiscard]] std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);

/// The rows of a backup (every line but the header, with its time, and the end, with its digest).
[[nodiscard]] std::string rowsOf(const std::string& backup);

/// The backup text with its end line's checksum made right again after an edit.
[[nodiscard]] std::string withChecksumRedone(std::string text);
/// The backup text with its first row of a table replaced, its checksum right.
[[nodiscard]] std::string withRowReplaced(const std::string& backup, const std::string& table, const std::string& row);
/// The backup with a table schema_migrations that records a migration, its checksum right.
[[nodiscard]] std::string withMigrationRecorded(const std::string& backup, const std::string& migration);
/// The text with every occurrence of `from` replaced by `to`.
[[nodiscard]] std::string replacedAll(std::string text, const std::string& from, const std::string& to);

} // namespace captrack::test::backupfiles
