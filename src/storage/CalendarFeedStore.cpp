#include "captrack/storage/CalendarFeedStore.h"

#include "NullableColumns.h"

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
const std::string FEED_COLUMNS = "SELECT id, user_id, created_at, revoked_at, token_version FROM calendar_feeds ";

/// The first row of a SELECT of FEED_COLUMNS ending in `where`, bound to `value`.
template <typename T>
std::optional<CalendarFeedRow> firstFeed(Poco::Data::Session& session, const std::string& where, T value)
{
    CalendarFeedRow row;
    Poco::Nullable<std::string> revokedAt;
    session << FEED_COLUMNS + where, use(value), into(row.id), into(row.userId), into(row.createdAt), into(revokedAt),
        into(row.tokenVersion), now;
    if (row.id == 0)
        return std::nullopt;
    row.revokedAt = optionalOf(revokedAt);
    return row;
}
} // namespace

CalendarFeedStore::CalendarFeedStore(const Database& database) : _database(database) {}

Poco::Int64 CalendarFeedStore::insert(Poco::Data::Session& session, const NewCalendarFeed& feed) const
{
    session << "INSERT INTO calendar_feeds (user_id, secret_hash, created_at, token_version) VALUES (?, ?, ?, ?)",
        bind(feed.userId), bind(feed.digest), bind(feed.createdAt), bind(feed.tokenVersion), now;
    Poco::Int64 id = 0;
    session << _database.lastInsertIdSql(), into(id), now;
    return id;
}

std::optional<CalendarFeedRow> CalendarFeedStore::findByDigest(Poco::Data::Session& session,
                                                               const std::string& digest) const
{
    return firstFeed(session, "WHERE secret_hash = ?", digest);
}

std::optional<CalendarFeedRow> CalendarFeedStore::newestUnrevoked(Poco::Data::Session& session,
                                                                  Poco::Int64 userId) const
{
    return firstFeed(session, "WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1", userId);
}

void CalendarFeedStore::revokeAllOfUser(Poco::Data::Session& session, Poco::Int64 userId, const std::string& at) const
{
    session << "UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", bind(at),
        bind(userId), now;
}

} // namespace captrack::storage
