#pragma once

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

    Poco::Data::Session session;
    std::chrono::steady_clock::time_point returnedAt = std::chrono::steady_clock::now();
    std::uint64_t checkedAt; ///< the pool's failed-check count when this session was last known good
    bool suspect = false;    ///< returned while an exception was unwinding: check before use
};

/// Runs one statement that returns no rows on a MySQL session through the client library itself (the
/// transaction statements: Poco 1.11's MySQL begin() switches autocommit off for good). Throws
/// Poco::Data::MySQL::TransactionException carrying the server's error number.
void runMysqlStatement(Poco::Data::Session& session, const char* sql);

/// True when a MySQL session's connection answers a ping (no reconnect is attempted).
[[nodiscard]] bool mysqlAnswers(Poco::Data::Session& session);

} // namespace captrack::storage
