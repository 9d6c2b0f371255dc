#pragma once

#include "captrack/storage/Database.h"

#include <memory>

namespace captrack::storage
{

/// One consistent, read-only view of the whole database for as long as it lives: every query on
/// session() sees the data as it was when the constructor returned, whatever other sessions commit
/// meanwhile, and writers are not blocked by it. It is a lease's TransactionKind::Snapshot, and it holds:
///  - MariaDB/MySQL: `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY` at REPEATABLE READ
///    (InnoDB keeps the old row versions the snapshot needs).
///  - SQLite (WAL): one read transaction, whose snapshot is taken in the constructor. The WAL cannot be
///    checkpointed past an open reader, so it grows while the snapshot lives: keep it short.
/// The destructor ends the transaction (the session goes back to the pool in autocommit, with no
/// transaction open). On `sqlite::memory:` (one session) it holds the only session. Not shared between
/// threads.
class ReadSnapshot
{
public:
    /// Leases a session and starts the snapshot. Throws UnavailableError when no session becomes free,
    /// and Poco::Data::DataException when the snapshot cannot start (the lease then ends what began).
    explicit ReadSnapshot(Database& database);
    /// Ends the snapshot (COMMIT); never throws: a failure is logged and left to the lease.
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

    /// The session that reads the snapshot. Use it for reads only, and only while this object lives.
    [[nodiscard]] Poco::Data::Session& session() { return _pLease->session(); }
    [[nodiscard]] Dialect dialect() const noexcept { return _dialect; }

private:
    Dialect _dialect;
    std::unique_ptr<SessionLease> _pLease;
};

} // namespace captrack::storage
