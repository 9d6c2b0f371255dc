#pragma once

#include <Poco/Exception.h>

#include <memory>

namespace captrack::storage
{

/// What a database error means for the request that met it and for the session it ran on.
enum class StorageFault
{
    None,        ///< not a storage condition (a bug, or a constraint the caller handles): as thrown
    Conflict,    ///< deadlock or Galera certification failure: run the whole transaction again
    Busy,        ///< a lock wait timed out, or SQLite stayed locked: 503, try again shortly
    Unavailable, ///< connection refused, lost or gone away; server shutting down; node not ready: 503
    Full,        ///< the disk, a table or the database is full: 507
    ReadOnly,    ///< the database or its file system refuses writes: 507
};

/// Classifies a driver exception (Poco::Data's SQLite and MySQL exceptions; MySQL ones by the server's
/// error number in their text). Pure: safe from any thread.
[[nodiscard]] StorageFault classifyStorageError(const Poco::Exception& error);

/// The MySQL/MariaDB error number a Poco MySQL exception carries in its text ("[mysql_errno]: 1213"),
/// or 0 when it carries none.
[[nodiscard]] int mysqlErrorNumber(const Poco::Exception& error);

/// The captrack error a client should get for a storage fault (UnavailableError, 503 with Retry-After;
/// InsufficientStorageError, 507), logging the driver's text once; null when the error is no storage fault.
[[nodiscard]] std::unique_ptr<Poco::Exception> clientErrorFor(const Poco::Exception& error);

} // namespace captrack::storage
