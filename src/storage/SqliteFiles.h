#pragma once

#include <string>

namespace captrack::storage
{

/// Makes a SQLite database file private to the server's user before SQLite opens it:
///  - missing folders on its path are created 0700 (existing ones are left as they are);
///  - a missing database file is created empty with mode 0600, so that the `-wal` and `-shm` files
///    SQLite creates next to it get 0600 too (SQLite gives them the database file's mode);
///  - an existing database, `-wal` or `-shm` file that group or others may read or write is
///    tightened to owner-only, with a warning in the log (files made by earlier versions were 0644).
/// Throws Poco::FileAccessDeniedException when a file cannot be created or tightened (another
/// user's file): the server refuses to start rather than run on a database others can read.
void makeSqliteFilesPrivate(const std::string& databasePath);

} // namespace captrack::storage
