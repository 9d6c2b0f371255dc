#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/storage/CalendarFeedStore.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <optional>
#include <string>

namespace captrack::service
{

/// A user's calendar feed as its owner sees it (never the secret).
struct CalendarFeedInfo
{
    Poco::Int64 id = 0;
    std::string createdAt;
};

/// A feed just made: the one time its secret is known.
struct NewCalendarFeedSecret
{
    CalendarFeedInfo feed;
    std::string secret; ///< SECRET_BYTES random bytes as lower-case hex; only its SHA-256 is stored
};

/// The secret calendar feed URL of each user (docs/HTTP.md "Calendar feeds"). A user has at most one live
/// feed: making one revokes the one before. A feed is live while it is not revoked, its user is enabled
/// and still at the token version the feed was made under (so a password change or reset, a disable or a
/// sign-out everywhere ends it, as it ends API tokens). Feeds are made and revoked only by a principal
/// signed in with a password (CredentialGuard); each change is audited as an update of the user. No
/// secret is ever stored or logged. Stateless apart from references to thread-safe objects: thread-safe.
class CalendarFeeds
{
public:
    CalendarFeeds(storage::Database& database, const domain::Clock& clock);
    CalendarFeeds(const CalendarFeeds&) = delete;
    CalendarFeeds& operator=(const CalendarFeeds&) = delete;

    /// Makes a new feed for the principal, revoking its live one; the answer holds the secret, which is
    /// never shown again. ForbiddenError for a principal not signed in with a password.
    NewCalendarFeedSecret create(const domain::Principal& principal) const;
    /// The principal's live feed, if it has one.
    [[nodiscard]] std::optional<CalendarFeedInfo> current(const domain::Principal& principal) const;
    /// Revokes the principal's live feed; NotFoundError when it has none; ForbiddenError for a principal
    /// not signed in with a password.
    void revoke(const domain::Principal& principal) const;

    /// The principal a feed's secret reads as (the user's current role and partner, credential
    /// CalendarFeed), when the secret is well formed and names a live feed; nullopt for anything else,
    /// whatever the reason, so that a caller cannot tell the reasons apart.
    [[nodiscard]] std::optional<domain::Principal> ownerOf(const std::string& secret) const;

    /// Random bytes in a secret (256 bits).
    static constexpr std::size_t SECRET_BYTES = 32;
    /// True for text that could be a secret: SECRET_BYTES × 2 lower-case hex digits.
    [[nodiscard]] static bool isWellFormedSecret(const std::string& secret);

private:
    /// The live feed of the user at this token version, if any.
    [[nodiscard]] std::optional<CalendarFeedInfo> liveFeed(Poco::Data::Session& session, Poco::Int64 userId) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    storage::CalendarFeedStore _feeds;
    storage::UserStore _users;
};

} // namespace captrack::service
