#include "captrack/service/MailDelivery.h"

#include "captrack/storage/MailStore.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace captrack::service
{

MailDelivery::MailDelivery(storage::Database& database, const domain::Clock& clock, MailRelay& relay, long retrySeconds,
                           std::string holder)
    : _database(database), _clock(clock), _relay(relay), _retrySeconds(std::max(1L, retrySeconds)),
      _holder(std::move(holder))
{
}

Poco::Int64 MailDelivery::retryDelay(Poco::Int64 attempts) const
{
    Poco::Int64 delay = _retrySeconds;
    for (Poco::Int64 i = 1; i < attempts && delay < MailOptions::MAX_RETRY_SECONDS; ++i)
        delay *= 2;
    return std::min<Poco::Int64>(delay, MailOptions::MAX_RETRY_SECONDS);
}

DeliveryRound MailDelivery::deliverDue()
{
    auto& log = Poco::Logger::get("captrack.mail");
    DeliveryRound round;
    auto pLease = _database.lease();
    auto& session = pLease->session();
    const Poco::Int64 now = static_cast<Poco::Int64>(_clock.now().epochTime());
    for (const Poco::Int64 id : storage::MailStore::dueIds(session, now, BATCH))
    {
        const auto claimed = storage::MailStore::claim(session, id, _holder, now, now + LEASE_SECONDS);
        if (!claimed)
            continue; // another server's now
        try
        {
            _relay.send({claimed->recipient, claimed->subject, claimed->body, claimed->kind, claimed->periodKey});
        }
        catch (const Poco::Exception& e)
        {
            const Poco::Int64 attempts = claimed->attempts + 1;
            storage::MailStore::markFailed(session, id, _holder, now + retryDelay(attempts), e.displayText());
            log.warning("mail %Ld (%s %s to user %Ld) not sent, attempt %Ld, retried in %Ld s: %s", id, claimed->kind,
                        claimed->periodKey, claimed->userId, attempts, retryDelay(attempts), e.displayText());
            ++round.failed;
            break; // the relay is likely down: the rest waits for the next round rather than time out too
        }
        storage::MailStore::markSent(session, id, _holder, domain::rfc3339(_clock.now()));
        log.information("mail %Ld (%s %s) sent to user %Ld", id, claimed->kind, claimed->periodKey, claimed->userId);
        ++round.sent;
    }
    return round;
}

} // namespace captrack::service
