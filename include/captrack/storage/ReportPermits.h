#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <cstddef>

namespace captrack::storage
{

/// The `report_permits` table: one row per report build running on any server (slot 1..capacity),
/// held by this server process (storage::instanceName()) until it is given back or expires. Used by
/// report::ReportGate. Stateless; safe for concurrent use on different sessions.
class ReportPermits
{
public:
    /// Takes `slot` until `expiresAt` (epoch seconds): true when it was free, false when another build
    /// holds it (a duplicate key; on Galera a certification conflict). Throws
    /// Poco::Data::DataException on any other database error.
    [[nodiscard]] static bool claim(Poco::Data::Session& session, int slot, Poco::Int64 expiresAt);
    /// Gives back `slot` if this process holds it. Throws Poco::Data::DataException on a database error.
    static void release(Poco::Data::Session& session, int slot);
    /// Deletes every permit that expired before `nowSeconds` (epoch seconds); returns how many. Throws
    /// Poco::Data::DataException on a database error.
    static std::size_t purgeExpired(Poco::Data::Session& session, Poco::Int64 nowSeconds);
};

} // namespace captrack::storage
