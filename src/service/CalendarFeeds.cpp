#include "captrack/service/CalendarFeeds.h"

#include "captrack/Errors.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/CredentialGuard.h"
#include "captrack/service/Crypto.h"
#include "captrack/storage/Transaction.h"

#include <algorithm>

namespace captrack::service
{

using domain::Principal;
using Poco::Dynamic::Var;

CalendarFeeds::CalendarFeeds(storage::Database& database, const domain::Clock& clock)
    : _database(database), _clock(clock), _feeds(database), _users(database)
{
}

NewCalendarFeedSecret CalendarFeeds::create(const Principal& principal) const
{
    // A feed is a credential: one minted through an API token could outlive that token's revocation.
    CredentialGuard::requirePasswordSession(principal, "make a calendar feed");
    NewCalendarFeedSecret made;
    made.secret = randomHex(SECRET_BYTES);
    storage::NewCalendarFeed stored;
    stored.userId = principal.userId;
    stored.digest = sha256Hex(made.secret);
    stored.createdAt = _clock.nowText();
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        // Made under the user's current token version: a later sign-out everywhere ends it too.
        stored.tokenVersion = _users.lockTokenVersion(session, stored.userId);
        const bool replaces = liveFeed(session, stored.userId).has_value();
        _feeds.revokeAllOfUser(session, stored.userId, stored.createdAt);
        made.feed = {_feeds.insert(session, stored), stored.createdAt};
        AuditLog::recordRaw(
            session, principal, stored.createdAt, "update", domain::Entity::User, stored.userId, std::nullopt,
            AuditLog::change("calendar_feed", replaces ? Var("live") : Var(), Var(replaces ? "replaced" : "created")));
    });
    return made;
}

std::optional<CalendarFeedInfo> CalendarFeeds::current(const Principal& principal) const
{
    auto pLease = _database.lease();
    return liveFeed(pLease->session(), principal.userId);
}

void CalendarFeeds::revoke(const Principal& principal) const
{
    CredentialGuard::requirePasswordSession(principal, "revoke a calendar feed");
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        // The user's row first, as create() takes it: a revoke and a create of one user take turns.
        (void)_users.lockTokenVersion(session, principal.userId);
        if (!liveFeed(session, principal.userId))
            throw NotFoundError("no calendar feed to revoke");
        const std::string at = _clock.nowText();
        _feeds.revokeAllOfUser(session, principal.userId, at);
        AuditLog::recordRaw(session, principal, at, "update", domain::Entity::User, principal.userId, std::nullopt,
                            AuditLog::change("calendar_feed", Var("live"), Var("revoked")));
    });
}

std::optional<Principal> CalendarFeeds::ownerOf(const std::string& secret) const
{
    if (!isWellFormedSecret(secret))
        return std::nullopt;
    auto pLease = _database.lease();
    const auto feed = _feeds.findByDigest(pLease->session(), sha256Hex(secret));
    if (!feed || feed->revokedAt)
        return std::nullopt;
    const auto user = _users.findById(pLease->session(), feed->userId);
    if (!user || user->disabled || user->tokenVersion != feed->tokenVersion)
        return std::nullopt;
    const auto role = domain::parseName<domain::Role>(user->role);
    if (!role || (*role == domain::Role::Partner && !user->partnerId))
        return std::nullopt;
    return Principal{user->id, user->username, *role, user->partnerId, domain::Credential::CalendarFeed};
}

bool CalendarFeeds::isWellFormedSecret(const std::string& secret)
{
    return secret.size() == SECRET_BYTES * 2 && std::all_of(secret.begin(), secret.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::optional<CalendarFeedInfo> CalendarFeeds::liveFeed(Poco::Data::Session& session, Poco::Int64 userId) const
{
    const auto feed = _feeds.newestUnrevoked(session, userId);
    if (!feed)
        return std::nullopt;
    const auto user = _users.findById(session, userId);
    if (!user || user->disabled || user->tokenVersion != feed->tokenVersion)
        return std::nullopt;
    return CalendarFeedInfo{feed->id, feed->createdAt};
}

} // namespace captrack::service
