#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/MailStore.h"

#include <Poco/JSON/Object.h>

namespace captrack::service
{

/// The mail outbox as admins read it (GET /api/v1/mail/outbox: what was sent, what waits and why),
/// and its upkeep. Stateless apart from references: safe for concurrent use.
class OutboxReader
{
public:
    /// Sent messages are kept this long, then purged by the housekeeping job.
    static constexpr long KEEP_SENT_DAYS = 90;

    OutboxReader(storage::Database& database, const domain::Clock& clock);

    /// A page of the outbox, newest first: {"items", "total", "limit", "offset"}; ForbiddenError for
    /// anyone but admins.
    [[nodiscard]] Poco::JSON::Object::Ptr page(const domain::Principal& principal, storage::OutboxState state,
                                               std::size_t limit, std::size_t offset) const;
    /// Deletes what was sent more than KEEP_SENT_DAYS ago; returns how many.
    std::size_t purgeOldSent() const;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    AccessPolicy _policy;
};

} // namespace captrack::service
