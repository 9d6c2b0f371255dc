#include "captrack/storage/StorageFault.h"

#include "captrack/Errors.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Logger.h>

#include <cstdlib>

namespace captrack::storage
{

namespace
{
namespace SQLite = Poco::Data::SQLite;

StorageFault classifySqlite(const Poco::Exception& error)
{
    if (dynamic_cast<const SQLite::DatabaseFullException*>(&error))
        return StorageFault::Full;
    // SQLite reports a write refused by the file system (EROFS, EIO on a dying disk) as an I/O error.
    if (dynamic_cast<const SQLite::ReadOnlyException*>(&error) || dynamic_cast<const SQLite::IOErrorException*>(&error))
        return StorageFault::ReadOnly;
    if (dynamic_cast<const SQLite::DBLockedException*>(&error) ||
        dynamic_cast<const SQLite::TableLockedException*>(&error))
        return StorageFault::Busy;
    if (dynamic_cast<const SQLite::CantOpenDBFileException*>(&error))
        return StorageFault::Unavailable;
    return StorageFault::None;
}

StorageFault classifyMysql(int code)
{
    switch (code)
    {
    case 1213: // ER_LOCK_DEADLOCK; Galera reports a certification failure and a brute-force abort so too
    case 1020: // ER_CHECKREAD: record changed since last read (snapshot isolation)
        return StorageFault::Conflict;
    case 1205: // ER_LOCK_WAIT_TIMEOUT
        return StorageFault::Busy;
    case 1040: // ER_CON_COUNT_ERROR: too many connections
    case 1047: // ER_UNKNOWN_COM_ERROR: a Galera node that is not ready ("WSREP has not yet prepared node")
    case 1053: // ER_SERVER_SHUTDOWN
    case 1077: // ER_NORMAL_SHUTDOWN
    case 1927: // ER_CONNECTION_KILLED
    case 2002: // CR_CONNECTION_ERROR (socket)
    case 2003: // CR_CONN_HOST_ERROR (TCP refused)
    case 2005: // CR_UNKNOWN_HOST
    case 2006: // CR_SERVER_GONE_ERROR
    case 2013: // CR_SERVER_LOST
    case 2026: // CR_SSL_CONNECTION_ERROR
    case 2055: // CR_SERVER_LOST_EXTENDED
    case 4031: // ER_CLIENT_INTERACTION_TIMEOUT: disconnected by the server for inactivity
        return StorageFault::Unavailable;
    case 1021: // ER_DISK_FULL
    case 1114: // ER_RECORD_FILE_FULL: the table is full
        return StorageFault::Full;
    case 1036: // ER_OPEN_AS_READONLY
    case 1290: // ER_OPTION_PREVENTS_STATEMENT (--read-only)
    case 1792: // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
    case 1015: // ER_CANT_LOCK (file system)
        return StorageFault::ReadOnly;
    default:
        return StorageFault::None;
    }
}
} // namespace

int mysqlErrorNumber(const Poco::Exception& error)
{
    // The last marker: the server's message comes before it and may quote user data (a duplicate
    // value, a name), which must not be taken for the error number.
    const std::string text = error.displayText();
    for (const char* marker : {"[mysql_errno]: ", "[mysql_stmt_errno]: "})
    {
        const auto at = text.rfind(marker);
        if (at != std::string::npos)
            return std::atoi(text.c_str() + at + std::char_traits<char>::length(marker));
    }
    return 0;
}

StorageFault classifyStorageError(const Poco::Exception& error)
{
    if (dynamic_cast<const Poco::Data::SQLite::SQLiteException*>(&error))
        return classifySqlite(error);
    // Galera: a transaction aborted by a conflicting write set can surface as a failed fetch without an
    // error number; like the conflict it is, the whole transaction runs again.
    if (error.displayText().find("mysql_stmt_fetch error") != std::string::npos && mysqlErrorNumber(error) == 0)
        return StorageFault::Conflict;
    if (const int code = mysqlErrorNumber(error))
    {
        const StorageFault fault = classifyMysql(code);
        // 1030 "Got error 28 from storage engine": the operating system's ENOSPC (only this error's own
        // words are looked at, never a message that could quote user data).
        if (code == 1030 && error.displayText().find("Got error 28 ") != std::string::npos)
            return StorageFault::Full;
        return fault;
    }
    // Connecting failed (mysql_real_connect), or Poco found the session closed or unusable.
    if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&error) ||
        dynamic_cast<const Poco::Data::NotConnectedException*>(&error) ||
        dynamic_cast<const Poco::Data::SessionUnavailableException*>(&error))
        return StorageFault::Unavailable;
    return StorageFault::None;
}

std::unique_ptr<Poco::Exception> clientErrorFor(const Poco::Exception& error)
{
    const StorageFault fault = classifyStorageError(error);
    if (fault == StorageFault::None)
        return nullptr;
    Poco::Logger::get("captrack.storage").warning("database: " + error.displayText());
    switch (fault)
    {
    case StorageFault::Full:
        return std::make_unique<InsufficientStorageError>(
            "the database is out of space: the change was not saved (nothing of it was written); tell the "
            "operator, reading still works");
    case StorageFault::ReadOnly:
        return std::make_unique<InsufficientStorageError>(
            "the database refuses writes (read-only or failing storage): the change was not saved; tell the "
            "operator, reading still works");
    case StorageFault::Conflict:
        return std::make_unique<UnavailableError>(
            "the database kept meeting concurrent changes; nothing was saved, try again");
    case StorageFault::Busy:
        return std::make_unique<UnavailableError>("the database is busy; nothing was saved, try again shortly");
    default:
        return std::make_unique<UnavailableError>("the database cannot be reached; try again shortly");
    }
}

} // namespace captrack::storage
