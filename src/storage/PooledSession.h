#pragma once

#include "StatementCache.h"

#include <Poco/Data/Session.h>

#include <chrono>
#include <cstdint>

namespace captrack::storage
{

/// A session in captrack's pool, with what the pool knows of it.
struct PooledSession
{
    explicit PooledSession(Poco::Data::Session opened, std::uint64_t checks)
        : session(std::move(opened)), checkedAt(checks)
    {
    }

    /// Finalizes the session's prepared statements, then closes its connection.
    void close()
    {
        statements.clear();
        session.close();
    }

    Poco::Data::Session session;
    StatementCache statements{session}; ///< after `session`: destroyed (finalized) before it
    std::chrono::steady_clock::time_point returnedAt = std::chrono::steady_clock::now();
    std::uint64_t checkedAt; ///< the pool's failed-check count when this session was last known good
    bool suspect = false;    ///< returned while an exception was unwinding: check before use
    Poco::Int64 guard = 0;   ///< the last Galera write transaction's guard number (SessionLease)
};

/// Runs one statement that returns no rows on a MySQL session through the client library itself (the
/// transaction statements: Poco 1.11's MySQL begin() switches autocommit off for good). Throws
/// Poco::Data::MySQL::TransactionException carrying the server's error number.
void runMysqlStatement(Poco::Data::Session& session, const char* sql);

/// True when a MySQL session's connection answers a ping (no reconnect is attempted).
[[nodiscard]] bool mysqlAnswers(Poco::Data::Session& session);

} // namespace captrack::storage
