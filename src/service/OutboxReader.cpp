#include "captrack/service/OutboxReader.h"

#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>

namespace captrack::service
{

namespace
{
Poco::Dynamic::Var optionalText(const std::optional<std::string>& value)
{
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

Poco::JSON::Object::Ptr rowJson(const storage::OutboxRow& row)
{
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("id", row.id);
    out->set("user_id", row.userId);
    out->set("recipient", row.recipient);
    out->set("kind", row.kind);
    out->set("period_key", row.periodKey);
    out->set("subject", row.subject);
    out->set("created_at", row.createdAt);
    out->set("attempts", row.attempts);
    out->set("next_attempt_at", row.sentAt ? Poco::Dynamic::Var()
                                           : Poco::Dynamic::Var(domain::rfc3339(Poco::Timestamp::fromEpochTime(
                                                 static_cast<std::time_t>(row.nextAttemptAt)))));
    out->set("sent_at", optionalText(row.sentAt));
    out->set("last_error", optionalText(row.lastError));
    return out;
}
} // namespace

OutboxReader::OutboxReader(storage::Database& database, const domain::Clock& clock) : _database(database), _clock(clock)
{
}

Poco::JSON::Object::Ptr OutboxReader::page(const domain::Principal& principal, storage::OutboxState state,
                                           std::size_t limit, std::size_t offset) const
{
    _policy.checkMailOutbox(principal);
    auto pLease = _database.lease();
    const auto [rows, total] = storage::MailStore::page(pLease->session(), state, limit, offset);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& row : rows)
        items->add(rowJson(row));
    return pageJson(items, total, limit, offset);
}

std::size_t OutboxReader::purgeOldSent() const
{
    const Poco::Timestamp before = _clock.now() - Poco::Timespan(KEEP_SENT_DAYS, 0, 0, 0, 0).totalMicroseconds();
    auto pLease = _database.lease();
    return storage::MailStore::purgeSentBefore(pLease->session(), domain::rfc3339(before));
}

} // namespace captrack::service
