#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>

namespace captrack::storage
{

/// A calendar feed to store: only the digest of its secret is ever kept.
struct NewCalendarFeed
{
    Poco::Int64 userId = 0;
    std::string digest; ///< SHA-256 of the secret, hex
    std::string createdAt;
    Poco::Int64 tokenVersion = 0; ///< the user's token version when it was made
};

/// A stored calendar feed (never its secret or digest).
struct CalendarFeedRow
{
    Poco::Int64 id = 0;
    Poco::Int64 userId = 0;
    std::string createdAt;
    std::optional<std::string> revokedAt;
    Poco::Int64 tokenVersion = 0;
};

/// Table `calendar_feeds` (migration 008). Each call runs on the caller's session, and so in the caller's
/// transaction. Stateless: safe for concurrent use. Driver errors propagate (Poco::Data exceptions).
class CalendarFeedStore
{
public:
    explicit CalendarFeedStore(const Database& database);

    /// Stores a feed; returns its id.
    Poco::Int64 insert(Poco::Data::Session& session, const NewCalendarFeed& feed) const;
    /// The feed whose secret has this digest, if any (revoked ones included).
    [[nodiscard]] std::optional<CalendarFeedRow> findByDigest(Poco::Data::Session& session,
                                                              const std::string& digest) const;
    /// The user's newest feed that is not revoked, if any (whatever its token version).
    [[nodiscard]] std::optional<CalendarFeedRow> newestUnrevoked(Poco::Data::Session& session,
                                                                 Poco::Int64 userId) const;
    /// Marks every feed of the user that is not revoked yet revoked at `at`.
    void revokeAllOfUser(Poco::Data::Session& session, Poco::Int64 userId, const std::string& at) const;

private:
    const Database& _database;
};

} // namespace captrack::storage
